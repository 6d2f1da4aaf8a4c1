/*
 * proc.h - the process table as proc: reads it, shared with discovery:
 * the one walk over /proc/PID/ (proc_walk, its root a parameter so tests
 * can hand it a fixture folder) and the pure question whether a process,
 * given its comm and cmdline, goes by a name (proc_match).  The check kind
 * itself is check_proc in proc.c.
 */
#ifndef PROBE_PROC_H
#define PROBE_PROC_H

#include <stddef.h>

struct deadline;

/* The kernel keeps 15 bytes of a process name in comm (TASK_COMM_LEN). */
#define PROC_COMM_MAX 15
/* The bytes of /proc/PID/cmdline read, NUL included: enough for argv[0..2]
 * of any sane command. */
#define PROC_CMDLINE_MAX 4096

/* One process, as proc_walk finds it; the strings live until fn returns. */
struct proc_entry {
	long pid;
	const char *comm;    /* /proc/PID/comm, NUL-terminated, newline kept */
	const char *cmdline; /* /proc/PID/cmdline: len bytes, as proc_match takes */
	size_t len;	     /* never 0 */
};

/* Called by proc_walk for each process; returns non-zero to stop. */
typedef int (*proc_walk_fn)(const struct proc_entry *e, void *ctx);

/*
 * Calls fn for each process under root ("/proc", or a folder of PID/comm
 * and PID/cmdline files), in the order readdir lists them: thread-group
 * leaders only, never this process, nor one without a command line (a
 * kernel thread, a zombie) or gone while read.  At most max PID entries
 * are looked at (0: all), and none once dl (when not NULL) has passed.
 * Returns 0 at the end, 1 when fn stopped the walk, or -1 with errno:
 * root unreadable, or ETIMEDOUT when dl passed.
 */
int proc_walk(const char *root, size_t max, const struct deadline *dl, proc_walk_fn fn, void *ctx);

/*
 * True when the process goes by `name`:
 *  - comm (with or without its trailing newline) equals name cut to
 *    PROC_COMM_MAX bytes, as the kernel cuts it;
 *  - or the basename of argv[0] equals name; a title set with
 *    setproctitle ("gunicorn: master [app]", "nginx: worker process")
 *    counts by its first word without the colon;
 *  - or argv[0] is an interpreter (python, python3, python3.12, node,
 *    nodejs, ruby, perl, sh, bash, dash) and its script goes by name: the
 *    first argument that is not an option, by basename with or without
 *    its extension (python3 /usr/bin/uvicorn, node .bin/next,
 *    python worker.py), or the module after -m (python -m celery).
 *    Options are skipped, with the value of those that take one (python
 *    -W X, node -r X, --import X or --watch-path X, sh -o X); after an
 *    option for inline code (python -c, sh -c or -ec, node -e/-p, ruby
 *    and perl -e) there is no script.
 * cmdline is argv as the kernel keeps it: len bytes of NUL-separated
 * strings, the last NUL optional; it need not be NUL-terminated.
 */
int proc_match(const char *name, const char *comm, const char *cmdline, size_t len);

/* A development watcher, as proc_watcher finds it. */
struct proc_watch {
	char name[64];	   /* the name its proc: check counts it by */
	const char *shown; /* how a reason names it: "uvicorn --reload" (static) */
	int max;	   /* how many processes that check allows */
	size_t index;	   /* which watcher: the order of the plan */
};

/*
 * Is this process a development watcher (next dev, uvicorn --reload,
 * gunicorn --reload, flask run --debug, watchfiles, nodemon, tsx watch,
 * ts-node-dev, node --watch SCRIPT, vite's dev server, reflex run without
 * --env prod)?  comm and cmdline (len bytes of NUL-separated argv) as in
 * /proc/PID.  Returns 1 and fills *w, or 0.  w->max counts what one
 * watcher runs under w->name: flask's reloader re-runs itself (2);
 * gunicorn forks its -w workers, argv and all (1 + workers); node --watch
 * is named by its script, which it runs again in a child (2).  Pure.
 */
int proc_watcher(const char *comm, const char *cmdline, size_t len, struct proc_watch *w);

struct disc;

/* The proc kind's discovery step (proc_discover.c; discover/context.h):
 * proc:NAME max=N for each development watcher running.  Returns 0, or -1
 * with d->err. */
int proc_discover(struct disc *d);

#endif
