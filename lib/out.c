/*
 * out.c - the bounded string builder of out.h.
 */
#include "lib/out.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void out_putn(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 >= o->cap)
		return;
	if (n > o->cap - o->len - 1)
		n = o->cap - o->len - 1;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

void out_puts(struct out *o, const char *s)
{
	out_putn(o, s, strlen(s));
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 1 >= o->cap)
		return;
	/* Straight into the buffer: vsnprintf cuts and terminates as
	 * out_putn would. */
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		o->buf[o->len] = '\0';
	else if ((size_t)n < o->cap - o->len)
		o->len += (size_t)n;
	else
		o->len = o->cap - 1;
}
