/*
 * discover_db.c - the databases auto-discovery finds in the environment:
 * @VAR for $DATABASE_URL and its kin, and URLs of ${VAR} references for
 * libpq's PG*, POSTGRES_* and MYSQL_* variables.  Values are read to judge
 * them, never copied into a word or a reason.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe/check.h"
#include "lib/dburl.h"
#include "lib/url.h"
#include "discover/context.h"

/* ---------------------------------------------------------- databases */

int discover_url_known(const char *value, char *scheme, size_t n)
{
	const struct check_kind *k;
	char s[32];
	size_t i = 0, base;

	if (!value || !isalpha((unsigned char)value[0]))
		return 0;
	while (i < sizeof(s) - 1 && (isalnum((unsigned char)value[i]) || value[i] == '+' ||
				     value[i] == '.' || value[i] == '-')) {
		s[i] = (char)tolower((unsigned char)value[i]);
		i++;
	}
	s[i] = '\0';
	if (strncmp(value + i, "://", 3) != 0)
		return 0;
	base = strcspn(s, "+");
	s[base] = '\0';
	/* A database kind of this build answers to the scheme. */
	k = registry_find(s);
	if (!k || !(k->flags & KIND_DB_URL))
		return 0;
	if (scheme && n)
		snprintf(scheme, n, "%s", s);
	return 1;
}

/* The usual port of a database scheme, as its kind has it; 0 for sqlite. */
static int disc_default_port(const char *scheme)
{
	const struct check_kind *k = registry_find(scheme);

	return k ? k->defport : 0;
}

/* The server port of a URL (its own, else the scheme's usual one). */
static int disc_url_port(const char *value, const char *scheme)
{
	struct probe_err perr = {0};
	struct dburl *u = calloc(1, sizeof(*u));
	int port = disc_default_port(scheme);

	if (!u)
		return port;
	if (port && dburl_parse(value, u, &perr) == 0 && u->port)
		port = u->port;
	explicit_bzero(u, sizeof(*u));
	free(u);
	return port;
}

static struct disc_db *disc_db_new(struct disc *d)
{
	if (d->ndb == DISC_DB_MAX)
		return NULL;
	memset(&d->db[d->ndb], 0, sizeof(d->db[0]));
	return &d->db[d->ndb++];
}

/* $DATABASE_URL and its kin, as @VAR. */
void disc_url_vars(struct disc *d)
{
	static const struct {
		const char *var;
		int redis_only; /* a broker or cache: also amqp://, memcached:// */
	} vars[] = {
	    {"DATABASE_URL", 0},      {"REDIS_URL", 0}, {"SQLALCHEMY_DATABASE_URI", 0},
	    {"CELERY_BROKER_URL", 1}, {"CACHE_URL", 1}, {"MYSQL_URL", 0},
	    {"POSTGRES_URL", 0},
	};
	size_t i, j;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = disc_env(vars[i].var);
		char scheme[32];
		struct disc_db *db;
		int dup = 0;

		if (!v || !discover_url_known(v, scheme, sizeof(scheme)))
			continue;
		if (vars[i].redis_only && strncmp(scheme, "redis", 5) != 0)
			continue;
		for (j = 0; j < d->ndb; j++)
			if (d->db[j].value && strcmp(d->db[j].value, v) == 0)
				dup = 1; /* the same database under two names */
		if (dup || !(db = disc_db_new(d)))
			continue;
		db->value = v;
		snprintf(db->word, sizeof(db->word), "@%s", vars[i].var);
		snprintf(db->scheme, sizeof(db->scheme), "%s", scheme);
		snprintf(db->why, sizeof(db->why), "$%s is set (a %s URL)", vars[i].var, scheme);
		db->port = disc_url_port(v, scheme);
	}
}

/* A family of host/user/database variables a URL is built from. */
struct disc_style {
	const char *scheme; /* its kind's defport is the port without portv */
	const char *host, *portv, *user, *password, *database;
	const char *what;
};

/* Does the URL the variables make, once expanded, read back as the
 * variables say?  (A password holding '/' or '%' would not: the words
 * can't escape it without copying it.)  The expansion is wiped. */
static int disc_style_roundtrip(const struct disc_style *s, int port)
{
	struct probe_err perr = {0};
	struct dburl *u = calloc(1, sizeof(*u));
	const char *pw = disc_env(s->password);
	char *url = malloc(2048);
	char hostport[300];
	int n, ok = 0;

	if (!u || !url)
		goto out;
	n = url_hostport(hostport, sizeof(hostport), getenv(s->host), port);
	if (n < 0 || (size_t)n >= sizeof(hostport))
		goto out;
	n = snprintf(url, 2048, "%s://%s%s%s@%s/%s", s->scheme, getenv(s->user), pw ? ":" : "",
		     pw ? pw : "", hostport, getenv(s->database));
	if (n < 0 || n >= 2048 || dburl_parse(url, u, &perr) < 0)
		goto out;
	ok = strcmp(u->user, getenv(s->user)) == 0 && strcmp(u->host, getenv(s->host)) == 0 &&
	     strcmp(u->database, getenv(s->database)) == 0 &&
	     (!pw || (u->has_password && strcmp(u->password, pw) == 0));
out:
	if (url)
		explicit_bzero(url, 2048);
	if (u)
		explicit_bzero(u, sizeof(*u));
	free(url);
	free(u);
	return ok;
}

/* Is a URL found already the database these variables name? */
static int disc_style_dup(const struct disc *d, const struct disc_style *s, int port)
{
	struct probe_err perr = {0};
	struct dburl *u = calloc(1, sizeof(*u));
	size_t i;
	int dup = 0;

	if (!u)
		return 0;
	for (i = 0; i < d->ndb && !dup; i++) {
		const struct disc_db *db = &d->db[i];

		if (!db->value || disc_default_port(db->scheme) != disc_default_port(s->scheme))
			continue;
		memset(&perr, 0, sizeof(perr));
		if (dburl_parse(db->value, u, &perr) < 0)
			continue;
		dup = strcasecmp(u->host, getenv(s->host)) == 0 &&
		      (u->port ? u->port : disc_default_port(s->scheme)) == port &&
		      strcmp(u->database, getenv(s->database)) == 0;
	}
	explicit_bzero(u, sizeof(*u));
	free(u);
	return dup;
}

/* libpq's PG*, the POSTGRES_* and MYSQL_* conventions: a URL of ${VAR}. */
void disc_styles(struct disc *d)
{
	static const struct disc_style styles[] = {
	    {"postgresql", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE",
	     "libpq's variables"},
	    {"postgresql", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER",
	     "POSTGRES_PASSWORD", "POSTGRES_DB", "the POSTGRES_* variables"},
	    {"mysql", "MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER", "MYSQL_PASSWORD",
	     "MYSQL_DATABASE", "the MYSQL_* variables"},
	};
	size_t i;

	for (i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
		const struct disc_style *s = &styles[i];
		const char *host = disc_env(s->host);
		int port = disc_default_port(s->scheme);
		struct disc_db *db;
		const char *v6;

		if (!host || !disc_env(s->user) || !disc_env(s->database) ||
		    !registry_find(s->scheme))
			continue;
		/* A socket folder or a list of hosts is no URL host. */
		if (host[0] == '/' || strchr(host, ','))
			continue;
		if (disc_env(s->portv) && !(port = disc_port_parse(getenv(s->portv))))
			continue;
		v6 = strchr(host, ':') ? "[" : "";
		if (!disc_style_roundtrip(s, port) || disc_style_dup(d, s, port) ||
		    !(db = disc_db_new(d)))
			continue;
		snprintf(db->word, sizeof(db->word), "%s://${%s}%s%s%s@%s${%s}%s:${%s:-%d}/${%s}",
			 s->scheme, s->user, disc_env(s->password) ? ":${" : "",
			 disc_env(s->password) ? s->password : "", disc_env(s->password) ? "}" : "",
			 v6, s->host, v6[0] ? "]" : "", s->portv, disc_default_port(s->scheme), s->database);
		snprintf(db->scheme, sizeof(db->scheme), "%s", s->scheme);
		snprintf(db->why, sizeof(db->why), "$%s, $%s and $%s are set (%s)", s->host,
			 s->user, s->database, s->what);
		db->port = port;
	}
}

int disc_dbs_emit(struct disc *d)
{
	size_t i;

	for (i = 0; i < d->ndb; i++) {
		const char *w[] = {d->db[i].word, NULL};

		if (disc_add(d, d->db[i].why, w) < 0)
			return -1;
	}
	return 0;
}
