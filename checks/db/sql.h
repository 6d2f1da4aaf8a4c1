/*
 * sql.h - "run this query, give me rows of strings": the one interface the
 * SQL kinds (postgres.c, mysql.c, sqlite.c) implement, so that the
 * dependency checks and alembic.c share a connection path instead of
 * keeping three copies.
 */
#ifndef PROBE_SQL_H
#define PROBE_SQL_H

#include <stddef.h>

#include "probe/check.h"
#include "lib/dburl.h"

struct sql_conn; /* a driver's own connection state */

/* Called once per row; cols[i] is NULL for SQL NULL.  Return non-zero to
 * stop early. */
typedef int (*sql_row_fn)(void *arg, size_t ncols, const char *const *cols);

/* Why a query failed, where the caller must tell cases apart. */
enum sql_failure {
	SQL_FAIL_OTHER,
	SQL_FAIL_NO_TABLE, /* the relation does not exist */
};

struct sql_driver {
	const char *name; /* "postgres", "mysql", "sqlite" */
	/* Connects within dl.  Returns a connection (freed by close) or NULL
	 * with res filled: FAIL, an error that says which case it is
	 * (refused, timed out, starting up, authentication, no such
	 * database, TLS), a hint and detail.cause. */
	struct sql_conn *(*connect)(const struct dburl *u, const struct deadline *dl,
				    struct check_result *res);
	/* Runs sql within dl, calling row for each row.  Returns 0, or -1
	 * with res filled and *why set. */
	int (*query)(struct sql_conn *conn, const char *sql, const struct deadline *dl,
		     sql_row_fn row, void *arg, struct check_result *res,
		     enum sql_failure *why);
	/* The server's version ("15.4", "10.11.6-MariaDB"), or "". */
	const char *(*version)(struct sql_conn *conn);
	/* Closes and frees; accepts NULL. */
	void (*close)(struct sql_conn *conn);
};

/* What every SQL check keeps after parse (c->priv). */
struct sql_check {
	struct dburl url;
	const char *query; /* query=, default "SELECT 1" */
};

/* Parses c->word as a database URL into a new struct sql_check
 * (c->priv, freed by sql_check_free), registers the password as a
 * secret, fills c->ep (the kind's defport when the URL has none; empty for
 * a Unix socket or a file) and c->dep_key.  No I/O. */
int sql_check_parse(struct check *c, struct probe_err *err);
/* Connects with driver d, runs the check's query and reports
 * detail.server_version. */
void sql_check_run(const struct sql_driver *d, const struct check *c,
		   const struct deadline *dl, struct check_result *res);
/* Frees c->priv of a SQL check. */
void sql_check_free(struct check *c);
/* A failed database check covers every later check on the same database
 * (alembic: reads its version table through it). */
int sql_check_covers(const struct check *pre, const struct check *dep);
/* Writes "family://user@host:port/database" into buf: the identity two
 * checks on the same database share, whatever their +driver. */
void sql_dep_key(const struct dburl *u, char *buf, size_t n);

/* The driver for a URL scheme ("postgresql", "mysql", "mariadb",
 * "sqlite"...), or NULL when the scheme is not a SQL database or its
 * driver was left out of this build. */
const struct sql_driver *sql_driver_for(const char *scheme);

/* The detail.cause words the SQL kinds (postgres, mysql) report, through
 * sql_err.c's judges and their own timeouts: for their tables. */
extern const enum probe_cause sql_causes[];

#endif
