/*
 * wait.c - `probe wait`: retry with backoff under one overall deadline.
 */
#include "probe/wait.h"

#include <time.h>

#include "probe/runner.h"

/* Sleeps ms milliseconds (less when interrupted by nothing: nanosleep
 * resumes). */
static void wait_sleep(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) != 0)
		;
}

int wait_run(struct plan *plan, const struct wait_opts *o, int *abandoned)
{
	static char report[64 * 1024];
	struct deadline end = deadline_in(o->timeout_ms);
	int64_t pause = o->interval_ms, cap = WAIT_INTERVAL_CAP_MS;
	struct report_summary sum;
	struct run_opts ropts = { 0 };
	int attempt = 0, healthy = 0;
	size_t len;

	if (pause > cap)
		cap = pause;
	*abandoned = 0;
	for (;;) {
		int64_t left = deadline_left_ms(&end);

		attempt++;
		ropts.timeout_ms = left < o->attempt_ms ? left : o->attempt_ms;
		if (ropts.timeout_ms < 10)
			ropts.timeout_ms = 10;
		if (runner_run(plan, &ropts, &sum))
			*abandoned = 1;
		healthy = sum.failed == 0 && sum.skipped == 0;
		left = deadline_left_ms(&end);
		/* The last attempt's report stands alone: no retry line. */
		if (healthy || left <= pause)
			break;
		if (!o->quiet) {
			len = report_attempt(report, sizeof(report), o->format, attempt,
					     plan->checks, plan->n, &sum, pause);
			report_write(report, len);
		}
		wait_sleep(pause);
		pause += pause / 2;
		if (pause > cap)
			pause = cap;
	}
	len = report_render(report, sizeof(report), o->format, o->quiet, plan->checks, plan->n,
			    &sum);
	report_write(report, len);
	return healthy ? EXIT_HEALTHY : EXIT_UNHEALTHY;
}
