/*
 * test_postgres_err.c - libpq's error texts, as captured from PostgreSQL 15 and
 * libpq 15 (PQERRORS_VERBOSE) in tests/integration/postgres.sh's
 * situations, and what probe makes of them.
 */
#include "checks/db/sql.h"
#include "checks/db/sql_err.h"
#include "t.h"

static const struct sqlerr_ctx ctx = {
	.where = "127.0.0.1:5432", .user = "app", .database = "app"
};

static void test_connect(void)
{
	static const struct {
		const char *msg;
		int needs_password;
		enum probe_cause cause;
		const char *code, *error;
		enum hint_id hint;
	} cases[] = {
		/* the situations of postgres.sh, verbatim */
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  28P01: "
		  "password authentication failed for user \"app\"\nLOCATION:  auth_failed, "
		  "auth.c:334\n",
		  0, CAUSE_AUTH, "28P01", "authentication failed for user \"app\" (28P01)",
		  HINT_SQL_AUTH },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no "
		  "password supplied\n",
		  1, CAUSE_AUTH, "",
		  "authentication failed for user \"app\": the server asks for a password and "
		  "the URL has none",
		  HINT_SQL_AUTH },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  57P03: the "
		  "database system is starting up\nLOCATION:  ProcessStartupPacket, "
		  "postmaster.c:2413\n",
		  0, CAUSE_STARTING, "57P03", "the server is starting up (57P03): not ready yet",
		  HINT_SQL_STARTING },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  57P03: the "
		  "database system is not accepting connections\nDETAIL:  Hot standby mode is "
		  "disabled.\nLOCATION:  ProcessStartupPacket, postmaster.c:2424\n",
		  0, CAUSE_STARTING, "57P03",
		  "the server is not ready (57P03): the database system is not accepting "
		  "connections; Hot standby mode is disabled.",
		  HINT_SQL_STARTING },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  3D000: "
		  "database \"nosuchdb\" does not exist\nLOCATION:  InitPostgres, "
		  "postinit.c:948\n",
		  0, CAUSE_NO_DATABASE, "3D000", "database \"nosuchdb\" does not exist (3D000)",
		  HINT_SQL_NO_DATABASE },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: server does not "
		  "support SSL, but SSL was required\n",
		  0, CAUSE_TLS, "",
		  "the server does not support TLS, but the URL's sslmode requires it",
		  HINT_SQL_TLS_UNSUPPORTED },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  28000: no "
		  "pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database "
		  "\"postgres\", no encryption\nLOCATION:  ClientAuthentication, auth.c:544\n",
		  0, CAUSE_TLS, "28000",
		  "the server refuses unencrypted connections from this client (28000): no "
		  "pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database "
		  "\"postgres\", no encryption",
		  HINT_SQL_TLS_REQUIRED },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: root certificate "
		  "file \"/root/.postgresql/root.crt\" does not exist\nEither provide the file "
		  "or change sslmode to disable server certificate verification.\n",
		  0, CAUSE_TLS, "",
		  "cannot verify the server's TLS certificate: root certificate file "
		  "\"/root/.postgresql/root.crt\" does not exist Either provide the file or "
		  "change sslmode to disable server certificate verification.",
		  HINT_SQL_TLS_VERIFY },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: SSL error: "
		  "certificate verify failed\n",
		  0, CAUSE_TLS, "",
		  "cannot verify the server's TLS certificate: SSL error: certificate verify "
		  "failed",
		  HINT_SQL_TLS_VERIFY },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: Connection "
		  "refused\n\tIs the server running on that host and accepting TCP/IP "
		  "connections?\n",
		  0, CAUSE_REFUSED, "", "connection refused by 127.0.0.1:5432", HINT_REFUSED },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: timeout expired\n", 0,
		  CAUSE_TIMEOUT, "", "connect timed out to 127.0.0.1:5432", HINT_TIMEOUT },
		{ "could not translate host name \"nonexistent.invalid\" to address: Name or "
		  "service not known\n",
		  0, CAUSE_DNS, "",
		  "cannot resolve nonexistent.invalid: Name or service not known",
		  HINT_DNS },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  53300: "
		  "remaining connection slots are reserved for non-replication superuser "
		  "connections\nLOCATION:  InitPostgres, postinit.c:835\n",
		  0, CAUSE_TOO_MANY, "53300",
		  "the server has no free connection slot (53300): remaining connection slots "
		  "are reserved for non-replication superuser connections",
		  HINT_SQL_TOO_MANY },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  53300: "
		  "sorry, too many clients already\n",
		  0, CAUSE_TOO_MANY, "53300",
		  "the server has no free connection slot (53300): sorry, too many clients "
		  "already",
		  HINT_SQL_TOO_MANY },
		{ "connection to server on socket \"/tmp/x/.s.PGSQL.5432\" failed: No such file "
		  "or directory\n\tIs the server running locally and accepting connections on "
		  "that socket?\n",
		  0, CAUSE_REFUSED, "", "no server socket at /tmp/x/.s.PGSQL.5432", HINT_REFUSED },
		/* what libpq says of other situations (its source, or a server by hand) */
		{ "connection to server at \"127.0.0.1\", port 5432 failed: server closed the "
		  "connection unexpectedly\n\tThis probably means the server terminated "
		  "abnormally\n\tbefore or while processing the request.\n",
		  0, CAUSE_CLOSED, "",
		  "the server at 127.0.0.1:5432 closed the connection during the handshake: it "
		  "may be starting",
		  HINT_SQL_CLOSED },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: received invalid "
		  "response to SSL negotiation: H\n",
		  0, CAUSE_NOT_SQL, "",
		  "not a PostgreSQL server at 127.0.0.1:5432: received invalid response to SSL "
		  "negotiation: H",
		  HINT_SQL_NOT_SQL },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  57P03: the "
		  "database system is shutting down\n",
		  0, CAUSE_STOPPING, "57P03", "the server is shutting down (57P03)",
		  HINT_SQL_STOPPING },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  28000: role "
		  "\"app\" does not exist\n",
		  0, CAUSE_AUTH, "28000",
		  "authentication failed for user \"app\" (28000): role \"app\" does not exist",
		  HINT_SQL_AUTH },
		{ "connection to server at \"10.0.0.9\", port 5432 failed: FATAL:  28000: no "
		  "pg_hba.conf entry for host \"10.0.0.2\", user \"app\", database \"app\", SSL "
		  "encryption\nconnection to server at \"10.0.0.9\", port 5432 failed: FATAL:  "
		  "28000: no pg_hba.conf entry for host \"10.0.0.2\", user \"app\", database "
		  "\"app\", no encryption\n",
		  0, CAUSE_DENIED, "28000",
		  "the server admits no connection from this client (28000): no pg_hba.conf "
		  "entry for host \"10.0.0.2\", user \"app\", database \"app\", SSL encryption",
		  HINT_SQL_HOST_DENIED },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  42501: "
		  "permission denied for database \"app\"\nDETAIL:  User does not have CONNECT "
		  "privilege.\n",
		  0, CAUSE_DENIED, "42501",
		  "permission denied for database \"app\" (42501); User does not have CONNECT "
		  "privilege.",
		  HINT_SQL_DB_DENIED },
		/* without a code (another verbosity): the text stands for it */
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database "
		  "system is starting up\n",
		  0, CAUSE_STARTING, "57P03", "the server is starting up (57P03): not ready yet",
		  HINT_SQL_STARTING },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password "
		  "authentication failed for user \"app\"\n",
		  0, CAUSE_AUTH, "28P01", "authentication failed for user \"app\" (28P01)",
		  HINT_SQL_AUTH },
		/* localhost: one address refused, the other answered - the answer wins */
		{ "connection to server at \"localhost\" (::1), port 5432 failed: Connection "
		  "refused\n\tIs the server running on that host and accepting TCP/IP "
		  "connections?\nconnection to server at \"localhost\" (127.0.0.1), port 5432 "
		  "failed: FATAL:  3D000: database \"app\" does not exist\n",
		  0, CAUSE_NO_DATABASE, "3D000", "database \"app\" does not exist (3D000)",
		  HINT_SQL_NO_DATABASE },
		{ "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  XX000: "
		  "something odd\nLOCATION:  x.c:1\n",
		  0, CAUSE_OTHER, "XX000", "something odd (XX000)", HINT_NONE },
		{ "", 0, CAUSE_OTHER, "", "connection to 127.0.0.1:5432 failed", HINT_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sqlerr e;

		pgerr_connect(cases[i].msg, cases[i].needs_password, &ctx, &e);
		T_EXPECT(e.cause == cases[i].cause, "case %zu: cause %s, want %s", i,
			 cause_name(e.cause), cause_name(cases[i].cause));
		T_EXPECT(cause_in(sql_causes, e.cause), "case %zu: %s is not in sql_causes", i,
			 cause_name(e.cause));
		T_STR(e.code, cases[i].code);
		T_STR(e.error, cases[i].error);
		T_EXPECT(e.hint == cases[i].hint, "case %zu: hint %d, want %d", i, (int)e.hint,
			 (int)cases[i].hint);
	}
}

static void test_query(void)
{
	static const struct {
		const char *sqlstate, *primary, *detail;
		enum probe_cause cause;
		const char *error;
		enum hint_id hint;
	} cases[] = {
		{ "42P01", "relation \"nonexistent\" does not exist", NULL, CAUSE_NO_TABLE,
		  "relation \"nonexistent\" does not exist (42P01)", HINT_SQL_NO_TABLE },
		{ "42601", "syntax error at or near \"SELEC\"", NULL, CAUSE_QUERY,
		  "query failed (42601): syntax error at or near \"SELEC\"", HINT_NONE },
		{ "22012", "division by zero", NULL, CAUSE_QUERY,
		  "query failed (22012): division by zero", HINT_NONE },
		{ "57014", "canceling statement due to statement timeout", NULL, CAUSE_QUERY,
		  "query failed (57014): canceling statement due to statement timeout",
		  HINT_SQL_SLOW_QUERY },
		{ "57P01", "terminating connection due to administrator command", NULL,
		  CAUSE_STOPPING,
		  "the server is shutting down (57P01): terminating connection due to "
		  "administrator command",
		  HINT_SQL_STOPPING },
		{ NULL,
		  "server closed the connection unexpectedly\n\tThis probably means the server "
		  "terminated abnormally\n",
		  NULL, CAUSE_CLOSED, "the server closed the connection during the query",
		  HINT_SQL_CLOSED },
		{ "23505", "duplicate key value violates unique constraint \"t_pkey\"",
		  "Key (id)=(1) already exists.", CAUSE_QUERY,
		  "query failed (23505): duplicate key value violates unique constraint "
		  "\"t_pkey\"; Key (id)=(1) already exists.",
		  HINT_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sqlerr e;

		pgerr_query(cases[i].sqlstate, cases[i].primary, cases[i].detail, &e);
		T_EXPECT(e.cause == cases[i].cause, "case %zu: cause %s, want %s", i,
			 cause_name(e.cause), cause_name(cases[i].cause));
		T_EXPECT(cause_in(sql_causes, e.cause), "case %zu: %s is not in sql_causes", i,
			 cause_name(e.cause));
		T_STR(e.error, cases[i].error);
		T_EXPECT(e.hint == cases[i].hint, "case %zu: hint %d", i, (int)e.hint);
	}
}

static void test_report(void)
{
	struct check_result res;
	struct sqlerr e;

	memset(&res, 0, sizeof(res));
	pgerr_connect("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  57P03: "
		      "the database system is starting up\n",
		      0, &ctx, &e);
	sqlerr_report(&res, &e);
	T_INT(res.status, CHECK_FAIL);
	T_STR(res.error, "the server is starting up (57P03): not ready yet");
	T_STR(res.hint, hint_text(HINT_SQL_STARTING));
	T_INT(res.nitems, 2);
	T_STR(res.items[0].key, "cause");
	T_STR(detail_list_at(&res, &res.items[0], 0), "starting");
	T_STR(res.items[1].key, "code");
	T_STR(detail_list_at(&res, &res.items[1], 0), "57P03");
}

static void test_oneline(void)
{
	char buf[32];

	T_STR(sqlerr_oneline(buf, sizeof(buf), "a\n\tb  c \n"), "a b c");
	T_STR(sqlerr_oneline(buf, sizeof(buf), "\n x"), "x");
	T_STR(sqlerr_oneline(buf, 4, "abcdef"), "abc");
	T_STR(cause_name(CAUSE_TOO_MANY), "too_many_connections");
}

int main(void)
{
	test_connect();
	test_query();
	test_report();
	test_oneline();
	return t_done("test_postgres_err");
}
