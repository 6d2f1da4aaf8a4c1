/*
 * frontend_scan.h - the pure half of frontend:DIR.  A build manifest (a
 * Next.js pages-/app-paths-/build-manifest, a Vite .vite/manifest.json) or
 * an index.html goes in as bytes; the list of files it says the build holds
 * comes out.  No file system access here: checks/frontend/frontend.c reads the files
 * and stats what these functions list, and tests/unit/test_frontend.c feeds
 * them hostile bytes directly.
 */
#ifndef PROBE_FRONTEND_SCAN_H
#define PROBE_FRONTEND_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* Largest manifest or index.html read (a real build-manifest of a big app
 * is a few hundred KiB). */
#define FE_MAX_BYTES (16u << 20)
/* Most distinct references one check collects; the rest are counted in
 * fe_refs.dropped and the check says it stopped there. */
#define FE_MAX_REFS 50000
/* Longest reference kept (after cleaning); longer ones are dropped. */
#define FE_PATH_MAX 1024

/*
 * A deduplicated list of references, in the order first seen.  Zero it
 * before use; fe_refs_free releases it.  Strings are owned by the list.
 */
struct fe_refs {
	char **v;
	size_t n, cap;
	uint32_t *slots; /* open-addressing set: index + 1, 0 = empty */
	size_t nslots;
	size_t dropped;  /* offered past FE_MAX_REFS, or too long */
};

/* Adds s[0..len) unless already there.  Returns 1 when added, 0 when it
 * was a duplicate or dropped (the list full, s too long or holding NUL),
 * -1 when out of memory. */
int fe_refs_add(struct fe_refs *r, const char *s, size_t len);
/* Frees the list's strings and arrays; accepts a zeroed or freed list. */
void fe_refs_free(struct fe_refs *r);

/*
 * Cleans a path as a build references it into out (size n): leading "/"
 * and "./" segments and repeated slashes go, so the result is relative to
 * the build root.  A ".." segment is refused (returns -1) unless clamp is
 * set, when it climbs at most to the root, as a browser resolves a URL
 * path.  Returns 0, or -1 for "..", an empty result or one that does not
 * fit.
 */
int fe_path_clean(const char *in, size_t len, int clamp, char *out, size_t n);

enum fe_manifest_kind {
	/* An object whose every value is a path: Next's
	 * server/pages-manifest.json and server/app-paths-manifest.json. */
	FE_MANIFEST_PATHS,
	/* Next's build-manifest.json / app-build-manifest.json: the string
	 * arrays polyfillFiles, lowPriorityFiles, rootMainFiles, devFiles,
	 * ampDevFiles, and pages.<route>[]. */
	FE_MANIFEST_BUILD,
	/* Vite's .vite/manifest.json: each chunk's file, css[] and assets[]. */
	FE_MANIFEST_VITE
};

/*
 * Collects the files manifest text[0..len) references, cleaned by
 * fe_path_clean (no clamp), into out.  Returns 0, or -1 with why (size
 * whylen) saying what is wrong: not JSON (with the byte offset), not the
 * expected shape, a path that leaves the build, out of memory.  References
 * collected before an error stay in out; the caller frees it either way.
 */
int fe_manifest_refs(enum fe_manifest_kind kind, const char *text, size_t len,
		     struct fe_refs *out, char *why, size_t whylen);

/*
 * Collects the local assets an HTML page loads: <script src> and <link
 * href> whose rel is stylesheet, modulepreload, preload, icon,
 * apple-touch-icon or manifest.  Remote ones (http:, https:, //, data: or
 * any other scheme) are skipped; ?query and #hash are stripped, &amp; and
 * %XX decoded.  Each reference goes into out as written otherwise, so a
 * leading "/" still tells an absolute path (see fe_html_base).  Comments
 * and the bodies of <script> are skipped; an unterminated tag or quote
 * ends the scan (what came before it counts).  Returns 0, or -1 when out
 * of memory.
 */
int fe_html_refs(const char *text, size_t len, struct fe_refs *out);

/*
 * Vite's `base` (and Next's basePath in an export) prefixes every absolute
 * asset path with a folder the build does not have: base '/app/' writes
 * /app/assets/x.js for the file assets/x.js.  Writes into out (size n) the
 * first segment ("app") that every absolute reference of two or more
 * segments shares, and returns its length; 0 when there is none (or no
 * such reference).  The caller strips it only when the build root has no
 * folder of that name.
 */
size_t fe_html_base(const struct fe_refs *refs, char *out, size_t n);

/*
 * Is zip[0..len) (the last bytes of a file, up to 65557) the end of a zip
 * archive: an end-of-central-directory record whose comment length
 * reaches exactly to the end?  Writes the archive's entry count to
 * *entries when found.  Returns 1 or 0.
 */
int fe_zip_tail_ok(const unsigned char *tail, size_t len, unsigned long *entries);

struct disc;

/* The frontend kind's discovery step (frontend_discover.c;
 * discover/context.h): frontend:. kind=next|reflex|vite.  Returns 0, or -1
 * with d->err. */
int frontend_discover(struct disc *d);

#endif
