/*
 * err.c - the caller-owned error (err.h): the first error sticks.
 */
#include "lib/err.h"

#include <stdarg.h>
#include <stdio.h>

int probe_err_set(struct probe_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int probe_err_prefix(struct probe_err *err, int code, const char *fmt, ...)
{
	char pre[sizeof(err->msg)], why[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	snprintf(why, sizeof(why), "%s", err->msg);
	err->code = 0;
	return probe_err_set(err, code, "%s: %s", pre, why);
}
