/*
 * wait.h - `probe wait`: the entrypoint gate.  Runs the plan again and
 * again until every check passes or the bound passes.
 */
#ifndef PROBE_WAIT_H
#define PROBE_WAIT_H

#include "probe/report.h"
#include "probe/words.h"

struct wait_opts {
	int64_t timeout_ms;  /* the whole wait (--timeout, default 60s) */
	int64_t interval_ms; /* the first pause between attempts (--interval) */
	int64_t attempt_ms;  /* the bound of one attempt ($PROBE_TIMEOUT, 5s) */
	enum report_format format;
	int quiet;
};

/* The longest pause between attempts: the interval grows by half each
 * failing attempt up to this, or up to the interval when that is longer. */
#define WAIT_INTERVAL_CAP_MS 5000
/* The time kept for the last attempt before the bound (a tenth of a bound
 * shorter than 1 s): a pause is cut short to leave it. */
#define WAIT_LAST_MS 100
/* The shortest pause: with less room than this before the time kept for
 * the last attempt, the attempt just made was the last. */
#define WAIT_MIN_PAUSE_MS 10

/*
 * The pause after a failing attempt: backoff_ms, cut to leave the last
 * attempt its time before the bound (left_ms from now, of a bound of
 * timeout_ms).  Returns -1 when there is no room for another attempt.
 */
int64_t wait_pause_ms(int64_t backoff_ms, int64_t left_ms, int64_t timeout_ms);

/*
 * Runs plan until it is healthy or o->timeout_ms passes, writing one line
 * for each failing attempt and then the last attempt's whole report.
 * Returns EXIT_HEALTHY or EXIT_UNHEALTHY; *abandoned is set when a worker
 * of some attempt may still run (the caller must not free the plan, and
 * leaves with _exit or exec).
 *
 * From its start SIGTERM, SIGINT, SIGHUP and SIGQUIT (those not ignored
 * when probe started) end probe at once, from a thread of their own and
 * whatever the checks are doing: a last line {"probe":"stopped",...} and
 * exit 128 + the signal's number (143, 130, 129, 131).  Call it before any
 * other thread is started: every thread must inherit the blocked mask.
 */
int wait_run(struct plan *plan, const struct wait_opts *o, int *abandoned);

/*
 * Before `probe wait ... -- CMD` becomes CMD: gives back the signal mask
 * probe started with, so CMD gets its signals as if started directly, and
 * keeps the stop thread from writing or exiting from then on (exec ends
 * it).  Never returns when a stop signal came first: that thread ends
 * probe.  Does nothing when wait_run did not take the signals.
 */
void wait_handoff(void);

#endif
