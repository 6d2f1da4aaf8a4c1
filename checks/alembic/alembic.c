/*
 * alembic.c - alembic:DIR: the migration scripts form a valid graph and
 * the database's alembic_version rows equal the graph's effective heads,
 * without Python in the image.
 *
 * DIR may be the folder of alembic.ini (or the ini itself), of a
 * pyproject.toml with [tool.alembic], the script location (env.py,
 * versions/) or the versions folder.  Every *.py file of the version
 * locations is read as Alembic loads it (alembic_parse.c), the graph is
 * judged (alembic_graph.c), and only a valid graph is compared with the
 * database, read through the shared SQL path (sql.h).
 *
 * heads= defaults to "any": Alembic supports several heads on purpose
 * (independent branches with labels, `upgrade heads`), so the graph alone
 * does not fail for them.  A branch left unmerged still fails where it
 * hurts: a deploy that ran `alembic upgrade head` fails with "multiple
 * heads" and leaves the database behind the scripts, which is reported as
 * pending migrations.  heads=1 makes an unmerged branch fail by itself,
 * for a build stage (db=none).
 *
 * The database URL: db=, else sqlalchemy.url of alembic.ini when it is a
 * usable URL after ${VAR} expansion (the template's driver://user:pass@...
 * is not), else $DATABASE_URL.  The dep_key that ties this check to a
 * database check comes from db= or $DATABASE_URL; the ini is only read at
 * run time (parse does no I/O).  When that database check failed the
 * graph is still judged (KIND_RUNS_COVERED): a broken graph fails, a valid
 * one is reported skipped, with detail.compared false.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/alembic/alembic.h"
#include "probe/check.h"
#include "probe/report.h"
#include "checks/db/sql.h"
#include "probe/words.h"


static const char *const alembic_names[] = { "alembic", NULL };
static const char *const alembic_keys[] = { "db", "table", "schema", "heads", NULL };

struct alembic_priv {
	const char *dir;    /* points into c->word */
	const char *table;  /* table=, default alembic_version */
	const char *schema; /* schema=, or NULL */
	long max_heads;     /* heads=; 0: any number */
	int db_none;        /* db=none: the graph alone */
	int have_db;        /* db= gave a URL */
	struct dburl db;
};

static int alembic_ident_ok(const char *s)
{
	size_t i;

	if (!s[0] || strlen(s) > 63)
		return 0;
	for (i = 0; s[i]; i++) {
		char ch = s[i];

		if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (i > 0 && ch >= '0' && ch <= '9')))
			return 0;
	}
	return 1;
}

static int alembic_parse(struct check *c, struct probe_err *err)
{
	struct alembic_priv *p = calloc(1, sizeof(*p));
	const char *heads, *db;
	char key[1600];

	if (!p)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = p;
	p->dir = c->rest;
	if (!p->dir[0])
		return probe_err_set(err, EXIT_USAGE,
				     "%s: name the folder (like alembic:/app/alembic)", c->name);
	p->table = check_opt_get(c, "table");
	if (!p->table)
		p->table = "alembic_version";
	p->schema = check_opt_get(c, "schema");
	if (!alembic_ident_ok(p->table) || (p->schema && !alembic_ident_ok(p->schema)))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: table= and schema= take a name of letters, digits "
				     "and _ (not starting with a digit)",
				     c->name);
	heads = check_opt_get(c, "heads");
	if (heads && strcmp(heads, "any") != 0) {
		char *end;

		errno = 0;
		p->max_heads = strtol(heads, &end, 10);
		if (errno || *end || end == heads || p->max_heads < 1 ||
		    p->max_heads > ALEMBIC_REVS_MAX)
			return probe_err_set(err, EXIT_USAGE,
					     "%s: heads= takes a number from 1 or any", c->name);
	}
	db = check_opt_get(c, "db");
	if (db && strcmp(db, "none") == 0) {
		p->db_none = 1;
		return 0;
	}
	if (db) {
		if (dburl_parse(db, &p->db, err) < 0)
			return probe_err_prefix(err, EXIT_USAGE, "%s: db=", c->name);
		if (!sql_driver_for(p->db.scheme))
			return probe_err_set(err, EXIT_USAGE,
					     "%s: db=: '%s' is not a SQL database this build "
					     "can read (postgresql, mysql, mariadb, sqlite)",
					     c->name, p->db.scheme);
		p->have_db = 1;
		if (p->db.has_password)
			secret_add(p->db.password);
		sql_dep_key(&p->db, key, sizeof(key));
	} else {
		/* The likely database: env.py usually reads $DATABASE_URL. */
		const char *env = getenv("DATABASE_URL");
		struct dburl *u = malloc(sizeof(*u));
		struct probe_err ignore = { 0, "" };

		key[0] = '\0';
		if (u && env && dburl_parse(env, u, &ignore) == 0 && sql_driver_for(u->scheme)) {
			if (u->has_password)
				secret_add(u->password);
			sql_dep_key(u, key, sizeof(key));
		}
		free(u);
		if (!key[0])
			return 0;
	}
	c->dep_key = strdup(key);
	if (!c->dep_key)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	return 0;
}

static void alembic_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

/* The URL to read alembic_version from: db=, else the ini's
 * sqlalchemy.url when usable after ${VAR} expansion, else $DATABASE_URL.
 * Returns 0 with *u filled, or -1 when there is none. */
static int alembic_url(const struct alembic_priv *p, const char *ini_url, struct dburl *u)
{
	struct probe_err err = { 0, "" };
	const char *env = getenv("DATABASE_URL");

	if (p->have_db) {
		*u = p->db;
		return 0;
	}
	if (ini_url && ini_url[0]) {
		char *x = words_expand(ini_url, &err);
		int ok = x && dburl_parse(x, u, &err) == 0 && sql_driver_for(u->scheme);

		free(x);
		if (ok)
			return 0;
		err.code = 0;
	}
	if (env && env[0] && dburl_parse(env, u, &err) == 0 && sql_driver_for(u->scheme))
		return 0;
	return -1;
}

static void alembic_run(const struct check *c, const struct deadline *dl,
			struct check_result *res)
{
	const struct alembic_priv *p = c->priv;
	struct alembic_loc *loc = calloc(1, sizeof(*loc));
	struct alembic_graph g;
	size_t i;

	memset(&g, 0, sizeof(g));
	if (!loc) {
		result_fail(res, HINT_NONE, "out of memory");
		return;
	}
	if (alembic_locate(p->dir, loc, res) < 0)
		goto done;
	for (i = 0; i < loc->nversions; i++) {
		/* Listed version locations that do not exist are skipped, as
		 * Alembic does. */
		if (i > 0 || !loc->bare)
			if (!alembic_is_dir(loc->versions[i]))
				continue;
		if (alembic_load_dir(loc->versions[i], loc->nversions > 1 ? loc->versions[i] : "",
				     loc->recursive, 0, &g, dl, res) < 0)
			goto done;
	}
	if (loc->bare && g.n == 0) {
		result_fail(res, HINT_ALEMBIC_NO_SCRIPTS,
			    "no alembic.ini, env.py, versions/ or migration file in %s", p->dir);
		goto done;
	}
	if (alembic_graph_build(&g) < 0) {
		result_fail(res, HINT_ALEMBIC_GRAPH, "%s", g.error);
		goto done;
	}
	alembic_detail_ids(res, "heads", &g, g.heads, g.nheads);
	if (p->max_heads > 0 && g.nheads > (size_t)p->max_heads) {
		char list[160];

		alembic_ids_text(&g, g.heads, g.nheads, list, sizeof(list));
		result_fail(res, HINT_ALEMBIC_HEADS, "%zu heads (%s), heads=%ld allows %ld",
			    g.nheads, list, p->max_heads, p->max_heads);
		goto done;
	}
	if (p->db_none) {
		result_pass(res);
		goto done;
	}
	if (c->covered_by) {
		/* The graph needed no database; the comparison does. */
		detail_bool(res, "compared", 0);
		snprintf(res->error, sizeof(res->error),
			 "the scripts' graph is valid; not compared with the database: %s failed",
			 c->covered_by);
		goto done;
	}
	{
		struct dburl *u = malloc(sizeof(*u));

		if (!u) {
			result_fail(res, HINT_NONE, "out of memory");
		} else if (alembic_url(p, loc->url, u) < 0) {
			result_fail(res, HINT_ALEMBIC_NO_URL,
				    "no database to compare with: no db=, no usable "
				    "sqlalchemy.url, no $DATABASE_URL");
		} else {
			alembic_db_compare(u, p->schema, p->table, &g, dl, res);
		}
		free(u);
	}
done:
	alembic_graph_free(&g);
	free(loc->url);
	free(loc);
}

const struct check_kind check_alembic = {
	.names = alembic_names,
	.keys = alembic_keys,
	.layer = LAYER_SCHEMA,
	.level = LEVEL_READY,
	.flags = KIND_RUNS_COVERED,
	.help = "alembic:DIR [ready]       the migration graph is valid and alembic_version\n"
		"is at its heads; db=URL|none table= schema= heads=N",
	.parse = alembic_parse,
	.run = alembic_run,
	.free = alembic_free,
	.covers = NULL,
	.discover = alembic_discover,
};
