/*
 * out.h - a bounded string being built: appends silently stop at its
 * capacity and the buffer stays NUL-terminated.  Shared by report.c and
 * mask.c.
 */
#ifndef PROBE_OUT_H
#define PROBE_OUT_H

#include <stddef.h>

struct out {
	char *buf;  /* caller-owned, cap bytes */
	size_t cap, len;
};

/* Appends n bytes of s. */
void out_putn(struct out *o, const char *s, size_t n);
/* Appends the string s. */
void out_puts(struct out *o, const char *s);
/* Appends a formatted string (at most 2 KiB of it). */
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
