/*
 * test_runner.c - layers, skips, concurrency and the hard deadline, with
 * kinds made up for the test (the runner only ever sees the table).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A kind whose library takes 250 ms to initialise, as a slow global init
 * might, and does it in its run, once a process (pthread_once), as http.c
 * does for libcurl: the runner schedules it like any other check, so the
 * init overlaps the checks of other kinds (a database login). */
static const char *const n_lib[] = { "tlib", NULL };
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_inits, lib_runs;

static void lib_init(void)
{
	nap_ms(250);
	__atomic_add_fetch(&lib_inits, 1, __ATOMIC_SEQ_CST);
}

static void run_lib(const struct check *c, const struct deadline *dl, struct check_result *r)
{
	(void)c;
	(void)dl;
	pthread_once(&lib_once, lib_init);
	__atomic_add_fetch(&lib_runs, 1, __ATOMIC_SEQ_CST);
	result_pass(r);
}

static const struct check_kind k_lib = { .names = n_lib, .layer = LAYER_APP, .run = run_lib };
static const struct check_kind k_nap_deps = { .names = n_nap, .layer = LAYER_DEPS,
					      .run = run_nap };

static void test_library_init(void)
{
	struct plan plan = { calloc(4, sizeof(struct check *)), 4 };
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;

	plan.checks[0] = mk(&k_lib, "l1", 1);
	plan.checks[1] = mk(&k_nap_deps, "db", 2);
	plan.checks[2] = mk(&k_lib, "l2", 3);
	plan.checks[3] = mk(&k_lib, "l3", 4);
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(sum.passed, 4);
	T_INT(lib_runs, 3);
	/* The 250 ms init overlaps the 200 ms check of another kind: one
	 * after the other they would take 450. */
	T_EXPECT(sum.ms < 400, "took %.1f ms, want about 250", sum.ms);
	/* Once a process, not once a run (probe wait runs the plan again). */
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(sum.passed, 4);
	T_INT(lib_inits, 1);
	plan_free(&plan);
}

/* A kind none of whose checks run (all skipped) is never run, so its
 * library is never initialised: a plan whose http checks all sit behind a
 * failed listen:// never touches libcurl. */
static void test_skipped_kind_not_run(void)
{
	struct plan plan = { calloc(2, sizeof(struct check *)), 2 };
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;
	int runs = lib_runs;

	plan.checks[0] = mk(&k_fail, "sock-9000", 9000);
	plan.checks[1] = mk(&k_lib, "behind-it", 9000);
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(plan.checks[1]->res.status, CHECK_SKIP);
	T_INT(lib_runs, runs);
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

/* A check still waiting for one it may depend on when the deadline passes
 * is skipped, and the run ends in time. */
static void test_waits_past_deadline(void)
{
	/* static: the abandoned worker still holds its check at exit */
	static struct plan plan;
	struct run_opts o = { .timeout_ms = 300 };
	struct report_summary sum;
	int runs = lib_runs;

	plan.checks = calloc(2, sizeof(struct check *));
	plan.n = 2;
	plan.checks[0] = mk(&k_hang_sock, "hangs", 1);
	plan.checks[1] = mk(&k_lib, "waits", 2);
	T_INT(runner_run(&plan, &o, &sum), 1);
	T_EXPECT(sum.ms < 300, "the run took %.1f ms past its 300 ms bound", sum.ms);
	T_INT(plan.checks[0]->res.status, CHECK_FAIL);
	T_INT(plan.checks[1]->res.status, CHECK_SKIP);
	T_STR(plan.checks[1]->res.cause, "--timeout");
	T_INT(lib_runs, runs);
}

/* A check sure to return by its deadline runs on the main thread when it
 * is the only one left to run, in a thread otherwise. */
static const char *const n_bounded[] = { "tbounded", NULL };
static pthread_t main_thread;
static int bounded_on_main;

static void run_bounded(const struct check *c, const struct deadline *dl,
			struct check_result *r)
{
	(void)c;
	(void)dl;
	bounded_on_main = pthread_equal(pthread_self(), main_thread) != 0;
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

	main_thread = pthread_self();
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

/* A KIND_RUNS_COVERED kind behind a failed check: run() is called with
 * covered_by naming it; its pass becomes a skip with that cause, its
 * fail stands; uncovered, covered_by is NULL and a pass is a pass. */
static int partial_runs;
static void run_partial(const struct check *c, const struct deadline *dl,
			struct check_result *r)
{
	(void)dl;
	__atomic_add_fetch(&partial_runs, 1, __ATOMIC_SEQ_CST);
	if (strcmp(c->name, "broken") == 0)
		result_fail(r, HINT_NONE, "broken in itself");
	else if (c->covered_by)
		snprintf(r->error, sizeof(r->error), "half done: %s failed", c->covered_by);
	else
		result_pass(r);
}

static const char *const n_partial[] = { "tpartial", NULL };
static const struct check_kind k_partial = { .names = n_partial, .layer = LAYER_SCHEMA,
					     .flags = KIND_RUNS_COVERED, .run = run_partial };

static void test_runs_covered(void)
{
	struct plan plan = { calloc(4, sizeof(struct check *)), 4 };
	struct run_opts o = { .timeout_ms = 2000 };
	struct report_summary sum;

	partial_runs = 0;
	plan.checks[0] = mk(&k_fail, "sock-7000", 7000);
	plan.checks[1] = mk(&k_partial, "valid", 7000);
	plan.checks[2] = mk(&k_partial, "broken", 7000);
	plan.checks[3] = mk(&k_partial, "free", 7001);
	T_INT(runner_run(&plan, &o, &sum), 0);
	T_INT(partial_runs, 3);
	T_INT(plan.checks[1]->res.status, CHECK_SKIP);
	T_STR(plan.checks[1]->res.cause, "sock-7000");
	T_STR(plan.checks[1]->res.error, "half done: sock-7000 failed");
	T_INT(plan.checks[2]->res.status, CHECK_FAIL);
	T_STR(plan.checks[2]->res.error, "broken in itself");
	T_INT(plan.checks[3]->res.status, CHECK_PASS);
	T_EXPECT(plan.checks[3]->covered_by == NULL, "free: covered_by %s",
		 plan.checks[3]->covered_by);
	T_INT(sum.failed, 2);
	T_INT(sum.skipped, 1);
	T_INT(sum.passed, 1);
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

/* Runs of two plans overlap, each on a thread of its own (probe serve's
 * paths). */
static void *run_in_thread(void *arg)
{
	struct plan *plan = arg;
	struct run_opts o = { .timeout_ms = 5000 };
	struct report_summary sum;

	runner_run(plan, &o, &sum);
	return NULL;
}

static void test_runs_overlap(void)
{
	struct plan a = { calloc(2, sizeof(struct check *)), 2 };
	struct plan b = { calloc(2, sizeof(struct check *)), 2 };
	pthread_t ta, tb;
	int64_t t0;

	a.checks[0] = mk(&k_nap_deps, "da1", 1);
	a.checks[1] = mk(&k_nap_deps, "da2", 2);
	b.checks[0] = mk(&k_nap_deps, "db1", 1);
	b.checks[1] = mk(&k_nap_deps, "db2", 2);
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
	plan_free(&a);
	plan_free(&b);
}

int main(void)
{
	test_skip_and_order();
	test_concurrent();
	test_deadline();
	test_timeout_option();
	test_library_init();
	test_skipped_kind_not_run();
	test_layers_overlap();
	test_runs_covered();
	test_waits_past_deadline();
	test_bounded_alone();
	test_busy_not_restarted();
	test_runs_overlap();
	return t_done("test_runner");
}
