/*
 * test_runner.c - layers, skips, concurrency and the hard deadline, with
 * kinds made up for the test (the runner only ever sees the table).
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "probe/runner.h"
#include "t.h"

static const char *const n_fail[] = { "tfail", NULL };
static const char *const n_pass[] = { "tpass", NULL };
static const char *const n_nap[] = { "tnap", NULL };
static const char *const n_hang[] = { "thang", NULL };

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void run_fail(const struct check *c, const struct deadline *dl,
		     struct check_result *r)
{
	(void)c;
	(void)dl;
	result_fail(r, HINT_NONE, "failed on purpose");
}

static void run_pass(const struct check *c, const struct deadline *dl,
		     struct check_result *r)
{
	(void)c;
	(void)dl;
	result_pass(r);
}

/* Sleeps 200 ms, as a check waiting on a server would. */
static void run_nap(const struct check *c, const struct deadline *dl,
		    struct check_result *r)
{
	(void)c;
	(void)dl;
	nap_ms(200);
	result_pass(r);
}

/* Ignores its deadline, as a blocked getaddrinfo would. */
static void run_hang(const struct check *c, const struct deadline *dl,
		     struct check_result *r)
{
	(void)c;
	(void)dl;
	nap_ms(3000);
	result_pass(r);
}

/* Waits for its deadline, as a kind facing a silent server does. */
static void run_wait(const struct check *c, const struct deadline *dl,
		     struct check_result *r)
{
	(void)c;
	nap_ms((long)deadline_left_ms(dl));
	result_fail(r, HINT_TIMEOUT, "timed out");
}

/* A failed tfail covers every later check with the same port. */
static int covers_port(const struct check *pre, const struct check *dep)
{
	return pre->ep.port == dep->ep.port;
}

static const struct check_kind k_fail = { .names = n_fail, .layer = LAYER_SOCKET,
					  .run = run_fail, .covers = covers_port };
static const struct check_kind k_pass = { .names = n_pass, .layer = LAYER_APP,
					  .run = run_pass };
static const struct check_kind k_nap = { .names = n_nap, .layer = LAYER_APP,
					 .run = run_nap };
static const char *const n_wait[] = { "twait", NULL };
static const struct check_kind k_wait = { .names = n_wait, .layer = LAYER_APP,
					  .run = run_wait };
static const struct check_kind k_hang = { .names = n_hang, .layer = LAYER_DEPS,
					  .run = run_hang };

static struct check *mk(const struct check_kind *k, const char *name, int port)
{
	struct check *c = calloc(1, sizeof(*c));

	c->kind = k;
	c->name = strdup(name);
	c->word = strdup(name);
	c->scheme = strdup(k->names[0]);
	c->rest = c->word;
	c->ep.port = port;
	return c;
}

static void test_skip_and_order(void)
{
	struct plan plan = { calloc(4, sizeof(struct check *)), 4 };
	struct run_opts o = { .timeout_ms = 2000 };
	struct report_summary sum;

	/* Given out of layer order on purpose. */
	plan.checks[0] = mk(&k_pass, "app-8000", 8000);
	plan.checks[1] = mk(&k_fail, "sock-8000", 8000);
	plan.checks[2] = mk(&k_pass, "app-9000", 9000);
	plan.checks[3] = mk(&k_pass, "app-8000-b", 8000);
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(plan.checks[1]->res.status, CHECK_FAIL);
	T_INT(plan.checks[0]->res.status, CHECK_SKIP);
	T_STR(plan.checks[0]->res.cause, "sock-8000");
	T_INT(plan.checks[3]->res.status, CHECK_SKIP);
	T_INT(plan.checks[2]->res.status, CHECK_PASS);
	T_INT(sum.failed, 1);
	T_INT(sum.skipped, 2);
	T_INT(sum.passed, 1);
	plan_free(&plan);
}

static void test_concurrent(void)
{
	struct plan plan = { calloc(4, sizeof(struct check *)), 4 };
	struct run_opts o = { .timeout_ms = 3000 };
	struct report_summary sum;
	size_t i;

	for (i = 0; i < 4; i++)
		plan.checks[i] = mk(&k_nap, "nap", 0);
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(sum.passed, 4);
	/* Four 200 ms checks side by side: well under 4 x 200 ms. */
	T_EXPECT(sum.ms < 600, "took %.1f ms", sum.ms);
	plan_free(&plan);
}

static void test_deadline(void)
{
	/* static: abandoned workers still hold the checks at exit */
	static struct plan plan;
	struct run_opts o = { .timeout_ms = 300 };
	struct report_summary sum;
	struct check *late;

	plan.checks = calloc(3, sizeof(struct check *));
	plan.n = 3;
	plan.checks[0] = mk(&k_pass, "before", 1);
	plan.checks[1] = mk(&k_hang, "hangs", 2);
	late = plan.checks[2] = calloc(1, sizeof(struct check));
	late->kind = &k_hang;
	late->name = strdup("also-hangs");
	late->word = strdup("also-hangs");
	late->scheme = strdup("thang");
	late->rest = late->word;
	T_INT(runner_run(&plan, &o, &sum), 1);
	T_EXPECT(sum.ms < 300, "the run took %.1f ms past its 300 ms bound", sum.ms);
	T_INT(plan.checks[0]->res.status, CHECK_PASS);
	T_INT(plan.checks[1]->res.status, CHECK_FAIL);
	T_EXPECT(strstr(plan.checks[1]->res.error, "deadline") != NULL, "%s",
		 plan.checks[1]->res.error);
	T_INT(sum.failed, 2);
	/* The abandoned workers still read the plan: it is not freed here,
	 * as main.c leaves with _exit in this case. */
}

/* A check's own timeout= narrows the deadline its kind is handed. */
static void test_timeout_option(void)
{
	struct plan plan = { calloc(1, sizeof(struct check *)), 1 };
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;

	plan.checks[0] = mk(&k_wait, "own-timeout", 0);
	plan.checks[0]->timeout_ms = 100;
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(plan.checks[0]->res.status, CHECK_FAIL);
	T_EXPECT(sum.ms >= 90 && sum.ms < 1000, "took %.1f ms, want about 100", sum.ms);
	plan_free(&plan);
}

/* A kind with a start hook that takes 250 ms, as a slow library init
 * might: the hook runs once a run, on the main thread, before any check of
 * the kind but after the checks of other kinds have started; stop runs
 * once after, only when start did. */
static const char *const n_hooked[] = { "thooked", NULL };
static pthread_t hook_main;
static int hook_starts, hook_stops, hook_off_main, hook_early;

static void hooked_start(void)
{
	hook_off_main += pthread_equal(pthread_self(), hook_main) == 0;
	nap_ms(250);
	__atomic_add_fetch(&hook_starts, 1, __ATOMIC_SEQ_CST);
}

static void hooked_stop(void)
{
	hook_stops++;
}

static void run_hooked(const struct check *c, const struct deadline *dl,
		       struct check_result *r)
{
	(void)c;
	(void)dl;
	/* One start a run: by the end of run N there were N starts. */
	if (__atomic_load_n(&hook_starts, __ATOMIC_SEQ_CST) == 0)
		__atomic_add_fetch(&hook_early, 1, __ATOMIC_SEQ_CST);
	result_pass(r);
}

static const struct check_kind k_hooked = { .names = n_hooked, .layer = LAYER_APP,
					    .run = run_hooked, .start = hooked_start,
					    .stop = hooked_stop };
static const struct check_kind k_nap_deps = { .names = n_nap, .layer = LAYER_DEPS,
					      .run = run_nap };

static void test_kind_hooks(void)
{
	struct plan plan = { calloc(4, sizeof(struct check *)), 4 };
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;
	int run;

	hook_main = pthread_self();
	plan.checks[0] = mk(&k_hooked, "h1", 1);
	plan.checks[1] = mk(&k_nap_deps, "db", 2);
	plan.checks[2] = mk(&k_hooked, "h2", 3);
	plan.checks[3] = mk(&k_hooked, "h3", 4);
	for (run = 1; run <= 2; run++) {
		T_INT(runner_run(&plan, &o, &sum), 0);
		T_INT(sum.passed, 4);
		T_INT(hook_starts, run);
		T_INT(hook_stops, run);
		/* The 250 ms hook overlaps the 200 ms check of another kind:
		 * one after the other they would take 450. */
		T_EXPECT(sum.ms < 400, "run %d took %.1f ms, want about 250", run, sum.ms);
	}
	T_INT(hook_off_main, 0);
	T_INT(hook_early, 0);
	plan_free(&plan);
}

/* A kind none of whose checks run (all skipped) is neither started nor
 * stopped. */
static void test_kind_hooks_skipped(void)
{
	struct plan plan = { calloc(2, sizeof(struct check *)), 2 };
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;
	int starts = hook_starts, stops = hook_stops;

	plan.checks[0] = mk(&k_fail, "sock-9000", 9000);
	plan.checks[1] = mk(&k_hooked, "behind-it", 9000);
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(plan.checks[1]->res.status, CHECK_SKIP);
	T_INT(hook_starts, starts);
	T_INT(hook_stops, stops);
	plan_free(&plan);
}

/* Waits for every later check, but never makes one pointless (as
 * listen:// whose socket exists on another address). */
static int always(const struct check *pre, const struct check *dep)
{
	(void)pre;
	(void)dep;
	return 1;
}

static int never(const struct check *pre, const struct check *dep)
{
	(void)pre;
	(void)dep;
	return 0;
}

static const char *const n_hang_sock[] = { "thangsock", NULL };
static const struct check_kind k_hang_sock = { .names = n_hang_sock, .layer = LAYER_SOCKET,
					       .run = run_hang, .covers = never,
					       .may_cover = always };

/* A check still waiting for its kind's start hook when the deadline
 * passes is skipped, and the run ends in time. */
static void test_hooked_waits_past_deadline(void)
{
	/* static: the abandoned worker still holds its check at exit */
	static struct plan plan;
	struct run_opts o = { .timeout_ms = 300 };
	struct report_summary sum;
	int starts = hook_starts;

	plan.checks = calloc(2, sizeof(struct check *));
	plan.n = 2;
	plan.checks[0] = mk(&k_hang_sock, "hangs", 1);
	plan.checks[1] = mk(&k_hooked, "waits", 2);
	T_INT(runner_run(&plan, &o, &sum), 1);
	T_EXPECT(sum.ms < 300, "the run took %.1f ms past its 300 ms bound", sum.ms);
	T_INT(plan.checks[0]->res.status, CHECK_FAIL);
	T_INT(plan.checks[1]->res.status, CHECK_SKIP);
	T_STR(plan.checks[1]->res.cause, "--timeout");
	T_INT(hook_starts, starts);
}

/* A check sure to return by its deadline runs on the main thread when it
 * is the only one left to run, in a thread otherwise. */
static const char *const n_bounded[] = { "tbounded", NULL };
static int bounded_on_main;

static void run_bounded(const struct check *c, const struct deadline *dl,
			struct check_result *r)
{
	(void)c;
	(void)dl;
	bounded_on_main = pthread_equal(pthread_self(), hook_main) != 0;
	result_pass(r);
}

static int yes(const struct check *c)
{
	(void)c;
	return 1;
}

static const struct check_kind k_bounded = { .names = n_bounded, .layer = LAYER_APP,
					     .run = run_bounded, .bounded = yes };
static const struct check_kind k_unbounded = { .names = n_bounded, .layer = LAYER_APP,
					       .run = run_bounded };

static void test_bounded_alone(void)
{
	struct plan one = { calloc(1, sizeof(struct check *)), 1 };
	struct plan two = { calloc(2, sizeof(struct check *)), 2 };
	struct plan other = { calloc(1, sizeof(struct check *)), 1 };
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;

	hook_main = pthread_self();
	one.checks[0] = mk(&k_bounded, "alone", 1);
	T_INT(runner_run(&one, &o, &sum), 0);
	T_INT(one.checks[0]->res.status, CHECK_PASS);
	T_INT(bounded_on_main, 1);
	/* Not alone: a 200 ms check of a later layer started first. */
	two.checks[0] = mk(&k_bounded, "with-another", 1);
	two.checks[1] = mk(&k_nap_deps, "db", 2);
	T_INT(runner_run(&two, &o, &sum), 0);
	T_INT(sum.passed, 2);
	T_INT(bounded_on_main, 0);
	/* Alone, but its kind does not say it returns in time. */
	other.checks[0] = mk(&k_unbounded, "unbounded", 1);
	T_INT(runner_run(&other, &o, &sum), 0);
	T_INT(bounded_on_main, 0);
	plan_free(&one);
	plan_free(&two);
	plan_free(&other);
}

/* Checks of different layers that cannot cover each other overlap; a
 * check that a failed one covers waits for it and is skipped. */
static void test_layers_overlap(void)
{
	struct plan plan = { calloc(3, sizeof(struct check *)), 3 };
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;

	plan.checks[0] = mk(&k_nap, "app", 1);
	plan.checks[1] = mk(&k_nap_deps, "db", 2);
	plan.checks[2] = mk(&k_fail, "sock", 3);
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(sum.passed, 2);
	T_INT(sum.failed, 1);
	T_EXPECT(sum.ms < 350, "took %.1f ms: app and deps ran one after the other", sum.ms);
	plan_free(&plan);
}

/* Ignores its deadline for 400 ms. */
static void run_stuck(const struct check *c, const struct deadline *dl,
		      struct check_result *r)
{
	(void)c;
	(void)dl;
	nap_ms(400);
	result_pass(r);
}

static const char *const n_stuck[] = { "tstuck", NULL };
static const struct check_kind k_stuck = { .names = n_stuck, .layer = LAYER_DEPS,
					   .run = run_stuck };

/* A check whose abandoned worker still runs fails at once in the next run,
 * with no second thread; once that worker is done it runs again. */
static void test_busy_not_restarted(void)
{
	/* static: the abandoned worker still holds its check at exit */
	static struct plan plan;
	struct run_opts quick = { .timeout_ms = 100 }, slow = { .timeout_ms = 2000 };
	struct report_summary sum;

	plan.checks = calloc(2, sizeof(struct check *));
	plan.n = 2;
	plan.checks[0] = mk(&k_stuck, "stuck", 1);
	plan.checks[1] = mk(&k_pass, "fine", 2);
	T_INT(runner_run(&plan, &quick, &sum), 1);
	T_INT(plan.checks[0]->res.status, CHECK_FAIL);
	T_INT(runner_run(&plan, &quick, &sum), 0);
	T_EXPECT(sum.ms < 50, "took %.1f ms: the busy check was waited for", sum.ms);
	T_INT(plan.checks[0]->res.status, CHECK_FAIL);
	T_EXPECT(strstr(plan.checks[0]->res.error, "earlier run") != NULL, "%s",
		 plan.checks[0]->res.error);
	T_INT(plan.checks[1]->res.status, CHECK_PASS);
	nap_ms(500); /* the abandoned worker ends */
	T_INT(runner_run(&plan, &slow, &sum), 0);
	T_INT(plan.checks[0]->res.status, CHECK_PASS);
	T_INT(sum.passed, 2);
}

/* Runs whose caller holds the kinds' hooks neither start nor stop them;
 * such runs of two plans overlap, each on a thread of its own. */
static void *run_in_thread(void *arg)
{
	struct plan *plan = arg;
	struct run_opts o = { .timeout_ms = 5000, .kinds_started = 1 };
	struct report_summary sum;

	runner_run(plan, &o, &sum);
	return NULL;
}

static void test_kinds_started_overlap(void)
{
	struct plan a = { calloc(2, sizeof(struct check *)), 2 };
	struct plan b = { calloc(2, sizeof(struct check *)), 2 };
	int starts, stops;
	pthread_t ta, tb;
	int64_t t0;

	a.checks[0] = mk(&k_hooked, "ha", 1);
	a.checks[1] = mk(&k_nap_deps, "da", 2);
	b.checks[0] = mk(&k_hooked, "hb", 1);
	b.checks[1] = mk(&k_nap_deps, "db", 2);
	runner_kinds_start(&a);
	starts = hook_starts;
	stops = hook_stops;
	t0 = deadline_now_ns();
	pthread_create(&ta, NULL, run_in_thread, &a);
	pthread_create(&tb, NULL, run_in_thread, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	t0 = (deadline_now_ns() - t0) / 1000000;
	T_EXPECT(t0 < 350, "took %lld ms: the runs took turns", (long long)t0);
	T_INT(a.checks[0]->res.status, CHECK_PASS);
	T_INT(a.checks[1]->res.status, CHECK_PASS);
	T_INT(b.checks[0]->res.status, CHECK_PASS);
	T_INT(b.checks[1]->res.status, CHECK_PASS);
	T_INT(hook_starts, starts);
	T_INT(hook_stops, stops);
	runner_kinds_stop(&a);
	T_INT(hook_stops, stops + 1);
	plan_free(&a);
	plan_free(&b);
}

int main(void)
{
	test_skip_and_order();
	test_concurrent();
	test_deadline();
	test_timeout_option();
	test_kind_hooks();
	test_kind_hooks_skipped();
	test_layers_overlap();
	test_hooked_waits_past_deadline();
	test_bounded_alone();
	test_busy_not_restarted();
	test_kinds_started_overlap();
	return t_done("test_runner");
}
