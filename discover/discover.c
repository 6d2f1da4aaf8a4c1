/*
 * discover.c - auto-discovery: the plan `probe` runs when no check is
 * named, and `probe --plan` prints.  It knows no kind: it finds the
 * database URLs of the environment first (discover_db.c), then runs each
 * kind's discover step (check_kind.discover) in layer order, the
 * databases' checks at the deps layer.  What the steps find:
 *
 *   frontend       frontend:. kind=next|reflex|vite (.next/, .web/,
 *                  dist/index.html)
 *   proc           proc:NAME max=1 for a development watcher (next dev,
 *                  uvicorn --reload, ...)
 *   mem            mem: when a cgroup memory limit is set
 *   listen         listen://:${PORT} public=yes; listen://:P for each
 *                  listening TCP port (at most DISCOVER_MAX_PORTS, lowest
 *                  first)
 *   http           http://127.0.0.1:${PORT}/ status=200-499 (a 404 on /
 *                  still proves a live app); one for each listening port
 *                  but a database's or another non-HTTP service's usual
 *                  port, or the port of a database URL found
 *   databases      @VAR for $DATABASE_URL and its kin; a URL of ${VAR}
 *                  references for libpq's PG*, POSTGRES_* and MYSQL_*
 *   alembic        alembic:. (alembic.ini) or alembic:migrations (env.py)
 *
 * Values of variables are read (to judge a scheme, to find a database's
 * port, to prove a ${VAR} URL reads back as the variables say) but never
 * copied into a word or a reason.
 */
#include "discover/discover.h"

#include <stdlib.h>

#include "discover/context.h"
#include "probe/check.h"

/* Each kind's step, layer by layer, and the databases at theirs. */
static int disc_steps(struct disc *d)
{
	int layer;
	size_t i;

	for (layer = 0; layer < LAYER_COUNT; layer++) {
		if (layer == LAYER_DEPS && disc_dbs_emit(d) < 0)
			return -1;
		for (i = 0; registry_kinds[i]; i++) {
			const struct check_kind *k = registry_kinds[i];

			if ((int)k->layer == layer && k->discover && k->discover(d) < 0)
				return -1;
		}
	}
	return 0;
}

int discover_plan_from(const struct discover_src *src, struct wordlist *out, struct wordlist *why,
		       struct probe_err *err)
{
	static const struct discover_src defaults = {0};
	struct disc *d = calloc(1, sizeof(*d));
	int rc = -1;

	if (!d)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	d->src = src ? src : &defaults;
	d->out = out;
	d->why = why;
	d->err = err;
	/* Databases first, so that their ports get no http check. */
	disc_url_vars(d);
	disc_styles(d);
	if (disc_steps(d) < 0)
		goto out;
	rc = 0;
out:
	free(d);
	return rc;
}

int discover_plan(struct wordlist *out, struct wordlist *why, struct probe_err *err)
{
	return discover_plan_from(NULL, out, why, err);
}
