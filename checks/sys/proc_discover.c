/*
 * proc_discover.c - the proc kind's part of auto-discovery: a development
 * watcher (next dev, uvicorn --reload, gunicorn --reload, flask run
 * --debug, watchfiles, nodemon, tsx watch, ts-node-dev, node --watch,
 * vite, reflex run) found in the process table gets proc:NAME max=N,
 * which catches a duplicate fighting the first over its port and files.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/sys/proc.h"
#include "discover/context.h"

#define PROC_ARGS_MAX 64

/* How a watcher's check counts processes. */
enum watcher_count {
	WATCHER_FIXED,	 /* max is the table's */
	WATCHER_WORKERS, /* gunicorn: the master and its -w workers */
	WATCHER_SCRIPT	 /* node --watch: named by its script, itself and its child */
};

/* The dev watchers, in the order their checks are written. */
static const struct {
	const char *name;
	const char *shown; /* how the reason names it */
	int max;
	enum watcher_count count;
} proc_watchers[] = {
    {"next", "next dev", 1, WATCHER_FIXED},
    {"uvicorn", "uvicorn --reload", 1, WATCHER_FIXED},
    {"gunicorn", "gunicorn --reload", 2, WATCHER_WORKERS},
    {"flask", "flask run --debug", 2, WATCHER_FIXED},
    {"watchfiles", "watchfiles", 1, WATCHER_FIXED},
    {"nodemon", "nodemon", 1, WATCHER_FIXED},
    {"tsx", "tsx watch", 1, WATCHER_FIXED},
    {"ts-node-dev", "ts-node-dev", 1, WATCHER_FIXED},
    {"tsnd", "tsnd (ts-node-dev)", 1, WATCHER_FIXED},
    {"node", "node --watch", 2, WATCHER_SCRIPT},
    {"vite", "vite (dev server)", 1, WATCHER_FIXED},
    {"reflex", "reflex run", 1, WATCHER_FIXED},
};

#define PROC_NWATCHERS (sizeof(proc_watchers) / sizeof(proc_watchers[0]))

static int watcher_has_arg(char *const *argv, size_t argc, const char *a)
{
	size_t i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], a) == 0)
			return 1;
	return 0;
}

/* reflex run --env prod (or --env=prod, production). */
static int watcher_reflex_prod(char *const *argv, size_t argc)
{
	size_t i;

	for (i = 1; i < argc; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--env") == 0 && i + 1 < argc)
			v = argv[i + 1];
		else if (strncmp(argv[i], "--env=", 6) == 0)
			v = argv[i] + 6;
		if (v && (strcmp(v, "prod") == 0 || strcmp(v, "production") == 0))
			return 1;
	}
	return 0;
}

/* gunicorn's worker count from -w N, -wN, --workers N or --workers=N
 * (default 1); 0 when malformed or implausible. */
static int watcher_gunicorn_workers(char *const *argv, size_t argc)
{
	const char *v = NULL;
	char *stop;
	long n;
	size_t i;

	for (i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "-w") == 0 || strcmp(argv[i], "--workers") == 0) &&
		    i + 1 < argc)
			v = argv[i + 1];
		else if (strncmp(argv[i], "--workers=", 10) == 0)
			v = argv[i] + 10;
		else if (strncmp(argv[i], "-w", 2) == 0 && argv[i][2])
			v = argv[i] + 2;
	}
	if (!v)
		return 1;
	n = strtol(v, &stop, 10);
	if (stop == v || *stop || n < 1 || n > 1000)
		return 0;
	return (int)n;
}

/*
 * node --watch SCRIPT (or --watch-path DIR, --watch-path=DIR): writes
 * SCRIPT's basename without its extension to buf, the name proc_match
 * finds both the watcher and the child it runs by (node --watch runs
 * `node SCRIPT` without the watch options).  Returns 0, or -1 when this
 * is no watch mode or there is no script with a plain name.
 */
static int watcher_node_script(char *const *argv, size_t argc, char *buf, size_t size)
{
	const char *script = NULL, *b, *dot;
	int watch = 0;
	size_t i, n;

	for (i = 1; i < argc && !script; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--watch") == 0 || strncmp(a, "--watch-path=", 13) == 0) {
			watch = 1;
		} else if (strcmp(a, "--watch-path") == 0) {
			watch = 1;
			i++; /* its folder */
		} else if (strcmp(a, "--require") == 0 || strcmp(a, "-r") == 0 ||
			   strcmp(a, "--import") == 0) {
			i++; /* its module */
		} else if (strcmp(a, "-e") == 0 || strcmp(a, "-p") == 0 ||
			   strcmp(a, "--eval") == 0 || strcmp(a, "--print") == 0) {
			return -1; /* inline code: no script */
		} else if (a[0] != '-') {
			script = a;
		}
	}
	if (!watch || !script)
		return -1;
	b = strrchr(script, '/');
	b = b ? b + 1 : script;
	dot = strrchr(b, '.');
	n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
	if (n == 0 || n >= size)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)b[i]) && !strchr("._-+", b[i]))
			return -1;
	memcpy(buf, b, n);
	buf[n] = '\0';
	return 0;
}

int proc_watcher(const char *comm, const char *cmdline, size_t len, struct proc_watch *w)
{
	char buf[PROC_CMDLINE_MAX + 1], *argv[PROC_ARGS_MAX];
	size_t argc = 0, i, start = 0;

	if (len == 0)
		return 0;
	if (len > PROC_CMDLINE_MAX)
		len = PROC_CMDLINE_MAX;
	memcpy(buf, cmdline, len);
	buf[len] = '\0';
	for (i = 0; i <= len && argc < PROC_ARGS_MAX; i++) {
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
			if (i + 1 == len)
				break; /* the trailing NUL */
		}
	}
	for (i = 0; i < PROC_NWATCHERS; i++) {
		const char *name = proc_watchers[i].name;
		int dev, max = proc_watchers[i].max;

		if (proc_watchers[i].count == WATCHER_SCRIPT) {
			/* node itself, not a script node runs (proc_match would
			 * take comm "node" for every one of them). */
			const char *b = strrchr(argv[0], '/');

			b = b ? b + 1 : argv[0];
			if ((strcmp(b, "node") != 0 && strcmp(b, "nodejs") != 0) ||
			    watcher_node_script(argv, argc, w->name, sizeof(w->name)) < 0)
				continue;
			w->index = i;
			w->shown = proc_watchers[i].shown;
			w->max = max;
			return 1;
		}
		if (!proc_match(name, comm, cmdline, len))
			continue;
		if (strcmp(name, "next") == 0)
			dev = watcher_has_arg(argv, argc, "dev");
		else if (strcmp(name, "uvicorn") == 0)
			dev = watcher_has_arg(argv, argc, "--reload");
		else if (strcmp(name, "gunicorn") == 0) {
			int workers = watcher_gunicorn_workers(argv, argc);

			dev = watcher_has_arg(argv, argc, "--reload") && workers > 0;
			max = 1 + workers; /* the master forks them, argv and all */
		} else if (strcmp(name, "flask") == 0)
			dev = watcher_has_arg(argv, argc, "run") &&
			      (watcher_has_arg(argv, argc, "--debug") ||
			       watcher_has_arg(argv, argc, "--reload"));
		else if (strcmp(name, "tsx") == 0)
			dev = watcher_has_arg(argv, argc, "watch");
		else if (strcmp(name, "vite") == 0)
			dev = !watcher_has_arg(argv, argc, "build") &&
			      !watcher_has_arg(argv, argc, "preview") &&
			      !watcher_has_arg(argv, argc, "optimize");
		else if (strcmp(name, "reflex") == 0)
			dev = watcher_has_arg(argv, argc, "run") && !watcher_reflex_prod(argv, argc);
		else
			dev = 1; /* nodemon, watchfiles, ts-node-dev: watchers by trade */
		if (dev) {
			snprintf(w->name, sizeof(w->name), "%s", name);
			w->index = i;
			w->shown = proc_watchers[i].shown;
			w->max = max;
			return 1;
		}
	}
	return 0;
}

/* What the walk found: each watcher's check, how many of its processes,
 * the lowest pid and that one's max. */
#define WATCHERS_SEEN_MAX 16
struct watchers_seen {
	size_t n;
	struct {
		struct proc_watch w;
		long count, first;
	} e[WATCHERS_SEEN_MAX];
};

static int watcher_seen(const struct proc_entry *e, void *ctx)
{
	struct watchers_seen *s = ctx;
	struct proc_watch w;
	size_t i;

	if (!proc_watcher(e->comm, e->cmdline, e->len, &w))
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->e[i].w.index == w.index && strcmp(s->e[i].w.name, w.name) == 0)
			break;
	if (i == s->n) {
		if (s->n == WATCHERS_SEEN_MAX)
			return 0; /* enough checks of this kind */
		s->n++;
		s->e[i].count = 0;
	}
	if (!s->e[i].count++ || e->pid < s->e[i].first) {
		s->e[i].first = e->pid;
		s->e[i].w = w;
	}
	return 0;
}

/* Orders the plan's proc: checks by the watchers' table, then by name. */
static int watcher_order(const void *a, const void *b)
{
	const struct proc_watch *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return strcmp(x->name, y->name);
}

int proc_discover(struct disc *d)
{
	const char *root = d->src->proc_root ? d->src->proc_root : "/proc";
	struct watchers_seen seen;
	char why[320], word[80], maxw[16];
	size_t i;

	seen.n = 0;
	/* No process table to read: nothing found. */
	if (proc_walk(root, DISCOVER_MAX_PIDS, NULL, watcher_seen, &seen) < 0)
		return 0;
	/* w is the first member: the entries sort by it. */
	qsort(seen.e, seen.n, sizeof(seen.e[0]), watcher_order);
	for (i = 0; i < seen.n; i++) {
		const struct proc_watch *w = &seen.e[i].w;
		const char *words[] = {word, maxw, NULL};
		/* node --watch: its check counts the watcher and its child */
		long running =
		    seen.e[i].count * (proc_watchers[w->index].count == WATCHER_SCRIPT ? 2 : 1);

		snprintf(word, sizeof(word), "proc:%s", w->name);
		snprintf(maxw, sizeof(maxw), "max=%d", w->max);
		if (running > w->max)
			snprintf(why, sizeof(why),
				 "a development watcher runs (%s, pid %ld) and %ld of them run "
				 "now: a duplicate fights the first over its port and files",
				 w->shown, seen.e[i].first, running);
		else
			snprintf(why, sizeof(why),
				 "a development watcher runs (%s, pid %ld): %s catches a "
				 "duplicate, which fights the first over its port and files",
				 w->shown, seen.e[i].first, maxw);
		if (disc_add(d, why, words) < 0)
			return -1;
	}
	return 0;
}
