/*
 * file.c - file:PATH and dir:PATH: the path exists and is of the right
 * type; writable=yes (the container user may write it), min-bytes=N,
 * nonempty=yes (a file with data, a folder with an entry), max-age=D (a
 * heartbeat file some worker touches: its mtime is at most D old).
 * Both also require that the container user may read the path (and enter
 * the folder): a file the app cannot read is as good as missing.
 * Exports check_file and check_dir: one table each, the code shared.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "probe/check.h"

static const char *const file_names[] = { "file", NULL };
static const char *const file_keys[] = { "writable", "min-bytes", "max-age", "nonempty",
					 NULL };
static const char *const dir_names[] = { "dir", NULL };
/* min-bytes= has no meaning for a folder and is refused as unknown. */
static const char *const dir_keys[] = { "writable", "max-age", "nonempty", NULL };

struct file_priv {
	const char *path;     /* points into c->word */
	int want_dir;
	int writable;
	int nonempty;
	long long min_bytes;  /* -1: not asked */
	int64_t max_age_ms;   /* -1: not asked */
	const char *max_age;  /* the value as written, for messages */
};

static int file_parse(struct check *c, struct probe_err *err)
{
	struct file_priv *p;
	const char *path = c->rest;

	/* file:///app/.env reads as the path /app/.env. */
	if (strncmp(path, "///", 3) == 0)
		path += 2;
	if (!path[0])
		return probe_err_set(err, EXIT_USAGE, "%s: a path is required (like %s:/app/data)",
				     c->name, c->scheme);
	p = calloc(1, sizeof(*p));
	if (!p)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = p;
	p->path = path;
	p->want_dir = strcmp(c->kind->names[0], "dir") == 0;
	p->max_age = check_opt_get(c, "max-age");
	if (check_opt_bool(c, "writable", 0, &p->writable, err) < 0 ||
	    check_opt_bool(c, "nonempty", 0, &p->nonempty, err) < 0 ||
	    check_opt_size(c, "min-bytes", -1, &p->min_bytes, err) < 0 ||
	    check_opt_duration(c, "max-age", -1, &p->max_age_ms, err) < 0)
		return -1;
	return 0;
}

/* Fails res for an errno from stat or access on path. */
static void file_errno(struct check_result *res, const char *path, int e)
{
	if (e == ENOENT || e == ENOTDIR)
		result_fail(res, HINT_FILE_MISSING, "%s: %s", path, strerror(e));
	else if (e == EACCES)
		result_fail(res, HINT_FILE_DENIED,
			    "%s: permission denied (uid %ld cannot reach it)", path,
			    (long)getuid());
	else
		result_fail(res, HINT_NONE, "%s: %s", path, strerror(e));
}

/* Does the folder hold an entry besides . and ..?  1, 0, or -1 (errno). */
static int file_dir_has_entry(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int found = 0;

	if (!d)
		return -1;
	while (!found && (de = readdir(d)) != NULL)
		found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return found;
}

static void file_run(const struct check *c, const struct deadline *dl,
		     struct check_result *res)
{
	const struct file_priv *p = c->priv;
	struct timespec now;
	struct stat st;
	int64_t age_ms;

	(void)dl; /* local file system calls; the runner's watchdog bounds them */
	if (stat(p->path, &st) < 0) {
		file_errno(res, p->path, errno);
		return;
	}
	if (!p->want_dir && S_ISDIR(st.st_mode)) {
		result_fail(res, HINT_FILE_IS_DIR, "is a directory");
		return;
	}
	if (p->want_dir && !S_ISDIR(st.st_mode)) {
		result_fail(res, HINT_NONE, "is not a directory");
		return;
	}
	if (!p->want_dir)
		detail_int(res, "bytes", (long long)st.st_size);
	/* Existing is not enough when the app cannot read it: a .env left
	 * mode 600 for root, a folder without x for the app's user. */
	if (access(p->path, p->want_dir ? R_OK | X_OK : R_OK) < 0) {
		if (errno == EACCES)
			result_fail(res, HINT_FILE_DENIED,
				    "%s: permission denied (uid %ld cannot read it)", p->path,
				    (long)getuid());
		else
			file_errno(res, p->path, errno);
		return;
	}
	if (p->nonempty && p->want_dir) {
		int has = file_dir_has_entry(p->path);

		if (has < 0) {
			file_errno(res, p->path, errno);
			return;
		}
		if (!has) {
			result_fail(res, HINT_DIR_EMPTY, "empty directory");
			return;
		}
	}
	if (p->nonempty && !p->want_dir && st.st_size == 0) {
		result_fail(res, HINT_FILE_EMPTY, "empty file");
		return;
	}
	if (p->min_bytes >= 0 && st.st_size < p->min_bytes) {
		result_fail(res, st.st_size == 0 ? HINT_FILE_EMPTY : HINT_FILE_SHORT,
			    "%lld bytes, min-bytes %lld", (long long)st.st_size, p->min_bytes);
		return;
	}
	if (p->max_age_ms >= 0) {
		clock_gettime(CLOCK_REALTIME, &now);
		age_ms = ((int64_t)now.tv_sec - (int64_t)st.st_mtim.tv_sec) * 1000 +
			 (now.tv_nsec - st.st_mtim.tv_nsec) / 1000000;
		if (age_ms < 0)
			age_ms = 0; /* mtime in the future: a clock skew, not staleness */
		detail_int(res, "age_s", (long long)(age_ms / 1000));
		if (age_ms > p->max_age_ms) {
			result_fail(res, HINT_FILE_STALE, "last modified %lld s ago, max-age %s",
				    (long long)(age_ms / 1000), p->max_age);
			return;
		}
	}
	/* access() asks with the real uid, which is the container user: probe
	 * is never setuid.  Root passes everywhere but on a read-only mount. */
	if (p->writable && access(p->path, W_OK) < 0) {
		int e = errno;

		if (e == EROFS)
			result_fail(res, HINT_FILE_READONLY, "%s: read-only file system", p->path);
		else if (e == EACCES || e == EPERM)
			result_fail(res, HINT_FILE_READONLY, "%s: not writable by uid %ld",
				    p->path, (long)getuid());
		else
			file_errno(res, p->path, e);
		return;
	}
	result_pass(res);
}

static void file_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct check_kind check_file = {
	.names = file_names,
	.keys = file_keys,
	.layer = LAYER_CONFIG,
	.level = LEVEL_READY,
	.help = "file:PATH [ready]         a file exists; writable=yes min-bytes=N\n"
		"max-age=DURATION nonempty=yes",
	.parse = file_parse,
	.run = file_run,
	.free = file_free,
};

const struct check_kind check_dir = {
	.names = dir_names,
	.keys = dir_keys,
	.layer = LAYER_CONFIG,
	.level = LEVEL_READY,
	.help = "dir:PATH [ready]          a folder exists; writable=yes\n"
		"max-age=DURATION nonempty=yes",
	.parse = file_parse,
	.run = file_run,
	.free = file_free,
};
