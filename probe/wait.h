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

/*
 * Runs plan until it is healthy or o->timeout_ms passes, writing one line
 * for each failing attempt and then the last attempt's whole report.
 * Returns EXIT_HEALTHY or EXIT_UNHEALTHY; *abandoned is set when a worker
 * of some attempt may still run (the caller must not free the plan, and
 * leaves with _exit or exec).
 */
int wait_run(struct plan *plan, const struct wait_opts *o, int *abandoned);

#endif
