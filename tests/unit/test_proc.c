/*
 * test_proc.c - which processes go by a name (proc_match), and the walk
 * over a process table (proc_walk) of a fixture folder.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/sys/proc.h"
#include "probe/deadline.h"
#include "t.h"

/* argv as /proc/PID/cmdline holds it: NUL-separated, sizeof - 1 bytes. */
#define ARGV(s) s, sizeof(s) - 1

static void test_match(void)
{
	static const struct {
		const char *name, *comm;
		const char *cmdline;
		size_t len;
		int match;
	} cases[] = {
		/* comm, with and without the kernel's newline */
		{ "nginx", "nginx\n", ARGV("nginx: master process /usr/sbin/nginx\0"), 1 },
		{ "sleep", "sleep", ARGV("sleep\0" "30\0"), 1 },
		{ "sleep", "sleepy\n", ARGV("/bin/sleepy\0"), 0 },
		/* comm is cut to 15 bytes: the name is cut the same way */
		{ "probetestwatcher", "probetestwatche\n", ARGV("/x/y\0"), 1 },
		{ "probetestwatche", "probetestwatche\n", ARGV("/x/y\0"), 1 },
		{ "probetestwatch", "probetestwatche\n", ARGV("/x/y\0"), 0 },
		/* argv[0] by basename (exec -a, a symlink, a wrapper) */
		{ "probetestwatch", "sleep\n", ARGV("probetestwatch\0" "30\0"), 1 },
		{ "uvicorn", "uvicorn\n", ARGV("/venv/bin/uvicorn\0app:app\0"), 1 },
		{ "gunicorn", "python3\n", ARGV("/usr/local/bin/gunicorn\0-w\0" "4\0"), 1 },
		{ "bin", "x\n", ARGV("/usr/local/bin/gunicorn\0"), 0 },
		/* setproctitle titles */
		{ "gunicorn", "gunicorn: maste\n", ARGV("gunicorn: master [app:app]\0"), 1 },
		{ "gunicorn", "gunicorn: worke\n", ARGV("gunicorn: worker [app:app]\0"), 1 },
		{ "nginx", "x\n", ARGV("nginx: worker process\0\0\0"), 1 },
		{ "master", "x\n", ARGV("gunicorn: master [app:app]\0"), 0 },
		/* interpreters and their scripts */
		{ "uvicorn", "python3\n", ARGV("python3\0/usr/bin/uvicorn\0main:app\0"), 1 },
		{ "uvicorn", "python3.12\n", ARGV("/usr/bin/python3.12\0/venv/bin/uvicorn\0"), 1 },
		{ "next", "node\n", ARGV("node\0/app/node_modules/.bin/next\0start\0"), 1 },
		{ "next", "node\n", ARGV("node\0/app/node_modules/next/dist/bin/next\0dev\0"), 1 },
		{ "worker", "python\n", ARGV("python\0worker.py\0"), 1 },
		{ "worker.py", "python\n", ARGV("python\0worker.py\0"), 1 },
		{ "server", "node\n", ARGV("node\0--enable-source-maps\0server.js\0"), 1 },
		{ "app", "python3\n", ARGV("python3\0-u\0app.py\0"), 1 },
		{ "entrypoint", "bash\n", ARGV("/bin/bash\0/entrypoint.sh\0"), 1 },
		{ "celery", "python\n", ARGV("python\0-m\0celery\0-A\0proj\0worker\0"), 1 },
		{ "uvicorn", "python\n", ARGV("python\0-muvicorn\0app:app\0"), 1 },
		{ "uvicorn", "python\n", ARGV("python\0-m\0uvicorn.main\0"), 1 },
		{ "main", "python\n", ARGV("python\0-m\0uvicorn.main\0"), 0 },
		{ "proj", "python\n", ARGV("python\0-m\0celery\0-A\0proj\0"), 0 },
		/* inline code has no script; only the first script counts */
		{ "uvicorn", "sh\n", ARGV("sh\0-c\0exec uvicorn app:app\0"), 0 },
		{ "uvicorn", "node\n", ARGV("node\0-e\0require('uvicorn')\0"), 0 },
		{ "start", "node\n", ARGV("node\0/app/node_modules/.bin/next\0start\0"), 0 },
		/* options that take a value, and combined short options */
		{ "entrypoint", "bash\n", ARGV("bash\0-e\0/entrypoint.sh\0"), 1 },
		{ "run", "sh\n", ARGV("/bin/sh\0-eu\0./run.sh\0"), 1 },
		{ "run", "sh\n", ARGV("/bin/sh\0-o\0pipefail\0run.sh\0"), 1 },
		{ "pipefail", "sh\n", ARGV("/bin/sh\0-o\0pipefail\0run.sh\0"), 0 },
		{ "uvicorn", "sh\n", ARGV("sh\0-ec\0uvicorn app:app\0"), 0 },
		{ "uvicorn", "bash\n", ARGV("bash\0-lc\0uvicorn\0"), 0 },
		{ "app", "python\n", ARGV("python\0-W\0ignore\0app.py\0"), 1 },
		{ "ignore", "python\n", ARGV("python\0-W\0ignore\0app.py\0"), 0 },
		{ "app", "python\n", ARGV("python\0-Wignore\0app.py\0"), 1 },
		{ "app", "python\n", ARGV("python\0-X\0importtime\0app.py\0"), 1 },
		{ "x", "python\n", ARGV("python\0-uc\0import x\0"), 0 },
		{ "celery", "python\n", ARGV("python\0-OOm\0celery\0"), 1 },
		{ "server", "node\n", ARGV("node\0-r\0dotenv/config\0server.js\0"), 1 },
		{ "config", "node\n", ARGV("node\0-r\0dotenv/config\0server.js\0"), 0 },
		{ "server", "node\n", ARGV("node\0--require\0./t.js\0server.mjs\0"), 1 },
		{ "server", "node\n", ARGV("node\0--watch-path\0src\0server.js\0"), 1 },
		{ "src", "node\n", ARGV("node\0--watch-path\0src\0server.js\0"), 0 },
		{ "server", "node\n", ARGV("node\0--watch-path=src\0server.js\0"), 1 },
		{ "index", "node\n", ARGV("node\0--import\0file:///a/loader.mjs\0index.ts\0"), 1 },
		{ "server", "node\n", ARGV("node\0--\0server.js\0"), 1 },
		{ "x", "node\n", ARGV("node\0-p\0x\0"), 0 },
		{ "x", "perl\n", ARGV("perl\0-ne\0x\0"), 0 },
		{ "x", "perl\n", ARGV("perl\0-w\0x.pl\0"), 1 },
		{ "x", "ruby\n", ARGV("ruby\0-e\0x\0"), 0 },
		/* an option is no script; not an interpreter: argv[1] does not count */
		{ "reload", "python3\n", ARGV("python3\0--reload\0"), 0 },
		{ "uvicorn", "tini\n", ARGV("tini\0--\0uvicorn\0"), 0 },
		{ "python3", "python3\n", ARGV("python3\0/usr/bin/uvicorn\0"), 1 },
		/* no NUL at the end (a truncated read) */
		{ "uvicorn", "python3\n", "python3\0/usr/bin/uvicorn", 24, 1 },
		/* kernel threads and zombies: empty cmdline, matched by comm only */
		{ "kworker", "kworker/0:1\n", "", 0, 0 },
		{ "", "x\n", ARGV("x\0"), 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT(proc_match(cases[i].name, cases[i].comm, cases[i].cmdline,
				    cases[i].len) == cases[i].match,
			 "case %zu: %s", i, cases[i].name);
}

static char root[256];

/* Writes len bytes to root/dir/pid/name, making the folders. */
static void put(const char *dir, const char *pid, const char *name, const char *text,
		size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s/%s", root, dir, pid, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(text, 1, len, f);
	fclose(f);
}

/* A process of pid in root/dir running argv0 alone. */
static void put_proc(const char *dir, const char *pid, const char *comm, const char *argv0)
{
	char line[64];

	snprintf(line, sizeof(line), "%s\n", comm);
	put(dir, pid, "comm", line, strlen(line));
	put(dir, pid, "cmdline", argv0, strlen(argv0) + 1);
}

struct seen_proc {
	long pid;
	char line[64]; /* "pid:comm:argv0(len) " */
};

struct seen {
	char got[512];  /* the lines of what fn saw, by pid */
	int stop_after; /* fn stops the walk after this many; 0: never */
	int n;
	struct seen_proc v[16];
};

static int seen_one(const struct proc_entry *e, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 16) {
		s->v[s->n].pid = e->pid;
		snprintf(s->v[s->n].line, sizeof(s->v[0].line), "%ld:%.*s:%s(%zu) ", e->pid,
			 (int)strcspn(e->comm, "\n"), e->comm, e->cmdline, e->len);
	}
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

static int seen_cmp(const void *a, const void *b)
{
	long x = ((const struct seen_proc *)a)->pid, y = ((const struct seen_proc *)b)->pid;

	return (x > y) - (x < y);
}

/* Walks root/dir into s (readdir's order is the file system's: s->got
 * lists the processes by pid). */
static int walk(const char *dir, size_t max, const struct deadline *dl, struct seen *s)
{
	char path[300];
	int rc, i;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	rc = proc_walk(path, max, dl, seen_one, s);
	qsort(s->v, s->n < 16 ? (size_t)s->n : 16, sizeof(s->v[0]), seen_cmp);
	for (i = 0; i < s->n && i < 16; i++)
		strncat(s->got, s->v[i].line, sizeof(s->got) - strlen(s->got) - 1);
	return rc;
}

/* proc_walk hands over each process with a command line, never probe
 * itself; it stops when fn asks, after max pid entries, or at the
 * deadline. */
static void test_walk(void)
{
	struct deadline past = deadline_in(0);
	char self[32];
	struct seen s;

	snprintf(root, sizeof(root), "%s/probe-proc.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(self, sizeof(self), "%ld", (long)getpid());
	put("a", "7", "comm", "uvicorn\n", 8);
	put("a", "7", "cmdline", "/venv/bin/uvicorn\0app:app\0", 26);
	put_proc("a", "10", "node", "node");
	/* Not probe itself, not a kernel thread (empty cmdline), not a pid
	 * whose comm is gone, not a folder that is no pid. */
	put_proc("a", self, "test_proc", "test_proc");
	put("a", "8", "comm", "kworker/0:1\n", 12);
	put("a", "8", "cmdline", "", 0);
	put("a", "9", "cmdline", "gone", 5);
	put_proc("a", "12x", "x", "x");
	put_proc("a", "self", "x", "x");
	memset(&s, 0, sizeof(s));
	T_INT(walk("a", 0, NULL, &s), 0);
	T_STR(s.got, "7:uvicorn:/venv/bin/uvicorn(26) 10:node:node(5) ");
	/* Five pid entries besides probe's own: 7, 8, 9, 10 and nothing else. */
	memset(&s, 0, sizeof(s));
	T_INT(walk("a", 4, NULL, &s), 0);
	T_STR(s.got, "7:uvicorn:/venv/bin/uvicorn(26) 10:node:node(5) ");

	/* fn stops it. */
	memset(&s, 0, sizeof(s));
	s.stop_after = 1;
	T_INT(walk("a", 0, NULL, &s), 1);
	T_INT(s.n, 1);

	/* max: entries that are no pid, or probe's own, do not count. */
	put_proc("b", "1", "a", "a");
	put_proc("b", "2", "b", "b");
	put_proc("b", "3", "c", "c");
	put_proc("b", "4", "d", "d");
	put_proc("b", self, "test_proc", "test_proc");
	put_proc("b", "12x", "x", "x");
	memset(&s, 0, sizeof(s));
	T_INT(walk("b", 3, NULL, &s), 0);
	T_INT(s.n, 3);
	memset(&s, 0, sizeof(s));
	T_INT(walk("b", 0, NULL, &s), 0);
	T_STR(s.got, "1:a:a(2) 2:b:b(2) 3:c:c(2) 4:d:d(2) ");

	/* Out of time: nothing is read. */
	memset(&s, 0, sizeof(s));
	errno = 0;
	T_INT(walk("a", 0, &past, &s), -1);
	T_INT(errno, ETIMEDOUT);
	T_INT(s.n, 0);

	memset(&s, 0, sizeof(s));
	errno = 0;
	T_INT(walk("none", 0, NULL, &s), -1);
	T_INT(errno, ENOENT);
}

int main(void)
{
	char cmd[300];

	test_match();
	test_walk();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return t_done("test_proc");
}
