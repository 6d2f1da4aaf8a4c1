/*
 * cause.c - the words of detail.cause (cause.h).
 */
#include "probe/cause.h"

#include <stddef.h>

static const char *const cause_names[CAUSE_COUNT] = {
	[CAUSE_NONE] = "",
	[CAUSE_OTHER] = "other",
	[CAUSE_DNS] = "dns",
	[CAUSE_REFUSED] = "refused",
	[CAUSE_UNREACHABLE] = "unreachable",
	[CAUSE_TIMEOUT] = "timeout",
	[CAUSE_RESET] = "reset",
	[CAUSE_CLOSED] = "closed",
	[CAUSE_TLS] = "tls",
	[CAUSE_PROTOCOL] = "protocol",
	[CAUSE_NOT_SQL] = "not_sql",
	[CAUSE_STARTING] = "starting",
	[CAUSE_STOPPING] = "stopping",
	[CAUSE_LOADING] = "loading",
	[CAUSE_BUSY] = "busy",
	[CAUSE_MASTERDOWN] = "masterdown",
	[CAUSE_MISCONF] = "misconf",
	[CAUSE_TOO_MANY] = "too_many_connections",
	[CAUSE_MAXCLIENTS] = "maxclients",
	[CAUSE_AUTH] = "auth",
	[CAUSE_DENIED] = "denied",
	[CAUSE_NO_DATABASE] = "no_database",
	[CAUSE_DB] = "db",
	[CAUSE_NO_TABLE] = "no_table",
	[CAUSE_QUERY] = "query",
	[CAUSE_ERROR] = "error",
	[CAUSE_MISSING] = "missing",
	[CAUSE_IS_DIR] = "is_dir",
	[CAUSE_OPEN] = "open",
	[CAUSE_NOTADB] = "notadb",
	[CAUSE_LOCKED] = "locked",
	[CAUSE_CORRUPT] = "corrupt",
	[CAUSE_READONLY] = "readonly",
	[CAUSE_IO] = "io",
};

const char *cause_name(enum probe_cause cause)
{
	if ((int)cause <= CAUSE_NONE || cause >= CAUSE_COUNT || !cause_names[cause])
		return "other";
	return cause_names[cause];
}

int cause_in(const enum probe_cause *list, enum probe_cause cause)
{
	size_t i;

	for (i = 0; list && list[i] != CAUSE_NONE; i++)
		if (list[i] == cause)
			return 1;
	return 0;
}
