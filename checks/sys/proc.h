/*
 * proc.h - the pure half of proc:, for tests: does a process, given its
 * /proc/PID/comm and /proc/PID/cmdline, go by a name?  The check kind
 * itself is check_proc in proc.c.
 */
#ifndef PROBE_PROC_H
#define PROBE_PROC_H

#include <stddef.h>

/* The kernel keeps 15 bytes of a process name in comm (TASK_COMM_LEN). */
#define PROC_COMM_MAX 15

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
 *    -W X, node -r X, sh -o X); after an option for inline code (python
 *    -c, sh -c or -ec, node -e/-p, ruby and perl -e) there is no script.
 * cmdline is argv as the kernel keeps it: len bytes of NUL-separated
 * strings, the last NUL optional; it need not be NUL-terminated.
 */
int proc_match(const char *name, const char *comm, const char *cmdline, size_t len);

/*
 * Is this process a development watcher (next dev, uvicorn --reload,
 * flask run --debug, nodemon, vite's dev server, reflex run without
 * --env prod)?  comm and cmdline (len bytes of NUL-separated argv) as in
 * /proc/PID.  Returns the name a proc: check finds it by and sets *max to
 * how many such processes one watcher runs (flask's reloader re-runs
 * itself: 2), or returns NULL.  Pure.
 */
const char *proc_watcher(const char *comm, const char *cmdline, size_t len, int *max);

struct disc;

/* The proc kind's discovery step (proc_discover.c; discover/context.h):
 * proc:NAME max=N for each development watcher running.  Returns 0, or -1
 * with d->err. */
int proc_discover(struct disc *d);

#endif
