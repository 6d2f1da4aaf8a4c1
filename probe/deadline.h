/*
 * deadline.h - one deadline, taken once from CLOCK_MONOTONIC and passed
 * down; every blocking call gets the time that remains.
 */
#ifndef PROBE_DEADLINE_H
#define PROBE_DEADLINE_H

#include <stdint.h>

struct deadline {
	int64_t end_ns; /* CLOCK_MONOTONIC */
};

/* Nanoseconds on CLOCK_MONOTONIC. */
int64_t deadline_now_ns(void);
/* A deadline ms milliseconds from now. */
struct deadline deadline_in(int64_t ms);
/* The earlier of a and b. */
struct deadline deadline_min(struct deadline a, struct deadline b);
/* Milliseconds left, never negative. */
int64_t deadline_left_ms(const struct deadline *dl);
/* True once the deadline has passed. */
int deadline_expired(const struct deadline *dl);

/* Parses "250ms", "2s", "1m", "1.5s", "1h"; a bare number is seconds.
 * Returns 0 and sets *ms, or -1 when malformed or over a day. */
int duration_parse(const char *s, int64_t *ms);

#endif
