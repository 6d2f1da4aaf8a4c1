/*
 * frontend.c - frontend:DIR: a complete frontend build is there.  A
 * folder proves nothing (an interrupted build leaves one, `next dev`
 * leaves one); the build's own manifests say which files it must hold, and
 * every one of them is looked up:
 *
 *   next    .next/BUILD_ID; server/pages-manifest.json and
 *           server/app-paths-manifest.json (each file they name, under
 *           server/); build-manifest.json and app-build-manifest.json (each
 *           static chunk); routes-, prerender-manifest.json and
 *           required-server-files.json parse; .next/standalone/server.js
 *           also needs the static chunks and public/ copied in.
 *   reflex  .web/build/client (0.8) or .web/_static (0.7): index.html,
 *           404.html and the assets index.html loads; frontend.zip (from
 *           `reflex export`) must end in a zip directory record.
 *           REFLEX_WEB_WORKDIR names another .web, as for Reflex itself.
 *   vite,   index.html (in DIR/dist, or DIR) and the local scripts,
 *   static  stylesheets, preloads and icons it loads; .vite/manifest.json
 *           (each file, css and asset) when present.
 *
 * kind=auto picks by the markers DIR holds.  Bounded: files of at most
 * FE_MAX_BYTES, at most FE_MAX_REFS references, and it stops at the
 * deadline saying how far it got.  No recursion into folders: only the
 * files manifests name are looked up.  Manifest parsing lives in
 * frontend_scan.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/check.h"
#include "checks/frontend/frontend_scan.h"
#include "lib/fileio.h"
#include "lib/json.h"

static const char *const frontend_names[] = { "frontend", NULL };
static const char *const frontend_keys[] = { "kind", NULL };

enum fe_kind { FE_AUTO, FE_NEXT, FE_REFLEX, FE_VITE, FE_STATIC };
static const char *const fe_kind_names[] = { "auto", "next", "reflex", "vite", "static" };

struct fe_priv {
	const char *dir; /* points into c->word */
	enum fe_kind kind;
};

/* One run's tally.  Paths are relative to DIR, as the report shows them. */
struct fe_run {
	const struct deadline *dl;
	const char *dir;
	long checked, missing;
	char first[2200];       /* the first missing file */
	enum hint_id miss_hint; /* the hint of the first missing file */
	enum hint_id phase;     /* the hint for files missing from now on */
	int stopped;            /* the deadline passed before the end */
	size_t dropped;         /* references past FE_MAX_REFS */
	char error[256];        /* a broken build file; the first sticks */
	enum hint_id error_hint;
};

static int frontend_parse(struct check *c, struct probe_err *err)
{
	struct fe_priv *p;
	const char *kind = check_opt_get(c, "kind");
	size_t i;

	if (!c->rest[0])
		return probe_err_set(err, EXIT_USAGE,
				     "%s: name the app folder (like frontend:/app)", c->name);
	p = calloc(1, sizeof(*p));
	if (!p)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = p;
	p->dir = c->rest;
	p->kind = FE_AUTO;
	if (kind) {
		for (i = 0; i < sizeof(fe_kind_names) / sizeof(fe_kind_names[0]); i++)
			if (strcmp(kind, fe_kind_names[i]) == 0)
				break;
		if (i == sizeof(fe_kind_names) / sizeof(fe_kind_names[0]))
			return probe_err_set(err, EXIT_USAGE,
					     "%s: kind=%s: expected auto, next, reflex, vite or static",
					     c->name, kind);
		p->kind = (enum fe_kind)i;
	}
	return 0;
}

/* Records a broken build file (the first one sticks). */
static void __attribute__((format(printf, 3, 4)))
fe_error(struct fe_run *r, enum hint_id hint, const char *fmt, ...)
{
	va_list ap;

	if (r->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->error_hint = hint;
}

/* DIR/rel into out; rel "" is DIR itself, an absolute rel stays as is. */
static int fe_path(const struct fe_run *r, const char *rel, char *out, size_t n)
{
	int len;

	if (rel[0] == '/')
		len = snprintf(out, n, "%s", rel);
	else if (!rel[0])
		len = snprintf(out, n, "%s", r->dir);
	else
		len = snprintf(out, n, "%s/%s", r->dir, rel);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* a + "/" + b (either may be empty) into out; -1 when it does not fit. */
static int fe_join(char *out, size_t n, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), sep = la && lb;

	if (la + sep + lb >= n)
		return -1;
	memmove(out, a, la);
	if (sep)
		out[la] = '/';
	memmove(out + la + sep, b, lb);
	out[la + sep + lb] = '\0';
	return 0;
}

/* 'd' for a folder, 'f' for anything else that exists, 0 when absent. */
static int fe_stat(const struct fe_run *r, const char *rel)
{
	char path[4096];
	struct stat st;

	if (fe_path(r, rel, path, sizeof(path)) < 0 || stat(path, &st) < 0)
		return 0;
	return S_ISDIR(st.st_mode) ? 'd' : 'f';
}

/* Counts a miss of rel (suffix: "/" for a folder); the first is kept. */
static void fe_miss(struct fe_run *r, const char *rel, const char *suffix)
{
	if (!r->missing++) {
		snprintf(r->first, sizeof(r->first), "%s%s", rel, suffix);
		r->miss_hint = r->phase;
	}
}

/* A file the build must hold: counts it, and a miss.  Returns 1 when
 * present, 0 when missing or not looked at (past the deadline). */
static int fe_need(struct fe_run *r, const char *rel)
{
	if (r->stopped)
		return 0;
	if (deadline_expired(r->dl)) {
		r->stopped = 1;
		return 0;
	}
	r->checked++;
	if (fe_stat(r, rel) == 'f')
		return 1;
	fe_miss(r, rel, "");
	return 0;
}

/*
 * Reads DIR/rel whole into *buf (caller frees).  Returns 1 when read, 0
 * when absent (counted as missing when required), -1 when unreadable or
 * over FE_MAX_BYTES (recorded with fe_error).
 */
static int fe_read(struct fe_run *r, const char *rel, int required, char **buf, size_t *len)
{
	char path[4096];
	struct stat st;
	int e;

	*buf = NULL;
	*len = 0;
	if (r->stopped)
		return 0;
	if (fe_path(r, rel, path, sizeof(path)) < 0 || stat(path, &st) < 0 ||
	    S_ISDIR(st.st_mode)) {
		if (required)
			fe_need(r, rel);
		return 0;
	}
	r->checked++;
	*buf = file_read_all(path, FE_MAX_BYTES, len);
	if (*buf)
		return 1;
	e = errno;
	if (e == EFBIG)
		fe_error(r, r->phase, "%s is larger than %u MiB", rel, FE_MAX_BYTES >> 20);
	else if (e == ENOMEM)
		fe_error(r, HINT_NONE, "out of memory");
	else /* open's refusal is a permission to fix; EIO, EINVAL are read's */
		fe_error(r, e == EIO || e == EINVAL ? r->phase : HINT_FILE_DENIED, "%s: %s", rel,
			 strerror(e));
	return -1;
}

/* Looks up every reference in refs under the folder prefix. */
static void fe_need_refs(struct fe_run *r, const char *prefix, const struct fe_refs *refs)
{
	char rel[FE_PATH_MAX + 512];
	size_t i;

	for (i = 0; i < refs->n && !r->stopped; i++) {
		if (fe_join(rel, sizeof(rel), prefix, refs->v[i]) < 0)
			r->dropped++;
		else
			fe_need(r, rel);
	}
	r->dropped += refs->dropped;
}

/*
 * Reads manifest prefix/name and adds its references to refs (they stay
 * relative to the manifest's base).  Returns 1 when read and parsed, 0
 * when absent, -1 when broken (recorded).
 */
static int fe_manifest(struct fe_run *r, const char *prefix, const char *name,
		       enum fe_manifest_kind kind, int required, struct fe_refs *refs)
{
	char rel[1024], why[200];
	char *buf;
	size_t len;
	int rc;

	if (fe_join(rel, sizeof(rel), prefix, name) < 0)
		return 0;
	rc = fe_read(r, rel, required, &buf, &len);
	if (rc <= 0)
		return rc;
	if (fe_manifest_refs(kind, buf, len, refs, why, sizeof(why)) < 0) {
		fe_error(r, r->phase, "%s: %s", rel, why);
		rc = -1;
	}
	free(buf);
	return rc;
}

/* A JSON file the server reads at start: present and valid JSON. */
static void fe_json_file(struct fe_run *r, const char *prefix, const char *name)
{
	struct json_doc doc = { 0 };
	struct json_error jerr = { 0 };
	char rel[1024];
	char *buf;
	size_t len;

	if (fe_join(rel, sizeof(rel), prefix, name) < 0 || fe_read(r, rel, 1, &buf, &len) <= 0)
		return;
	if (json_parse(&doc, buf, len, &jerr) < 0)
		fe_error(r, r->phase, "%s is not valid JSON: %s at byte %zu", rel, jerr.msg,
			 jerr.offset);
	json_free(&doc);
	free(buf);
}

/* Does the final component of DIR equal name? */
static int fe_dir_is(const struct fe_run *r, const char *name)
{
	const char *d = r->dir, *end = d + strlen(d), *base;

	while (end > d + 1 && end[-1] == '/')
		end--;
	base = end;
	while (base > d && base[-1] != '/')
		base--;
	return (size_t)(end - base) == strlen(name) && strncmp(base, name, strlen(name)) == 0;
}

static void fe_next(struct fe_run *r)
{
	struct fe_refs server = { 0 }, statics = { 0 };
	char rel[1024], sa[1024];
	const char *nx;
	int pages, app, deployed_standalone;
	size_t i;

	r->phase = HINT_FRONTEND_NEXT;
	if (fe_stat(r, ".next") == 'd')
		nx = ".next";
	else if (fe_dir_is(r, ".next") || fe_stat(r, "BUILD_ID") || fe_stat(r, "server") == 'd')
		nx = ""; /* DIR is the .next folder itself */
	else {
		fe_error(r, HINT_FRONTEND_NEXT, "no .next folder: not a Next.js build");
		return;
	}
	fe_join(rel, sizeof(rel), nx, "BUILD_ID");
	if (!fe_stat(r, rel)) {
		char dev[1024], pre[1024], req[1024];

		/* next dev writes .next/static/development, and never the
		 * prerender manifest or required-server-files.json. */
		fe_join(dev, sizeof(dev), nx, "static/development");
		fe_join(pre, sizeof(pre), nx, "prerender-manifest.json");
		fe_join(req, sizeof(req), nx, "required-server-files.json");
		if (fe_stat(r, dev) == 'd' || (!fe_stat(r, pre) && !fe_stat(r, req))) {
			fe_error(r, HINT_FRONTEND_NEXT_DEV,
				 "development build: %s has no BUILD_ID", nx[0] ? nx : r->dir);
			return;
		}
	}
	fe_need(r, rel);
	fe_json_file(r, nx, "routes-manifest.json");
	fe_json_file(r, nx, "prerender-manifest.json");
	fe_json_file(r, nx, "required-server-files.json");

	fe_join(rel, sizeof(rel), nx, "server");
	pages = fe_manifest(r, rel, "pages-manifest.json", FE_MANIFEST_PATHS, 0, &server);
	app = fe_manifest(r, rel, "app-paths-manifest.json", FE_MANIFEST_PATHS, 0, &server);
	if (pages == 0 && app == 0) {
		/* Neither router's manifest: the server half is missing. */
		fe_join(sa, sizeof(sa), rel, "pages-manifest.json");
		fe_need(r, sa);
	}
	fe_need_refs(r, rel, &server);

	fe_manifest(r, nx, "build-manifest.json", FE_MANIFEST_BUILD, 1, &statics);
	fe_manifest(r, nx, "app-build-manifest.json", FE_MANIFEST_BUILD, 0, &statics);
	/* A standalone server deployed as the Next docs say (server.js beside
	 * .next): its static chunks are the ones people forget to copy. */
	deployed_standalone = nx[0] && fe_stat(r, "server.js") == 'f';
	if (deployed_standalone)
		r->phase = HINT_FRONTEND_NEXT_STANDALONE;
	fe_need_refs(r, nx, &statics);

	/* The builder stage's .next/standalone: next build copies the server
	 * in, but neither .next/static nor public. */
	fe_join(sa, sizeof(sa), nx, "standalone");
	fe_join(rel, sizeof(rel), sa, "server.js");
	if (fe_stat(r, rel) == 'f') {
		char public_dir[1024];

		r->phase = HINT_FRONTEND_NEXT_STANDALONE;
		fe_join(rel, sizeof(rel), sa, ".next");
		for (i = 0; i < statics.n && !r->stopped; i++) {
			char one[FE_PATH_MAX + 1100];

			if (strncmp(statics.v[i], "static/", 7) == 0 &&
			    fe_join(one, sizeof(one), rel, statics.v[i]) == 0)
				fe_need(r, one);
		}
		fe_join(public_dir, sizeof(public_dir), nx[0] ? "" : "..", "public");
		if (fe_stat(r, public_dir) == 'd') {
			fe_join(rel, sizeof(rel), sa, "public");
			if (fe_stat(r, rel) != 'd' && !r->stopped) {
				r->checked++;
				fe_miss(r, rel, "/");
			}
		}
	}
	fe_refs_free(&server);
	fe_refs_free(&statics);
}

/*
 * The page root/index.html and the local assets it loads.  Absolute paths
 * resolve against root.  When they all start with one folder (Vite's
 * base option, /app/assets/x.js) a file missing under it is looked up
 * without it too; a miss is reported as written.
 */
static void fe_index_html(struct fe_run *r, const char *root)
{
	struct fe_refs refs = { 0 };
	char rel[1024], base[256], clean[FE_PATH_MAX], one[FE_PATH_MAX + 1100];
	size_t blen, i;
	char *buf;
	size_t len;

	fe_join(rel, sizeof(rel), root, "index.html");
	if (fe_read(r, rel, 1, &buf, &len) <= 0)
		return;
	if (fe_html_refs(buf, len, &refs) < 0)
		fe_error(r, HINT_NONE, "out of memory");
	free(buf);
	blen = fe_html_base(&refs, base, sizeof(base));
	for (i = 0; i < refs.n && !r->stopped; i++) {
		const char *p = refs.v[i];

		if (fe_path_clean(p, strlen(p), 1, clean, sizeof(clean)) < 0 ||
		    fe_join(one, sizeof(one), root, clean) < 0)
			continue; /* "/" or ".": the page itself */
		/* Under a base prefix the file sits without it: /app/a.js is
		 * assets a.js.  A miss is still reported as written. */
		if (blen && p[0] == '/' && strncmp(clean, base, blen) == 0 &&
		    clean[blen] == '/' && fe_stat(r, one) != 'f') {
			char stripped[FE_PATH_MAX + 1100];

			if (fe_join(stripped, sizeof(stripped), root, clean + blen + 1) == 0 &&
			    fe_stat(r, stripped) == 'f')
				snprintf(one, sizeof(one), "%s", stripped);
		}
		fe_need(r, one);
	}
	r->dropped += refs.dropped;
	fe_refs_free(&refs);
}

/* frontend.zip from `reflex export`: the end-of-central-directory record
 * is written last, so a cut-off copy has none. */
static void fe_zip(struct fe_run *r, const char *rel)
{
	unsigned char tail[22 + 65535];
	unsigned long entries = 0;
	char path[4096];
	struct stat st;
	off_t from;
	ssize_t n;
	int fd;

	if (r->stopped || fe_path(r, rel, path, sizeof(path)) < 0)
		return;
	r->checked++;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fe_error(r, HINT_FRONTEND_ZIP, "%s: %s", rel, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	from = st.st_size > (off_t)sizeof(tail) ? st.st_size - (off_t)sizeof(tail) : 0;
	n = pread(fd, tail, (size_t)(st.st_size - from), from);
	close(fd);
	if (n < 0 || (off_t)n != st.st_size - from ||
	    !fe_zip_tail_ok(tail, (size_t)n, &entries))
		fe_error(r, HINT_FRONTEND_ZIP, "%s is not a complete zip archive (%lld bytes)", rel,
			 (long long)st.st_size);
	else if (entries == 0)
		fe_error(r, HINT_FRONTEND_ZIP, "%s is an empty zip archive", rel);
}

static void fe_reflex(struct fe_run *r)
{
	const char *env = getenv("REFLEX_WEB_WORKDIR");
	char web[1024], root[1100], tmp[1100];
	int zip = fe_stat(r, "frontend.zip") == 'f';

	r->phase = HINT_FRONTEND_REFLEX;
	if (env && env[0])
		snprintf(web, sizeof(web), "%s", env); /* relative: to DIR */
	else if (fe_dir_is(r, ".web") || fe_stat(r, "build/client") == 'd' ||
		 fe_stat(r, "_static") == 'd')
		web[0] = '\0'; /* DIR is the .web folder */
	else
		snprintf(web, sizeof(web), ".web");

	fe_join(root, sizeof(root), web, "build/client"); /* Reflex 0.8 */
	if (fe_stat(r, root) != 'd') {
		fe_join(tmp, sizeof(tmp), web, "_static"); /* 0.7 */
		if (fe_stat(r, tmp) == 'd')
			snprintf(root, sizeof(root), "%s", tmp);
		else
			root[0] = '\0';
	}
	if (root[0]) {
		fe_join(tmp, sizeof(tmp), root, "404.html");
		fe_need(r, tmp);
		fe_index_html(r, root);
	} else if (!zip) {
		fe_error(r, HINT_FRONTEND_REFLEX,
			 "no Reflex production build: %s has neither build/client (0.8) nor "
			 "_static (0.7)",
			 web[0] ? web : r->dir);
	}
	if (zip)
		fe_zip(r, "frontend.zip");
}

static void fe_vite(struct fe_run *r, enum fe_kind kind)
{
	struct fe_refs refs = { 0 };
	const char *root;

	r->phase = kind == FE_VITE ? HINT_FRONTEND_VITE : HINT_FRONTEND_STATIC;
	/* A Vite project folder has its own (source) index.html: prefer
	 * dist/ for vite, the folder itself for a plain static site. */
	if (kind == FE_VITE)
		root = fe_stat(r, "dist") == 'd' ? "dist" : "";
	else
		root = fe_stat(r, "index.html") != 'f' && fe_stat(r, "dist") == 'd' ? "dist" : "";
	fe_index_html(r, root);
	if (fe_manifest(r, root, ".vite/manifest.json", FE_MANIFEST_VITE, 0, &refs) > 0)
		fe_need_refs(r, root, &refs);
	fe_refs_free(&refs);
}

/* kind=auto: the markers a build leaves, in order. */
static enum fe_kind fe_detect(const struct fe_run *r)
{
	const char *env = getenv("REFLEX_WEB_WORKDIR");

	if (fe_stat(r, ".next") == 'd' || fe_stat(r, "BUILD_ID") || fe_dir_is(r, ".next"))
		return FE_NEXT;
	if (fe_stat(r, ".web") == 'd' || fe_stat(r, "frontend.zip") || fe_dir_is(r, ".web") ||
	    (env && env[0] && fe_stat(r, env) == 'd'))
		return FE_REFLEX;
	if (fe_stat(r, "dist") == 'd' || fe_stat(r, ".vite") == 'd')
		return FE_VITE;
	if (fe_stat(r, "index.html") == 'f')
		return FE_STATIC;
	return FE_AUTO;
}

static void frontend_run(const struct check *c, const struct deadline *dl,
			 struct check_result *res)
{
	const struct fe_priv *p = c->priv;
	struct fe_run r;
	enum fe_kind kind = p->kind;
	struct stat st;
	int e;

	memset(&r, 0, sizeof(r));
	r.dl = dl;
	r.dir = p->dir;
	e = stat(p->dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (e) {
		detail_str(res, "kind", fe_kind_names[kind]);
		result_fail(res, e == EACCES ? HINT_FILE_DENIED : HINT_FRONTEND_NONE, "%s: %s",
			    p->dir, e == ENOTDIR ? "not a directory" : strerror(e));
		return;
	}
	if (kind == FE_AUTO)
		kind = fe_detect(&r);
	switch (kind) {
	case FE_AUTO:
		fe_error(&r, HINT_FRONTEND_NONE,
			 "no frontend build: no .next, .web, frontend.zip, dist or index.html in %s",
			 p->dir);
		break;
	case FE_NEXT:
		fe_next(&r);
		break;
	case FE_REFLEX:
		fe_reflex(&r);
		break;
	case FE_VITE:
	case FE_STATIC:
		fe_vite(&r, kind);
		break;
	}
	detail_str(res, "kind", fe_kind_names[kind]);
	detail_int(res, "missing", r.missing);
	if (r.missing) {
		char shown[320]; /* the detail arena is small: a long path is cut */

		snprintf(shown, sizeof(shown), "%.300s", r.first);
		detail_str(res, "first_missing", shown);
	}
	detail_int(res, "checked", r.checked);
	if (r.error[0])
		result_fail(res, r.error_hint, "%s", r.error);
	else if (r.missing == 1)
		result_fail(res, r.miss_hint, "1 file missing from the build: %s%s", r.first,
			    r.stopped ? " (stopped at the deadline)" : "");
	else if (r.missing)
		result_fail(res, r.miss_hint, "%ld files missing from the build, first: %s%s",
			    r.missing, r.first, r.stopped ? " (stopped at the deadline)" : "");
	else if (r.stopped)
		result_fail(res, HINT_FRONTEND_SLOW,
			    "stopped at the deadline after checking %ld files", r.checked);
	else
		result_pass(res);
	if (r.dropped && res->status == CHECK_PASS)
		result_warn(res, "checked %ld files, then stopped at the limit of %d "
			    "references: %zu more were not looked up", r.checked, FE_MAX_REFS,
			    r.dropped);
}

static void frontend_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct check_kind check_frontend = {
	.names = frontend_names,
	.keys = frontend_keys,
	.layer = LAYER_BUILD,
	.level = LEVEL_READY,
	.help = "frontend:DIR [ready]      a complete Next.js/Reflex/Vite/static build,\n"
		"from its own manifests; kind=auto|next|reflex|vite|static",
	.parse = frontend_parse,
	.run = frontend_run,
	.free = frontend_free,
	.discover = frontend_discover,
};
