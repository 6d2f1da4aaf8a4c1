/*
 * err.h - exit codes (SPEC §5: a public contract, never reordered) and the
 * caller-owned error that fallible functions fill.  The first error sticks.
 */
#ifndef PROBE_ERR_H
#define PROBE_ERR_H

enum probe_exit {
	EXIT_HEALTHY = 0,   /* every check passed (warnings allowed) */
	EXIT_UNHEALTHY = 1, /* a check failed, or was skipped because of one */
	EXIT_USAGE = 64,    /* unknown option, malformed check word */
	EXIT_CONFIG = 78    /* unset variable, unreadable -f file */
};

struct probe_err {
	int code;       /* EXIT_USAGE or EXIT_CONFIG; 0 while unset */
	char msg[512];
};

/* Records an error unless one is already recorded.  Always returns -1 so
 * callers can `return probe_err_set(...)`. */
int probe_err_set(struct probe_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Puts a prefix and ": " before the recorded message and makes its code
 * `code`: a check naming itself around a helper's error ("redis://x:
 * port: not a number").  Always returns -1. */
int probe_err_prefix(struct probe_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
