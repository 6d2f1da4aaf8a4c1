/*
 * runner.c - layers, levels, skips, concurrency and the hard deadline.
 * It never names a check kind: it knows a kind only by its table.
 */
#include "probe/runner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job {
	struct check *c;
	struct deadline dl;
	pthread_t thread;
	int running, started, done, abandoned;
	/* The job of the plan's first check of the same kind, whose `hooked`
	 * tells whether the kind's start hook has run in this run (the main
	 * thread runs it, when a check of the kind is ready to start). */
	struct job *owner;
	int hooked;
	struct run_jobs *run;
};

/* One run's jobs.  Freed by runner_run, or, when it abandoned workers, by
 * the last of them to end: a caller that runs on (probe serve) leaks
 * nothing. */
struct run_jobs {
	size_t stragglers; /* abandoned workers still running (runner_lock) */
	int returned;      /* runner_run is done with them (runner_lock) */
	struct job job[];
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

static void *runner_worker(void *arg)
{
	struct job *j = arg;
	struct check_result res;
	struct run_jobs *last = NULL;
	int64_t t0 = deadline_now_ns();

	memset(&res, 0, sizeof(res));
	j->c->kind->run(j->c, &j->dl, &res);
	if (res.status != CHECK_FAIL)
		res.status = CHECK_PASS;
	res.ms = (double)(deadline_now_ns() - t0) / 1e6;
	pthread_mutex_lock(&runner_lock);
	if (!j->abandoned)
		j->c->res = res;
	j->c->busy = 0;
	j->done = 1;
	pthread_cond_broadcast(&runner_cond);
	if (j->abandoned && --j->run->stragglers == 0 && j->run->returned)
		last = j->run;
	pthread_mutex_unlock(&runner_lock);
	free(last);
	return NULL;
}

/* Finds a failed or skipped check of an earlier layer that makes c
 * pointless; returns it or NULL. */
static const struct check *runner_cause(struct plan *plan, const struct check *c)
{
	size_t i;

	for (i = 0; i < plan->n; i++) {
		const struct check *p = plan->checks[i];

		if (p->kind->layer >= c->kind->layer || !p->kind->covers)
			continue;
		if (p->res.status != CHECK_FAIL && p->res.status != CHECK_SKIP)
			continue;
		if (p->kind->covers(p, c))
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

/* Every check that check k could depend on is done (under runner_lock). */
static int runner_ready(const struct plan *plan, const struct job *jobs, size_t k)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (!jobs[i].done && runner_may_cover(plan->checks[i], plan->checks[k]))
			return 0;
	return 1;
}

/* Starts check c as job j, in a thread of its own; called and returning
 * with runner_lock held. */
static void runner_start(struct job *j, struct check *c, struct deadline end, int alone)
{
	j->c = c;
	c->busy = 1;
	j->dl = runner_kind_deadline(end);
	if (c->timeout_ms > 0)
		j->dl = deadline_min(j->dl, deadline_in(c->timeout_ms));
	j->running = 1;
	/* The only check left, and sure to return by its deadline: no
	 * thread needed to abandon it (a lone http:// or tcp:// check). */
	if (!(alone && ((c->kind->flags & KIND_BOUNDED) ||
		       (c->kind->bounded && c->kind->bounded(c)))) &&
	    pthread_create(&j->thread, NULL, runner_worker, j) == 0) {
		j->started = 1;
		return;
	}
	pthread_mutex_unlock(&runner_lock);
	runner_worker(j); /* here: alone, or no thread to be had */
	pthread_mutex_lock(&runner_lock);
}

/* Is job k the only one not done? */
static int runner_alone(const struct plan *plan, const struct job *jobs, size_t k)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (i != k && !jobs[i].done)
			return 0;
	return 1;
}

/* Runs, on this (the main) thread, the start hook of a kind that has a
 * check ready to start: a library's global init.  The checks started
 * before it, of other kinds, run meanwhile.  Under runner_lock, released
 * while the hook runs.  Returns 1 when it ran one. */
static int runner_start_kind(struct plan *plan, struct job *jobs)
{
	size_t k;

	for (k = 0; k < plan->n; k++) {
		struct job *o = jobs[k].owner;

		if (jobs[k].running || jobs[k].done || o->hooked ||
		    !plan->checks[k]->kind->start || !runner_ready(plan, jobs, k))
			continue;
		pthread_mutex_unlock(&runner_lock);
		plan->checks[k]->kind->start();
		pthread_mutex_lock(&runner_lock);
		o->hooked = 1;
		return 1;
	}
	return 0;
}

/* Starts or skips every waiting check whose possible causes are done,
 * running the start hooks their kinds need once the checks that need none
 * are off; under runner_lock.  Returns how many checks are not done. */
static size_t runner_step(struct plan *plan, struct job *jobs, struct deadline end)
{
	size_t i, pending;
	int progress = 1;

	while (progress) {
		progress = 0;
		/* Later layers first: their checks (a database login) take
		 * longest, and the run ends when its longest check does. */
		for (i = 0; i < plan->n * LAYER_COUNT; i++) {
			size_t k = i % plan->n;
			struct check *c = plan->checks[k];
			struct job *j = &jobs[k];
			const struct check *cause;

			if ((int)c->kind->layer != LAYER_COUNT - 1 - (int)(i / plan->n) ||
			    j->running || j->done || !runner_ready(plan, jobs, k))
				continue;
			cause = runner_cause(plan, c);
			if (!cause && c->kind->start && !j->owner->hooked &&
			    !deadline_expired(&end))
				continue; /* after its kind's start hook, below */
			progress = 1;
			if (cause) {
				char why[192];

				snprintf(why, sizeof(why), "not run: %s failed", cause->name);
				runner_skip(c, cause->name, why);
				j->done = 1;
			} else if (deadline_expired(&end)) {
				runner_skip(c, "--timeout",
					    "not run: the run's --timeout was spent on earlier "
					    "checks");
				j->done = 1;
			} else if (c->busy) {
				/* Another thread for a server that hangs would hang
				 * too: threads would pile up, one a run. */
				memset(&c->res, 0, sizeof(c->res));
				result_fail(&c->res, HINT_TIMEOUT,
					    "not run: an earlier run of this check, abandoned "
					    "at its deadline, still waits (on DNS or a server)");
				j->done = 1;
			} else {
				runner_start(j, c, end, runner_alone(plan, jobs, k));
			}
		}
		if (!progress && !deadline_expired(&end))
			progress = runner_start_kind(plan, jobs);
	}
	for (pending = 0, i = 0; i < plan->n; i++)
		pending += !jobs[i].done;
	return pending;
}

/*
 * Runs the plan: each check in a thread of its own, as soon as every check
 * of an earlier layer that could make it pointless is done (and skipped if
 * one did), so independent checks overlap whatever their layers.  At `end`
 * a check still running is abandoned and reported as timed out, and one
 * still waiting is skipped.  Returns 1 when any was abandoned.
 */
static int runner_schedule(struct plan *plan, struct job *jobs, struct deadline end)
{
	struct timespec ts;
	size_t i;
	int abandoned = 0;

	ts.tv_sec = (time_t)(end.end_ns / 1000000000);
	ts.tv_nsec = (long)(end.end_ns % 1000000000);
	pthread_mutex_lock(&runner_lock);
	while (runner_step(plan, jobs, end) > 0) {
		if (!deadline_expired(&end) &&
		    (pthread_cond_timedwait(&runner_cond, &runner_lock, &ts) == 0 ||
		     !deadline_expired(&end)))
			continue;
		for (i = 0; i < plan->n; i++) {
			struct check *c = plan->checks[i];

			if (jobs[i].done || !jobs[i].running)
				continue;
			jobs[i].abandoned = 1;
			jobs[i].done = 1;
			jobs[i].run->stragglers++;
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
		if (!jobs[i].started)
			continue;
		if (jobs[i].abandoned)
			pthread_detach(jobs[i].thread);
		else
			pthread_join(jobs[i].thread, NULL);
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

/* Each job's owner: the job of the plan's first check of its kind. */
static void runner_owners(struct plan *plan, struct job *jobs)
{
	size_t i, j;

	for (i = 0; i < plan->n; i++) {
		for (j = 0; j < i && plan->checks[j]->kind != plan->checks[i]->kind; j++)
			;
		jobs[i].owner = &jobs[j];
	}
}

/* Is check i the plan's first of its kind? */
static int runner_first_of_kind(const struct plan *plan, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (plan->checks[j]->kind == plan->checks[i]->kind)
			return 0;
	return 1;
}

void runner_kinds_start(const struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (plan->checks[i]->kind->start && runner_first_of_kind(plan, i))
			plan->checks[i]->kind->start();
}

void runner_kinds_stop(const struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (plan->checks[i]->kind->stop && runner_first_of_kind(plan, i))
			plan->checks[i]->kind->stop();
}

/* Calls the stop hook of each kind whose start hook ran, on the main
 * thread, every check done. */
static void runner_stop_kinds(struct plan *plan, struct job *jobs)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (jobs[i].owner == &jobs[i] && jobs[i].hooked &&
		    plan->checks[i]->kind->stop)
			plan->checks[i]->kind->stop();
}

int runner_run(struct plan *plan, const struct run_opts *o,
	       struct report_summary *sum)
{
	int64_t t0 = deadline_now_ns();
	struct deadline end = deadline_in(o->timeout_ms - runner_margin_ms(o->timeout_ms));
	struct run_jobs *run =
		calloc(1, sizeof(*run) + (plan->n ? plan->n : 1) * sizeof(struct job));
	struct job *jobs = run ? run->job : NULL;
	int abandoned = 0;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	pthread_once(&runner_once, runner_init);
	/* A run may be one of many (probe wait): start each from nothing. */
	for (i = 0; i < plan->n; i++)
		memset(&plan->checks[i]->res, 0, sizeof(plan->checks[i]->res));
	if (jobs) {
		for (i = 0; i < plan->n; i++)
			jobs[i].run = run;
		runner_owners(plan, jobs);
		for (i = 0; o->kinds_started && i < plan->n; i++)
			jobs[i].hooked = 1; /* and stopped by the caller */
		abandoned = runner_schedule(plan, jobs, end);
	}
	for (i = 0; i < plan->n; i++) {
		enum check_status st = plan->checks[i]->res.status;

		sum->passed += st == CHECK_PASS;
		sum->failed += st == CHECK_FAIL;
		sum->skipped += st == CHECK_SKIP;
	}
	sum->ms = (double)(deadline_now_ns() - t0) / 1e6;
	/* Abandoned workers still point into jobs, freed by the last of them,
	 * and may still use a kind's library: its stop hook is not called. */
	if (!abandoned && jobs) {
		if (!o->kinds_started)
			runner_stop_kinds(plan, jobs);
		free(run);
	} else if (jobs) {
		pthread_mutex_lock(&runner_lock);
		run->returned = 1;
		if (run->stragglers > 0)
			run = NULL;
		pthread_mutex_unlock(&runner_lock);
		free(run);
	}
	return abandoned;
}
