/*
 * redis_reply.h - the pure half of the redis check: its URL, the judgement
 * of each reply, the version in INFO.  Functions over bytes, no I/O and no
 * hiredis, so tests/unit/test_redis.c feeds them directly and they build
 * even when the redis driver is left out.
 */
#ifndef PROBE_REDIS_REPLY_H
#define PROBE_REDIS_REPLY_H

#include <stddef.h>

#include "probe/check.h"
#include "lib/dburl.h"

/* The commands the check sends, in this order (AUTH and SELECT only when
 * the URL asks for them). */
enum redis_step { REDIS_STEP_AUTH, REDIS_STEP_SELECT, REDIS_STEP_PING, REDIS_STEP_INFO };

/* RESP reply types, as far as the judgement cares. */
enum redis_rtype {
	REDIS_RT_STATUS, /* +OK */
	REDIS_RT_ERROR,  /* -ERR ... */
	REDIS_RT_STRING, /* $ bulk string */
	REDIS_RT_INTEGER,
	REDIS_RT_NIL,
	REDIS_RT_ARRAY,
};

/* A redis URL, checked. */
struct redis_target {
	struct dburl url; /* url.password is the secret */
	int tls;          /* rediss:// */
	int db;           /* from the path ("/2") or ?db=; 0 by default */
};

/* What one reply means for the check. */
struct redis_verdict {
	int ok;            /* the step went as a ready server answers it */
	enum probe_cause cause; /* detail.cause when !ok: CAUSE_LOADING, ... */
	enum hint_id hint;
	char error[256];   /* the report's error when !ok */
};

/* Parses redis://[user:password@]host[:port][/db][?db=N] (and rediss://)
 * into *t.  The db number must be decimal digits, at most 9 of them.
 * Returns 0, or -1 with err (EXIT_USAGE); the message never holds the
 * password. */
int redis_target_parse(const char *url, struct redis_target *t, struct probe_err *err);

/* The name of a step's command, for messages ("AUTH", "PING"). */
const char *redis_step_name(enum redis_step step);

/* Judges the reply to one step: type and text (status, error or string;
 * may be NULL for other types).  Fills *v; v->ok is 1 only for the answer
 * a ready server gives (+OK to AUTH and SELECT, +PONG to PING; any reply
 * to INFO that is not an error). */
void redis_judge(enum redis_step step, enum redis_rtype type, const char *str,
		 struct redis_verdict *v);

/* Judges bytes that are not RESP at all (the first n bytes the server
 * sent): names what seems to answer instead (HTTP, TLS) and quotes a
 * printable excerpt.  Always !ok, cause "protocol". */
void redis_judge_garbage(const char *bytes, size_t n, struct redis_verdict *v);

/* Finds "redis_version:X" in the text of INFO and copies X to buf (size
 * n).  Returns 0, or -1 when it is absent. */
int redis_info_version(const char *info, char *buf, size_t n);

#endif
