/*
 * test_mysql_err.c - MariaDB Connector/C 3.3's errors, as captured against
 * MariaDB 10.11 in tests/integration/mysql.sh's situations, and what
 * probe makes of them.
 */
#include "checks/db/sql.h"
#include "checks/db/sql_err.h"
#include "t.h"

static const struct sqlerr_ctx ctx = {
	.where = "127.0.0.1:3306", .user = "app", .database = "nosuchdb"
};

static void test_connect(void)
{
	static const struct {
		unsigned int code;
		const char *msg;
		enum probe_cause cause;
		const char *error;
		enum hint_id hint;
	} cases[] = {
		/* the situations of mysql.sh, verbatim */
		{ 1045, "Access denied for user 'app'@'127.0.0.1' (using password: YES)",
		  CAUSE_AUTH,
		  "authentication failed for user \"app\" (1045)", HINT_SQL_AUTH },
		{ 1045, "Access denied for user 'app'@'127.0.0.1' (using password: NO)",
		  CAUSE_AUTH,
		  "authentication failed for user \"app\" (1045): the URL has no password",
		  HINT_SQL_AUTH },
		{ 1044, "Access denied for user 'app'@'127.0.0.1' to database 'nosuchdb'",
		  CAUSE_DENIED,
		  "database \"nosuchdb\" does not exist or user \"app\" may not use it (1044)",
		  HINT_SQL_DB_DENIED },
		{ 1049, "Unknown database 'nosuchdb'", CAUSE_NO_DATABASE,
		  "database \"nosuchdb\" does not exist (1049)", HINT_SQL_NO_DATABASE },
		{ 2002, "Can't connect to server on '127.0.0.1' (111)", CAUSE_REFUSED,
		  "connection refused by 127.0.0.1:3306", HINT_REFUSED },
		/* the blocking connect says 115 (EINPROGRESS) for a refused port */
		{ 2002, "Can't connect to server on '127.0.0.1' (115)", CAUSE_REFUSED,
		  "connection refused by 127.0.0.1:3306", HINT_REFUSED },
		{ 2002, "Can't connect to local server through socket '/nonexistent/sock' (2)",
		  CAUSE_REFUSED, "no server socket at 127.0.0.1:3306", HINT_REFUSED },
		{ 2005, "Unknown server host 'nonexistent.invalid' (-2)", CAUSE_DNS,
		  "cannot resolve nonexistent.invalid: Name or service not known", HINT_DNS },
		{ 2013,
		  "Lost connection to server at 'handshake: reading initial communication "
		  "packet', system error: 110",
		  CAUSE_TIMEOUT,
		  "no greeting from the server at 127.0.0.1:3306: it accepted the connection but "
		  "did not answer in time",
		  HINT_SQL_SILENT },
		{ 1040, "Too many connections", CAUSE_TOO_MANY,
		  "the server has no free connection slot (1040): Too many connections",
		  HINT_SQL_TOO_MANY },
		{ 2026, "SSL connection error: the server does not support TLS", CAUSE_TLS,
		  "the server does not support TLS, but the URL requires it",
		  HINT_SQL_TLS_UNSUPPORTED },
		/* a listener that accepts and hangs up (non-blocking: EAGAIN) */
		{ 2013,
		  "Lost connection to server at 'handshake: reading initial communication "
		  "packet', system error: 11",
		  CAUSE_CLOSED,
		  "the server at 127.0.0.1:3306 closed the connection during the handshake: it "
		  "may be starting",
		  HINT_SQL_CLOSED },
		{ 2003, "Can't connect to MySQL server on '10.1.1.1' (113)", CAUSE_UNREACHABLE,
		  "unreachable: 127.0.0.1:3306 (No route to host)", HINT_UNREACHABLE },
		{ 2003, "Can't connect to MySQL server on '10.1.1.1' (110)", CAUSE_TIMEOUT,
		  "connect timed out to 127.0.0.1:3306", HINT_TIMEOUT },
		{ 2026, "SSL connection error: certificate verify failed", CAUSE_TLS,
		  "cannot verify the server's TLS certificate (2026): SSL connection error: "
		  "certificate verify failed",
		  HINT_SQL_TLS_VERIFY },
		{ 2026, "SSL connection error: error:0A00010B:SSL routines::wrong version number",
		  CAUSE_TLS,
		  "TLS failed (2026): SSL connection error: error:0A00010B:SSL routines::wrong "
		  "version number",
		  HINT_NONE },
		{ 2059,
		  "Authentication plugin 'caching_sha2_password' cannot be loaded: "
		  "/usr/lib/x86_64-linux-gnu/libmariadb3/plugin/caching_sha2_password.so: cannot "
		  "open shared object file: No such file or directory",
		  CAUSE_AUTH,
		  "the client cannot use the authentication method of user \"app\" (2059): "
		  "Authentication plugin 'caching_sha2_password' cannot be loaded: "
		  "/usr/lib/x86_64-linux-gnu/libmariadb3/plugin/caching_sha2_password",
		  HINT_SQL_AUTH_PLUGIN },
		{ 1129,
		  "Host '172.17.0.1' is blocked because of many connection errors; unblock with "
		  "'mariadb-admin flush-hosts'",
		  CAUSE_DENIED,
		  "Host '172.17.0.1' is blocked because of many connection errors; unblock with "
		  "'mariadb-admin flush-hosts' (1129)",
		  HINT_SQL_HOST_BLOCKED },
		{ 1130, "Host '172.17.0.1' is not allowed to connect to this MariaDB server",
		  CAUSE_DENIED,
		  "Host '172.17.0.1' is not allowed to connect to this MariaDB server (1130)",
		  HINT_SQL_HOST_DENIED },
		{ 1053, "Server shutdown in progress", CAUSE_STOPPING,
		  "the server is shutting down (1053)", HINT_SQL_STOPPING },
		{ 3159,
		  "Connections using insecure transport are prohibited while "
		  "--require_secure_transport=ON.",
		  CAUSE_TLS,
		  "the server refuses unencrypted connections (3159): Connections using insecure "
		  "transport are prohibited while --require_secure_transport=ON.",
		  HINT_SQL_TLS_REQUIRED },
		{ 2027, "Malformed packet", CAUSE_NOT_SQL,
		  "not a MySQL server at 127.0.0.1:3306 (2027): Malformed packet",
		  HINT_SQL_NOT_SQL },
		{ 1203, "User app already has more than 'max_user_connections' active connections",
		  CAUSE_TOO_MANY,
		  "the server has no free connection slot (1203): User app already has more than "
		  "'max_user_connections' active connections",
		  HINT_SQL_TOO_MANY },
		{ 1226,
		  "User 'busy' has exceeded the 'max_user_connections' resource (current value: "
		  "1)",
		  CAUSE_TOO_MANY,
		  "the server has no free connection slot (1226): User 'busy' has exceeded the "
		  "'max_user_connections' resource (current value: 1)",
		  HINT_SQL_TOO_MANY },
		{ 9999, "Something new", CAUSE_OTHER, "Something new (9999)", HINT_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sqlerr e;
		char code[12];

		myerr_connect(cases[i].code, cases[i].msg, &ctx, &e);
		snprintf(code, sizeof(code), "%u", cases[i].code);
		T_EXPECT(e.cause == cases[i].cause, "case %zu: cause %s, want %s", i,
			 cause_name(e.cause), cause_name(cases[i].cause));
		T_EXPECT(cause_in(sql_causes, e.cause), "case %zu: %s is not in sql_causes", i,
			 cause_name(e.cause));
		T_STR(e.code, code);
		T_STR(e.error, cases[i].error);
		T_EXPECT(e.hint == cases[i].hint, "case %zu: hint %d, want %d", i, (int)e.hint,
			 (int)cases[i].hint);
	}
}

static void test_query(void)
{
	static const struct {
		unsigned int code;
		const char *msg;
		enum probe_cause cause;
		const char *error;
		enum hint_id hint;
	} cases[] = {
		{ 1146, "Table 'app.nonexistent' doesn't exist", CAUSE_NO_TABLE,
		  "Table 'app.nonexistent' doesn't exist (1146)", HINT_SQL_NO_TABLE },
		{ 1064,
		  "You have an error in your SQL syntax; check the manual that corresponds to "
		  "your MariaDB server version for the right syntax to use near 'SELEC 1' at "
		  "line 1",
		  CAUSE_QUERY,
		  "query failed (1064): You have an error in your SQL syntax; check the manual "
		  "that corresponds to your MariaDB server version for the right syntax to use "
		  "near 'SELEC 1' at line 1",
		  HINT_NONE },
		{ 2013, "Lost connection to server during query", CAUSE_CLOSED,
		  "the server closed the connection during the query (2013)", HINT_SQL_CLOSED },
		{ 1205, "Lock wait timeout exceeded; try restarting transaction", CAUSE_QUERY,
		  "query failed (1205): Lock wait timeout exceeded; try restarting transaction",
		  HINT_SQL_SLOW_QUERY },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sqlerr e;

		myerr_query(cases[i].code, cases[i].msg, &e);
		T_EXPECT(e.cause == cases[i].cause, "case %zu: cause %s, want %s", i,
			 cause_name(e.cause), cause_name(cases[i].cause));
		T_EXPECT(cause_in(sql_causes, e.cause), "case %zu: %s is not in sql_causes", i,
			 cause_name(e.cause));
		T_STR(e.error, cases[i].error);
		T_EXPECT(e.hint == cases[i].hint, "case %zu: hint %d", i, (int)e.hint);
	}
}

/* A connection lost in the handshake after the server sent bytes: not
 * MySQL when they cannot begin a greeting, "closed" when they can. */
static void test_first_bytes(void)
{
	static const struct {
		const char *first;
		size_t n;
		enum probe_cause cause;
		const char *error;
	} cases[] = {
		{ "AAAAAAAA", 8, CAUSE_NOT_SQL,
		  "not a MySQL server at 127.0.0.1:3306: it sent \"AAAAAAAA\", not a MySQL greeting" },
		{ "\x00\xff\xfe\x7f gar", 8, CAUSE_NOT_SQL,
		  "not a MySQL server at 127.0.0.1:3306: it sent \"\\x00\\xff\\xfe\\x7f gar\", not a "
		  "MySQL greeting" },
		{ "HTTP/1.1", 8, CAUSE_NOT_SQL,
		  "not a MySQL server at 127.0.0.1:3306: it sent \"HTTP/1.1\", not a MySQL greeting" },
		{ "\x4a\x00\x00\x00\x0a" "5.5", 8, CAUSE_CLOSED,
		  "the server at 127.0.0.1:3306 closed the connection during the handshake: it may "
		  "be starting" },
		{ "\x17\x00\x00\x00\xff\x69\x04#", 8, CAUSE_CLOSED, NULL },
		{ "\xff\xff\xff\x00\x0a" "AAA", 8, CAUSE_NOT_SQL, NULL }, /* a 16 MiB "greeting" */
		{ "+", 1, CAUSE_CLOSED, NULL }, /* one byte tells nothing */
		{ "", 0, CAUSE_CLOSED, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sqlerr_ctx c = ctx;
		struct sqlerr e;

		memcpy(c.first, cases[i].first, cases[i].n);
		c.nfirst = cases[i].n;
		myerr_connect(2013,
			      "Lost connection to server at 'handshake: reading initial communication "
			      "packet', system error: 0",
			      &c, &e);
		T_EXPECT(e.cause == cases[i].cause, "case %zu: cause %s", i, cause_name(e.cause));
		if (cases[i].error)
			T_STR(e.error, cases[i].error);
	}
}

int main(void)
{
	test_connect();
	test_first_bytes();
	test_query();
	return t_done("test_mysql_err");
}
