/*
 * postgres_err.c - judging libpq's error text.
 *
 * A failed PQconnectPoll leaves one paragraph per attempt in
 * PQerrorMessage: "connection to server at \"h\" (addr), port p failed: "
 * then either libpq's own words ("Connection refused", "server does not
 * support SSL, but SSL was required") or the server's error, which with
 * PQERRORS_VERBOSE reads "FATAL:  57P03: the database system is starting
 * up\nDETAIL:  ...\nLOCATION:  ...".  The SQLSTATE decides; the English
 * text is only a fallback (a server may translate its messages, never its
 * codes).
 */
#include "checks/db/sql_err.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* One attempt, taken apart. */
struct pg_attempt {
	char body[1024];   /* after "... failed: ", one line per line */
	char code[8];      /* SQLSTATE, or "" */
	char primary[256]; /* the server's message, or libpq's first line */
	char detail[256];  /* DETAIL, or "" */
	char host[128];    /* the host named by "could not translate" */
	char socket[128];  /* the socket path of "on socket \"...\"" */
};

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copies the rest of the line at s (to '\n' or the end) into dst. */
static void copy_line(char *dst, size_t n, const char *s)
{
	size_t len = strcspn(s, "\n");

	snprintf(dst, n, "%.*s", (int)(len < 0x7fff ? len : 0x7fff), s);
}

/* Copies the text between the first `open` after s and the next '"'. */
static void copy_quoted(char *dst, size_t n, const char *s, const char *open)
{
	const char *p = strstr(s, open), *q;

	if (!p)
		return;
	p += strlen(open);
	q = strchr(p, '"');
	if (q)
		snprintf(dst, n, "%.*s", (int)(q - p < 0x7fff ? q - p : 0x7fff), p);
}

/* "SEVERITY:  XXXXX: text": sets a->code and a->primary, returns 1. */
static int parse_coded(struct pg_attempt *a, const char *line)
{
	const char *sep = strstr(line, ":  ");
	const char *nl = strchr(line, '\n');
	int i;

	if (!sep || (nl && sep > nl) || sep - line > 24)
		return 0;
	sep += 3;
	for (i = 0; i < 5; i++)
		if (!isdigit((unsigned char)sep[i]) && !isupper((unsigned char)sep[i]))
			return 0;
	if (sep[5] != ':' || sep[6] != ' ')
		return 0;
	snprintf(a->code, sizeof(a->code), "%.5s", sep);
	copy_line(a->primary, sizeof(a->primary), sep + 7);
	return 1;
}

/* Server errors written without a SQLSTATE (a libpq set to another
 * verbosity): the code their English text stands for. */
static const char *pg_code_from_text(const char *s)
{
	static const struct {
		const char *text, *code;
	} texts[] = {
		{ "the database system is starting up", "57P03" },
		{ "the database system is not yet accepting connections", "57P03" },
		{ "the database system is not accepting connections", "57P03" },
		{ "the database system is in recovery mode", "57P03" },
		{ "the database system is shutting down", "57P03" },
		{ "password authentication failed", "28P01" },
		{ "no pg_hba.conf entry", "28000" },
		{ "pg_hba.conf rejects connection", "28000" },
		{ "too many clients already", "53300" },
		{ "remaining connection slots are reserved", "53300" },
		{ "terminating connection due to administrator command", "57P01" },
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strstr(s, texts[i].text))
			return texts[i].code;
	if (starts(s, "database \"") && strstr(s, "\" does not exist"))
		return "3D000";
	if (starts(s, "role \"") && strstr(s, "\" does not exist"))
		return "28000";
	return NULL;
}

/* Splits one attempt's text (from "connection to server ..." or "could
 * not translate ..." to the next) into *a. */
static void pg_attempt_parse(const char *s, size_t len, struct pg_attempt *a)
{
	char text[1024];
	const char *body = text, *p;

	memset(a, 0, sizeof(*a));
	snprintf(text, sizeof(text), "%.*s", (int)(len < sizeof(text) ? len : sizeof(text) - 1),
		 s);
	if (starts(text, "connection to server")) {
		p = strstr(text, " failed: ");
		copy_quoted(a->socket, sizeof(a->socket), text, "on socket \"");
		if (p && p < text + strcspn(text, "\n"))
			body = p + 9;
	} else if (starts(text, "could not translate host name")) {
		copy_quoted(a->host, sizeof(a->host), text, "host name \"");
	}
	snprintf(a->body, sizeof(a->body), "%s", body);
	if (parse_coded(a, a->body)) {
		p = strstr(a->body, "\nDETAIL:  ");
		if (p)
			copy_line(a->detail, sizeof(a->detail), p + 10);
		return;
	}
	p = strstr(a->body, ":  ");
	if (p && p - a->body < 24 && p < a->body + strcspn(a->body, "\n")) {
		/* "FATAL:  text" without a code */
		const char *code = pg_code_from_text(p + 3);

		copy_line(a->primary, sizeof(a->primary), p + 3);
		if (code)
			snprintf(a->code, sizeof(a->code), "%s", code);
		p = strstr(a->body, "\nDETAIL:  ");
		if (p)
			copy_line(a->detail, sizeof(a->detail), p + 10);
		return;
	}
	copy_line(a->primary, sizeof(a->primary), a->body);
}

static void set(struct sqlerr *e, enum probe_cause cause, enum hint_id hint,
		const char *code)
{
	e->cause = cause;
	e->hint = hint;
	snprintf(e->code, sizeof(e->code), "%s", code ? code : "");
}

/* Judges a server error with a SQLSTATE. */
static void pg_judge_code(const struct pg_attempt *a, const struct sqlerr_ctx *ctx,
			  struct sqlerr *e)
{
	const char *c = a->code, *p = a->primary;
	char detail[260] = "";

	if (a->detail[0])
		snprintf(detail, sizeof(detail), "; %s", a->detail);
	if (strcmp(c, "57P03") == 0 && strstr(p, "shutting down")) {
		set(e, CAUSE_STOPPING, HINT_SQL_STOPPING, c);
		snprintf(e->error, sizeof(e->error), "the server is shutting down (57P03)");
	} else if (strcmp(c, "57P03") == 0) {
		set(e, CAUSE_STARTING, HINT_SQL_STARTING, c);
		if (strstr(p, "starting up"))
			snprintf(e->error, sizeof(e->error),
				 "the server is starting up (57P03): not ready yet");
		else
			snprintf(e->error, sizeof(e->error),
				 "the server is not ready (57P03): %.120s%.100s", p, detail);
	} else if (strcmp(c, "57P01") == 0 || strcmp(c, "57P02") == 0) {
		set(e, CAUSE_STOPPING, HINT_SQL_STOPPING, c);
		snprintf(e->error, sizeof(e->error), "the server is shutting down (%s): %.150s", c,
			 p);
	} else if (strcmp(c, "28P01") == 0 ||
		   (strcmp(c, "28000") == 0 && starts(p, "role \""))) {
		set(e, CAUSE_AUTH, HINT_SQL_AUTH, c);
		if (strcmp(c, "28P01") == 0)
			snprintf(e->error, sizeof(e->error),
				 "authentication failed for user \"%.64s\" (28P01)", ctx->user);
		else
			snprintf(e->error, sizeof(e->error),
				 "authentication failed for user \"%.64s\" (28000): %.120s",
				 ctx->user, p);
	} else if (strcmp(c, "28000") == 0 && strstr(p, "no pg_hba.conf entry") &&
		   strstr(p, "no encryption") && !strstr(a->body, "SSL encryption") &&
		   !strstr(a->body, "GSS encryption")) {
		set(e, CAUSE_TLS, HINT_SQL_TLS_REQUIRED, c);
		snprintf(e->error, sizeof(e->error),
			 "the server refuses unencrypted connections from this client (28000): "
			 "%.160s",
			 p);
	} else if (starts(c, "28")) {
		set(e, CAUSE_DENIED, HINT_SQL_HOST_DENIED, c);
		snprintf(e->error, sizeof(e->error),
			 "the server admits no connection from this client (%s): %.180s", c, p);
	} else if (strcmp(c, "3D000") == 0) {
		set(e, CAUSE_NO_DATABASE, HINT_SQL_NO_DATABASE, c);
		snprintf(e->error, sizeof(e->error), "%.200s (3D000)", p);
	} else if (strcmp(c, "42501") == 0) {
		set(e, CAUSE_DENIED, HINT_SQL_DB_DENIED, c);
		snprintf(e->error, sizeof(e->error), "%.120s (42501)%.100s", p, detail);
	} else if (strcmp(c, "53300") == 0) {
		set(e, CAUSE_TOO_MANY, HINT_SQL_TOO_MANY, c);
		snprintf(e->error, sizeof(e->error),
			 "the server has no free connection slot (53300): %.180s", p);
	} else {
		set(e, CAUSE_OTHER, HINT_NONE, c);
		snprintf(e->error, sizeof(e->error), "%.140s (%s)%.100s", p, c, detail);
	}
}

/* Judges libpq's own words (no SQLSTATE). */
static void pg_judge_text(const struct pg_attempt *a, int needs_password,
			  const struct sqlerr_ctx *ctx, struct sqlerr *e)
{
	const char *b = a->body, *where = a->socket[0] ? a->socket : ctx->where;
	char line[512];

	sqlerr_oneline(line, sizeof(line), b);
	if (starts(b, "could not translate host name")) {
		const char *why = strstr(b, "to address: ");

		set(e, CAUSE_DNS, HINT_DNS, NULL);
		copy_line(line, sizeof(line), why ? why + 12 : "unknown host");
		snprintf(e->error, sizeof(e->error), "cannot resolve %.100s: %.120s",
			 a->host[0] ? a->host : ctx->where, line);
	} else if (strstr(b, "Connection refused")) {
		set(e, CAUSE_REFUSED, HINT_REFUSED, NULL);
		snprintf(e->error, sizeof(e->error), "connection refused by %.200s", where);
	} else if (a->socket[0] && strstr(b, "No such file or directory")) {
		set(e, CAUSE_REFUSED, HINT_REFUSED, NULL);
		snprintf(e->error, sizeof(e->error), "no server socket at %.200s", where);
	} else if (strstr(b, "timeout expired")) {
		set(e, CAUSE_TIMEOUT, HINT_TIMEOUT, NULL);
		snprintf(e->error, sizeof(e->error), "connect timed out to %.200s", where);
	} else if (strstr(b, "Network is unreachable") || strstr(b, "No route to host") ||
		   strstr(b, "Cannot assign requested address")) {
		set(e, CAUSE_UNREACHABLE, HINT_UNREACHABLE, NULL);
		copy_line(line, sizeof(line), b);
		snprintf(e->error, sizeof(e->error), "unreachable: %.100s (%.100s)", where, line);
	} else if (needs_password || strstr(b, "no password supplied")) {
		set(e, CAUSE_AUTH, HINT_SQL_AUTH, NULL);
		snprintf(e->error, sizeof(e->error),
			 "authentication failed for user \"%.64s\": the server asks for a "
			 "password and the URL has none",
			 ctx->user);
	} else if (strstr(b, "server does not support SSL")) {
		set(e, CAUSE_TLS, HINT_SQL_TLS_UNSUPPORTED, NULL);
		snprintf(e->error, sizeof(e->error),
			 "the server does not support TLS, but the URL's sslmode requires it");
	} else if (strstr(b, "root certificate") || strstr(b, "certificate verify failed") ||
		   strstr(b, "does not match host name") || strstr(b, "self-signed") ||
		   strstr(b, "self signed") || strstr(b, "unable to get local issuer")) {
		set(e, CAUSE_TLS, HINT_SQL_TLS_VERIFY, NULL);
		snprintf(e->error, sizeof(e->error),
			 "cannot verify the server's TLS certificate: %.180s", line);
	} else if (strstr(b, "received invalid response to SSL negotiation") ||
		   strstr(b, "expected authentication request from server") ||
		   strstr(b, "invalid length of startup packet") ||
		   strstr(b, "unexpected message from server")) {
		set(e, CAUSE_NOT_SQL, HINT_SQL_NOT_SQL, NULL);
		snprintf(e->error, sizeof(e->error), "not a PostgreSQL server at %.100s: %.120s",
			 where, line);
	} else if (strstr(b, "SSL") || strstr(b, "certificate") || strstr(b, "private key")) {
		set(e, CAUSE_TLS, HINT_NONE, NULL);
		snprintf(e->error, sizeof(e->error), "TLS failed: %.200s", line);
	} else if (strstr(b, "server closed the connection unexpectedly") ||
		   strstr(b, "Connection reset by peer") || strstr(b, "EOF detected")) {
		set(e, CAUSE_CLOSED, HINT_SQL_CLOSED, NULL);
		snprintf(e->error, sizeof(e->error),
			 "the server at %.120s closed the connection during the handshake: it "
			 "may be starting",
			 where);
	} else {
		set(e, CAUSE_OTHER, HINT_NONE, NULL);
		snprintf(e->error, sizeof(e->error), "%.240s",
			 line[0] ? line : "connection failed");
	}
}

/* How telling a cause is: a server that answered says more than a
 * refused address, which says more than a name that did not resolve. */
static int pg_rank(enum probe_cause c)
{
	switch (c) {
	case CAUSE_DNS:
		return 1;
	case CAUSE_REFUSED:
	case CAUSE_UNREACHABLE:
		return 2;
	case CAUSE_TIMEOUT:
	case CAUSE_CLOSED:
		return 3;
	case CAUSE_OTHER:
		return 0;
	default:
		return 4;
	}
}

void pgerr_connect(const char *msg, int needs_password, const struct sqlerr_ctx *ctx,
		   struct sqlerr *e)
{
	const char *s = msg ? msg : "";
	int best = -1;

	memset(e, 0, sizeof(*e));
	while (*s) {
		const char *next = s, *nl;
		struct pg_attempt a;
		struct sqlerr cand;
		int rank;

		/* the attempt runs to the next line that starts another */
		while ((nl = strchr(next, '\n')) != NULL) {
			next = nl + 1;
			if (starts(next, "connection to server") ||
			    starts(next, "could not translate host name"))
				break;
		}
		if (!nl)
			next = s + strlen(s);
		pg_attempt_parse(s, (size_t)(next - s), &a);
		memset(&cand, 0, sizeof(cand));
		if (a.code[0])
			pg_judge_code(&a, ctx, &cand);
		else
			pg_judge_text(&a, needs_password, ctx, &cand);
		rank = pg_rank(cand.cause);
		if (rank > best) {
			best = rank;
			*e = cand;
		}
		s = next;
	}
	if (best < 0) {
		set(e, CAUSE_OTHER, HINT_NONE, NULL);
		snprintf(e->error, sizeof(e->error), "connection to %.200s failed", ctx->where);
	}
}

void pgerr_query(const char *sqlstate, const char *primary, const char *detail,
		 struct sqlerr *e)
{
	char msg[200], more[200] = "";
	const char *c = sqlstate ? sqlstate : "";

	memset(e, 0, sizeof(*e));
	sqlerr_oneline(msg, sizeof(msg), primary ? primary : "");
	if (detail && *detail) {
		char d[180];

		snprintf(more, sizeof(more), "; %s", sqlerr_oneline(d, sizeof(d), detail));
	}
	if (!c[0] && (!msg[0] || strstr(msg, "server closed the connection") ||
		      strstr(msg, "no connection to the server") ||
		      strstr(msg, "terminated abnormally") || strstr(msg, "connection reset"))) {
		set(e, CAUSE_CLOSED, HINT_SQL_CLOSED, NULL);
		snprintf(e->error, sizeof(e->error),
			 "the server closed the connection during the query");
	} else if (strcmp(c, "42P01") == 0) {
		set(e, CAUSE_NO_TABLE, HINT_SQL_NO_TABLE, c);
		snprintf(e->error, sizeof(e->error), "%.200s (42P01)", msg);
	} else if (strcmp(c, "57P01") == 0 || strcmp(c, "57P02") == 0 ||
		   strcmp(c, "57P03") == 0) {
		set(e, CAUSE_STOPPING, HINT_SQL_STOPPING, c);
		snprintf(e->error, sizeof(e->error), "the server is shutting down (%s): %.180s", c,
			 msg);
	} else if (strcmp(c, "57014") == 0 || strcmp(c, "55P03") == 0 ||
		   strcmp(c, "40P01") == 0) {
		set(e, CAUSE_QUERY, HINT_SQL_SLOW_QUERY, c);
		snprintf(e->error, sizeof(e->error), "query failed (%s): %.160s", c, msg);
	} else {
		set(e, CAUSE_QUERY, HINT_NONE, c[0] ? c : NULL);
		if (c[0])
			snprintf(e->error, sizeof(e->error), "query failed (%s): %.150s%.80s", c,
				 msg, more);
		else
			snprintf(e->error, sizeof(e->error), "query failed: %.150s%.80s", msg,
				 more);
	}
}
