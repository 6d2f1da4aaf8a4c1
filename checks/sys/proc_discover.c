/*
 * proc_discover.c - the proc kind's part of auto-discovery: a development
 * watcher (next dev, uvicorn --reload, flask run --debug, nodemon, vite,
 * reflex run) found in the process table gets proc:NAME max=N, which
 * catches a duplicate fighting the first over its port and files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/sys/proc.h"
#include "discover/context.h"

#define PROC_ARGS_MAX 64

/* The dev watchers, in the order their checks are written. */
static const struct {
	const char *name;
	const char *shown; /* how the reason names it */
	int max;
} proc_watchers[] = {
    {"next", "next dev", 1},	       {"uvicorn", "uvicorn --reload", 1},
    {"flask", "flask run --debug", 2}, {"nodemon", "nodemon", 1},
    {"vite", "vite (dev server)", 1},  {"reflex", "reflex run", 1},
};

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

const char *proc_watcher(const char *comm, const char *cmdline, size_t len, int *max)
{
	char buf[PROC_CMDLINE_MAX + 1], *argv[PROC_ARGS_MAX];
	size_t argc = 0, i, start = 0;

	if (len == 0)
		return NULL;
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
	for (i = 0; i < sizeof(proc_watchers) / sizeof(proc_watchers[0]); i++) {
		const char *name = proc_watchers[i].name;
		int dev;

		if (!proc_match(name, comm, cmdline, len))
			continue;
		if (strcmp(name, "next") == 0)
			dev = watcher_has_arg(argv, argc, "dev");
		else if (strcmp(name, "uvicorn") == 0)
			dev = watcher_has_arg(argv, argc, "--reload");
		else if (strcmp(name, "flask") == 0)
			dev = watcher_has_arg(argv, argc, "run") &&
			      (watcher_has_arg(argv, argc, "--debug") ||
			       watcher_has_arg(argv, argc, "--reload"));
		else if (strcmp(name, "vite") == 0)
			dev = !watcher_has_arg(argv, argc, "build") &&
			      !watcher_has_arg(argv, argc, "preview") &&
			      !watcher_has_arg(argv, argc, "optimize");
		else if (strcmp(name, "reflex") == 0)
			dev = watcher_has_arg(argv, argc, "run") && !watcher_reflex_prod(argv, argc);
		else
			dev = 1; /* nodemon is a watcher by trade */
		if (dev) {
			*max = proc_watchers[i].max;
			return name;
		}
	}
	return NULL;
}

/* What the walk found: for each watcher, how many and the lowest pid. */
struct watchers_seen {
	long count[sizeof(proc_watchers) / sizeof(proc_watchers[0])];
	long first[sizeof(proc_watchers) / sizeof(proc_watchers[0])];
};

static int watcher_seen(const struct proc_entry *e, void *ctx)
{
	struct watchers_seen *s = ctx;
	const char *name;
	size_t i;
	int max;

	name = proc_watcher(e->comm, e->cmdline, e->len, &max);
	for (i = 0; name && i < sizeof(proc_watchers) / sizeof(proc_watchers[0]); i++) {
		if (strcmp(proc_watchers[i].name, name) == 0) {
			if (!s->count[i]++ || e->pid < s->first[i])
				s->first[i] = e->pid;
		}
	}
	return 0;
}

int proc_discover(struct disc *d)
{
	enum { NW = sizeof(proc_watchers) / sizeof(proc_watchers[0]) };
	const char *root = d->src->proc_root ? d->src->proc_root : "/proc";
	struct watchers_seen seen = {{0}, {0}};
	char why[256], word[64], maxw[16];
	size_t i;

	/* No process table to read: nothing found. */
	if (proc_walk(root, DISCOVER_MAX_PIDS, NULL, watcher_seen, &seen) < 0)
		return 0;
	for (i = 0; i < NW; i++) {
		const char *w[] = {word, maxw, NULL};

		if (!seen.count[i])
			continue;
		snprintf(word, sizeof(word), "proc:%s", proc_watchers[i].name);
		snprintf(maxw, sizeof(maxw), "max=%d", proc_watchers[i].max);
		if (seen.count[i] > proc_watchers[i].max)
			snprintf(why, sizeof(why),
				 "a development watcher runs (%s, pid %ld) and %ld of them run "
				 "now: a duplicate fights the first over its port and files",
				 proc_watchers[i].shown, seen.first[i], seen.count[i]);
		else
			snprintf(why, sizeof(why),
				 "a development watcher runs (%s, pid %ld): %s catches a "
				 "duplicate, which fights the first over its port and files",
				 proc_watchers[i].shown, seen.first[i], maxw);
		if (disc_add(d, why, w) < 0)
			return -1;
	}
	return 0;
}
