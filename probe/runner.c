/*
 * runner.c - layers, levels, skips, concurrency and the hard deadline.
 * It never names a check kind: it knows a kind only by its table.  A
 * kind's library init is the kind's own business (pthread_once in its
 * run, as http.c and mysql.c do), not a step of the schedule: the runner
 * starts every check as soon as the checks it may depend on are done.
 */
#include "probe/runner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Threads running checks at once; a check ready past it waits for one to
 * end.  Far above any real plan's network checks, far below what a
 * container's pids limit or memory allows. */
#define RUNNER_THREADS_MAX 256

struct run_state;

struct job {
	struct check *c;
	struct deadline dl;
	pthread_t thread;
	int running, started, done, abandoned;
	size_t dep0, ndeps; /* its possible causes: run->deps[dep0 .. +ndeps) */
	struct run_state *run;
};

/* One run's bookkeeping, shared with its workers under runner_lock.  An
 * abandoned worker still points into it: it is freed only when none was
 * abandoned. */
struct run_state {
	struct plan *plan;
	struct job *jobs;
	size_t *deps;	 /* flat lists of indices into plan->checks */
	size_t *waiting; /* checks not yet started nor skipped, later layers first */
	size_t nwaiting;
	size_t done;	 /* jobs done (finished, skipped or abandoned) */
	size_t threads;	 /* workers running */
	size_t stragglers; /* abandoned workers still running */
	int returned;	 /* runner_run is done with it: the last straggler frees it */
};

/* Shared between the runner and its workers; guards job->done/abandoned
 * and each check's res while a layer runs. */
static pthread_mutex_t runner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t runner_cond;
static pthread_once_t runner_once = PTHREAD_ONCE_INIT;

/* The condition waits on CLOCK_MONOTONIC, like every deadline.  Made once:
 * an abandoned worker of an earlier run may still signal it. */
static void runner_init(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&runner_cond, &attr);
	pthread_condattr_destroy(&attr);
}

int64_t runner_margin_ms(int64_t timeout_ms)
{
	int64_t m = timeout_ms / 20;

	if (m > 50)
		m = 50;
	if (m < 2)
		m = 2;
	return m;
}

static void runner_state_free(struct run_state *r);

static void *runner_worker(void *arg)
{
	struct run_state *last = NULL;
	struct job *j = arg;
	struct check_result res;
	int64_t t0 = deadline_now_ns();

	memset(&res, 0, sizeof(res));
	j->c->kind->run(j->c, &j->dl, &res);
	if (res.status != CHECK_FAIL && j->c->covered_by) {
		/* it did the part that needed no prerequisite */
		res.status = CHECK_SKIP;
		snprintf(res.cause, sizeof(res.cause), "%s", j->c->covered_by);
		if (!res.error[0])
			snprintf(res.error, sizeof(res.error), "not run: %s failed",
				 j->c->covered_by);
	} else if (res.status != CHECK_FAIL) {
		res.status = CHECK_PASS;
	}
	res.ms = (double)(deadline_now_ns() - t0) / 1e6;
	pthread_mutex_lock(&runner_lock);
	if (!j->abandoned) {
		j->c->res = res;
		j->done = 1;
		j->run->done++;
	}
	j->c->busy = 0;
	if (j->started)
		j->run->threads--;
	pthread_cond_broadcast(&runner_cond);
	if (j->abandoned && --j->run->stragglers == 0 && j->run->returned)
		last = j->run;
	pthread_mutex_unlock(&runner_lock);
	runner_state_free(last);
	return NULL;
}

/* Finds a failed or skipped check of an earlier layer that makes job j's
 * check pointless; returns it or NULL.  Only its possible causes can. */
static const struct check *runner_cause(const struct run_state *r, const struct job *j)
{
	size_t i;

	for (i = 0; i < j->ndeps; i++) {
		const struct check *p = r->plan->checks[r->deps[j->dep0 + i]];

		if (p->res.status != CHECK_FAIL && p->res.status != CHECK_SKIP)
			continue;
		if (p->kind->covers(p, j->c))
			return p;
	}
	return NULL;
}

static void runner_skip(struct check *c, const char *cause, const char *why)
{
	memset(&c->res, 0, sizeof(c->res));
	c->res.status = CHECK_SKIP;
	snprintf(c->res.cause, sizeof(c->res.cause), "%s", cause);
	snprintf(c->res.error, sizeof(c->res.error), "%s", why);
}

/*
 * The deadline a kind is handed: a little before the runner's own, so that
 * a kind that honours it ends with its own verdict ("timed out after 950 ms
 * waiting for the response") and the runner collects it, rather than the
 * runner abandoning the check with its generic "no result".
 */
static struct deadline runner_kind_deadline(struct deadline end)
{
	int64_t left = end.end_ns - deadline_now_ns(), grace = left / 10;

	/* Enough for a kind to wind down (libcurl's cleanup, a driver's
	 * close) on a loaded machine; 85 ms of a 1 s run. */
	if (grace < 5000000)
		grace = 5000000;
	if (grace > 100000000)
		grace = 100000000;
	end.end_ns -= grace;
	return end;
}

/* Could failed or skipped check p make c pointless?  Judged by their words
 * alone: c waits for every such p of an earlier layer. */
static int runner_may_cover(const struct check *p, const struct check *c)
{
	if (p == c || p->kind->layer >= c->kind->layer || !p->kind->covers)
		return 0;
	return p->kind->may_cover ? p->kind->may_cover(p, c) : p->kind->covers(p, c);
}

/* Every check that job j could depend on is done (under runner_lock). */
static int runner_ready(const struct run_state *r, const struct job *j)
{
	size_t i;

	for (i = 0; i < j->ndeps; i++)
		if (!r->jobs[r->deps[j->dep0 + i]].done)
			return 0;
	return 1;
}

/* Runs job j on this thread; called and returning with runner_lock held. */
static void runner_inline(struct job *j)
{
	pthread_mutex_unlock(&runner_lock);
	runner_worker(j);
	pthread_mutex_lock(&runner_lock);
}

/* May job j run on this thread: its kind does no I/O that can wait
 * (KIND_INSTANT: env:), or it is the only check left and sure to return
 * by its deadline (a lone http:// or tcp:// check: no thread to start)? */
static int runner_here(const struct run_state *r, const struct job *j)
{
	const struct check_kind *k = j->c->kind;

	if (k->flags & KIND_INSTANT)
		return 1;
	return r->plan->n - r->done == 1 &&
	       ((k->flags & KIND_BOUNDED) || (k->bounded && k->bounded(j->c)));
}

/* Starts job j, here or in a thread of its own.  Returns 0, or -1 when
 * RUNNER_THREADS_MAX threads run already (j waits for one to end).
 * Called and returning with runner_lock held. */
static int runner_start(struct run_state *r, struct job *j, struct deadline end)
{
	int here = runner_here(r, j);

	if (!here && r->threads >= RUNNER_THREADS_MAX)
		return -1;
	j->dl = runner_kind_deadline(end);
	if (j->c->timeout_ms > 0)
		j->dl = deadline_min(j->dl, deadline_in(j->c->timeout_ms));
	j->running = 1;
	j->c->busy = 1;
	if (here) {
		runner_inline(j);
		return 0;
	}
	j->started = 1;
	r->threads++;
	if (pthread_create(&j->thread, NULL, runner_worker, j) != 0) {
		j->started = 0;
		r->threads--;
		runner_inline(j); /* no thread to be had */
	}
	return 0;
}

/* Starts or skips every waiting check whose possible causes are done;
 * under runner_lock.  Returns how many checks are not done.  A pass goes
 * over the waiting checks alone; a skip can make a later layer's check
 * ready, so passes go on while one changes anything. */
static size_t runner_step(struct run_state *r, struct deadline end)
{
	int progress = 1;

	while (progress && r->nwaiting) {
		size_t i, kept = 0;

		progress = 0;
		for (i = 0; i < r->nwaiting; i++) {
			struct job *j = &r->jobs[r->waiting[i]];
			const struct check *cause;

			if (!runner_ready(r, j)) {
				r->waiting[kept++] = r->waiting[i];
				continue;
			}
			cause = runner_cause(r, j);
			j->c->covered_by = NULL;
			if (cause && (j->c->kind->flags & KIND_RUNS_COVERED) &&
			    !deadline_expired(&end)) {
				j->c->covered_by = cause->name;
				if (runner_start(r, j, end) < 0) {
					r->waiting[kept++] = r->waiting[i]; /* no thread free */
					continue;
				}
			} else if (cause) {
				char why[192];

				snprintf(why, sizeof(why), "not run: %s failed", cause->name);
				runner_skip(j->c, cause->name, why);
			} else if (deadline_expired(&end)) {
				runner_skip(j->c, "--timeout",
					    "not run: the run's --timeout was spent on earlier "
					    "checks");
			} else if (j->c->busy) {
				/* Another thread for a server that hangs would hang
				 * too: threads would pile up, one a run (probe wait,
				 * probe serve). */
				memset(&j->c->res, 0, sizeof(j->c->res));
				result_fail(&j->c->res, HINT_TIMEOUT,
					    "not run: an earlier run of this check, abandoned "
					    "at its deadline, still waits (on DNS or a server)");
			} else if (runner_start(r, j, end) < 0) {
				r->waiting[kept++] = r->waiting[i]; /* no thread free */
				continue;
			}
			progress = 1;
			if (!j->running) {
				j->done = 1;
				r->done++;
			}
		}
		r->nwaiting = kept;
	}
	return r->plan->n - r->done;
}

/* Later layers first: their checks (a database login) take longest, and
 * the run ends when its longest check does; the plan's order within. */
static int runner_order(const void *a, const void *b)
{
	const struct job *x = *(const struct job *const *)a, *y = *(const struct job *const *)b;

	if (x->c->kind->layer != y->c->kind->layer)
		return x->c->kind->layer > y->c->kind->layer ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Fills r->jobs, each check's possible causes (checks of the kinds that
 * can cover one: few, whatever the plan's size, so this is linear in it)
 * and the waiting list.  Returns 0, or -1 out of memory. */
static int runner_prepare(struct run_state *r)
{
	struct plan *plan = r->plan;
	size_t n = plan->n, i, k, ncov = 0, ndeps = 0, cap = 0;
	size_t *cov = calloc(n ? n : 1, sizeof(*cov));
	struct job **order = calloc(n ? n : 1, sizeof(*order));
	int rc = -1;

	r->jobs = calloc(n ? n : 1, sizeof(*r->jobs));
	r->waiting = calloc(n ? n : 1, sizeof(*r->waiting));
	if (!cov || !order || !r->jobs || !r->waiting)
		goto out;
	for (i = 0; i < n; i++) {
		r->jobs[i].c = plan->checks[i];
		r->jobs[i].run = r;
		if (plan->checks[i]->kind->covers)
			cov[ncov++] = i;
	}
	for (k = 0; k < n; k++) {
		r->jobs[k].dep0 = ndeps;
		for (i = 0; i < ncov; i++) {
			if (!runner_may_cover(plan->checks[cov[i]], plan->checks[k]))
				continue;
			if (ndeps == cap) {
				size_t *grown;

				cap = cap ? cap * 2 : 64;
				grown = realloc(r->deps, cap * sizeof(*grown));
				if (!grown)
					goto out;
				r->deps = grown;
			}
			r->deps[ndeps++] = cov[i];
		}
		r->jobs[k].ndeps = ndeps - r->jobs[k].dep0;
		order[k] = &r->jobs[k];
	}
	qsort(order, n, sizeof(*order), runner_order);
	for (i = 0; i < n; i++)
		r->waiting[i] = (size_t)(order[i] - r->jobs);
	r->nwaiting = n;
	rc = 0;
out:
	free(cov);
	free(order);
	return rc;
}

static void runner_state_free(struct run_state *r)
{
	if (!r)
		return;
	free(r->jobs);
	free(r->deps);
	free(r->waiting);
	free(r);
}

/*
 * Runs the plan: each check as soon as every check of an earlier layer
 * that could make it pointless is done (and skipped if one did), so
 * independent checks overlap whatever their layers; in a thread of its
 * own, but for instant kinds and a lone bounded check (runner_here).  At
 * `end` a check still running is abandoned and reported as timed out, and
 * one still waiting is skipped.  Returns 1 when any was abandoned.
 */
static int runner_schedule(struct run_state *r, struct deadline end)
{
	struct plan *plan = r->plan;
	struct timespec ts;
	size_t i;
	int abandoned = 0;

	ts.tv_sec = (time_t)(end.end_ns / 1000000000);
	ts.tv_nsec = (long)(end.end_ns % 1000000000);
	pthread_mutex_lock(&runner_lock);
	while (runner_step(r, end) > 0) {
		if (!deadline_expired(&end) &&
		    (pthread_cond_timedwait(&runner_cond, &runner_lock, &ts) == 0 ||
		     !deadline_expired(&end)))
			continue;
		for (i = 0; i < plan->n; i++) {
			struct check *c = plan->checks[i];
			struct job *j = &r->jobs[i];

			if (j->done || !j->running)
				continue;
			j->abandoned = 1;
			j->done = 1;
			r->done++;
			r->stragglers++;
			abandoned = 1;
			memset(&c->res, 0, sizeof(c->res));
			result_fail(&c->res, HINT_TIMEOUT,
				    "no result within the run's deadline: the check "
				    "was still waiting (on DNS or a server)");
			c->res.ms = (double)deadline_left_ms(&end);
		}
		/* The rest are skipped by the next step: the deadline passed. */
	}
	pthread_mutex_unlock(&runner_lock);
	for (i = 0; i < plan->n; i++) {
		struct job *j = &r->jobs[i];

		if (!j->started)
			continue;
		if (j->abandoned)
			pthread_detach(j->thread);
		else
			pthread_join(j->thread, NULL);
	}
	return abandoned;
}

void runner_select(struct plan *plan, enum probe_level level)
{
	size_t i, kept = 0;

	for (i = 0; i < plan->n; i++) {
		struct check *c = plan->checks[i];

		if (level == LEVEL_LIVE && c->level != LEVEL_LIVE) {
			check_free(c);
			continue;
		}
		plan->checks[kept++] = c;
	}
	plan->n = kept;
}

int runner_run(struct plan *plan, const struct run_opts *o,
	       struct report_summary *sum)
{
	int64_t t0 = deadline_now_ns();
	struct deadline end = { (o->start_ns ? o->start_ns : t0) +
				(o->timeout_ms - runner_margin_ms(o->timeout_ms)) * 1000000 };
	struct run_state *r = calloc(1, sizeof(*r));
	int abandoned = 0;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	pthread_once(&runner_once, runner_init);
	/* A run may be one of many (probe wait): start each from nothing. */
	for (i = 0; i < plan->n; i++)
		memset(&plan->checks[i]->res, 0, sizeof(plan->checks[i]->res));
	if (r) {
		r->plan = plan;
		if (runner_prepare(r) == 0)
			abandoned = runner_schedule(r, end);
	}
	for (i = 0; i < plan->n; i++) {
		struct check_result *res = &plan->checks[i]->res;

		if (res->status == CHECK_PENDING) /* no memory to run it */
			result_fail(res, HINT_NONE, "not run: out of memory");
		sum->passed += res->status == CHECK_PASS;
		sum->failed += res->status == CHECK_FAIL;
		sum->skipped += res->status == CHECK_SKIP;
	}
	sum->ms = (double)(deadline_now_ns() - t0) / 1e6;
	/* Abandoned workers still point into r: the last of them frees it
	 * (a caller that runs on, probe serve or wait, leaks nothing). */
	if (r && abandoned) {
		pthread_mutex_lock(&runner_lock);
		r->returned = 1;
		if (r->stragglers > 0)
			r = NULL;
		pthread_mutex_unlock(&runner_lock);
	}
	runner_state_free(r);
	return abandoned;
}
