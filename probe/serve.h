/*
 * serve.h - `probe serve`: answers GET /livez, /readyz and /startupz over
 * HTTP/1.1 with 200 or 503 and the JSON report, for probes that can only
 * send an HTTP GET (Kubernetes httpGet, Render, monitoring).
 */
#ifndef PROBE_SERVE_H
#define PROBE_SERVE_H

#include "probe/words.h"

struct serve_opts {
	const char *listen;   /* ADDR: ":8081", "0.0.0.0:8081", "[::]:8081" */
	int64_t cache_ms;     /* a verdict is reused this long (--cache, 1s) */
	int64_t timeout_ms;   /* the bound of one round of checks (--timeout) */
};

/* At most this many connections at once; a new one past it takes the slot
 * of the oldest still without a whole request, so idle or slow clients
 * cannot lock probers out. */
#define SERVE_MAX_CONNS 64
/* A request must arrive whole within this (from the connect) and fit in
 * this; an answer must be taken within that. */
#define SERVE_READ_MS 2000
#define SERVE_REQUEST_MAX 4096
#define SERVE_WRITE_MS 2000

/* Validates o (no I/O).  Returns 0, or -1 with err (EXIT_USAGE). */
int serve_check_opts(const struct serve_opts *o, struct probe_err *err);

/*
 * Serves until SIGTERM or SIGINT, then returns EXIT_HEALTHY.  Returns -1
 * with err when it cannot listen or start.  Each path runs its rounds on a
 * thread of its own, over its own copies of the checks (/livez the live
 * ones), at most once per o->cache_ms, each bounded by o->timeout_ms;
 * requests that come while their path's round runs share its verdict.
 * This thread only holds the connections.  The kinds' start hooks run once
 * here, first.  *abandoned is set when a round or a worker of one may
 * still run (the caller must not free the plan, and leaves with _exit).
 */
int serve_run(struct plan *plan, const struct serve_opts *o, int *abandoned,
	      struct probe_err *err);

#endif
