/*
 * dec.h - an unsigned decimal number at the start of a string, for every
 * parser that reads one: sizes, durations, percentages, kernel counters.
 */
#ifndef PROBE_DEC_H
#define PROBE_DEC_H

#include <ctype.h>

/* Reads the digits at *p into *out and moves *p past them.  Returns 0, or
 * -1 (nothing moved) when *p starts with no digit or the number is above
 * max. */
static inline int dec_read(const char **p, unsigned long long max, unsigned long long *out)
{
	const char *s = *p;
	unsigned long long v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		unsigned d = (unsigned)(*s++ - '0');

		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return 0;
}

#endif
