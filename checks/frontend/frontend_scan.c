/*
 * frontend_scan.c - build manifests and index.html pages as lists of the
 * files they reference.  Pure functions over bytes (see frontend_scan.h);
 * JSON goes through the project's strict parser, which indexes without
 * recursion, and the HTML scanner is one forward pass.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/frontend/frontend_scan.h"
#include "lib/json.h"

/* FNV-1a: short paths, no adversary who gains from collisions beyond a
 * slower lookup in a list that is bounded anyway. */
static uint32_t fe_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Grows the set to twice the entries (a power of two) and rehashes. */
static int fe_refs_grow_set(struct fe_refs *r)
{
	size_t nslots = r->nslots ? r->nslots * 2 : 64, i, j;
	uint32_t *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return -1;
	for (i = 0; i < r->n; i++) {
		j = fe_hash(r->v[i], strlen(r->v[i])) & (nslots - 1);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = (uint32_t)(i + 1);
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = nslots;
	return 0;
}

int fe_refs_add(struct fe_refs *r, const char *s, size_t len)
{
	size_t j;
	char *copy;

	if (len == 0 || len >= FE_PATH_MAX || memchr(s, '\0', len)) {
		r->dropped++;
		return 0;
	}
	if ((r->n + 1) * 2 > r->nslots && fe_refs_grow_set(r) < 0)
		return -1;
	j = fe_hash(s, len) & (r->nslots - 1);
	while (r->slots[j]) {
		const char *have = r->v[r->slots[j] - 1];

		if (strncmp(have, s, len) == 0 && have[len] == '\0')
			return 0;
		j = (j + 1) & (r->nslots - 1);
	}
	if (r->n >= FE_MAX_REFS) {
		r->dropped++;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		char **v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	r->v[r->n] = copy;
	r->slots[j] = (uint32_t)(r->n + 1);
	r->n++;
	return 1;
}

void fe_refs_free(struct fe_refs *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	free(r->slots);
	memset(r, 0, sizeof(*r));
}

int fe_path_clean(const char *in, size_t len, int clamp, char *out, size_t n)
{
	size_t i = 0, o = 0;

	if (n == 0)
		return -1;
	while (i < len) {
		size_t seg = i;

		while (i < len && in[i] != '/')
			i++;
		/* in[seg..i) is one segment; i is at a slash or the end. */
		if (i - seg == 0 || (i - seg == 1 && in[seg] == '.')) {
			/* "", "." : nothing */
		} else if (i - seg == 2 && in[seg] == '.' && in[seg + 1] == '.') {
			if (!clamp)
				return -1;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash before the dropped segment */
		} else {
			if (o > 0) {
				if (o + 1 >= n)
					return -1;
				out[o++] = '/';
			}
			if (o + (i - seg) >= n)
				return -1;
			memcpy(out + o, in + seg, i - seg);
			o += i - seg;
		}
		i++; /* past the slash */
	}
	out[o] = '\0';
	return o ? 0 : -1;
}

/* Adds the cleaned string node to out.  0, or -1 with why. */
static int fe_add_json_path(const struct json_doc *doc, uint32_t node, struct fe_refs *out,
			    char *why, size_t whylen)
{
	char raw[FE_PATH_MAX], clean[FE_PATH_MAX];
	size_t len;

	if (doc->nodes[node].type != JSON_STRING) {
		snprintf(why, whylen, "a %s where a path should be at byte %u",
			 json_type_name(doc->nodes[node].type), doc->nodes[node].start);
		return -1;
	}
	len = json_string(doc, node, raw, sizeof(raw));
	if (len >= sizeof(raw)) {
		out->dropped++;
		return 0;
	}
	if (fe_path_clean(raw, len, 0, clean, sizeof(clean)) < 0) {
		snprintf(why, whylen, "path \"%.200s\" leaves the build", raw);
		return -1;
	}
	if (fe_refs_add(out, clean, strlen(clean)) < 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

/* Adds every element of array node (a JSON_END or absent node adds
 * nothing).  A value that is not an array is an error. */
static int fe_add_json_array(const struct json_doc *doc, uint32_t node, struct fe_refs *out,
			     char *why, size_t whylen)
{
	uint32_t el;

	if (node == JSON_END)
		return 0;
	if (doc->nodes[node].type != JSON_ARRAY) {
		snprintf(why, whylen, "a %s where a list of files should be at byte %u",
			 json_type_name(doc->nodes[node].type), doc->nodes[node].start);
		return -1;
	}
	for (el = json_first(doc, node); el != JSON_END; el = json_next(doc, el))
		if (fe_add_json_path(doc, el, out, why, whylen) < 0)
			return -1;
	return 0;
}

static int fe_manifest_build(const struct json_doc *doc, struct fe_refs *out, char *why,
			     size_t whylen)
{
	static const char *const lists[] = { "polyfillFiles", "lowPriorityFiles",
					     "rootMainFiles", "devFiles", "ampDevFiles" };
	uint32_t pages, key;
	size_t i;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (fe_add_json_array(doc, json_object_get(doc, 0, lists[i], strlen(lists[i])),
				      out, why, whylen) < 0)
			return -1;
	pages = json_object_get(doc, 0, "pages", 5);
	if (pages == JSON_END)
		return 0;
	if (doc->nodes[pages].type != JSON_OBJECT) {
		snprintf(why, whylen, "\"pages\" is not an object");
		return -1;
	}
	for (key = json_first(doc, pages); key != JSON_END; key = json_next(doc, key))
		if (fe_add_json_array(doc, key + 1, out, why, whylen) < 0)
			return -1;
	return 0;
}

static int fe_manifest_vite(const struct json_doc *doc, struct fe_refs *out, char *why,
			    size_t whylen)
{
	uint32_t key, chunk, file;

	for (key = json_first(doc, 0); key != JSON_END; key = json_next(doc, key)) {
		chunk = key + 1;
		if (doc->nodes[chunk].type != JSON_OBJECT) {
			snprintf(why, whylen, "chunk at byte %u is not an object",
				 doc->nodes[chunk].start);
			return -1;
		}
		file = json_object_get(doc, chunk, "file", 4);
		if (file != JSON_END && fe_add_json_path(doc, file, out, why, whylen) < 0)
			return -1;
		if (fe_add_json_array(doc, json_object_get(doc, chunk, "css", 3), out, why,
				      whylen) < 0 ||
		    fe_add_json_array(doc, json_object_get(doc, chunk, "assets", 6), out, why,
				      whylen) < 0)
			return -1;
	}
	return 0;
}

int fe_manifest_refs(enum fe_manifest_kind kind, const char *text, size_t len,
		     struct fe_refs *out, char *why, size_t whylen)
{
	struct json_doc doc = { 0 };
	struct json_error jerr = { 0 };
	uint32_t key;
	int rc = -1;

	if (len > FE_MAX_BYTES) {
		snprintf(why, whylen, "larger than %u MiB", FE_MAX_BYTES >> 20);
		return -1;
	}
	if (json_parse(&doc, text, len, &jerr) < 0) {
		snprintf(why, whylen, "not valid JSON: %s at byte %zu", jerr.msg, jerr.offset);
		goto out;
	}
	if (doc.nodes[0].type != JSON_OBJECT) {
		snprintf(why, whylen, "not a JSON object");
		goto out;
	}
	switch (kind) {
	case FE_MANIFEST_PATHS:
		rc = 0;
		for (key = json_first(&doc, 0); rc == 0 && key != JSON_END;
		     key = json_next(&doc, key))
			rc = fe_add_json_path(&doc, key + 1, out, why, whylen);
		break;
	case FE_MANIFEST_BUILD:
		rc = fe_manifest_build(&doc, out, why, whylen);
		break;
	case FE_MANIFEST_VITE:
		rc = fe_manifest_vite(&doc, out, why, whylen);
		break;
	}
out:
	json_free(&doc);
	return rc;
}

/* Case-insensitive: does text[i..len) start with word? */
static int fe_at(const char *text, size_t len, size_t i, const char *word)
{
	size_t n = strlen(word);

	return len - i >= n && strncasecmp(text + i, word, n) == 0;
}

/* Finds needle (case-insensitive) at or after i; len when absent. */
static size_t fe_find(const char *text, size_t len, size_t i, const char *needle)
{
	for (; i < len; i++)
		if (fe_at(text, len, i, needle))
			return i;
	return len;
}

/* Does the space-separated rel value hold one of the asset kinds? */
static int fe_rel_wanted(const char *rel)
{
	static const char *const kinds[] = { "stylesheet", "modulepreload", "preload", "icon",
					     "apple-touch-icon", "manifest" };
	const char *p = rel;
	size_t i, n;

	while (*p) {
		p += strspn(p, " \t\r\n\f");
		n = strcspn(p, " \t\r\n\f");
		for (i = 0; n && i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strlen(kinds[i]) == n && strncasecmp(p, kinds[i], n) == 0)
				return 1;
		p += n;
	}
	return 0;
}

static int fe_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Turns an attribute value into a local path in place (decoding &amp;
 * and %XX, cutting ?query and #hash); returns its length, 0 when the
 * reference is remote, inline or empty. */
static size_t fe_local_ref(char *v)
{
	size_t i, o = 0, n = strcspn(v, "?#");
	size_t s;

	v[n] = '\0';
	if (v[0] == '/' && v[1] == '/')
		return 0; /* protocol-relative: another host */
	s = 0;
	if (isalpha((unsigned char)v[0])) {
		s = 1;
		while (isalnum((unsigned char)v[s]) || v[s] == '+' || v[s] == '-' || v[s] == '.')
			s++;
		if (v[s] == ':')
			return 0; /* http:, https:, data:, blob:, ... */
	}
	for (i = 0; v[i]; i++) {
		if (v[i] == '&' && strncmp(v + i, "&amp;", 5) == 0) {
			v[o++] = '&';
			i += 4;
		} else if (v[i] == '%' && fe_hexval(v[i + 1]) >= 0 && fe_hexval(v[i + 2]) >= 0 &&
			   (fe_hexval(v[i + 1]) || fe_hexval(v[i + 2]))) {
			v[o++] = (char)(fe_hexval(v[i + 1]) * 16 + fe_hexval(v[i + 2]));
			i += 2;
		} else {
			v[o++] = v[i];
		}
	}
	while (o > 0 && isspace((unsigned char)v[o - 1]))
		o--;
	v[o] = '\0';
	return o;
}

/* One attribute value, copied (truncated to n) into out.  Returns the
 * index after it, or len when the value is unterminated. */
static size_t fe_attr_value(const char *text, size_t len, size_t i, char *out, size_t n)
{
	size_t start, end;

	if (text[i] == '"' || text[i] == '\'') {
		const char *q = memchr(text + i + 1, text[i], len - i - 1);

		if (!q)
			return len;
		start = i + 1;
		end = (size_t)(q - text);
		i = end + 1;
	} else {
		start = i;
		while (i < len && !isspace((unsigned char)text[i]) && text[i] != '>')
			i++;
		end = i;
	}
	/* A NUL would cut the value short into another path: drop it. */
	if (memchr(text + start, '\0', end - start))
		out[0] = '\0';
	else
		snprintf(out, n, "%.*s", (int)(end - start), text + start);
	return i;
}

/* Scans the attributes of a <script> or <link> tag whose name ends at i.
 * Sets *ref to the src/href value and *rel.  Returns the index after '>',
 * or SIZE_MAX when the tag or a quote in it is unterminated. */
static size_t fe_tag(const char *text, size_t len, size_t i, char *ref, char *rel, size_t n,
		     int is_script)
{
	char name[16], value[FE_PATH_MAX + 8];

	ref[0] = rel[0] = '\0';
	while (i < len) {
		size_t ns;

		while (i < len && (isspace((unsigned char)text[i]) || text[i] == '/'))
			i++;
		if (i >= len)
			return SIZE_MAX;
		if (text[i] == '>')
			return i + 1;
		ns = i;
		while (i < len && !isspace((unsigned char)text[i]) && text[i] != '=' &&
		       text[i] != '>' && text[i] != '/')
			i++;
		snprintf(name, sizeof(name), "%.*s", (int)(i - ns < 15 ? i - ns : 15), text + ns);
		while (i < len && isspace((unsigned char)text[i]))
			i++;
		if (i >= len || text[i] != '=')
			continue; /* an attribute without a value */
		i++;
		while (i < len && isspace((unsigned char)text[i]))
			i++;
		if (i >= len)
			return SIZE_MAX;
		i = fe_attr_value(text, len, i, value, sizeof(value));
		if (i >= len)
			return SIZE_MAX;
		if (strcasecmp(name, is_script ? "src" : "href") == 0)
			snprintf(ref, n, "%s", value);
		else if (!is_script && strcasecmp(name, "rel") == 0)
			snprintf(rel, n, "%s", value);
	}
	return SIZE_MAX;
}

int fe_html_refs(const char *text, size_t len, struct fe_refs *out)
{
	char ref[FE_PATH_MAX + 8], rel[FE_PATH_MAX + 8];
	size_t i = 0;

	while (i < len) {
		const char *lt = memchr(text + i, '<', len - i);
		int is_script;
		size_t j, n;

		if (!lt)
			break;
		i = (size_t)(lt - text);
		if (fe_at(text, len, i, "<!--")) {
			j = fe_find(text, len, i + 4, "-->");
			i = j >= len ? len : j + 3;
			continue;
		}
		is_script = fe_at(text, len, i, "<script");
		if (!is_script && !fe_at(text, len, i, "<link")) {
			i++;
			continue;
		}
		j = i + (is_script ? 7 : 5);
		if (j < len && !isspace((unsigned char)text[j]) && text[j] != '>' && text[j] != '/') {
			i = j; /* <scripts>, <linkx>: another tag */
			continue;
		}
		i = fe_tag(text, len, j, ref, rel, sizeof(ref), is_script);
		if (i == SIZE_MAX)
			break; /* unterminated: what it says is unreliable */
		if (ref[0] && (is_script || fe_rel_wanted(rel))) {
			/* Browsers trim white space around a URL. */
			char *v = ref + strspn(ref, " \t\r\n\f");

			n = fe_local_ref(v);
			if (n && fe_refs_add(out, v, n) < 0)
				return -1;
		}
		if (is_script) {
			/* Inline code may spell "<link" in a string. */
			j = fe_find(text, len, i, "</script");
			i = j;
		}
	}
	return 0;
}

size_t fe_html_base(const struct fe_refs *refs, char *out, size_t n)
{
	const char *first = NULL;
	size_t flen = 0, i;

	if (n)
		out[0] = '\0';
	for (i = 0; i < refs->n; i++) {
		const char *p = refs->v[i], *slash;
		size_t seg;

		if (p[0] != '/')
			continue;
		p += strspn(p, "/");
		slash = strchr(p, '/');
		if (!slash || !slash[1])
			continue; /* one segment: /favicon.ico */
		seg = (size_t)(slash - p);
		if (!first) {
			first = p;
			flen = seg;
		} else if (seg != flen || strncmp(first, p, seg) != 0) {
			return 0;
		}
	}
	if (!first || flen == 0 || flen >= n || (flen == 1 && first[0] == '.') ||
	    (flen == 2 && first[0] == '.' && first[1] == '.'))
		return 0;
	memcpy(out, first, flen);
	out[flen] = '\0';
	return flen;
}

int fe_zip_tail_ok(const unsigned char *tail, size_t len, unsigned long *entries)
{
	size_t i;

	if (len < 22)
		return 0;
	/* The record is 22 bytes plus a comment of up to 65535: search back
	 * from the last place it can start. */
	for (i = len - 22 + 1; i-- > 0;) {
		if (len - i > 22 + 65535)
			break;
		if (tail[i] == 'P' && tail[i + 1] == 'K' && tail[i + 2] == 5 && tail[i + 3] == 6) {
			size_t comment = (size_t)tail[i + 20] | ((size_t)tail[i + 21] << 8);

			if (i + 22 + comment != len)
				continue;
			if (entries)
				*entries = (unsigned long)tail[i + 10] |
					   ((unsigned long)tail[i + 11] << 8);
			return 1;
		}
	}
	return 0;
}
