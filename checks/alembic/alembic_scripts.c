/*
 * alembic_scripts.c - finding and reading the migration scripts for
 * alembic:DIR: which folder DIR is (alembic.ini's, pyproject.toml's, the
 * script location or the versions folder), the version locations it
 * names, and every migration file in them, read as Alembic loads them.
 * The file system is the only I/O here; judging bytes is alembic_parse.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/alembic/alembic.h"
#include "lib/fileio.h"

#define ALEMBIC_DEPTH 16 /* recursive_version_locations */

/* snprintf into a path buffer; a path that does not fit is cut (and then
 * names no file).  Returns 0, or -1 when cut. */
static int path_fmt(char *out, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int path_fmt(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	return r < 0 || (size_t)r >= n ? -1 : 0;
}

int alembic_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* path, made absolute against base when relative. */
static void path_join(char *out, size_t n, const char *base, const char *path)
{
	if (path[0] == '/' || !base[0])
		path_fmt(out, n, "%s", path);
	else
		path_fmt(out, n, "%s/%s", base, path);
}

/* Adds the version locations listed in s, split as Alembic does: on the
 * separator sep when given, else on commas and spaces (its legacy rule). */
static void loc_split(struct alembic_loc *loc, const char *s, int sep, const char *here)
{
	const char *p = s;

	while (*p && loc->nversions < ALEMBIC_LOCATIONS) {
		size_t n = 0;

		if (sep)
			while (p[n] && p[n] != sep)
				n++;
		else
			while (p[n] && p[n] != ',' && p[n] != ' ' && p[n] != '\n')
				n++;
		{
			const char *item = p;
			size_t m = n;
			char one[ALEMBIC_PATH];

			while (m > 0 && (*item == ' ' || *item == '\t' || *item == '\n')) {
				item++;
				m--;
			}
			while (m > 0 && (item[m - 1] == ' ' || item[m - 1] == '\t' ||
					 item[m - 1] == '\n' || item[m - 1] == '\r'))
				m--;
			if (m > 0 && m < sizeof(one)) {
				path_fmt(one, sizeof(one), "%.*s", (int)m, item);
				path_join(loc->versions[loc->nversions++], ALEMBIC_PATH, here, one);
			}
		}
		p += n;
		if (*p)
			p++;
	}
}

/* The separator Alembic splits version_locations on, from path_separator
 * (1.16+) or version_path_separator; 0 for the legacy comma/space rule
 * (neither set); -1 for a value Alembic refuses (an inline comment after
 * it, as the 1.8 template has, is part of the value: Alembic fails too). */
static int loc_separator(const char *name)
{
	if (!name)
		return 0;
	if (strcmp(name, "space") == 0)
		return ' ';
	if (strcmp(name, "newline") == 0)
		return '\n';
	if (strcmp(name, "os") == 0 || strcmp(name, ":") == 0)
		return ':';
	if (strcmp(name, ";") == 0)
		return ';';
	return -1;
}

/* Is dir a script location (env.py or versions/ in it)?  path is scratch. */
static int alembic_script_dir(const char *dir, char *path, size_t n)
{
	if (path_fmt(path, n, "%s/env.py", dir) == 0 && is_file(path))
		return 1;
	return path_fmt(path, n, "%s/versions", dir) == 0 && alembic_is_dir(path);
}

/* Finds the version locations from DIR.  Returns 0, or -1 with res. */
int alembic_locate(const char *dir, struct alembic_loc *loc, struct check_result *res)
{
	char here[ALEMBIC_PATH], ini_path[ALEMBIC_PATH], path[ALEMBIC_PATH], why[256] = "";
	char *script = NULL, *vl = NULL, *sepname = NULL, *rec = NULL, *buf = NULL;
	struct alembic_ini ini = { NULL, 0 };
	size_t len;
	int rc = -1, have_ini = 0;

	if (is_file(dir)) { /* the ini itself */
		const char *slash = strrchr(dir, '/');

		path_fmt(ini_path, sizeof(ini_path), "%s", dir);
		if (slash)
			path_fmt(here, sizeof(here), "%.*s", (int)(slash - dir), dir);
		else
			path_fmt(here, sizeof(here), ".");
	} else {
		path_fmt(here, sizeof(here), "%s", dir);
		path_fmt(ini_path, sizeof(ini_path), "%s/alembic.ini", dir);
	}
	if (!alembic_is_dir(here)) {
		result_fail(res, HINT_ALEMBIC_NO_SCRIPTS, "no such folder: %s", here);
		return -1;
	}
	if (is_file(ini_path)) {
		buf = file_read_all(ini_path, ALEMBIC_FILE_MAX, &len);
		if (!buf || alembic_ini_parse(buf, len, &ini, why, sizeof(why)) < 0) {
			result_fail(res, HINT_ALEMBIC_NO_SCRIPTS, "%s: %s", ini_path,
				    buf ? why : strerror(errno));
			goto done;
		}
		have_ini = 1;
		free(buf);
		buf = NULL;
		script = alembic_ini_get(&ini, "alembic", "script_location", here, why,
					 sizeof(why));
		vl = alembic_ini_get(&ini, "alembic", "version_locations", here, why,
				     sizeof(why));
		sepname = alembic_ini_get(&ini, "alembic", "path_separator", here, why,
					  sizeof(why));
		if (!sepname)
			sepname = alembic_ini_get(&ini, "alembic", "version_path_separator", here,
						  why, sizeof(why));
		rec = alembic_ini_get(&ini, "alembic", "recursive_version_locations", here, why,
				      sizeof(why));
		loc->url = alembic_ini_get(&ini, "alembic", "sqlalchemy.url", here, why,
					   sizeof(why));
		if (why[0]) {
			result_fail(res, HINT_ALEMBIC_NO_SCRIPTS, "%s: %s", ini_path, why);
			goto done;
		}
	}
	path_fmt(path, sizeof(path), "%s/pyproject.toml", here);
	if (!script && is_file(path) &&
	    (buf = file_read_all(path, ALEMBIC_FILE_MAX, &len)) != NULL) {
		script = alembic_toml_get(buf, len, "script_location", here);
		if (script) {
			free(vl);
			free(rec);
			vl = alembic_toml_get(buf, len, "version_locations", here);
			rec = alembic_toml_get(buf, len, "recursive_version_locations", here);
			free(sepname);
			sepname = strdup("newline"); /* the array's items, joined */
		}
		free(buf);
		buf = NULL;
	}
	/* An ini inside the script location without script_location:
	 * Flask-Migrate's migrations/alembic.ini, whose script_location the
	 * app sets in code.  The folder itself is the script location. */
	if (!script && have_ini && !alembic_script_dir(here, path, sizeof(path))) {
		result_fail(res, HINT_ALEMBIC_NO_SCRIPTS, "%s has no script_location in [alembic]",
			    ini_path);
		goto done;
	}
	loc->recursive = rec && strcasecmp(rec, "true") == 0;
	if (script) {
		/* Alembic reads a relative script_location from its working
		 * directory, which is the ini's folder in practice. */
		char sdir[ALEMBIC_PATH];

		path_join(sdir, sizeof(sdir), here, script);
		if (!alembic_is_dir(sdir)) {
			result_fail(res, HINT_ALEMBIC_NO_SCRIPTS,
				    strchr(script, ':') && script[0] != '/'
					    ? "script_location %s names a Python package: name "
					      "the folder itself as alembic:DIR"
					    : "script_location %s: no such folder",
				    sdir);
			goto done;
		}
		if (vl && vl[0] && loc_separator(sepname) < 0) {
			result_fail(res, HINT_ALEMBIC_NO_SCRIPTS,
				    "version_path_separator '%s' is none of space, newline, os, "
				    ":, ; (Alembic refuses it too)",
				    sepname);
			goto done;
		}
		if (vl && vl[0])
			loc_split(loc, vl, loc_separator(sepname), here);
		else
			path_fmt(loc->versions[loc->nversions++], ALEMBIC_PATH, "%s/versions",
				 sdir);
	} else if (alembic_script_dir(here, path, sizeof(path))) {
		path_fmt(loc->versions[loc->nversions++], ALEMBIC_PATH, "%s/versions", here);
	} else {
		path_fmt(loc->versions[loc->nversions++], ALEMBIC_PATH, "%s", here);
		loc->bare = 1;
	}
	if (!loc->bare && !vl && !alembic_is_dir(loc->versions[0])) {
		result_fail(res, HINT_ALEMBIC_NO_SCRIPTS, "no versions folder: %s",
			    loc->versions[0]);
		goto done;
	}
	rc = 0;
done:
	free(buf);
	free(script);
	free(vl);
	free(sepname);
	free(rec);
	alembic_ini_free(&ini);
	return rc;
}

/* Alembic's file filter: *.py, but not __init__* nor an editor's .#* lock. */
static int alembic_wanted(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".py") == 0 && strncmp(name, ".#", 2) != 0 &&
	       strncmp(name, "__init__", 8) != 0;
}

/* Alembic's legacy rule: a file without `revision` named HEX.py. */
static char *alembic_legacy_rev(const char *name)
{
	size_t n = strlen(name), i;

	if (n <= 3)
		return NULL;
	for (i = 0; i < n - 3; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return NULL;
	return strndup(name, n - 3);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every migration file of folder dir into g.  Returns 0, or -1 with
 * res filled. */
int alembic_load_dir(const char *dir, const char *rel, int recursive, int depth,
			    struct alembic_graph *g, const struct deadline *dl,
			    struct check_result *res)
{
	DIR *d = opendir(dir);
	char **names = NULL, path[ALEMBIC_PATH], shown[ALEMBIC_PATH];
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	int rc = -1;

	if (!d) {
		result_fail(res, HINT_ALEMBIC_NO_SCRIPTS, "%s: %s", dir, strerror(errno));
		return -1;
	}
	/* Sorted, so messages (and a duplicate's two files) are stable. */
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*v));

			if (!v)
				goto oom;
			names = v;
		}
		if (!(names[n] = strdup(e->d_name)))
			goto oom;
		n++;
		if (n > 4 * ALEMBIC_REVS_MAX) {
			result_fail(res, HINT_NONE, "%s: more than %d files", dir,
				    4 * ALEMBIC_REVS_MAX);
			goto done;
		}
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		struct alembic_script s;
		char *buf;
		size_t len;

		path_fmt(path, sizeof(path), "%s/%s", dir, names[i]);
		path_fmt(shown, sizeof(shown), "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
		if (recursive && depth < ALEMBIC_DEPTH && strcmp(names[i], "__pycache__") != 0 &&
		    alembic_is_dir(path)) {
			if (alembic_load_dir(path, shown, recursive, depth + 1, g, dl, res) < 0)
				goto done;
			continue;
		}
		if (!alembic_wanted(names[i]) || !is_file(path))
			continue;
		if (deadline_expired(dl)) {
			result_fail(res, HINT_TIMEOUT, "out of time reading the migration files");
			goto done;
		}
		buf = file_read_all(path, ALEMBIC_FILE_MAX, &len);
		if (!buf) {
			result_fail(res, HINT_ALEMBIC_GRAPH, "%s: %s", shown,
				    errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
			goto done;
		}
		if (alembic_script_parse(buf, len, &s) < 0) {
			result_fail(res, HINT_ALEMBIC_GRAPH, "%s: %s", shown, s.error);
			alembic_script_free(&s);
			free(buf);
			goto done;
		}
		free(buf);
		if (!s.revision)
			s.revision = alembic_legacy_rev(names[i]);
		if (alembic_graph_add(g, &s, shown) < 0) {
			result_fail(res, HINT_ALEMBIC_GRAPH, "%s", g->error);
			alembic_script_free(&s);
			goto done;
		}
	}
	rc = 0;
	goto done;
oom:
	result_fail(res, HINT_NONE, "out of memory");
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}
