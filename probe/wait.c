/*
 * wait.c - `probe wait`: retry with backoff under one overall deadline,
 * the last attempt at the bound.
 */
#include "probe/wait.h"

#include <errno.h>
#include <time.h>

#include "probe/runner.h"

/* Sleeps until CLOCK_MONOTONIC reads until_ns. */
static void wait_sleep_until(int64_t until_ns)
{
	struct timespec ts = { (time_t)(until_ns / 1000000000), (long)(until_ns % 1000000000) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

int64_t wait_pause_ms(int64_t backoff_ms, int64_t left_ms, int64_t timeout_ms)
{
	int64_t last = timeout_ms / 10, room;

	if (last > WAIT_LAST_MS)
		last = WAIT_LAST_MS;
	room = left_ms - last;
	if (room < WAIT_MIN_PAUSE_MS)
		return -1;
	return backoff_ms < room ? backoff_ms : room;
}

int wait_run(struct plan *plan, const struct wait_opts *o, int *abandoned)
{
	static char report[64 * 1024];
	struct deadline end = deadline_in(o->timeout_ms);
	int64_t backoff = o->interval_ms, cap = WAIT_INTERVAL_CAP_MS;
	struct report_summary sum;
	struct run_opts ropts;
	int attempt = 0, healthy = 0;
	size_t len;

	if (backoff > cap)
		cap = backoff;
	*abandoned = 0;
	for (;;) {
		int64_t left = deadline_left_ms(&end), pause;

		attempt++;
		/* What is left, up to $PROBE_TIMEOUT: the attempt after a pause
		 * cut short by the bound gets exactly the rest. */
		ropts.timeout_ms = left < o->attempt_ms ? left : o->attempt_ms;
		if (ropts.timeout_ms < 10)
			ropts.timeout_ms = 10;
		if (runner_run(plan, &ropts, &sum))
			*abandoned = 1;
		healthy = sum.failed == 0 && sum.skipped == 0;
		pause = wait_pause_ms(backoff, deadline_left_ms(&end), o->timeout_ms);
		/* The last attempt's report stands alone: no retry line. */
		if (healthy || pause < 0)
			break;
		if (!o->quiet) {
			len = report_attempt(report, sizeof(report), o->format, attempt,
					     plan->checks, plan->n, &sum, pause);
			report_write(report, len);
		}
		wait_sleep_until(deadline_now_ns() + pause * 1000000);
		backoff += backoff / 2;
		if (backoff > cap)
			backoff = cap;
	}
	len = report_render(report, sizeof(report), o->format, o->quiet, plan->checks, plan->n,
			    &sum);
	report_write(report, len);
	return healthy ? EXIT_HEALTHY : EXIT_UNHEALTHY;
}
