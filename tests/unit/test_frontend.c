/*
 * test_frontend.c - the pure half of frontend:DIR (checks/frontend/frontend_scan.c)
 * as tables: manifests and pages in, the files they reference out, and
 * hostile input (garbage, huge, deep, unterminated) that must neither
 * crash nor invent files.
 */
#include <stdlib.h>

#include "checks/frontend/frontend_scan.h"
#include "t.h"

/* The references joined by '|', for one comparison per case. */
static void joined(const struct fe_refs *r, char *out, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < r->n; i++)
		o += (size_t)snprintf(out + o, o < n ? n - o : 0, "%s%s", i ? "|" : "", r->v[i]);
}

static void test_manifests(void)
{
	static const struct {
		enum fe_manifest_kind kind;
		const char *json;
		int rc;
		const char *refs; /* joined, or the part of the error expected */
	} cases[] = {
		/* Next pages-manifest: values are paths under .next/server. */
		{ FE_MANIFEST_PATHS,
		  "{\"/_app\":\"pages/_app.js\",\"/legacy\":\"pages/legacy.html\","
		  "\"/_document\":\"pages/_document.js\",\"/x\":\"pages/_app.js\"}",
		  0, "pages/_app.js|pages/legacy.html|pages/_document.js" },
		{ FE_MANIFEST_PATHS, "{\"/page\": \"app/page.js\", \"/about/page\": \"./app//about/page.js\"}",
		  0, "app/page.js|app/about/page.js" },
		{ FE_MANIFEST_PATHS, "{}", 0, "" },
		{ FE_MANIFEST_PATHS, "{\"/a\":\"a\\u002fb.js\"}", 0, "a/b.js" },
		{ FE_MANIFEST_PATHS, "{\"/a\":1}", -1, "a number where a path should be" },
		{ FE_MANIFEST_PATHS, "{\"/a\":\"../../etc/passwd\"}", -1, "leaves the build" },
		{ FE_MANIFEST_PATHS, "{\"/a\":\"\"}", -1, "leaves the build" },
		{ FE_MANIFEST_PATHS, "[\"pages/a.js\"]", -1, "not a JSON object" },
		{ FE_MANIFEST_PATHS, "{\"/a\":\"pages/a.js\",}", -1, "not valid JSON" },
		{ FE_MANIFEST_PATHS, "{\"/a\":\"pages/a.js\"", -1, "not valid JSON: unexpected end" },
		{ FE_MANIFEST_PATHS, "", -1, "not valid JSON: empty document at byte 0" },
		{ FE_MANIFEST_PATHS, "\x89PNG\r\n\x1a\n", -1, "not valid JSON" },
		/* Next build-manifest: known lists and pages.<route>[]; other
		 * keys (ampFirstPages holds routes, not files) are not files. */
		{ FE_MANIFEST_BUILD,
		  "{\"polyfillFiles\":[\"static/chunks/polyfills.js\"],\"devFiles\":[],"
		  "\"lowPriorityFiles\":[\"static/ID/_buildManifest.js\"],"
		  "\"rootMainFiles\":[\"static/chunks/webpack.js\"],"
		  "\"pages\":{\"/\":[\"static/chunks/webpack.js\",\"static/css/a.css\"],"
		  "\"/_app\":[]},\"ampFirstPages\":[\"/amp\"]}",
		  0,
		  "static/chunks/polyfills.js|static/ID/_buildManifest.js|static/chunks/webpack.js|"
		  "static/css/a.css" },
		{ FE_MANIFEST_BUILD, "{\"pages\":{\"/page\":[\"static/chunks/app/page.js\"]}}", 0,
		  "static/chunks/app/page.js" },
		{ FE_MANIFEST_BUILD, "{\"pages\":[]}", -1, "\"pages\" is not an object" },
		{ FE_MANIFEST_BUILD, "{\"pages\":{\"/\":\"static/x.js\"}}", -1,
		  "a string where a list of files should be" },
		{ FE_MANIFEST_BUILD, "{\"rootMainFiles\":[null]}", -1, "a null where a path" },
		/* Vite's .vite/manifest.json. */
		{ FE_MANIFEST_VITE,
		  "{\"index.html\":{\"file\":\"assets/index-abc.js\",\"src\":\"index.html\","
		  "\"isEntry\":true,\"imports\":[\"_shared.js\"],\"css\":[\"assets/index-def.css\"],"
		  "\"assets\":[\"assets/logo-123.svg\"]},"
		  "\"_shared.js\":{\"file\":\"assets/shared-9.js\"}}",
		  0, "assets/index-abc.js|assets/index-def.css|assets/logo-123.svg|assets/shared-9.js" },
		{ FE_MANIFEST_VITE, "{\"a\":\"assets/x.js\"}", -1, "is not an object" },
		{ FE_MANIFEST_VITE, "{\"a\":{\"file\":\"/assets/x.js\"}}", 0, "assets/x.js" },
		{ FE_MANIFEST_VITE, "{\"a\":{\"css\":{}}}", -1, "a object where a list" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fe_refs r = { 0 };
		char why[200] = "", got[1024];
		int rc = fe_manifest_refs(cases[i].kind, cases[i].json, strlen(cases[i].json), &r,
					  why, sizeof(why));

		T_EXPECT(rc == cases[i].rc, "case %zu: rc %d (%s)", i, rc, why);
		if (cases[i].rc == 0) {
			joined(&r, got, sizeof(got));
			T_EXPECT(strcmp(got, cases[i].refs) == 0, "case %zu: got \"%s\", want \"%s\"",
				 i, got, cases[i].refs);
		} else {
			T_EXPECT(strstr(why, cases[i].refs) != NULL, "case %zu: why \"%s\", want \"%s\"",
				 i, why, cases[i].refs);
		}
		fe_refs_free(&r);
	}
}

static void test_html(void)
{
	static const struct {
		const char *html;
		const char *refs;
	} cases[] = {
		/* What vite build writes for the vanilla template. */
		{ "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"UTF-8\" />\n"
		  "    <link rel=\"icon\" type=\"image/svg+xml\" href=\"/vite.svg\" />\n"
		  "    <script type=\"module\" crossorigin src=\"/assets/index-DiwrgTda.js\"></script>\n"
		  "    <link rel=\"stylesheet\" crossorigin href=\"/assets/index-D8b4DHJx.css\">\n"
		  "  </head><body><div id=\"app\"></div></body></html>",
		  "/vite.svg|/assets/index-DiwrgTda.js|/assets/index-D8b4DHJx.css" },
		/* Remote and inline references are not the build's files. */
		{ "<script src=\"https://cdn.example/x.js\"></script><script src='//cdn/y.js'></script>"
		  "<link rel=stylesheet href=HTTP://a/b.css><link rel=icon href=\"data:,\">"
		  "<script src=\"blob:abc\"></script><script>var a = 1;</script>",
		  "" },
		/* Which links count. */
		{ "<link rel=\"canonical\" href=\"/page\"><link rel=\"modulepreload\" href=\"/a.js\">"
		  "<link href=\"/b.css\" rel=\"Stylesheet\"><link rel=\"shortcut icon\" href=\"f.ico\">"
		  "<link rel=\"preload\" as=\"font\" href=\"/font.woff2\"><link rel=\"alternate\" href=\"/feed\">"
		  "<link rel=\"apple-touch-icon\" href=\"/t.png\"><link rel=\"manifest\" href=\"/m.json\">",
		  "/a.js|/b.css|f.ico|/font.woff2|/t.png|/m.json" },
		/* Query, hash, entities and escapes. */
		{ "<script src=\"/a.js?v=3#x\"></script><link rel=stylesheet href=\"/b.css?x&amp;y\">"
		  "<script src=\"/my%20file.js\"></script><script src=\"/c&amp;d.js\"></script>"
		  "<script src=\"  /sp.js  \"></script><script src=\"?only\"></script>",
		  "/a.js|/b.css|/my file.js|/c&d.js|/sp.js" },
		/* Case, single quotes, unquoted values, self-closing (an
		 * unquoted value keeps a slash before '>', as in HTML). */
		{ "<SCRIPT SRC='/A.js'></SCRIPT><Link Rel=Stylesheet Href=/b.css /><script src=/c.js >"
		  "</script>",
		  "/A.js|/b.css|/c.js" },
		{ "<script src=/d.js/></script>", "/d.js/" },
		/* Comments and script bodies hide what they hold. */
		{ "<!-- <script src=\"/hidden.js\"></script> --><script>document.write('<link "
		  "rel=stylesheet href=/fake.css>')</script><script src=\"/real.js\"></script>",
		  "/real.js" },
		/* Near-miss tag names. */
		{ "<scripts src=\"/no.js\"><linked rel=stylesheet href=\"/no.css\"><script\tsrc=\"/t.js\">",
		  "/t.js" },
		/* Unterminated: a comment, a quote, a tag. */
		{ "<script src=\"/a.js\"></script><!-- <script src=\"/b.js\">", "/a.js" },
		{ "<script src=\"/a.js\"></script><script src=\"/b.js", "/a.js" },
		{ "<script src=\"/a.js\"></script><link rel=stylesheet href=\"/b.css\"", "/a.js" },
		{ "<link rel=stylesheet href=\"/b.css\" x=\"1>", "" },
		{ "<script src=", "" },
		{ "<", "" },
		{ "", "" },
		{ "<script src=\"/a.js\"", "" },
		/* An unterminated script body: nothing after it counts. */
		{ "<script src=\"/a.js\"><link rel=stylesheet href=\"/b.css\">", "/a.js" },
		/* Duplicates once. */
		{ "<script src=\"/a.js\"></script><script src=\"/a.js\"></script>", "/a.js" },
		/* Attributes with no value, odd spacing. */
		{ "<script defer async src = \"/a.js\" nomodule></script>", "/a.js" },
		/* A value with NUL in it is dropped, not cut. */
		{ "<script src=\"/a\0.js\"></script>", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fe_refs r = { 0 };
		char got[1024];
		size_t len = strlen(cases[i].html);

		if (i == sizeof(cases) / sizeof(cases[0]) - 1)
			len = 30; /* past the embedded NUL */
		T_INT(fe_html_refs(cases[i].html, len, &r), 0);
		joined(&r, got, sizeof(got));
		T_EXPECT(strcmp(got, cases[i].refs) == 0, "case %zu: got \"%s\", want \"%s\"", i, got,
			 cases[i].refs);
		fe_refs_free(&r);
	}
}

static void test_clean_and_base(void)
{
	static const struct {
		const char *in;
		int clamp;
		int rc;
		const char *out;
	} clean[] = {
		{ "/assets/a.js", 0, 0, "assets/a.js" },
		{ "./assets//a.js", 0, 0, "assets/a.js" },
		{ "assets/./a.js/", 0, 0, "assets/a.js" },
		{ "a/../b.js", 0, -1, "" },
		{ "a/../b.js", 1, 0, "b.js" },
		{ "/../../x.js", 1, 0, "x.js" },
		{ "../", 1, -1, "" },
		{ "/", 0, -1, "" },
		{ ".", 1, -1, "" },
		{ "", 0, -1, "" },
		{ "a/b/../../c/./d", 1, 0, "c/d" },
	};
	static const struct {
		const char *html;
		const char *base;
	} bases[] = {
		{ "<script src=\"/app/assets/a.js\"></script><link rel=icon href=\"/app/f.svg\">", "app" },
		{ "<script src=\"/app/assets/a.js\"></script><link rel=icon href=\"/favicon.ico\">",
		  "app" },
		{ "<script src=\"/app/a.js\"></script><script src=\"/other/b.js\"></script>", "" },
		{ "<script src=\"assets/a.js\"></script>", "" },
		{ "<script src=\"/a.js\"></script>", "" },
		{ "<script src=\"/../x/a.js\"></script>", "" },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		int rc = fe_path_clean(clean[i].in, strlen(clean[i].in), clean[i].clamp, out,
				       sizeof(out));

		T_EXPECT(rc == clean[i].rc, "clean %zu (%s): rc %d", i, clean[i].in, rc);
		if (rc == 0)
			T_STR(out, clean[i].out);
	}
	T_INT(fe_path_clean("abcdef", 6, 0, out, 6), -1); /* does not fit */
	T_INT(fe_path_clean("abcde", 5, 0, out, 6), 0);
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		struct fe_refs r = { 0 };

		fe_html_refs(bases[i].html, strlen(bases[i].html), &r);
		fe_html_base(&r, out, sizeof(out));
		T_EXPECT(strcmp(out, bases[i].base) == 0, "base %zu: got \"%s\", want \"%s\"", i, out,
			 bases[i].base);
		fe_refs_free(&r);
	}
}

static void test_zip(void)
{
	/* An empty archive is just the 22-byte record; one with a comment. */
	static const unsigned char empty[22] = { 'P', 'K', 5, 6 };
	unsigned char one[40] = { 'P', 'K', 3, 4 }, comment[22 + 5] = { 'P', 'K', 5, 6 };
	unsigned long entries = 99;

	T_INT(fe_zip_tail_ok(empty, sizeof(empty), &entries), 1);
	T_INT(entries, 0);
	memcpy(one + 18, "PK\5\6", 4);
	one[18 + 10] = 3;
	T_INT(fe_zip_tail_ok(one, sizeof(one), &entries), 1);
	T_INT(entries, 3);
	comment[20] = 5;
	T_INT(fe_zip_tail_ok(comment, sizeof(comment), NULL), 1);
	comment[20] = 4; /* the comment length does not reach the end */
	T_INT(fe_zip_tail_ok(comment, sizeof(comment), NULL), 0);
	T_INT(fe_zip_tail_ok(one, sizeof(one) - 1, NULL), 0); /* cut off */
	T_INT(fe_zip_tail_ok(empty, 21, NULL), 0);
	T_INT(fe_zip_tail_ok((const unsigned char *)"PK\3\4 local header only", 24, NULL), 0);
}

/* Hostile input: big, deep, repetitive; nothing may crash or grow past
 * the bounds. */
static void test_hostile(void)
{
	size_t n = 4u << 20, i, o;
	char *big = malloc(n + 64), why[200];
	struct fe_refs r = { 0 };
	int rc;

	if (!big) {
		T_EXPECT(0, "out of memory");
		return;
	}
	/* Deeper than the JSON parser's bound. */
	for (i = 0; i < 1000; i++)
		big[i] = '[';
	rc = fe_manifest_refs(FE_MANIFEST_BUILD, big, 1000, &r, why, sizeof(why));
	T_INT(rc, -1);
	T_EXPECT(strstr(why, "not valid JSON") != NULL, "%s", why);
	fe_refs_free(&r);

	/* Over FE_MAX_BYTES: refused before parsing. */
	rc = fe_manifest_refs(FE_MANIFEST_PATHS, big, (size_t)FE_MAX_BYTES + 1, &r, why,
			      sizeof(why));
	T_INT(rc, -1);
	T_EXPECT(strstr(why, "larger than 16 MiB") != NULL, "%s", why);

	/* More distinct files than FE_MAX_REFS: the rest are counted. */
	o = (size_t)snprintf(big, n, "{");
	for (i = 0; i < FE_MAX_REFS + 100 && o + 40 < n; i++)
		o += (size_t)snprintf(big + o, n - o, "%s\"/%zu\":\"p/%zu.js\"", i ? "," : "", i, i);
	o += (size_t)snprintf(big + o, n - o, "}");
	rc = fe_manifest_refs(FE_MANIFEST_PATHS, big, o, &r, why, sizeof(why));
	T_INT(rc, 0);
	T_INT(r.n, FE_MAX_REFS);
	T_INT(r.dropped, 100);
	T_STR(r.v[FE_MAX_REFS - 1], "p/49999.js");
	fe_refs_free(&r);

	/* Megabytes of '<' and of an endless attribute list. */
	memset(big, '<', n);
	T_INT(fe_html_refs(big, n, &r), 0);
	T_INT(r.n, 0);
	o = (size_t)snprintf(big, n, "<script");
	while (o + 4 < n) {
		memcpy(big + o, " a=b", 4);
		o += 4;
	}
	T_INT(fe_html_refs(big, o, &r), 0);
	T_INT(r.n, 0);
	/* An attribute value longer than any path: dropped. */
	o = (size_t)snprintf(big, n, "<script src=\"/");
	memset(big + o, 'a', 5000);
	o += 5000;
	o += (size_t)snprintf(big + o, n - o, "\"></script><script src=\"/ok.js\"></script>");
	T_INT(fe_html_refs(big, o, &r), 0);
	T_INT(r.n, 1);
	T_STR(r.n ? r.v[0] : "", "/ok.js");
	fe_refs_free(&r);
	/* Random bytes: whatever comes out, it must not crash. */
	srand(7);
	for (i = 0; i < n; i++)
		big[i] = (char)(rand() % 4 == 0 ? "<>\"'= /"[rand() % 7] : rand());
	T_INT(fe_html_refs(big, n, &r), 0);
	fe_refs_free(&r);
	rc = fe_manifest_refs(FE_MANIFEST_VITE, big, n, &r, why, sizeof(why));
	T_INT(rc, -1);
	fe_refs_free(&r);
	fe_refs_free(&r); /* twice is fine */
	free(big);
}

int main(void)
{
	test_manifests();
	test_html();
	test_clean_and_base();
	test_zip();
	test_hostile();
	return t_done("test_frontend");
}
