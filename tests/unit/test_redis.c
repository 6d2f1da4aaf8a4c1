/*
 * test_redis.c - the redis check's pure half: URLs, the judgement of each
 * reply (as real servers word them: Redis 7.0 and older), INFO; with the
 * driver, the bounds of the reader the replies go through.
 */
#include <stdlib.h>

#include "checks/db/redis_reply.h"
#include "t.h"
#ifdef PROBE_WITH_REDIS
#include "checks/db/redis_reader.h"
#endif

static void test_judge(void)
{
	static const struct {
		enum redis_step step;
		enum redis_rtype type;
		const char *str;
		int ok;
		const char *cause;
		enum hint_id hint;
		const char *error; /* a substring of the error */
	} cases[] = {
		{ REDIS_STEP_PING, REDIS_RT_STATUS, "PONG", 1, NULL, HINT_NONE, "" },
		{ REDIS_STEP_AUTH, REDIS_RT_STATUS, "OK", 1, NULL, HINT_NONE, "" },
		{ REDIS_STEP_SELECT, REDIS_RT_STATUS, "OK", 1, NULL, HINT_NONE, "" },
		{ REDIS_STEP_INFO, REDIS_RT_STRING, "# Server\r\nredis_version:7.0.15\r\n", 1, NULL,
		  HINT_NONE, "" },
		/* Not ready, whatever the step. */
		{ REDIS_STEP_PING, REDIS_RT_ERROR, "LOADING Redis is loading the dataset in memory", 0,
		  "loading", HINT_REDIS_LOADING, "the server is loading its dataset: not ready yet" },
		{ REDIS_STEP_SELECT, REDIS_RT_ERROR, "LOADING Redis is loading the dataset in memory",
		  0, "loading", HINT_REDIS_LOADING, "loading its dataset" },
		{ REDIS_STEP_PING, REDIS_RT_ERROR,
		  "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN "
		  "NOSAVE.",
		  0, "busy", HINT_REDIS_BUSY, "busy running a script" },
		{ REDIS_STEP_PING, REDIS_RT_ERROR,
		  "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
		  0, "masterdown", HINT_REDIS_MASTERDOWN, "not ready: MASTERDOWN Link with MASTER" },
		{ REDIS_STEP_PING, REDIS_RT_ERROR,
		  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
		  "persist to disk.",
		  0, "misconf", HINT_REDIS_MISCONF, "not ready: MISCONF Redis is configured" },
		{ REDIS_STEP_PING, REDIS_RT_ERROR,
		  "DENIED Redis is running in protected mode because protected mode is enabled", 0,
		  "denied", HINT_REDIS_DENIED, "refuses this client: DENIED" },
		{ REDIS_STEP_PING, REDIS_RT_ERROR, "ERR max number of clients reached", 0,
		  "maxclients", HINT_REDIS_MAXCLIENTS, "not ready: ERR max number" },
		/* A code must be a whole word. */
		{ REDIS_STEP_PING, REDIS_RT_ERROR, "LOADINGX something", 0, "error", HINT_NONE,
		  "PING failed: LOADINGX" },
		/* Credentials. */
		{ REDIS_STEP_AUTH, REDIS_RT_ERROR,
		  "WRONGPASS invalid username-password pair or user is disabled.", 0, "auth",
		  HINT_REDIS_AUTH, "authentication failed: WRONGPASS" },
		{ REDIS_STEP_AUTH, REDIS_RT_ERROR, "ERR invalid password", 0, "auth",
		  HINT_REDIS_AUTH, "authentication failed: ERR invalid password" },
		{ REDIS_STEP_AUTH, REDIS_RT_ERROR,
		  "ERR AUTH <password> called without any password configured for the default "
		  "user. Are you sure your configuration is correct?",
		  0, "auth", HINT_REDIS_NOPASS, "the server has none set" },
		{ REDIS_STEP_AUTH, REDIS_RT_ERROR, "ERR Client sent AUTH, but no password is set", 0,
		  "auth", HINT_REDIS_NOPASS, "the server has none set" },
		{ REDIS_STEP_AUTH, REDIS_RT_ERROR, "ERR wrong number of arguments for 'auth' command",
		  0, "auth", HINT_REDIS_AUTH, "authentication failed: ERR wrong number" },
		{ REDIS_STEP_PING, REDIS_RT_ERROR, "NOAUTH Authentication required.", 0, "auth",
		  HINT_REDIS_AUTH, "requires a password and the URL gives none" },
		{ REDIS_STEP_SELECT, REDIS_RT_ERROR, "NOAUTH Authentication required.", 0, "auth",
		  HINT_REDIS_AUTH, "requires a password" },
		{ REDIS_STEP_PING, REDIS_RT_ERROR,
		  "NOPERM this user has no permissions to run the 'ping' command", 0, "auth",
		  HINT_REDIS_NOPERM, "the user may not run PING" },
		/* SELECT. */
		{ REDIS_STEP_SELECT, REDIS_RT_ERROR, "ERR DB index is out of range", 0, "db",
		  HINT_REDIS_DB, "cannot select the database: ERR DB index is out of range" },
		{ REDIS_STEP_SELECT, REDIS_RT_ERROR, "ERR SELECT is not allowed in cluster mode", 0,
		  "db", HINT_REDIS_DB, "not allowed in cluster mode" },
		/* Other errors and answers no Redis gives. */
		{ REDIS_STEP_PING, REDIS_RT_ERROR, "ERR unknown command 'PING'", 0, "error",
		  HINT_NONE, "PING failed: ERR unknown command" },
		{ REDIS_STEP_PING, REDIS_RT_STATUS, "OK", 0, "protocol", HINT_REDIS_NOT_REDIS,
		  "PING answered \"OK\", not PONG" },
		{ REDIS_STEP_PING, REDIS_RT_STRING, "PONG", 0, "protocol", HINT_REDIS_NOT_REDIS,
		  "PING answered \"PONG\", not PONG" },
		{ REDIS_STEP_PING, REDIS_RT_ARRAY, NULL, 0, "protocol", HINT_REDIS_NOT_REDIS,
		  "PING answered an array" },
		{ REDIS_STEP_AUTH, REDIS_RT_INTEGER, NULL, 0, "protocol", HINT_REDIS_NOT_REDIS,
		  "AUTH answered an integer, not OK" },
		{ REDIS_STEP_SELECT, REDIS_RT_NIL, NULL, 0, "protocol", HINT_REDIS_NOT_REDIS,
		  "SELECT answered nil, not OK" },
		/* INFO is only read for the version; its errors are not judged
		 * here but they are not "ok" either. */
		{ REDIS_STEP_INFO, REDIS_RT_ERROR, "NOPERM this user has no permissions", 0, "auth",
		  HINT_REDIS_NOPERM, "may not run INFO" },
	};
	/* NULL in a build without the redis kind. */
	const struct check_kind *redis_kind = registry_find("redis");
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct redis_verdict v;

		redis_judge(cases[i].step, cases[i].type, cases[i].str, &v);
		T_EXPECT(v.ok == cases[i].ok, "case %zu (%s): ok=%d", i,
			 cases[i].str ? cases[i].str : "-", v.ok);
		if (cases[i].ok)
			continue;
		T_EXPECT(strcmp(cause_name(v.cause), cases[i].cause) == 0,
			 "case %zu: cause %s, want %s", i, cause_name(v.cause), cases[i].cause);
		T_EXPECT(!redis_kind || cause_in(redis_kind->causes, v.cause),
			 "case %zu: %s is not in the redis kind's causes", i, cause_name(v.cause));
		T_EXPECT(v.hint == cases[i].hint, "case %zu: hint %d, want %d", i, (int)v.hint,
			 (int)cases[i].hint);
		T_EXPECT(strstr(v.error, cases[i].error) != NULL, "case %zu: error \"%s\" lacks \"%s\"",
			 i, v.error, cases[i].error);
	}
}

static void test_garbage(void)
{
	static const struct {
		const char *bytes;
		size_t n;
		enum hint_id hint;
		const char *error;
	} cases[] = {
		{ "HTTP/1.1 200 OK\r\n\r\n", 19, HINT_REDIS_NOT_REDIS,
		  "not a Redis server: it answered \"HTTP/1.1 200 OK\" (an HTTP server)" },
		{ "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 45, HINT_REDIS_NOT_REDIS,
		  "not a Redis server: it answered \"HTTP/1.1 400 Bad Request\" (an HTTP server)" },
		{ "\x15\x03\x03\x00\x02\x02\x32", 7, HINT_REDIS_TLS_PORT,
		  "not a plain Redis server: it answered with TLS" },
		{ "SSH-2.0-OpenSSH_9.2\r\n", 21, HINT_REDIS_NOT_REDIS,
		  "not a Redis server: it answered \"SSH-2.0-OpenSSH_9.2\"" },
		{ "J\0\0\0\x0a" "10.11.6-MariaDB\0", 21, HINT_REDIS_NOT_REDIS,
		  "not a Redis server: it answered \"J....10.11.6-MariaDB.\"" },
		{ "HTT", 3, HINT_REDIS_NOT_REDIS, "not a Redis server: it answered \"HTT\"" },
		{ "", 0, HINT_REDIS_NOT_REDIS, "not a Redis server: its answer is not RESP" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct redis_verdict v;

		redis_judge_garbage(cases[i].bytes, cases[i].n, &v);
		T_INT(v.ok, 0);
		T_STR(cause_name(v.cause), "protocol");
		T_INT(v.hint, cases[i].hint);
		T_STR(v.error, cases[i].error);
	}
}

static void test_target(void)
{
	static const struct {
		const char *url;
		int ok, tls, db;
		const char *user, *password, *host;
		int port;
	} cases[] = {
		{ "redis://:redis-pw-1@127.0.0.1:6380/0", 1, 0, 0, "", "redis-pw-1", "127.0.0.1",
		  6380 },
		{ "redis://cache", 1, 0, 0, "", "", "cache", 0 },
		{ "redis://app:s%40cret@cache:6379/2", 1, 0, 2, "app", "s@cret", "cache", 6379 },
		{ "redis://cache/15", 1, 0, 15, "", "", "cache", 0 },
		{ "redis://cache/?db=3", 1, 0, 3, "", "", "cache", 0 },
		{ "redis://cache/4?db=3", 1, 0, 4, "", "", "cache", 0 },
		{ "rediss://:pw@cache:6380", 1, 1, 0, "", "pw", "cache", 6380 },
		{ "redis://[::1]:6379/1", 1, 0, 1, "", "", "::1", 6379 },
		{ "redis://cache/abc", 0, 0, 0, NULL, NULL, NULL, 0 },
		{ "redis://cache/-1", 0, 0, 0, NULL, NULL, NULL, 0 },
		{ "redis://cache/1234567890", 0, 0, 0, NULL, NULL, NULL, 0 },
		{ "redis://cache?db=x", 0, 0, 0, NULL, NULL, NULL, 0 },
		{ "redis://cache:notaport", 0, 0, 0, NULL, NULL, NULL, 0 },
		{ "postgres://cache", 0, 0, 0, NULL, NULL, NULL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_err err = { 0 };
		struct redis_target t;
		int rc = redis_target_parse(cases[i].url, &t, &err);

		T_EXPECT((rc == 0) == cases[i].ok, "%s: rc %d (%s)", cases[i].url, rc, err.msg);
		if (!cases[i].ok) {
			T_INT(err.code, EXIT_USAGE);
			continue;
		}
		T_INT(t.tls, cases[i].tls);
		T_INT(t.db, cases[i].db);
		T_STR(t.url.user, cases[i].user);
		T_STR(t.url.password, cases[i].password);
		T_STR(t.url.host, cases[i].host);
		T_INT(t.url.port, cases[i].port);
	}
}

static void test_info(void)
{
	char buf[64];

	T_INT(redis_info_version("# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:0\r\n", buf,
				 sizeof(buf)), 0);
	T_STR(buf, "7.0.15");
	T_INT(redis_info_version("redis_version:6.2.14", buf, sizeof(buf)), 0);
	T_STR(buf, "6.2.14");
	T_INT(redis_info_version("# Server\r\nredis_git_sha1:0\r\n", buf, sizeof(buf)), -1);
	T_INT(redis_info_version("# Server\r\nxredis_version:1\r\n", buf, sizeof(buf)), -1);
	T_INT(redis_info_version("redis_version:\r\n", buf, sizeof(buf)), -1);
	T_INT(redis_info_version("", buf, sizeof(buf)), -1);
}

#ifdef PROBE_WITH_REDIS
/* "*N\r\n" followed by N integers. */
static char *test_array(int n)
{
	size_t cap = 16 + (size_t)n * 4, len;
	char *s = malloc(cap);
	int i;

	if (!s)
		return NULL;
	len = (size_t)snprintf(s, cap, "*%d\r\n", n);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, ":1\r\n");
	return s;
}

static void test_reader(void)
{
	static const struct {
		const char *in; /* NULL: an array of n integers */
		int n;
		int ok;   /* the reader returns a reply (or waits for more) */
		int type; /* of the reply; 0: none yet */
	} cases[] = {
		{ "+PONG\r\n", 0, 1, REDIS_REPLY_STATUS },
		{ "*2\r\n$3\r\nfoo\r\n:1\r\n", 0, 1, REDIS_REPLY_ARRAY },
		{ "*-1\r\n", 0, 1, REDIS_REPLY_NIL },
		{ NULL, REDIS_MAX_ELEMENTS, 1, REDIS_REPLY_ARRAY },
		/* A count is refused when announced, before any element. */
		{ "*1025\r\n", 0, 0, 0 },
		{ "*2000000000\r\n", 0, 0, 0 },
		{ "*1\r\n*1666666666\r\n", 0, 0, 0 },
		{ "*2\r\n:1\r\n*2147483647\r\n:1\r\n", 0, 0, 0 },
		{ "*1666666666\r", 0, 1, 0 }, /* not a whole count yet */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		redisReader *r = redis_reader_new();
		char *in = cases[i].in ? NULL : test_array(cases[i].n);
		const char *bytes = cases[i].in ? cases[i].in : in;
		void *reply = NULL;
		int rc;

		T_EXPECT(r != NULL && bytes != NULL, "case %zu: out of memory", i);
		if (!r || !bytes) {
			free(in);
			redisReaderFree(r);
			continue;
		}
		T_INT(redisReaderFeed(r, bytes, strlen(bytes)), REDIS_OK);
		rc = redisReaderGetReply(r, &reply);
		T_EXPECT((rc == REDIS_OK) == cases[i].ok, "case %zu: %s", i,
			 rc == REDIS_OK ? "read" : r->errstr);
		T_INT(reply ? ((redisReply *)reply)->type : 0, cases[i].type);
		if (reply && cases[i].type == REDIS_REPLY_ARRAY && !cases[i].in)
			T_INT(((redisReply *)reply)->elements, cases[i].n);
		if (reply)
			freeReplyObject(reply);
		redisReaderFree(r);
		free(in);
	}
}
#endif

int main(void)
{
	test_judge();
	test_garbage();
	test_target();
	test_info();
#ifdef PROBE_WITH_REDIS
	test_reader();
#endif
	return t_done("test_redis");
}
