/*
 * sql.c - what the SQL checks share: the URL, the query, the driver table.
 */
#include "checks/db/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/report.h"

#ifdef PROBE_WITH_POSTGRES
extern const struct sql_driver sql_postgres;
#endif
#ifdef PROBE_WITH_MYSQL
extern const struct sql_driver sql_mysql;
#endif
#ifdef PROBE_WITH_SQLITE
extern const struct sql_driver sql_sqlite;
#endif

static const struct {
	const char *scheme;
	const char *family;
	const struct sql_driver *driver;
} sql_schemes[] = {
#ifdef PROBE_WITH_POSTGRES
	{ "postgres", "postgres", &sql_postgres },
	{ "postgresql", "postgres", &sql_postgres },
#endif
#ifdef PROBE_WITH_MYSQL
	{ "mysql", "mysql", &sql_mysql },
	{ "mariadb", "mysql", &sql_mysql },
#endif
#ifdef PROBE_WITH_SQLITE
	{ "sqlite", "sqlite", &sql_sqlite },
#endif
	{ NULL, NULL, NULL },
};

const struct sql_driver *sql_driver_for(const char *scheme)
{
	size_t i;

	for (i = 0; sql_schemes[i].scheme; i++)
		if (strcmp(sql_schemes[i].scheme, scheme) == 0)
			return sql_schemes[i].driver;
	return NULL;
}

void sql_dep_key(const struct dburl *u, char *buf, size_t n)
{
	const char *family = u->scheme;
	size_t i;

	for (i = 0; sql_schemes[i].scheme; i++)
		if (strcmp(sql_schemes[i].scheme, u->scheme) == 0)
			family = sql_schemes[i].family;
	if (strcmp(family, "sqlite") == 0)
		snprintf(buf, n, "sqlite:///%s", u->database);
	else
		snprintf(buf, n, "%s://%s@%s:%d/%s", family, u->user, u->host, u->port,
			 u->database);
}

int sql_check_parse(struct check *c, int default_port, struct probe_err *err)
{
	struct sql_check *s = calloc(1, sizeof(*s));
	char key[1600];
	const char *q;
	if (!s)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = s;
	if (dburl_parse(c->word, &s->url, err) < 0)
		return probe_err_prefix(err, EXIT_USAGE, "%s", c->name);
	/* The decoded password; URLs that hold it are masked by position. */
	if (s->url.has_password)
		secret_add(s->url.password);
	s->query = check_opt_get(c, "query");
	if (!s->query)
		s->query = "SELECT 1";
	else if (!*s->query)
		return probe_err_set(err, EXIT_USAGE, "%s: query= is empty", c->name);
	if (s->url.host[0] && s->url.host[0] != '/') {
		snprintf(c->ep.host, sizeof(c->ep.host), "%s", s->url.host);
		c->ep.port = s->url.port ? s->url.port : default_port;
		c->ep.local = host_is_local(c->ep.host);
	}
	/* Client libraries negotiate TLS unless told not to (libpq's default
	 * sslmode=prefer); only a local file or an explicit "no" is plain. */
	q = dburl_param(&s->url, "sslmode");
	c->uses_tls = strcmp(s->url.scheme, "sqlite") != 0 && !(q && strcmp(q, "disable") == 0);
	sql_dep_key(&s->url, key, sizeof(key));
	c->dep_key = strdup(key);
	if (!c->dep_key)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	return 0;
}

/* Keeps the first row's first column, to name it in a failure. */
struct sql_first {
	char value[128];
	size_t rows;
};

static int sql_keep_first(void *arg, size_t ncols, const char *const *cols)
{
	struct sql_first *f = arg;

	if (f->rows++ == 0 && ncols > 0 && cols[0])
		snprintf(f->value, sizeof(f->value), "%s", cols[0]);
	return 0;
}

void sql_check_run(const struct sql_driver *d, const struct check *c,
		   const struct deadline *dl, struct check_result *res)
{
	const struct sql_check *s = c->priv;
	struct sql_first first = { "", 0 };
	enum sql_failure why = SQL_FAIL_OTHER;
	struct sql_conn *conn = d->connect(&s->url, dl, res);
	const char *version;

	if (!conn)
		return;
	version = d->version(conn);
	if (version && *version)
		detail_str(res, "server_version", version);
	if (d->query(conn, s->query, dl, sql_keep_first, &first, res, &why) == 0) {
		detail_int(res, "rows", (long long)first.rows);
		result_pass(res);
	}
	d->close(conn);
}

void sql_check_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

int sql_check_covers(const struct check *pre, const struct check *dep)
{
	return pre->dep_key && dep->dep_key && strcmp(pre->dep_key, dep->dep_key) == 0;
}
