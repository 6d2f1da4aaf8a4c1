/*
 * runner.h - runs a plan: each check once the checks of earlier layers
 * that could make it pointless are done (skipped when one failed), side by
 * side in threads (at most 256 at once; instant kinds and a lone bounded
 * check on the caller's thread), and the whole run held inside one
 * deadline whatever the servers do.
 */
#ifndef PROBE_RUNNER_H
#define PROBE_RUNNER_H

#include "probe/check.h"
#include "probe/report.h"
#include "probe/words.h"

struct run_opts {
	int64_t timeout_ms; /* the whole run's bound (--timeout) */
	/* Where the bound counts from (CLOCK_MONOTONIC ns, deadline_now_ns):
	 * probe's start, so reading -f and parsing are spent out of it; 0
	 * for the moment runner_run is called. */
	int64_t start_ns;
};

/*
 * Runs every check of plan and fills its res.  Returns 0 when every check
 * finished, or 1 when some were abandoned at the deadline: their threads
 * may still read the plan, so the caller must then not free it and should
 * leave with _exit after reporting.  A check whose worker an earlier run
 * abandoned, and which still runs, is not started again: it fails at once,
 * so runs repeated against a hung server (probe wait, probe serve) hold at
 * most one thread a check.  *sum gets the counts and the time.  Runs of
 * plans that share no check may overlap, in threads of their own.
 */
int runner_run(struct plan *plan, const struct run_opts *o,
	       struct report_summary *sum);

/* Keeps only the checks that `level` runs (live: live checks; ready and
 * startup: all), freeing the others. */
void runner_select(struct plan *plan, enum probe_level level);

/* The margin kept at the end of the run for reporting and exit. */
int64_t runner_margin_ms(int64_t timeout_ms);

#endif
