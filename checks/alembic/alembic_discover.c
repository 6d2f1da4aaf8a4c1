/*
 * alembic_discover.c - the alembic kind's part of auto-discovery:
 * alembic:. for an alembic.ini in the working folder, alembic:migrations
 * for migrations/env.py, alembic:alembic for alembic/env.py beside
 * alembic/versions/ (a script location without its ini); db= names a SQL database found in the
 * environment when $DATABASE_URL is not one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "checks/alembic/alembic.h"
#include "discover/context.h"

int alembic_discover(struct disc *d)
{
	const char *dir = NULL, *why = NULL;
	char dbopt[DISC_WORD_MAX + 4], reason[512];
	const char *w[] = {NULL, NULL, NULL};

	if (disc_stat(d, "alembic.ini") == 'f') {
		dir = "alembic:.";
		why = "alembic.ini in the working directory";
	} else if (disc_stat(d, "migrations/env.py") == 'f') {
		dir = "alembic:migrations";
		why = "migrations/env.py in the working directory";
	} else if (disc_stat(d, "alembic/env.py") == 'f' &&
		   disc_stat(d, "alembic/versions") == 'd') {
		/* `alembic init alembic`'s folder, its ini elsewhere or gone
		 * (the image copied only the scripts): still an Alembic project. */
		dir = "alembic:alembic";
		why =
		    "alembic/env.py and alembic/versions/ in the working directory, no alembic.ini";
	} else {
		return 0;
	}
	w[0] = dir;
	snprintf(reason, sizeof(reason), "%s: the database should be at the scripts' heads", why);
	/* alembic: falls back to $DATABASE_URL itself; a SQL URL found
	 * under another name is the next best guess. */
	if (!(disc_env("DATABASE_URL") && discover_url_known(getenv("DATABASE_URL"), NULL, 0))) {
		size_t i;

		for (i = 0; i < d->ndb; i++) {
			if (disc_is_sql(d->db[i].scheme)) {
				snprintf(dbopt, sizeof(dbopt), "db=%s", d->db[i].word);
				w[1] = dbopt;
				snprintf(reason, sizeof(reason),
					 "%.120s: the database (%.200s) should be at the "
					 "scripts' heads",
					 why, d->db[i].word);
				break;
			}
		}
	}
	return disc_add(d, reason, w);
}
