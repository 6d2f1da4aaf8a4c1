/*
 * redis_reply.c - what a Redis server's answers mean for "can the app use
 * it now?".  The error codes are Redis' own first words (LOADING, NOAUTH,
 * WRONGPASS, MASTERDOWN, MISCONF, BUSY, DENIED, NOPERM), stable since
 * Redis 2.x-6.0; older servers said "ERR invalid password" and
 * "ERR Client sent AUTH, but no password is set", so those are matched too.
 */
#include "checks/db/redis_reply.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int redis_target_parse(const char *url, struct redis_target *t, struct probe_err *err)
{
	const char *db;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (dburl_parse(url, &t->url, err) < 0)
		return -1;
	if (strcmp(t->url.scheme, "redis") != 0 && strcmp(t->url.scheme, "rediss") != 0)
		return probe_err_set(err, EXIT_USAGE, "expected redis:// or rediss://");
	t->tls = strcmp(t->url.scheme, "rediss") == 0;
	/* redis-py reads the db from the path, else from ?db=. */
	db = t->url.database[0] ? t->url.database : dburl_param(&t->url, "db");
	if (!db || !*db)
		return 0;
	for (i = 0; db[i]; i++)
		if (!isdigit((unsigned char)db[i]) || i >= 9)
			return probe_err_set(err, EXIT_USAGE,
					     "the database must be a number, like redis://host:6379/0");
	t->db = (int)strtol(db, NULL, 10);
	return 0;
}

const char *redis_step_name(enum redis_step step)
{
	switch (step) {
	case REDIS_STEP_AUTH:
		return "AUTH";
	case REDIS_STEP_SELECT:
		return "SELECT";
	case REDIS_STEP_PING:
		return "PING";
	case REDIS_STEP_INFO:
		return "INFO";
	}
	return "?";
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void verdict_fail(struct redis_verdict *v, enum probe_cause cause, enum hint_id hint)
{
	v->ok = 0;
	v->cause = cause;
	v->hint = hint;
}

/* Server-wide states in which no command but a few is served: the same
 * answer to any step.  Returns 1 when str is one of them. */
static int judge_state(const char *str, struct redis_verdict *v)
{
	static const struct {
		const char *code;
		enum probe_cause cause;
		const char *what;
		enum hint_id hint;
	} states[] = {
		{ "LOADING", CAUSE_LOADING, "the server is loading its dataset: not ready yet",
		  HINT_REDIS_LOADING },
		{ "BUSY", CAUSE_BUSY, "the server is busy running a script: not ready", HINT_REDIS_BUSY },
		{ "MASTERDOWN", CAUSE_MASTERDOWN, "not ready", HINT_REDIS_MASTERDOWN },
		{ "MISCONF", CAUSE_MISCONF, "not ready", HINT_REDIS_MISCONF },
		{ "DENIED", CAUSE_DENIED, "the server refuses this client", HINT_REDIS_DENIED },
		{ "ERR max number of clients", CAUSE_MAXCLIENTS, "not ready",
		  HINT_REDIS_MAXCLIENTS },
	};
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		size_t len = strlen(states[i].code);

		if (strncmp(str, states[i].code, len) != 0 || (str[len] && str[len] != ' '))
			continue;
		verdict_fail(v, states[i].cause, states[i].hint);
		/* LOADING and BUSY say it all; the others' text is the
		 * reason (which replica link, which disk error). */
		if (i < 2)
			snprintf(v->error, sizeof(v->error), "%s", states[i].what);
		else
			snprintf(v->error, sizeof(v->error), "%s: %.200s", states[i].what, str);
		return 1;
	}
	return 0;
}

/* Errors that mean the credentials are wrong or missing. */
static int judge_auth(enum redis_step step, const char *str, struct redis_verdict *v)
{
	if (strstr(str, "without any password configured") ||
	    strstr(str, "no password is set")) {
		verdict_fail(v, CAUSE_AUTH, HINT_REDIS_NOPASS);
		snprintf(v->error, sizeof(v->error),
			 "authentication failed: the URL gives a password but the server has "
			 "none set");
		return 1;
	}
	if (starts(str, "NOAUTH")) {
		verdict_fail(v, CAUSE_AUTH, HINT_REDIS_AUTH);
		snprintf(v->error, sizeof(v->error),
			 "authentication failed: the server requires a password and the URL "
			 "gives none (%.100s)", str);
		return 1;
	}
	if (starts(str, "WRONGPASS") || step == REDIS_STEP_AUTH) {
		verdict_fail(v, CAUSE_AUTH, HINT_REDIS_AUTH);
		snprintf(v->error, sizeof(v->error), "authentication failed: %.160s", str);
		return 1;
	}
	if (starts(str, "NOPERM")) {
		verdict_fail(v, CAUSE_AUTH, HINT_REDIS_NOPERM);
		snprintf(v->error, sizeof(v->error), "the user may not run %s: %.160s",
			 redis_step_name(step), str);
		return 1;
	}
	return 0;
}

/* Quotes the text of a reply that is not an error, for "answered X". */
static void describe(enum redis_rtype type, const char *str, char *buf, size_t n)
{
	switch (type) {
	case REDIS_RT_STATUS:
	case REDIS_RT_STRING:
		snprintf(buf, n, "\"%.40s\"", str ? str : "");
		break;
	case REDIS_RT_INTEGER:
		snprintf(buf, n, "an integer");
		break;
	case REDIS_RT_NIL:
		snprintf(buf, n, "nil");
		break;
	case REDIS_RT_ARRAY:
		snprintf(buf, n, "an array");
		break;
	case REDIS_RT_ERROR:
		snprintf(buf, n, "an error");
		break;
	}
}

void redis_judge(enum redis_step step, enum redis_rtype type, const char *str,
		 struct redis_verdict *v)
{
	const char *want = step == REDIS_STEP_PING ? "PONG" : "OK";
	char got[64];

	memset(v, 0, sizeof(*v));
	if (!str)
		str = "";
	if (type == REDIS_RT_ERROR) {
		if (judge_state(str, v) || judge_auth(step, str, v))
			return;
		if (step == REDIS_STEP_SELECT) {
			verdict_fail(v, CAUSE_DB, HINT_REDIS_DB);
			snprintf(v->error, sizeof(v->error), "cannot select the database: %.180s",
				 str);
			return;
		}
		verdict_fail(v, CAUSE_ERROR, HINT_NONE);
		snprintf(v->error, sizeof(v->error), "%s failed: %.200s", redis_step_name(step),
			 str);
		return;
	}
	if (step == REDIS_STEP_INFO || (type == REDIS_RT_STATUS && strcmp(str, want) == 0)) {
		v->ok = 1;
		return;
	}
	/* A server that speaks RESP but answers like no Redis does: a proxy
	 * or an imitation. */
	describe(type, str, got, sizeof(got));
	verdict_fail(v, CAUSE_PROTOCOL, HINT_REDIS_NOT_REDIS);
	snprintf(v->error, sizeof(v->error), "%s answered %s, not %s", redis_step_name(step),
		 got, want);
}

void redis_judge_garbage(const char *bytes, size_t n, struct redis_verdict *v)
{
	char excerpt[48];
	size_t i, o = 0;

	memset(v, 0, sizeof(*v));
	verdict_fail(v, CAUSE_PROTOCOL, HINT_REDIS_NOT_REDIS);
	if (n > 0 && (bytes[0] == 0x15 || bytes[0] == 0x16)) {
		/* A TLS record: an alert or a handshake, in answer to plain text. */
		v->hint = HINT_REDIS_TLS_PORT;
		snprintf(v->error, sizeof(v->error),
			 "not a plain Redis server: it answered with TLS");
		return;
	}
	for (i = 0; i < n && o + 1 < sizeof(excerpt) && o < 40; i++) {
		unsigned char ch = (unsigned char)bytes[i];

		/* The end of a text protocol's first line; binary ones
		 * (MySQL's greeting) hold a '\n' early, shown as '.'. */
		if (ch == '\r')
			break;
		excerpt[o++] = isprint(ch) ? (char)ch : '.';
	}
	excerpt[o] = '\0';
	if (n == 0)
		snprintf(v->error, sizeof(v->error), "not a Redis server: its answer is not RESP");
	else
		snprintf(v->error, sizeof(v->error), "not a Redis server: it answered \"%s\"%s",
			 excerpt, strncmp(bytes, "HTTP/", n < 5 ? n : 5) == 0 && n >= 5
					  ? " (an HTTP server)" : "");
}

int redis_info_version(const char *info, char *buf, size_t n)
{
	static const char key[] = "redis_version:";
	const char *p = info;

	while (p && *p) {
		if (strncmp(p, key, sizeof(key) - 1) == 0) {
			size_t len;

			p += sizeof(key) - 1;
			len = strcspn(p, "\r\n");
			if (len == 0)
				return -1;
			snprintf(buf, n, "%.*s", (int)len, p);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}
