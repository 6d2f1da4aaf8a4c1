/*
 * json.h - a small strict JSON parser (RFC 8259) for health answers and
 * build manifests.
 *
 * json_parse() checks a whole document and indexes it into a flat array of
 * nodes in document order (a value's children follow it), without
 * recursion: nesting is bounded by JSON_MAX_DEPTH and tracked on a fixed
 * stack, so hostile input cannot blow the C stack.  Nodes only hold
 * offsets into the caller's text; strings are unescaped on demand.
 *
 * Strict means: one value and nothing after it but white space; no
 * comments, trailing commas, single quotes, leading zeros, leading '+',
 * NaN or Infinity; no raw control characters in strings; only the escapes
 * of RFC 8259; the text must be valid UTF-8 (no overlong forms, no encoded
 * surrogates); a \u escape for a surrogate must be a high one followed by a
 * low one - lone surrogates are rejected, since they have no UTF-8 form.
 * A leading UTF-8 byte order mark is skipped (RFC 8259 §8.1 allows this).
 * Duplicate object keys are accepted; lookups take the last one, as
 * JavaScript's JSON.parse does.
 */
#ifndef PROBE_JSON_H
#define PROBE_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64
/* "No node": the end of a sibling list, or a lookup that found nothing. */
#define JSON_END UINT32_MAX

enum json_type {
	JSON_NONE = 0, /* no value (a lookup that found nothing) */
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/*
 * One value.  An array's elements follow it in order, linked by `next`; an
 * object's members are key nodes (JSON_STRING) linked by `next`, each one
 * immediately followed by its value (key index + 1).
 */
struct json_node {
	enum json_type type;
	uint32_t start; /* offset of the value's first byte in the text */
	uint32_t len;   /* length of its text, quotes and brackets included */
	uint32_t next;  /* next element or key of the parent; JSON_END if last */
	uint32_t count; /* arrays: elements; objects: members; else 0 */
};

struct json_doc {
	const char *text;        /* borrowed from the caller: must outlive doc */
	size_t len;
	struct json_node *nodes; /* nodes[0] is the root; owned, json_free */
	size_t n, cap;
};

struct json_error {
	size_t offset; /* byte offset in the text (or the path) */
	char msg[96];
};

/* Parses text[0..len) into doc.  Returns 0, or -1 with err filled and doc
 * left empty.  The caller frees doc with json_free either way. */
int json_parse(struct json_doc *doc, const char *text, size_t len,
	       struct json_error *err);
/* Frees doc's nodes; accepts a zeroed or already freed doc. */
void json_free(struct json_doc *doc);

/* First element of an array, first key of an object; JSON_END when the
 * node is empty or not a container. */
uint32_t json_first(const struct json_doc *doc, uint32_t node);
/* The next element or key after node in its parent, or JSON_END. */
uint32_t json_next(const struct json_doc *doc, uint32_t node);
/* The value of member `key` (key[0..keylen), compared unescaped) of an
 * object, the last one when repeated; JSON_END when absent or not an
 * object. */
uint32_t json_object_get(const struct json_doc *doc, uint32_t obj, const char *key,
			 size_t keylen);
/* Element `index` of an array; JSON_END when out of range or not an
 * array. */
uint32_t json_array_get(const struct json_doc *doc, uint32_t arr, size_t index);

/* Writes the unescaped content of a JSON_STRING node into out (size n,
 * always NUL-terminated when n > 0, truncated to fit).  Returns the full
 * unescaped length, like snprintf.  The content may hold NUL bytes
 * (\u0000). */
size_t json_string(const struct json_doc *doc, uint32_t node, char *out, size_t n);
/* True when a JSON_STRING node's unescaped content equals s[0..slen). */
int json_string_eq(const struct json_doc *doc, uint32_t node, const char *s,
		   size_t slen);
/* The textual form of a node: a string's unescaped content, or any other
 * value's text as written (numbers, true, false, null, and whole objects
 * and arrays).  Same contract as json_string. */
size_t json_text(const struct json_doc *doc, uint32_t node, char *out, size_t n);
/* True when the textual form of node equals s[0..slen). */
int json_text_eq(const struct json_doc *doc, uint32_t node, const char *s, size_t slen);

/*
 * Paths, jq-like: "." is the whole document; then segments:
 *   .name          a key: any bytes but . [ ] = " \ space and controls
 *   .3             a key "3" of an object, or element 3 of an array
 *   [3]            element 3 of an array
 *   ["odd key"]    a quoted key (also ."odd key"); \" and \\ escape
 * so ".checks.db", ".items[0].name", ".items.0.name", ".[\"a.b\"]".
 *
 * json_path_scan() reads the path at the start of s and stops at the end
 * of the string or at the first '=' outside a quoted key.  Returns 0 with
 * *len the bytes of the path, or -1 with err (offset into s) when
 * malformed.  Keys are limited to 255 bytes, paths to 1023.
 */
int json_path_scan(const char *s, size_t *len, struct json_error *err);
/* Finds path[0..pathlen) (checked by json_path_scan) in doc.  Returns the
 * node, or JSON_END when some segment is missing. */
uint32_t json_path_find(const struct json_doc *doc, const char *path, size_t pathlen);

/*
 * One-shot lookup: parses json[0..len), finds path (a whole string) and
 * writes the value's textual form (json_text) into out.  *type gets the
 * value's type, JSON_NONE when missing (type may be NULL).  Returns 1 when
 * found, 0 when missing, -1 when the document or the path is malformed
 * (err says which).  Allocates nothing that outlives the call.
 */
int json_path_get(const char *json, size_t len, const char *path, char *out,
		  size_t outlen, enum json_type *type, struct json_error *err);

/* The name of a type, for messages: "string", "number", "object"... */
const char *json_type_name(enum json_type t);

/* Internal to json.c and json_path.c: records a parse error at off and
 * returns -1; a decimal digit test. */
int json_fail(struct json_error *err, size_t off, const char *msg);
int json_digit(unsigned char c);

#endif
