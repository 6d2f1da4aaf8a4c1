/*
 * sqlerr.c - what the PostgreSQL and MySQL judges share: the cause words
 * and the one way a judged failure reaches the report.
 */
#include "checks/db/sql_err.h"

#include <stdio.h>
#include <string.h>

const char *sqlerr_cause_name(enum sqlerr_cause cause)
{
	static const char *const names[] = {
		[SQLERR_OTHER] = "other",
		[SQLERR_DNS] = "dns",
		[SQLERR_REFUSED] = "refused",
		[SQLERR_UNREACHABLE] = "unreachable",
		[SQLERR_TIMEOUT] = "timeout",
		[SQLERR_CLOSED] = "closed",
		[SQLERR_STARTING] = "starting",
		[SQLERR_STOPPING] = "stopping",
		[SQLERR_AUTH] = "auth",
		[SQLERR_DENIED] = "denied",
		[SQLERR_NO_DATABASE] = "no_database",
		[SQLERR_TLS] = "tls",
		[SQLERR_TOO_MANY] = "too_many_connections",
		[SQLERR_NOT_SQL] = "not_sql",
		[SQLERR_NO_TABLE] = "no_table",
		[SQLERR_QUERY] = "query",
	};

	if ((int)cause < 0 || (size_t)cause >= sizeof(names) / sizeof(names[0]) ||
	    !names[cause])
		return "other";
	return names[cause];
}

void sqlerr_report(struct check_result *res, const struct sqlerr *e)
{
	result_fail(res, e->hint, "%s", e->error);
	detail_str(res, "cause", sqlerr_cause_name(e->cause));
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
