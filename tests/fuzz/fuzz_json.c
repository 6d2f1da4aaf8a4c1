/*
 * fuzz_json.c - libFuzzer entry point for lib/json.c and lib/json_path.c,
 * which read the bodies of HTTP answers (json= of the http kind) and build
 * manifests.  The whole input is parsed as a document and every node is
 * read back.  When the input holds a newline, its first line is also
 * taken as a json= option (path[=value], http_json_expect_parse) and the
 * rest as the body it is judged against, as the http kind does.
 * Seeds: corpus/json/.
 */
#include "fuzz.h"

#include <stdio.h>

#include "checks/http/http_match.h"
#include "lib/json.h"

/* Reads every node of doc back through the lookup functions, and checks
 * that what json_text returns compares equal to the node. */
static void fuzz_json_walk(const struct json_doc *doc)
{
	char small[8], big[512];
	uint32_t i, k;

	for (i = 0; i < doc->n; i++) {
		size_t full = json_text(doc, i, big, sizeof(big));

		json_text(doc, i, small, sizeof(small));
		json_string(doc, i, small, sizeof(small));
		json_text(doc, i, NULL, 0);
		/* A string may hold \u0000: compare all of it, not up to NUL. */
		if (full < sizeof(big))
			FUZZ_ASSERT(json_text_eq(doc, i, big, full));
		if (doc->nodes[i].type == JSON_STRING && full < sizeof(big))
			FUZZ_ASSERT(json_string_eq(doc, i, big, full));
		for (k = json_first(doc, i); k != JSON_END; k = json_next(doc, k))
			FUZZ_ASSERT(k > i && k < doc->n);
		json_object_get(doc, i, "name", 4);
		json_object_get(doc, i, big, full < sizeof(big) ? full : 0);
		json_array_get(doc, i, 1);
		json_type_name(doc->nodes[i].type);
	}
}

/* line is a json= option, body the answer it is judged against. */
static void fuzz_json_expect(const char *line, const char *body, size_t len)
{
	struct http_json_expect e;
	struct json_doc doc;
	struct json_error jerr;
	char why[320], out[256];
	enum json_type type;
	size_t plen;

	if (json_path_scan(line, &plen, &jerr) == 0) {
		FUZZ_ASSERT(plen > 0 && plen <= strlen(line));
		json_path_get(body, len, line, out, sizeof(out), &type, &jerr);
	}
	if (http_json_expect_parse(line, &e, why, sizeof(why)) < 0)
		return;
	if (json_parse(&doc, body, len, &jerr) == 0)
		http_json_judge(&doc, &e, why, sizeof(why));
	json_free(&doc);
}

/* Feeds data to the parser, whole and as option + body; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_bytes(data, size);
	const uint8_t *rest = data;
	size_t left = size;
	struct json_doc doc;
	struct json_error jerr;
	char *line, *body;

	if (!buf)
		return 0;
	if (json_parse(&doc, buf, size, &jerr) == 0)
		fuzz_json_walk(&doc);
	json_free(&doc);
	free(buf);
	if (!memchr(data, '\n', size))
		return 0;
	line = fuzz_line(&rest, &left);
	body = fuzz_bytes(rest, left);
	if (line && body)
		fuzz_json_expect(line, body, left);
	free(line);
	free(body);
	return 0;
}
