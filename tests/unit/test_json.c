/*
 * test_json.c - the strict JSON parser and path lookup, as tables.
 */
#include <stdlib.h>

#include "lib/json.h"
#include "t.h"

static void test_valid(void)
{
	static const char *const docs[] = {
		"0", "-0", "1", "-12.5e+3", "1E9", "0.25", "1e-2",
		"true", "false", "null", "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
		"\"\\u00e9\\u20AC\\ud83d\\ude00\"", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
		"[]", "{}", " [ ] ", "[1,2,3]", "{\"a\":1,\"b\":[true,{\"c\":null}]}",
		"\t\r\n {\"a\" : \"b\" } \n", "{\"a\":1,\"a\":2}", "\xef\xbb\xbf{}",
		"[[[[[[[[[[]]]]]]]]]]", "{\"\":\"\"}", "\"\\u0000\"",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct json_doc doc;
		struct json_error err = { 0 };
		int rc = json_parse(&doc, docs[i], strlen(docs[i]), &err);

		T_EXPECT(rc == 0, "%s: %s at %zu", docs[i], err.msg, err.offset);
		T_EXPECT(rc != 0 || doc.n > 0, "%s: no nodes", docs[i]);
		json_free(&doc);
	}
}

static void test_invalid(void)
{
	static const struct {
		const char *doc;
		const char *msg; /* a part of the expected message */
		size_t offset;
	} cases[] = {
		{ "", "empty document", 0 },
		{ "   ", "empty document", 3 },
		{ "01", "leading zeros", 1 },
		{ "-01", "leading zeros", 2 },
		{ "+1", "unexpected '+'", 0 },
		{ "1.", "decimal point", 2 },
		{ ".5", "unexpected '.'", 0 },
		{ "1e", "exponent", 2 },
		{ "1e+", "exponent", 3 },
		{ "-", "digit must follow '-'", 1 },
		{ "NaN", "unexpected 'N'", 0 },
		{ "Infinity", "unexpected 'I'", 0 },
		{ "tru", "unexpected 't'", 0 },
		{ "nul", "unexpected 'n'", 0 },
		{ "truex", "trailing characters", 4 },
		{ "{} {}", "trailing characters", 3 },
		{ "[1] x", "trailing characters", 4 },
		{ "[1,]", "unexpected ']'", 3 },
		{ "[,1]", "unexpected ','", 1 },
		{ "{\"a\":1,}", "expected a string key", 7 },
		{ "{'a':1}", "expected a string key", 1 },
		{ "{a:1}", "expected a string key", 1 },
		{ "{\"a\" 1}", "expected ':'", 5 },
		{ "{\"a\":1 \"b\":2}", "expected ',' or '}'", 7 },
		{ "[1 2]", "expected ',' or ']'", 3 },
		{ "[1", "unexpected end", 2 },
		{ "{\"a\":", "unexpected end", 5 },
		{ "{", "unexpected end", 1 },
		{ "\"abc", "unterminated string", 4 },
		{ "\"a\\x\"", "invalid escape", 2 },
		{ "\"a\\u12\"", "4 hex digits", 2 },
		{ "\"a\\u12G4\"", "4 hex digits", 2 },
		{ "\"\\ud800\"", "high surrogate", 1 },
		{ "\"\\ud800\\u0041\"", "high surrogate", 1 },
		{ "\"\\udc00\"", "lone low surrogate", 1 },
		{ "\"a\tb\"", "control character", 2 },
		{ "\"a\nb\"", "control character", 2 },
		{ "\"\xff\"", "invalid UTF-8", 1 },
		{ "\"\xc0\xaf\"", "invalid UTF-8", 1 },       /* overlong '/' */
		{ "\"\xe0\x80\xaf\"", "invalid UTF-8", 1 },   /* overlong */
		{ "\"\xed\xa0\x80\"", "invalid UTF-8", 1 },   /* encoded surrogate */
		{ "\"\xf4\x90\x80\x80\"", "invalid UTF-8", 1 }, /* > U+10FFFF */
		{ "\"\xe2\x82\"", "invalid UTF-8", 1 },       /* cut sequence */
		{ "\x80", "unexpected byte 0x80", 0 },
		{ "// c\n1", "unexpected '/'", 0 },
		{ "[1]/*c*/", "trailing characters", 3 },
		{ "<html>", "unexpected '<'", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_doc doc;
		struct json_error err = { 0 };
		int rc = json_parse(&doc, cases[i].doc, strlen(cases[i].doc), &err);

		T_EXPECT(rc == -1, "'%s' parsed", cases[i].doc);
		T_EXPECT(strstr(err.msg, cases[i].msg) != NULL, "'%s': message \"%s\", want \"%s\"",
			 cases[i].doc, err.msg, cases[i].msg);
		T_EXPECT(err.offset == cases[i].offset, "'%s': offset %zu, want %zu", cases[i].doc,
			 err.offset, cases[i].offset);
		T_EXPECT(doc.nodes == NULL && doc.n == 0, "'%s': nodes left behind", cases[i].doc);
		json_free(&doc);
	}
}

/* Builds depth opening brackets, a 1, and depth closing brackets. */
static char *nested(size_t depth, char open, char close)
{
	char *s = malloc(2 * depth + 2);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < depth; i++)
		s[i] = open;
	s[depth] = '1';
	for (i = 0; i < depth; i++)
		s[depth + 1 + i] = close;
	s[2 * depth + 1] = '\0';
	return s;
}

static void test_depth(void)
{
	static const struct {
		size_t depth;
		int rc;
	} cases[] = {
		{ 1, 0 }, { 63, 0 }, { 64, 0 }, { 65, -1 }, { 1000000, -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = nested(cases[i].depth, '[', ']');
		struct json_doc doc;
		struct json_error err = { 0 };
		int rc;

		T_EXPECT(s != NULL, "out of memory");
		if (!s)
			continue;
		rc = json_parse(&doc, s, strlen(s), &err);
		T_EXPECT(rc == cases[i].rc, "depth %zu: rc %d (%s)", cases[i].depth, rc, err.msg);
		if (rc < 0) {
			T_EXPECT(strstr(err.msg, "deeper than 64") != NULL, "depth %zu: %s",
				 cases[i].depth, err.msg);
			T_INT(err.offset, 64);
		} else {
			T_INT(doc.n, cases[i].depth + 1);
		}
		json_free(&doc);
		free(s);
	}
}

static void test_strings(void)
{
	static const struct {
		const char *doc;
		const char *want;
		size_t len;
	} cases[] = {
		{ "\"plain\"", "plain", 5 },
		{ "\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d", 7 },
		{ "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t", 5 },
		{ "\"\\u0041\\u00e9\"", "A\xc3\xa9", 3 },
		{ "\"\\u20ac\"", "\xe2\x82\xac", 3 },
		{ "\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80", 4 },
		{ "\"caf\xc3\xa9\"", "caf\xc3\xa9", 5 },
		{ "\"a\\u0000b\"", "a", 3 }, /* NUL inside: full length 3 */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_doc doc;
		struct json_error err = { 0 };
		char out[64];
		size_t n;

		if (json_parse(&doc, cases[i].doc, strlen(cases[i].doc), &err) < 0) {
			T_EXPECT(0, "%s: %s", cases[i].doc, err.msg);
			continue;
		}
		n = json_string(&doc, 0, out, sizeof(out));
		T_INT(n, cases[i].len);
		T_STR(out, cases[i].want);
		T_EXPECT(cases[i].len != strlen(cases[i].want) ||
				 json_string_eq(&doc, 0, cases[i].want, cases[i].len),
			 "%s: not equal to itself", cases[i].doc);
		T_EXPECT(!json_string_eq(&doc, 0, "zz", 2), "%s: equals zz", cases[i].doc);
		json_free(&doc);
	}
	/* Truncation: the full length comes back, the copy is cut. */
	{
		struct json_doc doc;
		char out[4];

		T_EXPECT(json_parse(&doc, "\"abcdef\"", 8, NULL) == 0, "parse");
		T_INT(json_string(&doc, 0, out, sizeof(out)), 6);
		T_STR(out, "abc");
		json_free(&doc);
	}
	/* Embedded NUL compares by length. */
	{
		struct json_doc doc;

		T_EXPECT(json_parse(&doc, "\"a\\u0000b\"", 10, NULL) == 0, "parse");
		T_EXPECT(json_string_eq(&doc, 0, "a\0b", 3), "a NUL b");
		T_EXPECT(!json_string_eq(&doc, 0, "a", 1), "a");
		json_free(&doc);
	}
}

static void test_paths(void)
{
	static const char *const doc =
		"{\"status\":\"ok\",\"db\":{\"up\":true,\"ms\":1.50,\"err\":null},"
		"\"items\":[{\"name\":\"a\"},{\"name\":\"b\\u00e9\"}],"
		"\"odd key\":1,\"a.b\":2,\"3\":\"three\",\"dup\":1,\"dup\":2,"
		"\"esc\\\"q\":\"x\",\"list\":[10,[20,21]],\"empty\":{}}";
	static const struct {
		const char *path;
		int rc;
		const char *text;
		enum json_type type;
	} cases[] = {
		{ ".status", 1, "ok", JSON_STRING },
		{ ".db.up", 1, "true", JSON_TRUE },
		{ ".db.ms", 1, "1.50", JSON_NUMBER },
		{ ".db.err", 1, "null", JSON_NULL },
		{ ".db", 1, "{\"up\":true,\"ms\":1.50,\"err\":null}", JSON_OBJECT },
		{ ".items[0].name", 1, "a", JSON_STRING },
		{ ".items[1].name", 1, "b\xc3\xa9", JSON_STRING },
		{ ".items.1.name", 1, "b\xc3\xa9", JSON_STRING },
		{ ".items[2]", 0, "", JSON_NONE },
		{ ".items.name", 0, "", JSON_NONE },
		{ ".[\"odd key\"]", 1, "1", JSON_NUMBER },
		{ ".\"odd key\"", 1, "1", JSON_NUMBER },
		{ "[\"a.b\"]", -1, "", JSON_NONE },
		{ ".[\"a.b\"]", 1, "2", JSON_NUMBER },
		{ ".a.b", 0, "", JSON_NONE },
		{ ".3", 1, "three", JSON_STRING },
		{ ".[\"esc\\\"q\"]", 1, "x", JSON_STRING },
		{ ".dup", 1, "2", JSON_NUMBER },
		{ ".list[1][0]", 1, "20", JSON_NUMBER },
		{ ".list.1.1", 1, "21", JSON_NUMBER },
		{ ".list[1]", 1, "[20,21]", JSON_ARRAY },
		{ ".empty", 1, "{}", JSON_OBJECT },
		{ ".empty.x", 0, "", JSON_NONE },
		{ ".status.x", 0, "", JSON_NONE },
		{ ".missing", 0, "", JSON_NONE },
		{ ".", 1, NULL, JSON_OBJECT },
		{ "status", -1, "", JSON_NONE },
		{ ".a..b", -1, "", JSON_NONE },
		{ ".a[", -1, "", JSON_NONE },
		{ ".a[x]", -1, "", JSON_NONE },
		{ ".a[\"x]", -1, "", JSON_NONE },
		{ ".a=b", -1, "", JSON_NONE }, /* json_path_get takes a whole path */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_error err = { 0 };
		enum json_type type;
		char out[128];
		int rc = json_path_get(doc, strlen(doc), cases[i].path, out, sizeof(out), &type,
				       &err);

		T_EXPECT(rc == cases[i].rc, "%s: rc %d, want %d (%s)", cases[i].path, rc,
			 cases[i].rc, err.msg);
		if (rc >= 0 && cases[i].text)
			T_STR(out, cases[i].text);
		T_EXPECT(type == cases[i].type, "%s: type %s, want %s", cases[i].path,
			 json_type_name(type), json_type_name(cases[i].type));
	}
	/* A malformed document is an error, not "missing". */
	{
		struct json_error err = { 0 };
		char out[8];

		T_INT(json_path_get("{\"a\":1", 6, ".a", out, sizeof(out), NULL, &err), -1);
		T_EXPECT(strstr(err.msg, "unexpected end") != NULL, "%s", err.msg);
	}
}

static void test_path_scan(void)
{
	static const struct {
		const char *s;
		int rc;
		size_t len; /* bytes of the path */
	} cases[] = {
		{ ".status=ok", 0, 7 },
		{ ".status", 0, 7 },
		{ ".=x", 0, 1 },
		{ ".", 0, 1 },
		{ ".a.b[0].c=1=2", 0, 9 },
		{ ".[\"a=b\"]=v", 0, 8 },
		{ ".\"a=b\"=v", 0, 6 },
		{ ".x-y_z:1=v", 0, 8 },
		{ "status=ok", -1, 0 },
		{ "", -1, 0 },
		{ ".a b", -1, 0 },
		{ "..a", -1, 0 },
		{ ".a]", -1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_error err = { 0 };
		size_t len = 0;
		int rc = json_path_scan(cases[i].s, &len, &err);

		T_EXPECT(rc == cases[i].rc, "'%s': rc %d (%s)", cases[i].s, rc, err.msg);
		if (rc == 0)
			T_INT(len, cases[i].len);
	}
}

static void test_tree(void)
{
	static const char *const s = "{\"a\":[1,2,3],\"b\":{\"c\":\"d\"},\"e\":[]}";
	const char *keys[] = { "a", "b", "e" };
	struct json_doc doc;
	uint32_t k, e;
	size_t i = 0, sum = 0;

	T_EXPECT(json_parse(&doc, s, strlen(s), NULL) == 0, "parse");
	T_INT(doc.nodes[0].count, 3);
	for (k = json_first(&doc, 0); k != JSON_END; k = json_next(&doc, k), i++) {
		T_EXPECT(i < 3 && json_string_eq(&doc, k, keys[i], 1), "key %zu", i);
		if (i == 0)
			for (e = json_first(&doc, k + 1); e != JSON_END; e = json_next(&doc, e))
				sum += (size_t)(doc.text[doc.nodes[e].start] - '0');
	}
	T_INT(i, 3);
	T_INT(sum, 6);
	T_EXPECT(json_first(&doc, json_object_get(&doc, 0, "e", 1)) == JSON_END, "e is empty");
	T_EXPECT(json_array_get(&doc, 0, 0) == JSON_END, "an object is no array");
	T_EXPECT(json_object_get(&doc, 0, "zz", 2) == JSON_END, "zz");
	json_free(&doc);
	json_free(&doc); /* twice is harmless */
}

int main(void)
{
	test_valid();
	test_invalid();
	test_depth();
	test_strings();
	test_paths();
	test_path_scan();
	test_tree();
	return t_done("test_json");
}
