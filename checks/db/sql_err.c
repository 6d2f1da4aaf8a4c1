/*
 * sql_err.c - what the PostgreSQL and MySQL judges share: the one way a
 * judged failure reaches the report.
 */
#include "checks/db/sql_err.h"

#include <stdio.h>
#include <string.h>

void sqlerr_report(struct check_result *res, const struct sqlerr *e)
{
	result_fail(res, e->hint, "%s", e->error);
	detail_cause(res, e->cause);
	if (e->code[0])
		detail_str(res, "code", e->code);
}

char *sqlerr_oneline(char *dst, size_t n, const char *src)
{
	size_t o = 0;
	int space = 0;

	if (n == 0)
		return dst;
	for (; *src && o + 1 < n; src++) {
		if (*src == '\n' || *src == '\r' || *src == '\t' || *src == ' ') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < n)
			dst[o++] = ' ';
		space = 0;
		dst[o++] = *src;
	}
	dst[o] = '\0';
	return dst;
}
