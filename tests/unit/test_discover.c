/*
 * test_discover.c - auto-discovery over fixture folders (a /proc/net with
 * tcp and tcp6, a process table, a cgroup, a working directory) and a set
 * of variables: the exact words of the plan, that no value of a variable
 * reaches a word or a reason, and that the printed plan reads back
 * (words_split) as the same words.
 *
 *   test_discover --plan   prints the plan of the container it runs in
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/sys/proc.h"
#include "discover/discover.h"
#include "t.h"

static char root[256];

static void put(const char *rel, const char *text)
{
	char path[512], dir[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(text, 1, strlen(text), f);
	fclose(f);
}

/* A cmdline file: argv joined with NULs, the last NUL included. */
static void put_cmdline(const char *rel, const char *const *argv)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	put(rel, "");
	f = fopen(path, "w");
	for (; *argv; argv++)
		fwrite(*argv, 1, strlen(*argv) + 1, f);
	fclose(f);
}

#define ROW4(port_hex, addr_hex)                                                                   \
	"   0: " addr_hex ":" port_hex " 00000000:0000 0A 00000000:00000000 00:00000000 "          \
	"00000000     0        0 9198 1 0 100 0 0 10 0\n"
#define ROW6(port_hex, addr_hex)                                                                   \
	"   0: " addr_hex ":" port_hex " 00000000000000000000000000000000:0000 0A "                \
	"00000000:00000000 00:00000000 00000000     0        0 9200 1 0 100 0 0 10 0\n"
#define HDR "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when\n"

static const char *const env_names[] = {
    "PORT",
    "DATABASE_URL",
    "REDIS_URL",
    "SQLALCHEMY_DATABASE_URI",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "MYSQL_URL",
    "POSTGRES_URL",
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_DB",
    "MYSQL_HOST",
    "MYSQL_PORT",
    "MYSQL_USER",
    "MYSQL_PASSWORD",
    "MYSQL_DATABASE",
    NULL,
};

/* "NAME=value" pairs, NULL-terminated, set after every name is unset. */
static void env_set(const char *const *pairs)
{
	size_t i;

	for (i = 0; env_names[i]; i++)
		unsetenv(env_names[i]);
	for (; pairs && *pairs; pairs++) {
		char name[64];
		const char *eq = strchr(*pairs, '=');

		snprintf(name, sizeof(name), "%.*s", (int)(eq - *pairs), *pairs);
		setenv(name, eq + 1, 1);
	}
}

/* The words joined by spaces, "|" before each check's reason index. */
static void joined(const struct wordlist *wl, char *buf, size_t n)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < wl->n && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s%s", i ? " " : "", wl->v[i]);
}

static void test_plans(void)
{
	static const char *const secrets[] = {"s3cret-pw", "r3dis-pw", "pg-pw-9", "my-pw-7", NULL};
	static const struct {
		const char *name;
		const char *env[12];
		const char *words;   /* the whole plan, joined by spaces, in layer order */
		const char *why_has; /* a reason the plan gives, or NULL */
	} cases[] = {
	    {"everything",
	     {"PORT=8000", "DATABASE_URL=postgresql+asyncpg://app:s3cret-pw@db:5433/app",
	      "REDIS_URL=redis://:r3dis-pw@cache:6380/0", "CELERY_BROKER_URL=amqp://x@mq//", NULL},
	     "frontend:. kind=next proc:next max=1 proc:flask max=2 mem: "
	     "listen://:${PORT} public=yes listen://:3000 listen://:5432 listen://:5433 "
	     "listen://:6380 http://127.0.0.1:${PORT}/ status=200-499 "
	     "http://[::1]:3000/ status=200-499 @DATABASE_URL @REDIS_URL alembic:.",
	     "port 5433 listens (from "},
	    {"$PORT set, nothing listens on it",
	     {"PORT=9999", NULL},
	     "frontend:. kind=next proc:next max=1 proc:flask max=2 mem: "
	     "listen://:${PORT} public=yes listen://:3000 listen://:5432 listen://:5433 "
	     "listen://:6380 listen://:8000 http://127.0.0.1:${PORT}/ status=200-499 "
	     "http://[::1]:3000/ status=200-499 http://127.0.0.1:5433/ status=200-499 "
	     "http://127.0.0.1:6380/ status=200-499 http://127.0.0.1:8000/ status=200-499 "
	     "alembic:.",
	     "$PORT=9999 but nothing listens on it (listening: 3000, 5432, 5433, 6380, 8000)"},
	    {"PG* variables: a URL of ${VAR}, password part only when set",
	     {"PORT=8000", "PGHOST=db", "PGUSER=app", "PGPASSWORD=pg-pw-9", "PGDATABASE=app",
	      "PGPORT=5433", "MYSQL_HOST=::1", "MYSQL_USER=u", "MYSQL_DATABASE=d", NULL},
	     "frontend:. kind=next proc:next max=1 proc:flask max=2 mem: "
	     "listen://:${PORT} public=yes listen://:3000 listen://:5432 listen://:5433 "
	     "listen://:6380 http://127.0.0.1:${PORT}/ status=200-499 "
	     "http://[::1]:3000/ status=200-499 http://127.0.0.1:6380/ status=200-499 "
	     "postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT:-5432}/${PGDATABASE} "
	     "mysql://${MYSQL_USER}@[${MYSQL_HOST}]:${MYSQL_PORT:-3306}/${MYSQL_DATABASE} "
	     "alembic:. db=postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT:-5432}/"
	     "${PGDATABASE}",
	     "$PGHOST, $PGUSER and $PGDATABASE are set (libpq's variables)"},
	    {"PG* naming $DATABASE_URL's database: once; a password no URL can carry: none",
	     {"PORT=8000", "DATABASE_URL=postgres://app:s3cret-pw@DB:5433/app", "PGHOST=db",
	      "PGUSER=app", "PGDATABASE=app", "PGPORT=5433", "POSTGRES_HOST=pg", "POSTGRES_USER=u",
	      "POSTGRES_DB=d", "POSTGRES_PASSWORD=a/b%41", NULL},
	     "frontend:. kind=next proc:next max=1 proc:flask max=2 mem: "
	     "listen://:${PORT} public=yes listen://:3000 listen://:5432 listen://:5433 "
	     "listen://:6380 http://127.0.0.1:${PORT}/ status=200-499 "
	     "http://[::1]:3000/ status=200-499 http://127.0.0.1:6380/ status=200-499 "
	     "@DATABASE_URL alembic:.",
	     "$DATABASE_URL is set (a postgres URL)"},
	    {"alembic without $DATABASE_URL takes another SQL URL; duplicates once",
	     {"SQLALCHEMY_DATABASE_URI=sqlite:///./app.db", "POSTGRES_URL=sqlite:///./app.db",
	      "CACHE_URL=redis://cache:6380", "MYSQL_URL=ftp://x", NULL},
	     "frontend:. kind=next proc:next max=1 proc:flask max=2 mem: "
	     "listen://:3000 listen://:5432 listen://:5433 listen://:6380 listen://:8000 "
	     "http://[::1]:3000/ status=200-499 http://127.0.0.1:5433/ status=200-499 "
	     "http://127.0.0.1:8000/ status=200-499 @SQLALCHEMY_DATABASE_URI @CACHE_URL "
	     "alembic:. db=@SQLALCHEMY_DATABASE_URI",
	     "alembic.ini in the working directory: the database (@SQLALCHEMY_DATABASE_URI)"},
	};
	struct discover_src src;
	char procnet[300], proc[300], cg[300], cwd[300];
	size_t i, j, k;

	snprintf(procnet, sizeof(procnet), "%s/net", root);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	snprintf(cg, sizeof(cg), "%s/cg", root);
	snprintf(cwd, sizeof(cwd), "%s/app", root);
	put("net/tcp", HDR ROW4("1F40", "00000000") ROW4("1538", "0100007F") ROW4(
			   "1539", "0100007F") ROW4("18EC", "0100007F") ROW4("1F40", "0100007F"));
	put("net/tcp6", HDR ROW6("0BB8", "00000000000000000000000001000000"));
	{
		static const char *const nextdev[] = {"node", "/app/node_modules/.bin/next", "dev",
						      NULL};
		static const char *const nextstart[] = {"node", "/app/node_modules/.bin/next",
							"start", NULL};
		static const char *const flask[] = {"/usr/bin/python3", "/usr/local/bin/flask",
						    "run", "--debug", NULL};
		static const char *const sh[] = {"/bin/sh", "-c", "next dev", NULL};

		put_cmdline("proc/101/cmdline", nextdev);
		put("proc/101/comm", "node\n");
		put_cmdline("proc/102/cmdline", nextstart);
		put("proc/102/comm", "node\n");
		put_cmdline("proc/103/cmdline", flask);
		put("proc/103/comm", "flask\n");
		put_cmdline("proc/104/cmdline", flask);
		put("proc/104/comm", "python3\n");
		put_cmdline("proc/105/cmdline", sh);
		put("proc/105/comm", "sh\n");
		put("proc/106/comm", "kworker\n"); /* no cmdline: a kernel thread */
		put("proc/self", "");
	}
	put("cg/memory.current", "1000\n");
	put("cg/memory.max", "536870912\n");
	put("app/alembic.ini", "[alembic]\nscript_location = migrations\n");
	put("app/.next/BUILD_ID", "x\n");
	put("app/dist/index.html", "<html></html>\n");

	memset(&src, 0, sizeof(src));
	src.procnet_dir = procnet;
	src.proc_root = proc;
	src.cgroup_root = cg;
	src.cwd = cwd;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wordlist out = {0}, why = {0}, back = {0};
		struct probe_err err = {0};
		char got[4096], again[4096], *text = NULL;
		size_t len = 0, nchecks = 0;
		FILE *mem;

		env_set(cases[i].env);
		T_EXPECT(discover_plan_from(&src, &out, &why, &err) == 0, "%s: %s", cases[i].name,
			 err.msg);
		joined(&out, got, sizeof(got));
		T_EXPECT(strcmp(got, cases[i].words) == 0, "%s:\n got  %s\n want %s", cases[i].name,
			 got, cases[i].words);
		for (j = 0; j < out.n; j++) {
			size_t split;

			if (out.v[j][0] == '@' || words_classify(out.v[j], &split) == WORD_CHECK)
				nchecks++;
		}
		T_EXPECT(why.n == nchecks, "%s: %zu reasons for %zu checks", cases[i].name, why.n,
			 nchecks);
		if (cases[i].why_has) {
			int found = 0;

			for (j = 0; j < why.n; j++)
				found |= strstr(why.v[j], cases[i].why_has) != NULL;
			T_EXPECT(found, "%s: no reason holds \"%s\"", cases[i].name,
				 cases[i].why_has);
		}
		for (k = 0; secrets[k]; k++) {
			for (j = 0; j < out.n; j++)
				T_EXPECT(!strstr(out.v[j], secrets[k]),
					 "%s: word %s holds a secret", cases[i].name, out.v[j]);
			for (j = 0; j < why.n; j++)
				T_EXPECT(!strstr(why.v[j], secrets[k]),
					 "%s: reason %s holds a secret", cases[i].name, why.v[j]);
		}
		/* Each word is one probe accepts (expanded with these variables). */
		{
			struct plan plan = {0};

			T_EXPECT(words_parse(out.v, out.n, &plan, &err) == 0, "%s: %s",
				 cases[i].name, err.msg);
			plan_free(&plan);
		}
		/* The printed plan reads back as the same words. */
		mem = open_memstream(&text, &len);
		T_EXPECT(mem && discover_print(&out, &why, mem) == 0, "%s: print", cases[i].name);
		if (mem)
			fclose(mem);
		T_EXPECT(text && words_split(text, "plan", &back, &err) == 0, "%s: split: %s",
			 cases[i].name, err.msg);
		joined(&back, again, sizeof(again));
		T_STR(again, got);
		free(text);
		wordlist_free(&out);
		wordlist_free(&why);
		wordlist_free(&back);
	}
	env_set(NULL);
}

static void test_nothing(void)
{
	struct discover_src src = {"/nonexistent/net", "/nonexistent/proc", "/nonexistent/cg",
				   "/nonexistent/app"};
	struct wordlist out = {0}, why = {0};
	struct probe_err err = {0};

	env_set(NULL);
	T_INT(discover_plan_from(&src, &out, &why, &err), 0);
	T_INT(out.n, 0);
	T_INT(why.n, 0);
}

static void test_print(void)
{
	static const struct {
		const char *words[8];
		const char *why[4];
		const char *want;
	} cases[] = {
	    {{"listen://:${PORT}", "public=yes", "@DATABASE_URL", "env:A", NULL},
	     {"port\nlistens", "db", NULL},
	     "# port listens\nlisten://:${PORT} public=yes\n# db\n@DATABASE_URL\nenv:A\n"},
	    {{"http://127.0.0.1:8000/", "body=all good", "header=X:'a'", "name=#1", NULL},
	     {"why", NULL},
	     "# why\nhttp://127.0.0.1:8000/ \"body=all good\" \"header=X:'a'\" name=#1\n"},
	    {{"proc:x", "body=say \"hi\"", NULL}, {NULL}, "proc:x 'body=say \"hi\"'\n"},
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wordlist w = {0}, why = {0};
		char *text = NULL, want[1024];
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);

		for (j = 0; cases[i].words[j]; j++)
			wordlist_add(&w, cases[i].words[j]);
		for (j = 0; cases[i].why[j]; j++)
			wordlist_add(&why, cases[i].why[j]);
		T_INT(discover_print(&w, &why, mem), 0);
		fclose(mem);
		snprintf(want, sizeof(want),
			 "# probe's plan, discovered in this container; run it with probe -f "
			 "FILE\n%s",
			 cases[i].want);
		T_STR(text, want);
		free(text);
		wordlist_free(&w);
		wordlist_free(&why);
	}
	{
		struct wordlist w = {0};
		FILE *null = fopen("/dev/null", "w");

		wordlist_add(&w, "env:A");
		wordlist_add(&w, "match=a\"b'c");
		T_INT(discover_print(&w, NULL, null), -1);
		wordlist_free(&w);
		/* an ESC would reach the terminal: no plan */
		wordlist_add(&w, "env:A\x1b[2J");
		T_INT(discover_print(&w, NULL, null), -1);
		fclose(null);
		wordlist_free(&w);
	}
}

static void test_watchers(void)
{
#define CMD(s) s, sizeof(s)
	static const struct {
		const char *comm;
		const char *cmdline;
		size_t len;
		const char *want;
		int max;
	} cases[] = {
	    {"node", CMD("node\0/app/node_modules/.bin/next\0dev"), "next", 1},
	    {"node", CMD("node\0/app/node_modules/.bin/next\0start"), NULL, 0},
	    {"next-server", CMD("next-server (v14.2.3)"), NULL, 0},
	    {"uvicorn", CMD("/usr/bin/python3\0/usr/local/bin/uvicorn\0app:app\0--reload"),
	     "uvicorn", 1},
	    {"uvicorn", CMD("/usr/bin/python3\0/usr/local/bin/uvicorn\0app:app"), NULL, 0},
	    {"python3", CMD("python3\0-c\0from multiprocessing.spawn import spawn_main\0--reload"),
	     NULL, 0},
	    {"python3", CMD("python3\0-m\0flask\0--debug\0run"), "flask", 2},
	    {"flask", CMD("/usr/bin/python3\0/usr/local/bin/flask\0run"), NULL, 0},
	    {"node", CMD("node\0/usr/local/bin/nodemon\0server.js"), "nodemon", 1},
	    {"node", CMD("node\0/app/node_modules/.bin/vite"), "vite", 1},
	    {"node",
	     CMD("node\0/app/node_modules/.bin/vite\0--host\0"
		 "0.0.0.0"),
	     "vite", 1},
	    {"node", CMD("node\0/app/node_modules/.bin/vite\0build"), NULL, 0},
	    {"node", CMD("node\0/app/node_modules/.bin/vite\0preview"), NULL, 0},
	    {"reflex", CMD("/usr/bin/python3\0/usr/local/bin/reflex\0run"), "reflex", 1},
	    {"reflex", CMD("/usr/bin/python3\0/usr/local/bin/reflex\0run\0--env\0prod"), NULL, 0},
	    {"python", CMD("python\0-m\0reflex\0run\0--env=prod"), NULL, 0},
	    {"python", CMD("python\0-m\0reflex\0init"), NULL, 0},
	    {"sh", CMD("/bin/sh\0-c\0next dev"), NULL, 0},
	    {"bash", "", 0, NULL, 0},
	    /* tsx watch; plain tsx runs a script once */
	    {"node", CMD("node\0/app/node_modules/.bin/tsx\0watch\0src/index.ts"), "tsx", 1},
	    {"node", CMD("node\0/app/node_modules/.bin/tsx\0src/index.ts"), NULL, 0},
	    /* its child is no tsx */
	    {"node",
	     CMD("node\0--require\0/app/node_modules/tsx/dist/preflight.cjs\0--import\0"
		 "file:///app/node_modules/tsx/dist/loader.mjs\0src/index.ts"),
	     NULL, 0},
	    {"node", CMD("node\0/app/node_modules/.bin/ts-node-dev\0--respawn\0src/index.ts"),
	     "ts-node-dev", 1},
	    {"node", CMD("node\0/app/node_modules/.bin/tsnd\0src/index.ts"), "tsnd", 1},
	    {"node", CMD("node\0/app/node_modules/ts-node-dev/lib/wrap.js\0src/index.ts"), NULL, 0},
	    /* node --watch: named by its script, which its child runs too */
	    {"node", CMD("node\0--watch\0server.js"), "server", 2},
	    {"node", CMD("/usr/local/bin/node\0--watch-path\0src\0-r\0dotenv/config\0dist/app.mjs"),
	     "app", 2},
	    {"node",
	     CMD("node\0--watch-path=src\0index.js\0--port\0"
		 "3000"),
	     "index", 2},
	    {"node", CMD("node\0server.js"), NULL, 0},
	    {"node", CMD("node\0server.js\0--watch"), NULL, 0}, /* the app's own option */
	    {"node", CMD("node\0--watch\0-e\0setInterval(f, 1)"), NULL, 0},
	    {"node", CMD("node\0--watch"), NULL, 0},
	    {"node", CMD("node\0--watch\0my app.js"), NULL, 0}, /* no plain name */
	    {"python3", CMD("python3\0--watch\0server.js"), NULL, 0},
	    /* watchfiles, as its script or python -m */
	    {"watchfiles", CMD("/usr/bin/python3\0/usr/local/bin/watchfiles\0python app.py\0src"),
	     "watchfiles", 1},
	    {"python3", CMD("python3\0-m\0watchfiles\0app.main\0."), "watchfiles", 1},
	    /* gunicorn --reload: the master and its workers share argv */
	    {"gunicorn", CMD("/usr/bin/python3\0/usr/local/bin/gunicorn\0--reload\0app:app"),
	     "gunicorn", 2},
	    {"gunicorn",
	     CMD("/usr/bin/python3\0/usr/local/bin/gunicorn\0-w\0"
		 "4\0--reload\0app:app"),
	     "gunicorn", 5},
	    {"gunicorn",
	     CMD("/usr/bin/python3\0/usr/local/bin/gunicorn\0--workers=3\0--reload\0app:app"),
	     "gunicorn", 4},
	    {"gunicorn", CMD("/usr/bin/python3\0/usr/local/bin/gunicorn\0-w2\0--reload\0app:app"),
	     "gunicorn", 3},
	    {"gunicorn", CMD("/usr/bin/python3\0/usr/local/bin/gunicorn\0app:app"), NULL, 0},
	    {"gunicorn",
	     CMD("/usr/bin/python3\0/usr/local/bin/gunicorn\0-w\0many\0--reload\0app:app"), NULL,
	     0},
	    {"gunicorn", CMD("gunicorn: worker [app:app]"), NULL, 0},
	};
#undef CMD
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proc_watch w = {{0}, NULL, 0, 0};
		const char *got =
		    proc_watcher(cases[i].comm, cases[i].cmdline, cases[i].len, &w) ? w.name : NULL;
		int max = got ? w.max : 0;

		T_EXPECT((got == NULL) == (cases[i].want == NULL) &&
			     (!got || (strcmp(got, cases[i].want) == 0 && max == cases[i].max)),
			 "case %zu: got %s max=%d, want %s max=%d", i, got ? got : "NULL", max,
			 cases[i].want ? cases[i].want : "NULL", cases[i].max);
	}
}

/* The Alembic project discovery finds in a working folder of these files
 * (a trailing / is a folder), the alembic: word or NULL. */
static void test_alembic_dirs(void)
{
	static const struct {
		const char *files[5];
		const char *want;
	} cases[] = {
	    {{"alembic.ini", "migrations/env.py", NULL}, "alembic:."},
	    {{"migrations/env.py", NULL}, "alembic:migrations"},
	    /* `alembic init alembic`, its ini not in the image */
	    {{"alembic/env.py", "alembic/versions/", NULL}, "alembic:alembic"},
	    {{"alembic/env.py", "alembic/versions/", "migrations/env.py", NULL},
	     "alembic:migrations"},
	    {{"alembic.ini", "alembic/env.py", "alembic/versions/", NULL}, "alembic:."},
	    /* not a script location: no versions/, or no env.py, or a file */
	    {{"alembic/env.py", NULL}, NULL},
	    {{"alembic/versions/", "alembic/__init__.py", NULL}, NULL},
	    {{"alembic/env.py", "alembic/versions", NULL}, NULL},
	    {{"env.py", "versions/", NULL}, NULL},
	};
	size_t i, j;

	env_set(NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct discover_src src = {"/nonexistent/net", "/nonexistent/proc",
					   "/nonexistent/cg", NULL};
		struct wordlist out = {0}, why = {0};
		struct probe_err err = {0};
		const char *got = NULL;
		char cwd[300], rel[300];

		snprintf(cwd, sizeof(cwd), "%s/alembic-dirs/%zu", root, i);
		for (j = 0; cases[i].files[j]; j++) {
			size_t n = strlen(cases[i].files[j]);

			if (cases[i].files[j][n - 1] == '/') {
				snprintf(rel, sizeof(rel), "alembic-dirs/%zu/%s.keep", i,
					 cases[i].files[j]);
				put(rel, ""); /* makes the folder */
			} else {
				snprintf(rel, sizeof(rel), "alembic-dirs/%zu/%s", i,
					 cases[i].files[j]);
				put(rel, "");
			}
		}
		snprintf(rel, sizeof(rel), "alembic-dirs/%zu/.here", i);
		put(rel, "");
		src.cwd = cwd;
		T_EXPECT(discover_plan_from(&src, &out, &why, &err) == 0, "case %zu: %s", i,
			 err.msg);
		for (j = 0; j < out.n; j++)
			if (strncmp(out.v[j], "alembic:", 8) == 0)
				got = out.v[j];
		T_EXPECT((got == NULL) == (cases[i].want == NULL) &&
			     (!got || strcmp(got, cases[i].want) == 0),
			 "case %zu: got %s, want %s", i, got ? got : "NULL",
			 cases[i].want ? cases[i].want : "NULL");
		wordlist_free(&out);
		wordlist_free(&why);
	}
}

static void test_urls(void)
{
	static const struct {
		const char *value;
		int want;
		const char *scheme;
	} cases[] = {
	    {"postgresql+asyncpg://app:pw@db/app", 1, "postgresql"},
	    {"postgres://db/app", 1, "postgres"},
	    {"POSTGRES://db/app", 1, "postgres"},
	    {"mysql+pymysql://u@db/app", 1, "mysql"},
	    {"mariadb://u@db/app", 1, "mariadb"},
	    {"redis://cache:6379/0", 1, "redis"},
	    {"rediss://cache", 1, "rediss"},
	    {"sqlite+aiosqlite:///./data/app.db", 1, "sqlite"},
	    {"amqp://guest@mq//", 0, ""},
	    {"http://example/", 0, ""},
	    {"postgresql:/db", 0, ""},
	    {"db:5432", 0, ""},
	    {"", 0, ""},
	    {"://x", 0, ""},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char scheme[32] = "";

		T_EXPECT(discover_url_known(cases[i].value, scheme, sizeof(scheme)) ==
			     cases[i].want,
			 "%s", cases[i].value);
		T_STR(scheme, cases[i].scheme);
	}
	T_INT(discover_url_known(NULL, NULL, 0), 0);
}

int main(int argc, char **argv)
{
	char cmd[300];

	if (argc > 1 && strcmp(argv[1], "--plan") == 0) {
		struct wordlist out = {0}, why = {0};
		struct probe_err err = {0};
		int rc =
		    discover_plan(&out, &why, &err) < 0 || discover_print(&out, &why, stdout) < 0;

		if (err.msg[0])
			fprintf(stderr, "%s\n", err.msg);
		wordlist_free(&out);
		wordlist_free(&why);
		return rc;
	}
	snprintf(root, sizeof(root), "%s/probe-discover.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	test_urls();
	test_watchers();
	test_alembic_dirs();
	test_print();
	test_nothing();
	test_plans();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return t_done("test_discover");
}
