/*
 * hints.h - the usual fixes, in one table (hints.c).  A check names a hint
 * by id; the text lives in one place so it reads the same everywhere and
 * every hint has a test that triggers it.
 */
#ifndef PROBE_HINTS_H
#define PROBE_HINTS_H

enum hint_id {
	HINT_NONE = 0,
	HINT_ENV_UNSET,
	HINT_ENV_MATCH,
	HINT_ENV_JSON,
	HINT_FILE_MISSING,
	HINT_FILE_EMPTY,
	HINT_FILE_STALE,
	HINT_FILE_READONLY,
	HINT_PROC_NONE,
	HINT_PROC_DUPLICATE,
	HINT_MEM_HIGH,
	HINT_DISK_FULL,
	HINT_NOT_LISTENING,
	HINT_PORT_IGNORED,
	HINT_BIND_ALL,
	HINT_REFUSED,
	HINT_UNREACHABLE,
	HINT_TIMEOUT,
	HINT_DNS,
	HINT_DNS_NO_HOSTS,
	HINT_HTTP_404_ROUTE,
	HINT_HTTP_5XX,
	HINT_HTTP_REDIRECT,
	HINT_HTTP_EMPTY,
	HINT_HTTP_BODY,
	HINT_HTTP_NOT_HTTP,
	HINT_HTTP_CLOSED,
	HINT_HTTP_SLOW,
	HINT_TLS_VERIFY,
	HINT_TLS_NO_CA,
	HINT_TLS_PLAIN,
	HINT_FILE_DENIED,
	HINT_FILE_IS_DIR,
	HINT_FILE_SHORT,
	HINT_DIR_EMPTY,
	HINT_PROC_FEW,
	HINT_BIND_OTHER,
	HINT_COUNT
};

/* The text of a hint; "" for HINT_NONE.  Never NULL. */
const char *hint_text(enum hint_id id);

#endif
