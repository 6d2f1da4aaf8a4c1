/*
 * test_alembic.c - the pure parts of alembic:DIR: migration files as
 * Alembic's templates, black and ruff write them (and as people break
 * them), alembic.ini / pyproject.toml, and the revision graph.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/alembic/alembic.h"
#include "t.h"

/* A file, and what it must yield: the four values as "a,b" lists ("-" for
 * None / absent), or the start of the error. */
struct script_case {
	const char *name;
	const char *src;
	const char *revision, *down, *labels, *depends;
	const char *error; /* NULL: must parse */
};

static const struct script_case script_cases[] = {
	{ "alembic 1.8 template",
	  "\"\"\"add users\n\nRevision ID: 002\nRevises: 001\nCreate Date: 2024-01-01\n\n\"\"\"\n"
	  "from alembic import op\nimport sqlalchemy as sa\n\n\n"
	  "# revision identifiers, used by Alembic.\n"
	  "revision = '002'\ndown_revision = '001'\nbranch_labels = None\ndepends_on = None\n\n\n"
	  "def upgrade() -> None:\n    pass\n",
	  "002", "001", "-", "-", NULL },
	{ "typed template (alembic 1.13+)",
	  "from typing import Sequence, Union\n\n"
	  "revision: str = \"a1b2c3\"\n"
	  "down_revision: Union[str, None] = \"9f8e7d\"\n"
	  "branch_labels: Union[str, Sequence[str], None] = None\n"
	  "depends_on: Union[str, Sequence[str], None] = None\n",
	  "a1b2c3", "9f8e7d", "-", "-", NULL },
	{ "typed base revision, str | None",
	  "revision: str = 'b0'\ndown_revision: str | None = None\n", "b0", "-", "-", "-", NULL },
	{ "merge as a tuple, typed Sequence",
	  "revision: str = 'm1'\n"
	  "down_revision: Union[str, Sequence[str], None] = ('a1', 'b1')\n",
	  "m1", "a1,b1", "-", "-", NULL },
	{ "black: multi-line list, trailing comma, comments",
	  "revision = \"m2\"\n"
	  "down_revision = [  # the two branches\n"
	  "    \"a1\",  # users\n"
	  "    # a comment line inside\n"
	  "    \"b1\",\n"
	  "]\n",
	  "m2", "a1,b1", "-", "-", NULL },
	{ "ruff: parenthesised tuple over lines",
	  "revision = (\n    \"m3\"\n)\ndown_revision = (\n    \"a1\",\n    \"b1\",\n)\n",
	  "m3", "a1,b1", "-", "-", NULL },
	{ "a docstring that mentions revision =",
	  "\"\"\"Fix the thing\n\nrevision = 'fake'\ndown_revision = 'fake0'\n\"\"\"\n"
	  "revision = 'real'\ndown_revision = 'real0'\n",
	  "real", "real0", "-", "-", NULL },
	{ "a single-quoted docstring and a comment mentioning revision",
	  "'''\nrevision = 'fake'\n'''\n# revision = 'fake2'\nrevision = 'r'\n", "r", "-", "-",
	  "-", NULL },
	{ "branch_labels and depends_on",
	  "revision = 'x1'\ndown_revision = None\nbranch_labels = ('x',)\ndepends_on = 'abc'\n",
	  "x1", "-", "x", "abc", NULL },
	{ "depends_on as a list, labels a string",
	  "revision = 'x2'\ndown_revision = 'x1'\nbranch_labels = 'lbl'\n"
	  "depends_on = ['d1', 'd2']\n",
	  "x2", "x1", "lbl", "d1,d2", NULL },
	{ "indented assignments are not module level",
	  "revision = 'top'\nif False:\n    revision = 'inner'\n"
	  "def f():\n    down_revision = 'no'\n",
	  "top", "-", "-", "-", NULL },
	{ "last assignment wins",
	  "revision = 'first'\nrevision = 'second'\n", "second", "-", "-", "-", NULL },
	{ "semicolons, backslash continuation, CRLF",
	  "import os; revision = 'semi'\r\ndown_revision = \\\r\n    'prev'\r\n", "semi", "prev",
	  "-", "-", NULL },
	{ "empty tuple is a base", "revision = 'e'\ndown_revision = ()\n", "e", "-", "-", "-",
	  NULL },
	{ "empty string is a base, as Alembic reads it",
	  "revision = 'es'\ndown_revision = \"\"\ndepends_on = ''\n", "es", "-", "-", "-", NULL },
	{ "typed empty string", "revision: str = 'et'\ndown_revision: Union[str, None] = ''\n",
	  "et", "-", "-", "-", NULL },
	{ "an empty string after a real one: the last wins",
	  "revision = 'el'\ndown_revision = 'x'\ndown_revision = ''\n", "el", "-", "-", "-", NULL },
	{ "empty string in a tuple is an id (Alembic fails to find it too)",
	  "revision = 'eu'\ndown_revision = ('',)\n", "eu", "", "-", "-", NULL },
	{ "implicitly joined empty strings", "revision = 'ej'\ndown_revision = '' \"\"\n", "ej",
	  "-", "-", "-", NULL },
	{ "bare tuple", "revision = 'bt'\ndown_revision = 'a', 'b'\n", "bt", "a,b", "-", "-",
	  NULL },
	{ "implicit concatenation and a raw string",
	  "revision = 'ab' \"cd\"\ndown_revision = r'x\\y'\n", "abcd", "x\\y", "-", "-", NULL },
	{ "comparison and annotation alone assign nothing",
	  "revision: str\nrevision == 'no'\nrevision = 'yes'\n", "yes", "-", "-", "-", NULL },
	{ "a name that only starts with a key",
	  "revision_id = 'no'\nrevision = 'r1'\ndown_revisions = 'no'\n", "r1", "-", "-", "-",
	  NULL },
	{ "BOM and a later string with hashes",
	  "\xef\xbb\xbfrevision = 'bom'\nx = '# not a comment'\ndown_revision = None\n", "bom",
	  "-", "-", "-", NULL },
	{ "no revision at all", "print('hello')\n", "-", "-", "-", "-", NULL },
	{ "non-literal down_revision",
	  "from .other import rev\nrevision = 'n'\ndown_revision = other.rev\n", NULL, NULL, NULL,
	  NULL, "line 3: down_revision is not a literal (other.rev)" },
	{ "a call", "revision = str(1)\n", NULL, NULL, NULL, NULL,
	  "line 1: revision is not a literal (str(1))" },
	{ "concatenation with +", "revision = 'a' + 'b'\n", NULL, NULL, NULL, NULL,
	  "line 1: revision is not a literal ('a' + 'b')" },
	{ "an f-string", "x = 1\nrevision = f'{x}'\n", NULL, NULL, NULL, NULL,
	  "line 2: revision is not a literal" },
	{ "bytes", "revision = b'a'\n", NULL, NULL, NULL, NULL,
	  "line 1: revision is not a literal" },
	{ "augmented assignment", "revision = 'a'\nrevision += 'b'\n", NULL, NULL, NULL, NULL,
	  "line 2: revision is not a literal" },
	{ "revision as a tuple", "revision = ('a', 'b')\n", NULL, NULL, NULL, NULL,
	  "line 1: revision must be one string" },
	{ "nothing after =", "revision =\n", NULL, NULL, NULL, NULL,
	  "line 1: revision is not a literal" },
	{ "unterminated string", "revision = 'abc\n", NULL, NULL, NULL, NULL,
	  "line 1: a string that never ends" },
	{ "unterminated docstring", "\"\"\"doc\n\nrevision = 'x'\n", NULL, NULL, NULL, NULL,
	  "line 1: a string that never ends" },
	{ "unclosed bracket", "revision = 'a'\nx = (1,\n", NULL, NULL, NULL, NULL,
	  "a bracket is never closed" },
	{ "garbage", "\x01\x02\xff\xfe)))]]]}}}=:=:", "-", "-", "-", "-", NULL },
	{ "binary", "rev\0ision", NULL, NULL, NULL, NULL, "not a Python source file" },
};

/* "a,b" of list l, or "-" when empty. */
static void list_text(const struct alembic_list *l, char *buf, size_t n)
{
	size_t i, used = 0;

	snprintf(buf, n, "-");
	for (i = 0; i < l->n && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "," : "", l->v[i]);
}

static void test_scripts(void)
{
	size_t i;

	for (i = 0; i < sizeof(script_cases) / sizeof(script_cases[0]); i++) {
		const struct script_case *c = &script_cases[i];
		struct alembic_script s;
		size_t len = strcmp(c->name, "binary") == 0 ? 9 : strlen(c->src);
		int rc = alembic_script_parse(c->src, len, &s);
		char got[512];

		if (c->error) {
			T_EXPECT(rc == -1, "%s: parsed", c->name);
			T_EXPECT(strncmp(s.error, c->error, strlen(c->error)) == 0,
				 "%s: error \"%s\", want \"%s...\"", c->name, s.error, c->error);
		} else {
			T_EXPECT(rc == 0, "%s: %s", c->name, s.error);
			T_EXPECT(strcmp(s.revision ? s.revision : "-", c->revision) == 0,
				 "%s: revision %s", c->name, s.revision ? s.revision : "-");
			list_text(&s.down, got, sizeof(got));
			T_EXPECT(strcmp(got, c->down) == 0, "%s: down %s", c->name, got);
			list_text(&s.labels, got, sizeof(got));
			T_EXPECT(strcmp(got, c->labels) == 0, "%s: labels %s", c->name, got);
			list_text(&s.depends, got, sizeof(got));
			T_EXPECT(strcmp(got, c->depends) == 0, "%s: depends %s", c->name, got);
		}
		alembic_script_free(&s);
	}
}

/* A graph from "file:rev:down1,down2:dep1:label" specs. */
struct graph_case {
	const char *name;
	const char *revs[8];
	const char *heads; /* "a,b" sorted, or NULL when build fails */
	const char *error; /* start of the error */
	const char *db;    /* rows for pending, "" for none */
	const char *pending;
};

static const struct graph_case graph_cases[] = {
	{ "linear", { "1.py:001::", "2.py:002:001:", "3.py:003:002:" }, "003", NULL, "001",
	  "002,003" },
	{ "at head", { "1.py:001::", "2.py:002:001:" }, "002", NULL, "002", "-" },
	{ "empty table: everything pending", { "1.py:001::", "2.py:002:001:" }, "002", NULL, "",
	  "001,002" },
	{ "two unmerged heads", { "1.py:a::", "2.py:b:a:", "3.py:c:a:" }, "b,c", NULL, "b", "c" },
	{ "merged", { "1.py:a::", "2.py:b:a:", "3.py:c:a:", "4.py:m:b,c:" }, "m", NULL, "b",
	  "c,m" },
	{ "depends_on target is not a head",
	  { "1.py:a::", "2.py:x::", "3.py:b:a:x" }, "b", NULL, "a", "x,b" },
	{ "depends_on on a branch label",
	  { "1.py:a::", "2.py:x:::lib", "3.py:b:a:lib" }, "b", NULL, "", "a,x,b" },
	{ "depends_on on a revision with children stays a parent",
	  { "1.py:a::", "2.py:x::", "3.py:y:x:", "4.py:b:a:x" }, "b,y", NULL, "b", "y" },
	{ "missing parent", { "001_init.py:001::", "003_x.py:003:002:" }, NULL,
	  "003_x.py: down_revision '002' names no revision: was 002 deleted or never committed?",
	  NULL, NULL },
	{ "missing dependency", { "1.py:a::", "2.py:b:a:zz" }, NULL,
	  "2.py: depends_on 'zz' names no revision or branch label", NULL, NULL },
	{ "duplicate", { "1.py:a::", "2.py:b:a:", "2_copy.py:b:a:" }, NULL,
	  "revision 'b' is in two files: 2.py and 2_copy.py", NULL, NULL },
	{ "cycle", { "1.py:a:c:", "2.py:b:a:", "3.py:c:b:" }, NULL, "a cycle: ", NULL, NULL },
	{ "self parent", { "1.py:a:a:" }, NULL, "a cycle: a (1.py)", NULL, NULL },
	{ "cycle through depends_on", { "1.py:a::b", "2.py:b:a:" }, NULL, "a cycle: ", NULL,
	  NULL },
	{ "two bases", { "1.py:a::", "2.py:b::" }, "a,b", NULL, "a", "b" },
	{ "label twice", { "1.py:a:::l", "2.py:b:::l" }, NULL,
	  "branch label 'l' is claimed by two revisions", NULL, NULL },
	{ "no revisions", { NULL }, "", NULL, "", "-" },
};

/* Splits spec field k ("a,b") into list l. */
static void spec_list(const char *spec, int k, struct alembic_list *l)
{
	const char *p = spec;
	char buf[256];
	int i;

	for (i = 0; i < k && p; i++) {
		p = strchr(p, ':');
		if (p)
			p++;
	}
	memset(l, 0, sizeof(*l));
	if (!p)
		return;
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(p, ":"), p);
	for (p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = strdup(p);
	}
}

static void ids_of(const struct alembic_graph *g, const size_t *idx, size_t n, char *buf,
		   size_t cap)
{
	size_t i, used = 0;

	snprintf(buf, cap, n ? "" : "-");
	for (i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "," : "",
					 g->revs[idx[i]].s.revision);
}

static void test_graphs(void)
{
	size_t i, k;

	for (i = 0; i < sizeof(graph_cases) / sizeof(graph_cases[0]); i++) {
		const struct graph_case *c = &graph_cases[i];
		struct alembic_graph g;
		char got[512];
		int rc;

		memset(&g, 0, sizeof(g));
		for (k = 0; c->revs[k]; k++) {
			struct alembic_script s;
			struct alembic_list rev;
			char file[64];

			memset(&s, 0, sizeof(s));
			snprintf(file, sizeof(file), "%.*s", (int)strcspn(c->revs[k], ":"),
				 c->revs[k]);
			spec_list(c->revs[k], 1, &rev);
			s.revision = rev.v[0];
			free(rev.v);
			spec_list(c->revs[k], 2, &s.down);
			spec_list(c->revs[k], 3, &s.depends);
			spec_list(c->revs[k], 4, &s.labels);
			T_EXPECT(alembic_graph_add(&g, &s, file) == 0, "%s: add", c->name);
		}
		rc = alembic_graph_build(&g);
		if (!c->heads) {
			T_EXPECT(rc == -1, "%s: built", c->name);
			T_EXPECT(strncmp(g.error, c->error, strlen(c->error)) == 0,
				 "%s: error \"%s\", want \"%s...\"", c->name, g.error, c->error);
		} else {
			T_EXPECT(rc == 0, "%s: %s", c->name, g.error);
			ids_of(&g, g.heads, g.nheads, got, sizeof(got));
			T_EXPECT(strcmp(got, c->heads[0] ? c->heads : "-") == 0,
				 "%s: heads %s, want %s", c->name, got, c->heads);
		}
		if (rc == 0 && c->db) {
			struct alembic_list rows;
			size_t idx[8], *pending = NULL;
			long np;

			spec_list(c->db, 0, &rows);
			for (k = 0; k < rows.n; k++) {
				long x = alembic_graph_find(&g, rows.v[k]);

				T_EXPECT(x >= 0, "%s: find %s", c->name, rows.v[k]);
				idx[k] = x < 0 ? 0 : (size_t)x;
			}
			np = alembic_graph_pending(&g, idx, rows.n, &pending);
			T_EXPECT(np >= 0, "%s: pending", c->name);
			ids_of(&g, pending, np > 0 ? (size_t)np : 0, got, sizeof(got));
			T_EXPECT(strcmp(got, c->pending) == 0, "%s: pending %s, want %s", c->name,
				 got, c->pending);
			free(pending);
			for (k = 0; k < rows.n; k++)
				free(rows.v[k]);
			free(rows.v);
		}
		T_INT(alembic_graph_find(&g, "no-such-rev"), -1);
		alembic_graph_free(&g);
	}
}

/* down_revision = "" builds a base; ('',) is an id no revision has. */
static void test_empty_down(void)
{
	static const struct {
		const char *src;
		const char *heads; /* NULL: build fails with error */
		const char *error;
	} cases[] = {
	    {"revision = 'b'\ndown_revision = ''\n", "a,b", NULL},
	    {"revision = 'b'\ndown_revision = 'a'\n", "b", NULL},
	    {"revision = 'b'\ndown_revision = ('',)\n", NULL,
	     "2.py: down_revision lists an empty id: a base has None"},
	    {"revision = 'b'\ndown_revision = ['a', '']\n", NULL,
	     "2.py: down_revision lists an empty id: a base has None"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct alembic_graph g;
		struct alembic_script a, b;
		char got[128];
		int rc;

		memset(&g, 0, sizeof(g));
		{
			const char *base = "revision = 'a'\ndown_revision = ''\n";

			T_INT(alembic_script_parse(base, strlen(base), &a), 0);
		}
		T_INT(alembic_script_parse(cases[i].src, strlen(cases[i].src), &b), 0);
		T_INT(alembic_graph_add(&g, &a, "1.py"), 0);
		T_INT(alembic_graph_add(&g, &b, "2.py"), 0);
		rc = alembic_graph_build(&g);
		if (cases[i].heads) {
			T_EXPECT(rc == 0, "case %zu: %s", i, g.error);
			ids_of(&g, g.heads, g.nheads, got, sizeof(got));
			T_EXPECT(strcmp(got, cases[i].heads) == 0, "case %zu: heads %s, want %s", i,
				 got, cases[i].heads);
		} else {
			T_EXPECT(rc == -1 && strcmp(g.error, cases[i].error) == 0,
				 "case %zu: error \"%s\"", i, g.error);
		}
		alembic_graph_free(&g);
	}
}

static void test_ini(void)
{
	static const char ini_text[] =
		"# A generic, single database configuration.\n"
		"\n"
		"[alembic]\n"
		"; a comment\n"
		"script_location = %(here)s/migrations\n"
		"version_locations = %(here)s/a\n"
		"    # a comment inside the value\n"
		"    %(here)s/b\n"
		"\n"
		"path_separator: newline\n"
		"Sqlalchemy.URL = postgresql://u:p%%40ss@db/app  # not a comment\n"
		"loop = %(loop)s\n"
		"[post_write_hooks]\n"
		"script_location = other\n";
	struct alembic_ini ini;
	char err[256] = "", *v;

	T_INT(alembic_ini_parse(ini_text, strlen(ini_text), &ini, err, sizeof(err)), 0);
	v = alembic_ini_get(&ini, "alembic", "script_location", "/app", err, sizeof(err));
	T_STR(v ? v : "(null)", "/app/migrations");
	free(v);
	v = alembic_ini_get(&ini, "alembic", "version_locations", "/app", err, sizeof(err));
	T_STR(v ? v : "(null)", "/app/a\n/app/b");
	free(v);
	v = alembic_ini_get(&ini, "alembic", "path_separator", "/app", err, sizeof(err));
	T_STR(v ? v : "(null)", "newline");
	free(v);
	v = alembic_ini_get(&ini, "alembic", "sqlalchemy.url", "/app", err, sizeof(err));
	T_STR(v ? v : "(null)", "postgresql://u:p%40ss@db/app  # not a comment");
	free(v);
	v = alembic_ini_get(&ini, "alembic", "missing", "/app", err, sizeof(err));
	T_EXPECT(v == NULL, "missing key");
	err[0] = '\0';
	v = alembic_ini_get(&ini, "alembic", "loop", "/app", err, sizeof(err));
	T_EXPECT(v == NULL && err[0], "a loop: %s", err);
	alembic_ini_free(&ini);

	T_INT(alembic_ini_parse("key = v\n", 8, &ini, err, sizeof(err)), -1);
	T_STR(err, "line 1: a key before any [section]");
	T_INT(alembic_ini_parse("[a]\nnovalue\n", 12, &ini, err, sizeof(err)), -1);
}

static void test_toml(void)
{
	static const char toml[] =
		"[project]\nname = 'x'\nscript_location = 'wrong'\n"
		"[tool.alembic]\n"
		"script_location = \"%(here)s/alembic\"\n"
		"version_locations = [\n  \"%(here)s/a\",  # one\n  '%(here)s/b',\n]\n"
		"[tool.other]\nscript_location = 'wrong'\n";
	char *v = alembic_toml_get(toml, strlen(toml), "script_location", "/srv");

	T_STR(v ? v : "(null)", "/srv/alembic");
	free(v);
	v = alembic_toml_get(toml, strlen(toml), "version_locations", "/srv");
	T_STR(v ? v : "(null)", "/srv/a\n/srv/b");
	free(v);
	v = alembic_toml_get(toml, strlen(toml), "sqlalchemy.url", "/srv");
	T_EXPECT(v == NULL, "absent key");
	free(v);
}

int main(void)
{
	test_scripts();
	test_graphs();
	test_empty_down();
	test_ini();
	test_toml();
	return t_done("test_alembic");
}
