/*
 * sql.c - what the SQL checks share: the URL, the query, the causes, and
 * the way from a scheme to its kind's driver (the registry).
 */
#include "checks/db/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/report.h"

const enum probe_cause sql_causes[] = {
	CAUSE_DNS,	  CAUSE_REFUSED,   CAUSE_UNREACHABLE, CAUSE_TIMEOUT,  CAUSE_CLOSED,
	CAUSE_TLS,	  CAUSE_NOT_SQL,   CAUSE_STARTING,    CAUSE_STOPPING, CAUSE_TOO_MANY,
	CAUSE_AUTH,	  CAUSE_DENIED,    CAUSE_NO_DATABASE, CAUSE_NO_TABLE, CAUSE_QUERY,
	CAUSE_OTHER,	  CAUSE_NONE,
};

const struct sql_driver *sql_driver_for(const char *scheme)
{
	const struct check_kind *k = registry_find(scheme);

	return k ? k->sql : NULL;
}

void sql_dep_key(const struct dburl *u, char *buf, size_t n)
{
	/* The kind's own name, so postgres:// and postgresql:// are one. */
	const struct check_kind *k = registry_find(u->scheme);
	const char *family = k ? k->names[0] : u->scheme;

	if (strcmp(family, "sqlite") == 0)
		snprintf(buf, n, "sqlite:///%s", u->database);
	else
		snprintf(buf, n, "%s://%s@%s:%d/%s", family, u->user, u->host, u->port,
			 u->database);
}

int sql_check_parse(struct check *c, struct probe_err *err)
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
		c->ep.port = s->url.port ? s->url.port : c->kind->defport;
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
