/*
 * postgres.c - postgres://, postgresql[+driver]://: connect with libpq and
 * run the check's query (SELECT 1 unless query=), all under one deadline.
 *
 * The connection is built from keyword/value arrays, never from a
 * conninfo string holding user input, and driven by PQconnectPoll with
 * poll() on PQsocket, so the deadline holds to the millisecond whatever
 * the server does (libpq's own connect_timeout is whole seconds, and is
 * not applied to PQconnectPoll at all).  Failures are judged by
 * pgerr_connect / pgerr_query (postgres_err.c, pure and unit-tested).
 */
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/check.h"
#include "checks/db/sql.h"
#include "checks/db/sql_err.h"
#include "lib/tls.h"
#include "lib/url.h"

struct sql_conn {
	PGconn *pg;
	char version[64];
};

extern const struct check_kind check_postgres;

static const char *const pg_names[] = { "postgres", "postgresql", NULL };
static const char *const pg_keys[] = { "query", NULL };

/* URL query parameters handed to libpq under the same name (what
 * psycopg2 does with them).  Others (asyncpg's, SQLAlchemy's) are not
 * libpq's and are left alone. */
static const char *const pg_passthrough[] = {
	"sslrootcert", "sslcert", "sslkey", "sslcrl", "target_session_attrs", "options",
	"gssencmode", NULL,
};

static const char *const pg_sslmodes[] = {
	"disable", "allow", "prefer", "require", "verify-ca", "verify-full", NULL,
};

static const char *const pg_session_attrs[] = {
	"any", "read-write", "read-only", "primary", "standby", "prefer-standby", NULL,
};

static int pg_one_of(const char *v, const char *const *set)
{
	size_t i;

	for (i = 0; set[i]; i++)
		if (strcmp(v, set[i]) == 0)
			return 1;
	return 0;
}

/* The sslmode for libpq: sslmode=, else asyncpg's ssl= (a mode, or
 * true/false); NULL for libpq's default (prefer). */
static const char *pg_sslmode(const struct dburl *u)
{
	const char *v = dburl_param(u, "sslmode");

	if (v)
		return v;
	v = dburl_param(u, "ssl");
	if (!v)
		return NULL;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return "require";
	if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		return "disable";
	return v;
}

/* The host libpq is given: host= of the query (a socket folder, or a
 * name), else the URL's; "" for libpq's default socket. */
static const char *pg_host(const struct dburl *u)
{
	const char *h = dburl_param(u, "host");

	return h && *h ? h : u->host;
}

/* The port: port= of the query (next to host=/socket/dir), else the
 * URL's, else the kind's; 0 when port= is not a port. */
static int pg_port(const struct dburl *u)
{
	const char *v = dburl_param(u, "port");
	char *end;
	long p;

	if (!v)
		return u->port ? u->port : check_postgres.defport;
	p = strtol(v, &end, 10);
	return *v && !*end && p > 0 && p < 65536 ? (int)p : 0;
}

static int pg_parse(struct check *c, struct probe_err *err)
{
	const struct sql_check *s;
	const char *v, *host;

	if (sql_check_parse(c, err) < 0)
		return -1;
	s = c->priv;
	v = pg_sslmode(&s->url);
	if (v && !pg_one_of(v, pg_sslmodes))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: sslmode=%s: expected disable, allow, prefer, require, "
				     "verify-ca or verify-full",
				     c->name, v);
	/* libpq negotiates TLS unless told not to (sslmode=prefer). */
	c->uses_tls = !v || strcmp(v, "disable") != 0;
	v = dburl_param(&s->url, "target_session_attrs");
	if (v && !pg_one_of(v, pg_session_attrs))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: target_session_attrs=%s: expected any, read-write, "
				     "read-only, primary, standby or prefer-standby",
				     c->name, v);
	if (!pg_port(&s->url))
		return probe_err_set(err, EXIT_USAGE, "%s: port=%s: not a port", c->name,
				     dburl_param(&s->url, "port"));
	/* host=/run/postgresql: a Unix socket, no TCP endpoint to depend on. */
	host = pg_host(&s->url);
	memset(&c->ep, 0, sizeof(c->ep));
	if (host[0] && host[0] != '/') {
		snprintf(c->ep.host, sizeof(c->ep.host), "%s", host);
		c->ep.port = pg_port(&s->url);
		c->ep.local = host_is_local(c->ep.host);
	}
	return 0;
}

/* Waits until fd is ready for events or dl passes.  Returns 1 when
 * ready, 0 on the deadline, -1 on a poll error. */
static int pg_wait(int fd, short events, const struct deadline *dl)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int rc;

	do {
		int64_t left = deadline_left_ms(dl);

		if (left <= 0)
			return 0;
		rc = poll(&pfd, 1, left > 0x7fffffff ? 0x7fffffff : (int)left);
	} while (rc < 0 && errno == EINTR);
	return rc < 0 ? -1 : rc > 0;
}

/* "127.0.0.1:5432", "[::1]:5432", "/run/postgresql/.s.PGSQL.5432". */
static void pg_where(const struct dburl *u, char *buf, size_t n)
{
	const char *host = pg_host(u);
	int port = pg_port(u);

	if (!host[0])
		snprintf(buf, n, "the default socket (port %d)", port);
	else if (host[0] == '/')
		snprintf(buf, n, "%s/.s.PGSQL.%d", host, port);
	else
		url_hostport(buf, n, host, port);
}

static void pg_close(struct sql_conn *conn)
{
	if (!conn)
		return;
	if (conn->pg)
		PQfinish(conn->pg);
	free(conn);
}

/* Reports a connection that the deadline cut short. */
static void pg_timed_out(PGconn *pg, const char *where, int64_t t0,
			 struct check_result *res)
{
	struct sqlerr e;
	long ms = (long)((deadline_now_ns() - t0) / 1000000);

	memset(&e, 0, sizeof(e));
	e.cause = CAUSE_TIMEOUT;
	if (PQstatus(pg) == CONNECTION_STARTED) {
		e.hint = HINT_TIMEOUT;
		snprintf(e.error, sizeof(e.error), "connect timed out to %.200s", where);
	} else {
		e.hint = HINT_SQL_SILENT;
		snprintf(e.error, sizeof(e.error),
			 "no answer from the server at %.120s within %ld ms: it accepted the "
			 "connection but did not finish the handshake",
			 where, ms);
	}
	sqlerr_report(res, &e);
}

static struct sql_conn *pg_connect(const struct dburl *u, const struct deadline *dl,
				   struct check_result *res)
{
	const char *keys[24], *vals[24];
	char port[16], timeout[24], where[300];
	const char *user = u->user[0] ? u->user : "postgres", *v;
	struct sqlerr_ctx ctx = { .where = where,
				  .user = user,
				  .database = u->database[0] ? u->database : user };
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	int64_t t0 = deadline_now_ns(), left = deadline_left_ms(dl);
	struct sql_conn *conn = calloc(1, sizeof(*conn));
	struct sqlerr e;
	size_t n = 0, i;

#define PG_KV(k, v) (keys[n] = (k), vals[n] = (v), n++)
	if (!conn) {
		result_fail(res, HINT_NONE, "out of memory");
		return NULL;
	}
	pg_where(u, where, sizeof(where));
	if (pg_host(u)[0])
		PG_KV("host", pg_host(u));
	snprintf(port, sizeof(port), "%d", pg_port(u));
	PG_KV("port", port);
	/* Always a user: without one libpq asks /etc/passwd for ours, which a
	 * scratch image does not have. */
	PG_KV("user", user);
	if (u->has_password)
		PG_KV("password", u->password);
	PG_KV("dbname", ctx.database);
	snprintf(timeout, sizeof(timeout), "%lld", (long long)(left > 1000 ? left / 1000 : 1));
	PG_KV("connect_timeout", timeout);
	PG_KV("application_name", "probe");
	v = pg_sslmode(u);
	if (v)
		PG_KV("sslmode", v);
	for (i = 0; pg_passthrough[i]; i++) {
		v = dburl_param(u, pg_passthrough[i]);
		if (v)
			PG_KV(pg_passthrough[i], v);
	}
	keys[n] = vals[n] = NULL;
#undef PG_KV

	tls_start(); /* before libpq may start OpenSSL: see lib/tls.h */
	conn->pg = PQconnectStartParams(keys, vals, 0);
	if (!conn->pg) {
		result_fail(res, HINT_NONE, "out of memory");
		free(conn);
		return NULL;
	}
	/* A server's error then carries its SQLSTATE: "FATAL:  57P03: ...". */
	PQsetErrorVerbosity(conn->pg, PQERRORS_VERBOSE);
	while (PQstatus(conn->pg) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
	       st != PGRES_POLLING_FAILED) {
		int fd = PQsocket(conn->pg), rc = 1;

		if (fd >= 0)
			rc = pg_wait(fd, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, dl);
		if (rc <= 0) {
			if (rc == 0)
				pg_timed_out(conn->pg, where, t0, res);
			else
				result_fail(res, HINT_NONE, "waiting for %s: %s", where,
					    strerror(errno));
			pg_close(conn);
			return NULL;
		}
		st = PQconnectPoll(conn->pg);
	}
	if (PQstatus(conn->pg) != CONNECTION_OK) {
		pgerr_connect(PQerrorMessage(conn->pg), PQconnectionNeedsPassword(conn->pg), &ctx,
			      &e);
		sqlerr_report(res, &e);
		pg_close(conn);
		return NULL;
	}
	PQsetnonblocking(conn->pg, 1);
	v = PQparameterStatus(conn->pg, "server_version");
	/* "15.4 (Debian 15.4-1.pgdg120+1)": the version is the first word. */
	if (v)
		snprintf(conn->version, sizeof(conn->version), "%.*s", (int)strcspn(v, " "), v);
	return conn;
}

/* Reports a query failure judged from result r (NULL: from the
 * connection's error). */
static void pg_query_failed(PGconn *pg, const PGresult *r, struct check_result *res,
			    enum sql_failure *why)
{
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	struct sqlerr e;

	if (!primary)
		primary = r ? PQresultErrorMessage(r) : PQerrorMessage(pg);
	pgerr_query(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL, primary,
		    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL, &e);
	*why = e.cause == CAUSE_NO_TABLE ? SQL_FAIL_NO_TABLE : SQL_FAIL_OTHER;
	sqlerr_report(res, &e);
}

/* Hands each row of r to row() until it asks to stop (*stop). */
static int pg_rows(const PGresult *r, sql_row_fn row, void *arg, int *stop)
{
	int nrows = PQntuples(r), ncols = PQnfields(r), i, j;
	const char **cols;

	if (*stop || nrows == 0)
		return 0;
	cols = calloc(ncols > 0 ? (size_t)ncols : 1, sizeof(*cols));
	if (!cols)
		return -1;
	for (i = 0; i < nrows && !*stop; i++) {
		for (j = 0; j < ncols; j++)
			cols[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
		*stop = row(arg, (size_t)ncols, cols) != 0;
	}
	free(cols);
	return 0;
}

static int pg_query(struct sql_conn *conn, const char *sql, const struct deadline *dl,
		    sql_row_fn row, void *arg, struct check_result *res, enum sql_failure *why)
{
	PGconn *pg = conn->pg;
	int64_t t0 = deadline_now_ns();
	int stop = 0, rc = 1, failed = 0;
	PGresult *r;

	*why = SQL_FAIL_OTHER;
	if (!PQsendQuery(pg, sql)) {
		pg_query_failed(pg, NULL, res, why);
		return -1;
	}
	/* Results are read as they come, so the server is never blocked on
	 * a full socket while we wait to write. */
	while (PQflush(pg) == 1) {
		rc = pg_wait(PQsocket(pg), POLLIN | POLLOUT, dl);
		if (rc <= 0 || !PQconsumeInput(pg))
			break;
	}
	for (;;) {
		while (rc > 0 && PQisBusy(pg)) {
			rc = pg_wait(PQsocket(pg), POLLIN, dl);
			if (rc > 0 && !PQconsumeInput(pg))
				break; /* the connection broke: PQgetResult says how */
		}
		if (rc < 0) {
			result_fail(res, HINT_NONE, "waiting for the server: %s", strerror(errno));
			detail_cause(res, CAUSE_OTHER);
			return -1;
		}
		if (rc == 0) {
			result_fail(res, HINT_SQL_SLOW_QUERY,
				    "the query did not finish within %lld ms",
				    (long long)((deadline_now_ns() - t0) / 1000000));
			detail_cause(res, CAUSE_TIMEOUT);
			return -1;
		}
		r = PQgetResult(pg);
		if (!r)
			break;
		switch (PQresultStatus(r)) {
		case PGRES_TUPLES_OK:
		case PGRES_SINGLE_TUPLE:
			if (!failed && pg_rows(r, row, arg, &stop) < 0) {
				result_fail(res, HINT_NONE, "out of memory");
				failed = 1;
			}
			break;
		case PGRES_COMMAND_OK:
		case PGRES_EMPTY_QUERY:
			break;
		case PGRES_COPY_IN:
		case PGRES_COPY_OUT:
		case PGRES_COPY_BOTH:
			PQclear(r);
			result_fail(res, HINT_NONE, "query= runs COPY, which a check cannot do");
			detail_cause(res, CAUSE_QUERY);
			return -1;
		default:
			if (!failed)
				pg_query_failed(pg, r, res, why);
			failed = 1;
		}
		PQclear(r);
		if (failed && PQstatus(pg) != CONNECTION_OK)
			break;
	}
	return failed ? -1 : 0;
}

static const char *pg_version(struct sql_conn *conn)
{
	return conn->version;
}

/* The driver behind sql_driver_for("postgres") and alembic's db=. */
static const struct sql_driver sql_postgres = {
	.name = "postgres",
	.connect = pg_connect,
	.query = pg_query,
	.version = pg_version,
	.close = pg_close,
};

static void pg_run(const struct check *c, const struct deadline *dl, struct check_result *res)
{
	sql_check_run(&sql_postgres, c, dl, res);
}

/* postgres:// and postgresql[+driver]:// checks. */
const struct check_kind check_postgres = {
	.names = pg_names,
	.keys = pg_keys,
	.layer = LAYER_DEPS,
	.level = LEVEL_READY,
	.flags = KIND_URL_TARGET | KIND_DB_URL,
	.defport = 5432,
	.title = "PostgreSQL",
	.help = "postgres://... postgresql+DRIVER://... [ready]  connects, SELECT 1; query=SQL",
	.causes = sql_causes,
	.sql = &sql_postgres,
	.parse = pg_parse,
	.run = pg_run,
	.free = sql_check_free,
	.covers = sql_check_covers,
};
