/*
 * wait.c - `probe wait`: retry with backoff under one overall deadline,
 * the last attempt at the bound, and a stop signal ends it at once.
 *
 * As PID 1 (a container's entrypoint) probe gets no default action for a
 * signal: the kernel drops it, and `docker stop` would wait out its grace
 * period.  And a check may be blocked for seconds inside a library (on the
 * main thread or a worker), where a handler can neither interrupt it nor
 * safely report.  So the stop signals are blocked in every thread (workers
 * inherit the mask) and taken by one thread of their own with sigwait: an
 * ordinary thread, free to render the stop line and _exit whatever the
 * others are doing.  wait_lock keeps that line from cutting into another
 * and orders it against the hand-over to CMD.
 */
#include "probe/wait.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "probe/runner.h"

/* The signals that stop a wait: docker stop and Kubernetes (TERM), Ctrl-C
 * (INT), a closed terminal (HUP), an image's STOPSIGNAL SIGQUIT (QUIT). */
static const struct {
	int sig;
	const char *name;
} wait_signals[] = {
	{ SIGTERM, "SIGTERM" },
	{ SIGINT, "SIGINT" },
	{ SIGHUP, "SIGHUP" },
	{ SIGQUIT, "SIGQUIT" },
};
#define WAIT_NSIGNALS (sizeof(wait_signals) / sizeof(wait_signals[0]))

/* Shared by the main thread and the stop thread, under wait_lock. */
static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	sigset_t set;   /* the stop signals taken: those not ignored at start */
	sigset_t saved; /* the mask probe started with, given back to CMD */
	int armed;      /* the stop thread runs */
	enum report_format format;
	int64_t t0_ns;
	int attempts;   /* attempts started */
} wait_state;
/* Set by the stop thread as soon as it has a signal, before it takes
 * wait_lock: tells wait_handoff not to exec. */
static atomic_int wait_stopping;

static const char *wait_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < WAIT_NSIGNALS; i++)
		if (wait_signals[i].sig == sig)
			return wait_signals[i].name;
	return "a signal";
}

/* The stop thread: takes the first stop signal, writes the stop line and
 * ends probe with 128 + the signal's number, as a shell reports a command
 * a signal ended. */
static void *wait_stopper(void *arg)
{
	static char line[512];
	int sig = 0, code;
	size_t len;

	(void)arg;
	if (sigwait(&wait_state.set, &sig) != 0)
		return NULL;
	atomic_store(&wait_stopping, 1);
	pthread_mutex_lock(&wait_lock);
	code = 128 + sig;
	len = report_stopped(line, sizeof(line), wait_state.format, wait_signal_name(sig), code,
			     wait_state.attempts,
			     (double)(deadline_now_ns() - wait_state.t0_ns) / 1e6);
	report_write(line, len);
	_exit(code);
}

/* Blocks the stop signals (but those probe was started with ignored: nohup
 * means it) and starts the stop thread.  Before any other thread starts,
 * so that every thread inherits the mask.  Without a thread to be had, the
 * signals keep their default actions. */
static void wait_arm(enum report_format format)
{
	pthread_attr_t attr;
	pthread_t thread;
	size_t i;

	wait_state.format = report_resolve(format);
	wait_state.t0_ns = deadline_now_ns();
	sigemptyset(&wait_state.set);
	for (i = 0; i < WAIT_NSIGNALS; i++) {
		struct sigaction old;

		if (sigaction(wait_signals[i].sig, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaddset(&wait_state.set, wait_signals[i].sig);
	}
	if (pthread_sigmask(SIG_BLOCK, &wait_state.set, &wait_state.saved) != 0)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, wait_stopper, NULL) == 0)
		wait_state.armed = 1;
	else
		pthread_sigmask(SIG_SETMASK, &wait_state.saved, NULL);
	pthread_attr_destroy(&attr);
}

/* Writes a rendered report line, never in the middle of the stop line. */
static void wait_write(const char *buf, size_t len)
{
	pthread_mutex_lock(&wait_lock);
	report_write(buf, len);
	pthread_mutex_unlock(&wait_lock);
}

void wait_handoff(void)
{
	if (!wait_state.armed)
		return;
	pthread_mutex_lock(&wait_lock);
	if (atomic_load(&wait_stopping)) {
		/* The stop thread has a signal: it writes its line and ends
		 * probe once it has the lock. */
		pthread_mutex_unlock(&wait_lock);
		for (;;)
			pause();
	}
	/* Held through exec: the stop thread can no longer write or exit.
	 * A signal in the instant before exec is missed, as it is by any
	 * program before it sets its handlers. */
	pthread_sigmask(SIG_SETMASK, &wait_state.saved, NULL);
}

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
	struct run_opts ropts = { 0 };
	int attempt = 0, healthy = 0;
	size_t len;

	if (backoff > cap)
		cap = backoff;
	*abandoned = 0;
	wait_arm(o->format);
	for (;;) {
		int64_t left = deadline_left_ms(&end), pause;

		attempt++;
		pthread_mutex_lock(&wait_lock);
		wait_state.attempts = attempt;
		pthread_mutex_unlock(&wait_lock);
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
			wait_write(report, len);
		}
		wait_sleep_until(deadline_now_ns() + pause * 1000000);
		backoff += backoff / 2;
		if (backoff > cap)
			backoff = cap;
	}
	len = report_render(report, sizeof(report), o->format, o->quiet, plan->checks, plan->n,
			    &sum);
	wait_write(report, len);
	return healthy ? EXIT_HEALTHY : EXIT_UNHEALTHY;
}
