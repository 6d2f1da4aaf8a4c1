/*
 * registry.c - the one table of check kinds.  Adding a kind is one file in
 * checks/<family>/ and one line here: its table (probe/check.h) carries
 * its schemes, default port, help line and cause words, which the runner,
 * the report, `probe --help` and discovery read from it.
 */
#include <string.h>

#include "probe/check.h"

extern const struct check_kind check_env;
extern const struct check_kind check_file;
extern const struct check_kind check_dir;
extern const struct check_kind check_proc;
extern const struct check_kind check_mem;
extern const struct check_kind check_disk;
extern const struct check_kind check_listen;
extern const struct check_kind check_tcp;
extern const struct check_kind check_dns;
extern const struct check_kind check_http;
extern const struct check_kind check_alembic;
extern const struct check_kind check_frontend;
#ifdef PROBE_WITH_POSTGRES
extern const struct check_kind check_postgres;
#endif
#ifdef PROBE_WITH_MYSQL
extern const struct check_kind check_mysql;
#endif
#ifdef PROBE_WITH_REDIS
extern const struct check_kind check_redis;
#endif
#ifdef PROBE_WITH_SQLITE
extern const struct check_kind check_sqlite;
#endif

const struct check_kind *const registry_kinds[] = {
	&check_env,  &check_file, &check_dir, &check_proc, &check_mem,
	&check_disk, &check_listen, &check_tcp, &check_dns, &check_http,
	&check_frontend,
#ifdef PROBE_WITH_POSTGRES
	&check_postgres,
#endif
#ifdef PROBE_WITH_MYSQL
	&check_mysql,
#endif
#ifdef PROBE_WITH_REDIS
	&check_redis,
#endif
#ifdef PROBE_WITH_SQLITE
	&check_sqlite,
#endif
	&check_alembic,
	NULL,
};

const struct check_kind *registry_find(const char *scheme)
{
	size_t base = strcspn(scheme, "+");
	size_t i, j;

	for (i = 0; registry_kinds[i]; i++) {
		const char *const *names = registry_kinds[i]->names;

		for (j = 0; names[j]; j++)
			if (strlen(names[j]) == base && strncmp(names[j], scheme, base) == 0)
				return registry_kinds[i];
	}
	return NULL;
}

const struct check_kind *registry_find_port(int port)
{
	size_t i;

	for (i = 0; port > 0 && registry_kinds[i]; i++)
		if (registry_kinds[i]->defport == port)
			return registry_kinds[i];
	return NULL;
}
