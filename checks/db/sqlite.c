/*
 * sqlite.c - sqlite[+driver]:///PATH: the file opens read-only and runs
 * SELECT 1 (query= to change), through the shared SQL path (sql.h).
 *
 * Read-only and never created: a missing file must fail as missing, not
 * turn into a new empty database (which the default sqlite3_open would
 * make).  A relative PATH is relative to probe's working directory, like
 * the app's own - the same WORKDIR when probe runs in the app's container
 * - so failures name that directory.  Waiting on another connection's
 * lock and long queries are both bounded by the deadline: a busy handler
 * that sleeps until it, a progress handler that interrupts at it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "probe/check.h"
#include "checks/db/sql.h"

static const char *const sqlite_names[] = { "sqlite", NULL };
static const char *const sqlite_keys[] = { "query", NULL };
static const enum probe_cause sqlite_causes[] = {
	CAUSE_MISSING, CAUSE_DENIED,   CAUSE_IS_DIR, CAUSE_OPEN,     CAUSE_NOTADB,
	CAUSE_LOCKED,  CAUSE_CORRUPT,  CAUSE_TIMEOUT, CAUSE_READONLY, CAUSE_IO,
	CAUSE_NO_TABLE, CAUSE_QUERY,   CAUSE_NONE,
};

struct sql_conn {
	sqlite3 *db;
	struct deadline dl; /* read by the busy and progress handlers */
	const char *path;   /* the file, for messages; points into the URL */
	int64_t t0;         /* when the current call began, for "waited N ms" */
};

/* Also an in-memory database, as SQLAlchemy reads these URLs. */
static int sqlite_in_memory(const struct dburl *u)
{
	const char *mode = dburl_param(u, "mode");

	return !u->database[0] || strcmp(u->database, ":memory:") == 0 ||
	       (mode && strcmp(mode, "memory") == 0);
}

/* SQLAlchemy's ?uri=true: the path is a file: URI with its own options. */
static int sqlite_uri(const struct dburl *u)
{
	const char *uri = dburl_param(u, "uri");

	return uri && (strcmp(uri, "true") == 0 || strcmp(uri, "1") == 0);
}

static int sqlite_parse(struct check *c, struct probe_err *err)
{
	const struct sql_check *s;

	if (sql_check_parse(c, err) < 0)
		return -1;
	s = c->priv;
	if (sqlite_in_memory(&s->url))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: an in-memory database can't be checked: it lives in "
				     "the app's process; write sqlite:///relative.db or "
				     "sqlite:////absolute.db",
				     c->name);
	return 0;
}

/* " (in /app, the working directory)" for a relative path, else "". */
static void sqlite_where(const char *path, char *buf, size_t n)
{
	char cwd[512];

	buf[0] = '\0';
	if (path[0] != '/' && strncmp(path, "file:", 5) != 0 && getcwd(cwd, sizeof(cwd)))
		snprintf(buf, n, " (in %s, the working directory)", cwd);
}

/* Fills res with why the file cannot be opened, from an errno. */
static void sqlite_fail_errno(struct check_result *res, const char *path, int e)
{
	char where[600];

	sqlite_where(path, where, sizeof(where));
	if (e == ENOENT || e == ENOTDIR) {
		result_fail(res, HINT_SQLITE_MISSING, "no such file: %s%s", path, where);
		detail_cause(res, CAUSE_MISSING);
	} else if (e == EACCES || e == EPERM) {
		result_fail(res, HINT_FILE_DENIED, "permission denied: %s%s", path, where);
		detail_cause(res, CAUSE_DENIED);
	} else if (e == EISDIR) {
		result_fail(res, HINT_FILE_IS_DIR, "%s is a directory, not a database file%s",
			    path, where);
		detail_cause(res, CAUSE_IS_DIR);
	} else {
		result_fail(res, HINT_NONE, "cannot open %s: %s", path, strerror(e));
		detail_cause(res, CAUSE_OPEN);
	}
}

/* Fills res with what SQLite's rc (an extended result code) means. */
static void sqlite_fail(struct check_result *res, struct sql_conn *conn, int rc,
			enum sql_failure *why)
{
	const char *msg = conn->db ? sqlite3_errmsg(conn->db) : sqlite3_errstr(rc);
	long long waited = (long long)((deadline_now_ns() - conn->t0) / 1000000);

	if (why)
		*why = SQL_FAIL_OTHER;
	switch (rc & 0xff) {
	case SQLITE_CANTOPEN: {
		int e = conn->db ? sqlite3_system_errno(conn->db) : 0;

		if (e) {
			sqlite_fail_errno(res, conn->path, e);
			return;
		}
		result_fail(res, HINT_SQLITE_MISSING, "cannot open %s: %s", conn->path, msg);
		detail_cause(res, CAUSE_OPEN);
		return;
	}
	case SQLITE_NOTADB:
		result_fail(res, HINT_SQLITE_NOTADB, "%s: file is not a database", conn->path);
		detail_cause(res, CAUSE_NOTADB);
		return;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		result_fail(res, HINT_SQLITE_LOCKED,
			    "the database is locked: another connection holds a write lock "
			    "(waited %lld ms)",
			    waited);
		detail_cause(res, CAUSE_LOCKED);
		return;
	case SQLITE_CORRUPT:
		result_fail(res, HINT_SQLITE_CORRUPT, "%s: %s", conn->path, msg);
		detail_cause(res, CAUSE_CORRUPT);
		return;
	case SQLITE_INTERRUPT:
		result_fail(res, HINT_SQLITE_SLOW, "the query did not finish within %lld ms",
			    waited);
		detail_cause(res, CAUSE_TIMEOUT);
		return;
	case SQLITE_READONLY:
		/* A hot journal left by a crashed writer, which only a
		 * writable connection may roll back. */
		result_fail(res, HINT_NONE, "%s: %s", conn->path, msg);
		detail_cause(res, CAUSE_READONLY);
		return;
	case SQLITE_IOERR:
		result_fail(res, HINT_NONE, "%s: %s (%s)", conn->path, msg,
			    strerror(conn->db ? sqlite3_system_errno(conn->db) : 0));
		detail_cause(res, CAUSE_IO);
		return;
	}
	if (strncmp(msg, "no such table", 13) == 0) {
		if (why)
			*why = SQL_FAIL_NO_TABLE;
		result_fail(res, HINT_SQL_NO_TABLE, "%s", msg);
		detail_cause(res, CAUSE_NO_TABLE);
		return;
	}
	result_fail(res, HINT_NONE, "query failed: %s", msg);
	detail_cause(res, CAUSE_QUERY);
}

/* Waits for another connection's lock, a few ms at a time, while the
 * deadline allows.  Returns 0 to give up (SQLITE_BUSY). */
static int sqlite_busy(void *arg, int count)
{
	struct sql_conn *conn = arg;
	int64_t left = deadline_left_ms(&conn->dl), step = count < 5 ? 2 : 10;
	struct timespec ts;

	if (left <= 0)
		return 0;
	if (step > left)
		step = left;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(step * 1000000);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 1;
}

/* Interrupts a statement once the deadline has passed. */
static int sqlite_progress(void *arg)
{
	struct sql_conn *conn = arg;

	return deadline_expired(&conn->dl);
}


static void sqlite_close(struct sql_conn *conn)
{
	if (!conn)
		return;
	sqlite3_close(conn->db);
	free(conn);
}

static struct sql_conn *sqlite_connect(const struct dburl *u, const struct deadline *dl,
				       struct check_result *res)
{
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
	struct sql_conn *conn = calloc(1, sizeof(*conn));
	struct stat st;
	int rc;

	if (!conn) {
		result_fail(res, HINT_NONE, "out of memory");
		return NULL;
	}
	conn->path = u->database;
	conn->dl = *dl;
	conn->t0 = deadline_now_ns();
	if (sqlite_uri(u)) {
		flags |= SQLITE_OPEN_URI;
	} else {
		/* stat first: errno says missing, denied or a directory more
		 * plainly than SQLITE_CANTOPEN (and a directory opens). */
		if (stat(conn->path, &st) < 0) {
			sqlite_fail_errno(res, conn->path, errno);
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			sqlite_fail_errno(res, conn->path, EISDIR);
			goto fail;
		}
		/* /dev/zero reads as a database of no tables, /dev/null as an
		 * empty one: a database is a regular file. */
		if (!S_ISREG(st.st_mode)) {
			result_fail(res, HINT_NONE,
				    "%s is not a regular file (%s): not a database file",
				    conn->path,
				    S_ISCHR(st.st_mode)	   ? "a character device"
				    : S_ISBLK(st.st_mode)  ? "a block device"
				    : S_ISFIFO(st.st_mode) ? "a FIFO"
				    : S_ISSOCK(st.st_mode) ? "a socket"
							   : "not a plain file");
			detail_cause(res, CAUSE_NOTADB);
			goto fail;
		}
		if (st.st_size == 0)
			result_warn(res, "the database file is empty: it has no tables yet");
	}
	rc = sqlite3_open_v2(conn->path, &conn->db, flags, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(conn->db, 1);
		sqlite3_busy_handler(conn->db, sqlite_busy, conn);
		sqlite3_progress_handler(conn->db, 1000, sqlite_progress, conn);
		/* Opening reads nothing; the schema cookie is on page 1, so
		 * this finds "not a database", locks and corruption of the
		 * header here rather than in the query. */
		rc = sqlite3_exec(conn->db, "PRAGMA schema_version", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		sqlite_fail(res, conn, rc, NULL);
		goto fail;
	}
	return conn;
fail:
	sqlite_close(conn);
	return NULL;
}

static int sqlite_query(struct sql_conn *conn, const char *sql, const struct deadline *dl,
			sql_row_fn row, void *arg, struct check_result *res,
			enum sql_failure *why)
{
	const char **cols = NULL;
	sqlite3_stmt *stmt = NULL;
	const char *tail = sql;
	int rc = SQLITE_OK, stop = 0;

	conn->dl = *dl;
	conn->t0 = deadline_now_ns();
	/* Every statement of query= in turn, rows of each to row(). */
	while (!stop && tail && *tail) {
		int ncols, i;

		rc = sqlite3_prepare_v2(conn->db, tail, -1, &stmt, &tail);
		if (rc != SQLITE_OK)
			break;
		if (!stmt) /* white space or a comment */
			continue;
		ncols = sqlite3_column_count(stmt);
		free(cols);
		cols = calloc(ncols > 0 ? (size_t)ncols : 1, sizeof(*cols));
		if (!cols) {
			rc = SQLITE_NOMEM;
			break;
		}
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			for (i = 0; i < ncols; i++)
				cols[i] = (const char *)sqlite3_column_text(stmt, i);
			if (row && row(arg, (size_t)ncols, cols)) {
				stop = 1;
				break;
			}
		}
		if (rc == SQLITE_DONE || stop)
			rc = SQLITE_OK;
		if (rc != SQLITE_OK)
			break;
		sqlite3_finalize(stmt);
		stmt = NULL;
	}
	if (rc != SQLITE_OK)
		sqlite_fail(res, conn, rc, why);
	sqlite3_finalize(stmt);
	free(cols);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The library's version: SQLite has no server. */
static const char *sqlite_version(struct sql_conn *conn)
{
	(void)conn;
	return sqlite3_libversion();
}

static const struct sql_driver sql_sqlite = {
	.name = "sqlite",
	.connect = sqlite_connect,
	.query = sqlite_query,
	.version = sqlite_version,
	.close = sqlite_close,
};

static void sqlite_run(const struct check *c, const struct deadline *dl,
		       struct check_result *res)
{
	sql_check_run(&sql_sqlite, c, dl, res);
}

const struct check_kind check_sqlite = {
	.names = sqlite_names,
	.keys = sqlite_keys,
	.layer = LAYER_DEPS,
	.level = LEVEL_READY,
	.flags = KIND_URL_TARGET | KIND_DB_URL,
	.help = "sqlite:///REL.db sqlite:////ABS.db   opens read-only, SELECT 1; query=SQL",
	.causes = sqlite_causes,
	.sql = &sql_sqlite,
	.parse = sqlite_parse,
	.run = sqlite_run,
	.free = sql_check_free,
	.covers = sql_check_covers,
};
