/*
 * proc.c - proc:NAME: between min= (default 1) and max= (default: no
 * bound) processes go by NAME in this PID namespace.  Catches an app that
 * is not running and the duplicate dev watcher (uvicorn --reload, next
 * dev) that holds a port twice.  max=0 alone (none may run) lowers min's
 * default to 0.  Reads /proc/PID/comm and /proc/PID/cmdline through
 * proc_walk, which discovery uses too; the matching itself is proc_match
 * (proc.h).
 */
#include "checks/sys/proc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/check.h"
#include "lib/fileio.h"

#define PROC_PIDS_SHOWN 16  /* pids listed in the detail */
#define PROC_ARGS_SCANNED 8 /* options an interpreter's script may follow */

static const char *const proc_names[] = { "proc", NULL };
static const char *const proc_keys[] = { "min", "max", NULL };

struct proc_priv {
	long min;
	long max; /* -1: no bound */
};

/* Does name equal the len bytes at s? */
static int proc_eq(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && memcmp(name, s, len) == 0;
}

/* The basename of the len bytes at s: *len is updated. */
static const char *proc_base(const char *s, size_t *len)
{
	const char *b = s;
	size_t i;

	for (i = 0; i < *len; i++)
		if (s[i] == '/')
			b = s + i + 1;
	*len -= (size_t)(b - s);
	return b;
}

enum proc_arg { PROC_SCRIPT, PROC_MODULE };

/* Does a script go by name, by basename with or without its extension
 * (worker.py, server.js)?  Does a module, whole or by its top package
 * (celery, uvicorn.main)? */
static int proc_arg_match(const char *name, const char *s, size_t len, enum proc_arg kind)
{
	const char *b = proc_base(s, &len);
	size_t i;

	if (proc_eq(name, b, len))
		return 1;
	if (kind == PROC_MODULE) {
		const char *dot = memchr(b, '.', len);

		return dot && proc_eq(name, b, (size_t)(dot - b));
	}
	for (i = len; i > 1; i--)
		if (b[i - 1] == '.')
			return proc_eq(name, b, i - 1);
	return 0;
}

enum proc_interp { PROC_NOT_INTERP, PROC_PYTHON, PROC_NODE, PROC_SHELL, PROC_SCRIPTING };

/* Which interpreter, if any, argv[0]'s basename b[0..len) names. */
static enum proc_interp proc_interpreter(const char *b, size_t len)
{
	static const struct {
		const char *name;
		enum proc_interp kind;
	} interps[] = {
		{ "node", PROC_NODE },    { "nodejs", PROC_NODE },     { "sh", PROC_SHELL },
		{ "bash", PROC_SHELL },   { "dash", PROC_SHELL },      { "ash", PROC_SHELL },
		{ "ruby", PROC_SCRIPTING }, { "perl", PROC_SCRIPTING },
	};
	size_t i;

	if (len >= 6 && strncmp(b, "python", 6) == 0) {
		/* python, python3, python3.12 */
		for (i = 6; i < len; i++)
			if (!isdigit((unsigned char)b[i]) && b[i] != '.')
				return PROC_NOT_INTERP;
		return PROC_PYTHON;
	}
	for (i = 0; i < sizeof(interps) / sizeof(interps[0]); i++)
		if (proc_eq(interps[i].name, b, len))
			return interps[i].kind;
	return PROC_NOT_INTERP;
}

/* What an interpreter's option means for finding its script. */
enum proc_opt {
	PROC_OPT_PLAIN,  /* a flag: the script may follow */
	PROC_OPT_ARG,    /* takes the next argument as its value: skip it too */
	PROC_OPT_INLINE, /* code on the command line: there is no script */
	PROC_OPT_MODULE  /* python -m: the module is the name */
};

/* Classifies option o[0..len) of interpreter kind; for -mMODULE, *attached
 * gets the offset of MODULE (0 when it is the next argument). */
static enum proc_opt proc_option(enum proc_interp kind, const char *o, size_t len,
				 size_t *attached)
{
	size_t i;

	*attached = 0;
	if (len >= 2 && o[1] == '-') {
		/* long options: node's --eval, --print, --require X, --import X,
		 * --watch-path X (node --watch-path src server.js is server) */
		if (kind == PROC_NODE && (proc_eq("--eval", o, len) || proc_eq("--print", o, len)))
			return PROC_OPT_INLINE;
		if (kind == PROC_NODE && (proc_eq("--require", o, len) || proc_eq("--import", o, len) ||
					  proc_eq("--watch-path", o, len)))
			return PROC_OPT_ARG;
		return PROC_OPT_PLAIN;
	}
	/* short options, possibly combined: sh -ec, python -uc, perl -ne */
	for (i = 1; i < len; i++) {
		char ch = o[i];

		switch (kind) {
		case PROC_PYTHON:
			if (ch == 'c')
				return PROC_OPT_INLINE;
			if (ch == 'm') {
				*attached = i + 1 < len ? i + 1 : 0;
				return PROC_OPT_MODULE;
			}
			if (ch == 'W' || ch == 'X') /* the rest, or the next, is a value */
				return i + 1 < len ? PROC_OPT_PLAIN : PROC_OPT_ARG;
			break;
		case PROC_SHELL:
			if (ch == 'c')
				return PROC_OPT_INLINE;
			if (ch == 'o' || ch == 'O')
				return PROC_OPT_ARG;
			break;
		case PROC_NODE:
			if (ch == 'e' || ch == 'p')
				return PROC_OPT_INLINE;
			if (ch == 'r')
				return PROC_OPT_ARG;
			break;
		default: /* ruby, perl */
			if (ch == 'e' || ch == 'E')
				return PROC_OPT_INLINE;
			break;
		}
	}
	return PROC_OPT_PLAIN;
}

int proc_match(const char *name, const char *comm, const char *cmdline, size_t len)
{
	size_t nlen = strlen(name), clen = strcspn(comm, "\n");
	size_t cut = nlen < PROC_COMM_MAX ? nlen : PROC_COMM_MAX;
	const char *arg0 = cmdline, *b0, *end = cmdline + len, *p, *space;
	size_t a0len, b0len;
	enum proc_interp kind;
	int i;

	if (nlen == 0)
		return 0;
	if (clen == cut && memcmp(comm, name, cut) == 0)
		return 1;
	if (len == 0)
		return 0;
	a0len = strnlen(arg0, len);
	b0len = a0len;
	b0 = proc_base(arg0, &b0len);
	if (proc_eq(name, b0, b0len))
		return 1;
	/* A setproctitle title: "gunicorn: master [app]". */
	space = memchr(arg0, ' ', a0len);
	if (space) {
		size_t tlen = (size_t)(space - arg0);
		const char *t;

		if (tlen > 0 && arg0[tlen - 1] == ':')
			tlen--;
		t = proc_base(arg0, &tlen);
		if (proc_eq(name, t, tlen))
			return 1;
	}
	kind = proc_interpreter(b0, b0len);
	if (a0len + 1 >= len || kind == PROC_NOT_INTERP)
		return 0; /* not an interpreter, or no argument after argv[0] */
	p = arg0 + a0len + 1;
	for (i = 0; i < PROC_ARGS_SCANNED && p < end; i++) {
		size_t alen = strnlen(p, (size_t)(end - p)), at;
		const char *arg = p;

		/* Step past this argument and its NUL, never past end. */
		p += alen;
		p += p < end;
		if (alen == 0)
			continue;
		if (arg[0] != '-' || alen == 1)
			return proc_arg_match(name, arg, alen, PROC_SCRIPT);
		switch (proc_option(kind, arg, alen, &at)) {
		case PROC_OPT_INLINE:
			return 0;
		case PROC_OPT_MODULE:
			if (at)
				return proc_arg_match(name, arg + at, alen - at, PROC_MODULE);
			return p < end && proc_arg_match(name, p, strnlen(p, (size_t)(end - p)),
							 PROC_MODULE);
		case PROC_OPT_ARG:
			p += strnlen(p, (size_t)(end - p));
			p += p < end;
			break;
		case PROC_OPT_PLAIN:
			break;
		}
	}
	return 0;
}

/* Parses a non-negative count option; -1 with err when malformed. */
static int proc_opt_count(struct check *c, const char *key, long def, long *out,
			  struct probe_err *err)
{
	const char *v = check_opt_get(c, key);
	char *stop;

	*out = def;
	if (!v)
		return 0;
	errno = 0;
	*out = strtol(v, &stop, 10);
	if (!isdigit((unsigned char)*v) || *stop || errno || *out > 100000)
		return probe_err_set(err, EXIT_USAGE, "%s: %s=%s: expected a count (like 1)",
				     c->name, key, v);
	return 0;
}

static int proc_parse(struct check *c, struct probe_err *err)
{
	struct proc_priv *p;

	if (!c->rest[0] || strchr(c->rest, '/'))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: name a process, without a path (like proc:uvicorn)",
				     c->name);
	p = calloc(1, sizeof(*p));
	if (!p)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = p;
	if (proc_opt_count(c, "max", -1, &p->max, err) < 0 ||
	    proc_opt_count(c, "min", p->max == 0 ? 0 : 1, &p->min, err) < 0)
		return -1;
	if (p->max >= 0 && p->min > p->max)
		return probe_err_set(err, EXIT_USAGE, "%s: min=%ld is over max=%ld", c->name,
				     p->min, p->max);
	return 0;
}

static int proc_cmp_pid(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

int proc_walk(const char *root, size_t max, const struct deadline *dl, proc_walk_fn fn, void *ctx)
{
	char path[4200], comm[64], cmdline[PROC_CMDLINE_MAX];
	long self = (long)getpid();
	size_t looked = 0;
	struct dirent *de;
	int rc = 0;
	DIR *d;

	d = opendir(root);
	if (!d)
		return -1;
	/* readdir lists thread-group leaders only, never other threads, so
	 * skipping our own pid skips all of probe. */
	while ((!max || looked < max) && (de = readdir(d)) != NULL) {
		struct proc_entry e;
		ssize_t clen;
		char *stop;
		long pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = strtol(de->d_name, &stop, 10);
		if (*stop || pid == self)
			continue;
		looked++;
		if (dl && deadline_expired(dl)) {
			errno = ETIMEDOUT;
			rc = -1;
			break;
		}
		/* A pid that vanished between readdir and open is skipped. */
		snprintf(path, sizeof(path), "%s/%ld/cmdline", root, pid);
		clen = file_read_small(path, cmdline, sizeof(cmdline));
		/* Kernel threads and zombies have no command line. */
		if (clen <= 0)
			continue;
		snprintf(path, sizeof(path), "%s/%ld/comm", root, pid);
		if (file_read_small(path, comm, sizeof(comm)) < 0)
			continue;
		e.pid = pid;
		e.comm = comm;
		e.cmdline = cmdline;
		e.len = (size_t)clen;
		if (fn(&e, ctx)) {
			rc = 1;
			break;
		}
	}
	closedir(d);
	return rc;
}

/* What proc_run counts: the processes that go by name. */
struct proc_count {
	const char *name;
	long pids[PROC_PIDS_SHOWN];
	size_t shown;
	long count;
};

static int proc_count_one(const struct proc_entry *e, void *ctx)
{
	struct proc_count *pc = ctx;

	if (!proc_match(pc->name, e->comm, e->cmdline, e->len))
		return 0;
	if (pc->shown < PROC_PIDS_SHOWN)
		pc->pids[pc->shown++] = e->pid;
	pc->count++;
	return 0;
}

static void proc_run(const struct check *c, const struct deadline *dl,
		     struct check_result *res)
{
	const struct proc_priv *pp = c->priv;
	const char *name = c->rest;
	struct proc_count pc = { .name = name };
	long count;
	size_t i;

	if (proc_walk("/proc", 0, dl, proc_count_one, &pc) < 0) {
		if (errno == ETIMEDOUT)
			result_fail(res, HINT_NONE, "timed out scanning /proc");
		else
			result_fail(res, HINT_NONE, "cannot read /proc: %s", strerror(errno));
		return;
	}
	count = pc.count;
	qsort(pc.pids, pc.shown, sizeof(pc.pids[0]), proc_cmp_pid);
	detail_int(res, "count", count);
	detail_list_begin(res, "pids");
	for (i = 0; i < pc.shown; i++) {
		char num[24];

		snprintf(num, sizeof(num), "%ld", pc.pids[i]);
		detail_list_add(res, num);
	}
	if (count == 0 && pp->min > 0)
		result_fail(res, HINT_PROC_NONE, "no process named %s", name);
	else if (count < pp->min)
		result_fail(res, HINT_PROC_FEW, "%ld process%s named %s, min %ld", count,
			    count == 1 ? "" : "es", name, pp->min);
	else if (pp->max >= 0 && count > pp->max)
		result_fail(res, HINT_PROC_DUPLICATE, "%ld process%s named %s, max %ld", count,
			    count == 1 ? "" : "es", name, pp->max);
	else
		result_pass(res);
}

static void proc_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct check_kind check_proc = {
	.names = proc_names,
	.keys = proc_keys,
	.layer = LAYER_PROCESS,
	.level = LEVEL_LIVE,
	.help = "proc:NAME [live]          min=N (default 1) max=N processes named NAME",
	.parse = proc_parse,
	.run = proc_run,
	.free = proc_free,
	.discover = proc_discover,
};
