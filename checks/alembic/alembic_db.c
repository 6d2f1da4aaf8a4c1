/*
 * alembic_db.c - the database half of alembic:DIR: read the version
 * table's rows through the shared SQL path (sql.h) and say which case the
 * database is in, compared with the scripts' effective heads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/alembic/alembic.h"
#include "checks/db/sql.h"

struct alembic_rows {
	char **v;
	size_t n;
	int failed; /* out of memory or too many rows */
};

static int rows_add(void *arg, size_t ncols, const char *const *cols)
{
	struct alembic_rows *r = arg;
	char **v;

	if (ncols < 1 || !cols[0])
		return 0; /* a NULL version_num: nothing Alembic would write */
	if (r->n >= ALEMBIC_REVS_MAX || !(v = realloc(r->v, (r->n + 1) * sizeof(*v)))) {
		r->failed = 1;
		return 1;
	}
	r->v = v;
	if (!(r->v[r->n] = strdup(cols[0]))) {
		r->failed = 1;
		return 1;
	}
	r->n++;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a, b" (three at most) of the rows, for messages. */
static void rows_text(const struct alembic_rows *r, char *buf, size_t cap)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n && i < 3 && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", r->v[i]);
	if (r->n > 3 && used < cap)
		snprintf(buf + used, cap - used, ", ...");
}

/* Reports the comparison of the rows (sorted, unique, all known: idx)
 * with the heads. */
static void alembic_judge(const struct alembic_graph *g, const struct alembic_rows *rows,
			  const size_t *idx, const char *table, struct check_result *res)
{
	char have[160], want[160];
	size_t *pending = NULL, i;
	long np = alembic_graph_pending(g, idx, rows->n, &pending);

	if (np < 0) {
		result_fail(res, HINT_NONE, "out of memory");
		return;
	}
	alembic_detail_ids(res, "pending", g, pending, (size_t)np);
	alembic_ids_text(g, g->heads, g->nheads, want, sizeof(want));
	rows_text(rows, have, sizeof(have));
	if (rows->n == 0 && g->n > 0) {
		result_fail(res, HINT_ALEMBIC_PENDING,
			    "%s is empty: the database is at base, scripts' head%s %s: %ld "
			    "migration%s pending",
			    table, g->nheads == 1 ? "" : "s", want, np, np == 1 ? "" : "s");
	} else if (np > 0) {
		result_fail(res, HINT_ALEMBIC_PENDING,
			    "database at %s%s scripts' head%s %s: %ld migration%s pending", have,
			    rows->n > 1 || g->nheads > 1 ? ";" : ",", g->nheads == 1 ? "" : "s",
			    want, np, np == 1 ? "" : "s");
	} else if (rows->n != g->nheads) {
		/* Every revision is applied, yet the rows are not the heads:
		 * a row stands for an ancestor of another (stamped by hand). */
		result_fail(res, HINT_NONE,
			    "%s holds %s but the scripts' heads are %s: a row names an "
			    "ancestor of another (alembic stamp by hand?)",
			    table, have, want);
	} else {
		for (i = 0; i < rows->n; i++)
			if (strcmp(rows->v[i], g->revs[g->heads[i]].s.revision) != 0)
				break;
		if (i == rows->n)
			result_pass(res);
		else
			result_fail(res, HINT_NONE, "%s holds %s but the scripts' heads are %s",
				    table, have, want);
	}
	free(pending);
}

void alembic_db_compare(const struct dburl *u, const char *schema, const char *table,
			const struct alembic_graph *g, const struct deadline *dl,
			struct check_result *res)
{
	const struct sql_driver *d = sql_driver_for(u->scheme);
	struct alembic_rows rows = { NULL, 0, 0 };
	enum sql_failure why = SQL_FAIL_OTHER;
	char sql[256], name[160];
	struct sql_conn *conn;
	size_t *idx = NULL, i, n;
	/* Alembic creates the table with the name as given, so quote it
	 * (names were checked to be [A-Za-z_][A-Za-z0-9_]*). */
	char q = d && strcmp(d->name, "mysql") == 0 ? '`' : '"';

	if (!d) {
		result_fail(res, HINT_ALEMBIC_NO_URL, "'%s' is not a SQL database this build reads",
			    u->scheme);
		return;
	}
	if (schema) {
		snprintf(sql, sizeof(sql), "SELECT version_num FROM %c%s%c.%c%s%c", q, schema, q,
			 q, table, q);
		snprintf(name, sizeof(name), "%s.%s", schema, table);
	} else {
		snprintf(sql, sizeof(sql), "SELECT version_num FROM %c%s%c", q, table, q);
		snprintf(name, sizeof(name), "%s", table);
	}
	conn = d->connect(u, dl, res);
	if (!conn)
		return; /* res says why: refused, authentication, no database... */
	if (d->query(conn, sql, dl, rows_add, &rows, res, &why) < 0) {
		if (why == SQL_FAIL_NO_TABLE)
			result_fail(res, HINT_ALEMBIC_NEVER,
				    "no %s table: the database was never migrated", name);
		goto done;
	}
	if (rows.failed) {
		result_fail(res, HINT_NONE, "%s: more than %d rows, or out of memory", name,
			    ALEMBIC_REVS_MAX);
		goto done;
	}
	if (rows.n > 1)
		qsort(rows.v, rows.n, sizeof(*rows.v), str_cmp);
	for (i = n = 0; i < rows.n; i++) { /* drop duplicate rows */
		if (n > 0 && strcmp(rows.v[n - 1], rows.v[i]) == 0) {
			free(rows.v[i]);
			continue;
		}
		rows.v[n++] = rows.v[i];
	}
	rows.n = n;
	detail_list_begin(res, "db");
	for (i = 0; i < rows.n; i++)
		detail_list_add(res, rows.v[i]);
	idx = malloc((rows.n ? rows.n : 1) * sizeof(*idx));
	if (!idx) {
		result_fail(res, HINT_NONE, "out of memory");
		goto done;
	}
	for (i = 0; i < rows.n; i++) {
		long k = alembic_graph_find(g, rows.v[i]);

		if (k < 0) {
			result_fail(res, HINT_ALEMBIC_UNKNOWN,
				    "the database is at %s (not in the scripts): the image is "
				    "older than the database?",
				    rows.v[i]);
			goto done;
		}
		idx[i] = (size_t)k;
	}
	alembic_judge(g, &rows, idx, name, res);
done:
	for (i = 0; i < rows.n; i++)
		free(rows.v[i]);
	free(rows.v);
	free(idx);
	d->close(conn);
}
