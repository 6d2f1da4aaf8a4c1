/*
 * test_registry.c - every kind's table is whole: names that resolve to it
 * and to no other kind, a help line, a layer and level, the facts its
 * flags promise, and cause words that are documented in README.md.
 * A kind added with a gap in its table fails here.
 */
#include <stdlib.h>

#include "probe/cause.h"
#include "probe/check.h"
#include "t.h"

/* README.md, read whole; NULL when it cannot be read. */
static char *readme_read(void)
{
	FILE *f = fopen(PROBE_SOURCE_DIR "/README.md", "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		size_t got = fread(buf, 1, (size_t)n, f);

		buf[got] = '\0';
	}
	fclose(f);
	return buf;
}

static void test_names(void)
{
	size_t i, j;

	for (i = 0; registry_kinds[i]; i++) {
		const struct check_kind *k = registry_kinds[i];
		char scheme[64];

		T_EXPECT(k->names && k->names[0], "kind %zu has no name", i);
		if (!k->names || !k->names[0])
			continue;
		for (j = 0; k->names[j]; j++) {
			T_EXPECT(registry_find(k->names[j]) == k, "%s resolves to another kind",
				 k->names[j]);
			snprintf(scheme, sizeof(scheme), "%s+driver", k->names[j]);
			T_EXPECT(registry_find(scheme) == k, "%s resolves to another kind", scheme);
		}
		T_EXPECT(k->keys != NULL, "%s: no option list", k->names[0]);
		T_EXPECT(k->parse && k->run, "%s: no parse or run", k->names[0]);
		T_EXPECT(k->layer < LAYER_COUNT, "%s: layer %d", k->names[0], (int)k->layer);
		T_EXPECT(k->level == LEVEL_LIVE || k->level == LEVEL_READY, "%s: level %d",
			 k->names[0], (int)k->level);
	}
	T_EXPECT(registry_find("nosuchkind") == NULL, "an unknown scheme resolves");
	T_EXPECT(registry_find("") == NULL, "an empty scheme resolves");
}

/* Every help line starts with one of the kind's schemes. */
static void test_help(void)
{
	size_t i, j;

	for (i = 0; registry_kinds[i]; i++) {
		const struct check_kind *k = registry_kinds[i];
		int named = 0;

		T_EXPECT(k->help && *k->help, "%s: no help line", k->names[0]);
		if (!k->help)
			continue;
		for (j = 0; k->names[j]; j++)
			named |= strncmp(k->help, k->names[j], strlen(k->names[j])) == 0;
		T_EXPECT(named, "%s: help line \"%.20s\" names another scheme", k->names[0],
			 k->help);
	}
}

/* A port names one kind; a kind with a port has a server's name; a SQL
 * driver belongs to a database kind. */
static void test_facts(void)
{
	size_t i;

	for (i = 0; registry_kinds[i]; i++) {
		const struct check_kind *k = registry_kinds[i];

		if (k->defport) {
			T_EXPECT(k->defport > 0 && k->defport < 65536, "%s: port %d", k->names[0],
				 k->defport);
			T_EXPECT(registry_find_port(k->defport) == k, "%s: port %d names another kind",
				 k->names[0], k->defport);
			T_EXPECT(k->title != NULL, "%s: a port but no server name", k->names[0]);
		}
		if (k->sql)
			T_EXPECT(k->flags & KIND_DB_URL, "%s: SQL but no database URL", k->names[0]);
	}
	T_EXPECT(registry_find_port(0) == NULL, "port 0 names a kind");
	T_EXPECT(registry_find_port(8000) == NULL, "port 8000 names a kind");
}

/* Every cause word has a name, no two share one, and each is documented
 * in the README's table as `word`; every kind's list holds known causes. */
static void test_causes(void)
{
	char *readme = readme_read();
	char want[64];
	int c, d;
	size_t i, j;

	T_EXPECT(readme != NULL, "cannot read %s/README.md", PROBE_SOURCE_DIR);
	for (c = CAUSE_NONE + 1; c < CAUSE_COUNT; c++) {
		const char *name = cause_name((enum probe_cause)c);

		T_EXPECT(*name && (c == CAUSE_OTHER || strcmp(name, "other") != 0),
			 "cause %d has no word", c);
		for (d = c + 1; d < CAUSE_COUNT; d++)
			T_EXPECT(strcmp(name, cause_name((enum probe_cause)d)) != 0,
				 "causes %d and %d are both \"%s\"", c, d, name);
		snprintf(want, sizeof(want), "| `%s` |", name);
		T_EXPECT(readme && strstr(readme, want), "README.md does not document cause %s",
			 name);
	}
	for (i = 0; registry_kinds[i]; i++) {
		const enum probe_cause *list = registry_kinds[i]->causes;

		for (j = 0; list && list[j] != CAUSE_NONE; j++)
			T_EXPECT(list[j] > CAUSE_NONE && list[j] < CAUSE_COUNT, "%s: cause %d",
				 registry_kinds[i]->names[0], (int)list[j]);
	}
	T_EXPECT(!cause_in(NULL, CAUSE_OTHER), "an empty list holds a cause");
	{
		static const enum probe_cause two[] = { CAUSE_DNS, CAUSE_AUTH, CAUSE_NONE };

		T_EXPECT(cause_in(two, CAUSE_AUTH) && !cause_in(two, CAUSE_TLS),
			 "cause_in reads a list wrong");
	}
	free(readme);
}

int main(void)
{
	test_names();
	test_help();
	test_facts();
	test_causes();
	return t_done("test_registry");
}
