/*
 * mysql_err.c - judging MariaDB Connector/C's errors: the number decides
 * (client errors 2000-2999, server errors below), the text adds the
 * system errno ("Can't connect to server on '127.0.0.1' (111)") or the
 * TLS library's reason.  The numbers are the protocol's, written out here
 * so this file needs no client headers.
 */
#include "checks/db/sql_err.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	MY_CON_COUNT = 1040,          /* ER_CON_COUNT_ERROR */
	MY_DBACCESS_DENIED = 1044,    /* ER_DBACCESS_DENIED_ERROR */
	MY_ACCESS_DENIED = 1045,      /* ER_ACCESS_DENIED_ERROR */
	MY_BAD_DB = 1049,             /* ER_BAD_DB_ERROR */
	MY_SERVER_SHUTDOWN = 1053,    /* ER_SERVER_SHUTDOWN */
	MY_HOST_BLOCKED = 1129,       /* ER_HOST_IS_BLOCKED */
	MY_HOST_NOT_PRIVILEGED = 1130,
	MY_NO_SUCH_TABLE = 1146,
	MY_USER_CONNECTIONS = 1203,   /* ER_TOO_MANY_USER_CONNECTIONS */
	MY_LOCK_WAIT_TIMEOUT = 1205,
	MY_USER_LIMIT = 1226,         /* ER_USER_LIMIT_REACHED */
	MY_NOT_SUPPORTED_AUTH = 1251, /* ER_NOT_SUPPORTED_AUTH_MODE */
	MY_QUERY_INTERRUPTED = 1317,
	MY_PLUGIN_NOT_LOADED = 1524,
	MY_NO_PASSWORD = 1698,        /* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */
	MY_STATEMENT_TIMEOUT = 1969,
	MY_SECURE_TRANSPORT = 3159,   /* MySQL: require_secure_transport */
	MY_QUERY_TIMEOUT = 3024,      /* MySQL: max_execution_time */
	MY_ACCOUNT_LOCKED = 4151,
	CR_CONNECTION = 2002,
	CR_CONN_HOST = 2003,
	CR_UNKNOWN_HOST = 2005,
	CR_SERVER_GONE = 2006,
	CR_VERSION = 2007,
	CR_HANDSHAKE = 2012,
	CR_SERVER_LOST = 2013,
	CR_SSL = 2026,
	CR_MALFORMED = 2027,
	CR_AUTH_PLUGIN_LOAD = 2059,
	CR_AUTH_PLUGIN_ERR = 2061,
};

static void set(struct sqlerr *e, enum probe_cause cause, enum hint_id hint,
		unsigned int code)
{
	e->cause = cause;
	e->hint = hint;
	snprintf(e->code, sizeof(e->code), "%u", code);
}

/* Could these first bytes begin a MySQL server's first packet: a 3-byte
 * length under 64 KiB, sequence number 0, then protocol version 10 (a
 * greeting) or 0xff (an error such as "Host is blocked")? */
static int my_greeting_like(const unsigned char *b, size_t n)
{
	/* A greeting is some 80 bytes; an error packet some 100. */
	if (n >= 3 && ((size_t)b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16) > 0xffff)
		return 0;
	if (n > 3 && b[3] != 0)
		return 0;
	if (n > 4 && b[4] != 10 && b[4] != 0xff)
		return 0;
	return 1;
}

/* Writes bytes b[0..n) printable: other bytes as \xHH. */
static void my_excerpt(const unsigned char *b, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 5 < cap; i++) {
		if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\')
			out[k++] = (char)b[i];
		else
			k += (size_t)snprintf(out + k, cap - k, "\\x%02x", b[i]);
	}
	out[k] = '\0';
}

/* The number in the last "(N)" of s, or 0 ("... on '127.0.0.1' (111)"). */
static int trailing_errno(const char *s)
{
	const char *open = strrchr(s, '(');

	if (!open || !strchr(open, ')'))
		return 0;
	return atoi(open + 1);
}

/* The text between the first pair of single quotes in s, into dst. */
static void quoted(char *dst, size_t n, const char *s)
{
	const char *p = strchr(s, '\''), *q = p ? strchr(p + 1, '\'') : NULL;

	if (q)
		snprintf(dst, n, "%.*s", (int)(q - p - 1 < 0x7fff ? q - p - 1 : 0x7fff), p + 1);
	else
		dst[0] = '\0';
}

/* Connect failures with a system errno: refused, timed out, no route. */
static void my_judge_socket(int err, const char *msg, const struct sqlerr_ctx *ctx,
			    unsigned int code, struct sqlerr *e)
{
	switch (err) {
	case ECONNREFUSED:
	case EINPROGRESS: /* the blocking connect of Connector/C reports a
			   * refused connect with the connect's own errno */
		set(e, CAUSE_REFUSED, HINT_REFUSED, code);
		snprintf(e->error, sizeof(e->error), "connection refused by %.200s", ctx->where);
		return;
	case ENOENT:
		set(e, CAUSE_REFUSED, HINT_REFUSED, code);
		snprintf(e->error, sizeof(e->error), "no server socket at %.200s", ctx->where);
		return;
	case ETIMEDOUT:
		set(e, CAUSE_TIMEOUT, HINT_TIMEOUT, code);
		snprintf(e->error, sizeof(e->error), "connect timed out to %.200s", ctx->where);
		return;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case EADDRNOTAVAIL:
		set(e, CAUSE_UNREACHABLE, HINT_UNREACHABLE, code);
		snprintf(e->error, sizeof(e->error), "unreachable: %.120s (%s)", ctx->where,
			 strerror(err));
		return;
	default:
		set(e, CAUSE_OTHER, HINT_NONE, code);
		snprintf(e->error, sizeof(e->error), "cannot connect to %.120s: %.100s",
			 ctx->where, err > 0 ? strerror(err) : msg);
	}
}

void myerr_connect(unsigned int code, const char *msg, const struct sqlerr_ctx *ctx,
		   struct sqlerr *e)
{
	char line[256], name[128];

	memset(e, 0, sizeof(*e));
	sqlerr_oneline(line, sizeof(line), msg ? msg : "");
	switch (code) {
	case CR_CONNECTION:
	case CR_CONN_HOST:
		my_judge_socket(trailing_errno(line), line, ctx, code, e);
		return;
	case CR_UNKNOWN_HOST: {
		int gai = trailing_errno(line);

		quoted(name, sizeof(name), line);
		set(e, CAUSE_DNS, HINT_DNS, code);
		snprintf(e->error, sizeof(e->error), "cannot resolve %.100s: %.100s",
			 name[0] ? name : ctx->where, gai < 0 ? gai_strerror(gai) : "unknown host");
		return;
	}
	case CR_SERVER_LOST:
	case CR_SERVER_GONE:
		if (ctx->nfirst > 0 && !my_greeting_like(ctx->first, ctx->nfirst)) {
			char shown[40];

			my_excerpt(ctx->first, ctx->nfirst, shown, sizeof(shown));
			set(e, CAUSE_NOT_SQL, HINT_SQL_NOT_SQL, code);
			snprintf(e->error, sizeof(e->error),
				 "not a MySQL server at %.120s: it sent \"%s\", not a MySQL "
				 "greeting",
				 ctx->where, shown);
		} else if (strstr(line, "system error: 110")) {
			set(e, CAUSE_TIMEOUT, HINT_SQL_SILENT, code);
			snprintf(e->error, sizeof(e->error),
				 "no greeting from the server at %.120s: it accepted the "
				 "connection but did not answer in time",
				 ctx->where);
		} else {
			set(e, CAUSE_CLOSED, HINT_SQL_CLOSED, code);
			snprintf(e->error, sizeof(e->error),
				 "the server at %.120s closed the connection during the "
				 "handshake: it may be starting",
				 ctx->where);
		}
		return;
	case CR_VERSION:
	case CR_HANDSHAKE:
	case CR_MALFORMED:
		set(e, CAUSE_NOT_SQL, HINT_SQL_NOT_SQL, code);
		snprintf(e->error, sizeof(e->error), "not a MySQL server at %.100s (%u): %.120s",
			 ctx->where, code, line);
		return;
	case CR_SSL:
		if (strstr(line, "does not support") || strstr(line, "doesn't support")) {
			set(e, CAUSE_TLS, HINT_SQL_TLS_UNSUPPORTED, code);
			snprintf(e->error, sizeof(e->error),
				 "the server does not support TLS, but the URL requires it");
		} else if (strstr(line, "verif") || strstr(line, "certificate") ||
			   strstr(line, "issuer") || strstr(line, "self-signed") ||
			   strstr(line, "self signed") || strstr(line, "match")) {
			set(e, CAUSE_TLS, HINT_SQL_TLS_VERIFY, code);
			snprintf(e->error, sizeof(e->error),
				 "cannot verify the server's TLS certificate (2026): %.160s", line);
		} else {
			set(e, CAUSE_TLS, HINT_NONE, code);
			snprintf(e->error, sizeof(e->error), "TLS failed (2026): %.200s", line);
		}
		return;
	case CR_AUTH_PLUGIN_LOAD:
	case CR_AUTH_PLUGIN_ERR:
	case MY_NOT_SUPPORTED_AUTH:
	case MY_PLUGIN_NOT_LOADED:
		set(e, CAUSE_AUTH, HINT_SQL_AUTH_PLUGIN, code);
		snprintf(e->error, sizeof(e->error),
			 "the client cannot use the authentication method of user \"%.40s\" "
			 "(%u): %.130s",
			 ctx->user, code, line);
		return;
	case MY_ACCESS_DENIED:
	case MY_NO_PASSWORD:
	case MY_ACCOUNT_LOCKED:
		set(e, CAUSE_AUTH, HINT_SQL_AUTH, code);
		if (strstr(line, "using password: NO"))
			snprintf(e->error, sizeof(e->error),
				 "authentication failed for user \"%.64s\" (%u): the URL has no "
				 "password",
				 ctx->user, code);
		else if (code == MY_ACCOUNT_LOCKED)
			snprintf(e->error, sizeof(e->error),
				 "authentication failed for user \"%.64s\" (%u): %.120s", ctx->user,
				 code, line);
		else
			snprintf(e->error, sizeof(e->error),
				 "authentication failed for user \"%.64s\" (%u)", ctx->user, code);
		return;
	case MY_DBACCESS_DENIED:
		set(e, CAUSE_DENIED, HINT_SQL_DB_DENIED, code);
		snprintf(
		    e->error, sizeof(e->error),
		    "database \"%.64s\" does not exist or user \"%.64s\" may not use it (1044)",
		    ctx->database, ctx->user);
		return;
	case MY_BAD_DB:
		set(e, CAUSE_NO_DATABASE, HINT_SQL_NO_DATABASE, code);
		snprintf(e->error, sizeof(e->error), "database \"%.64s\" does not exist (1049)",
			 ctx->database);
		return;
	case MY_CON_COUNT:
	case MY_USER_CONNECTIONS:
	case MY_USER_LIMIT:
		set(e, CAUSE_TOO_MANY, HINT_SQL_TOO_MANY, code);
		snprintf(e->error, sizeof(e->error),
			 "the server has no free connection slot (%u): %.160s", code, line);
		return;
	case MY_HOST_BLOCKED:
		set(e, CAUSE_DENIED, HINT_SQL_HOST_BLOCKED, code);
		snprintf(e->error, sizeof(e->error), "%.200s (1129)", line);
		return;
	case MY_HOST_NOT_PRIVILEGED:
		set(e, CAUSE_DENIED, HINT_SQL_HOST_DENIED, code);
		snprintf(e->error, sizeof(e->error), "%.200s (1130)", line);
		return;
	case MY_SERVER_SHUTDOWN:
		set(e, CAUSE_STOPPING, HINT_SQL_STOPPING, code);
		snprintf(e->error, sizeof(e->error), "the server is shutting down (1053)");
		return;
	case MY_SECURE_TRANSPORT:
		set(e, CAUSE_TLS, HINT_SQL_TLS_REQUIRED, code);
		snprintf(e->error, sizeof(e->error),
			 "the server refuses unencrypted connections (%u): %.160s", code, line);
		return;
	default:
		if (strstr(line, "insecure transport")) {
			set(e, CAUSE_TLS, HINT_SQL_TLS_REQUIRED, code);
			snprintf(e->error, sizeof(e->error),
				 "the server refuses unencrypted connections (%u): %.160s", code,
				 line);
			return;
		}
		set(e, CAUSE_OTHER, HINT_NONE, code);
		snprintf(e->error, sizeof(e->error), "%.220s (%u)",
			 line[0] ? line : "connection failed", code);
	}
}

void myerr_query(unsigned int code, const char *msg, struct sqlerr *e)
{
	char line[256];

	memset(e, 0, sizeof(*e));
	sqlerr_oneline(line, sizeof(line), msg ? msg : "");
	switch (code) {
	case MY_NO_SUCH_TABLE:
		set(e, CAUSE_NO_TABLE, HINT_SQL_NO_TABLE, code);
		snprintf(e->error, sizeof(e->error), "%.200s (1146)", line);
		return;
	case CR_SERVER_LOST:
	case CR_SERVER_GONE:
		set(e, CAUSE_CLOSED, HINT_SQL_CLOSED, code);
		snprintf(e->error, sizeof(e->error),
			 "the server closed the connection during the query (%u)", code);
		return;
	case MY_SERVER_SHUTDOWN:
		set(e, CAUSE_STOPPING, HINT_SQL_STOPPING, code);
		snprintf(e->error, sizeof(e->error), "the server is shutting down (1053)");
		return;
	case MY_LOCK_WAIT_TIMEOUT:
	case MY_QUERY_INTERRUPTED:
	case MY_STATEMENT_TIMEOUT:
	case MY_QUERY_TIMEOUT:
		set(e, CAUSE_QUERY, HINT_SQL_SLOW_QUERY, code);
		snprintf(e->error, sizeof(e->error), "query failed (%u): %.200s", code, line);
		return;
	default:
		set(e, CAUSE_QUERY, HINT_NONE, code);
		snprintf(e->error, sizeof(e->error), "query failed (%u): %.200s", code, line);
	}
}
