/*
 * json_path.c - paths into a parsed document (.status, .checks.db,
 * .items[0].id, .items.0.id, .["odd key"]).  See json.h for the contract.
 */
#include "lib/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Path segments.  Paths are short: json_path_find copies one to a stack
 * buffer of this size. */
#define JSON_PATH_MAX 1024

enum json_seg_kind { SEG_NAME, SEG_INDEX, SEG_QUOTED };

struct json_seg {
	enum json_seg_kind kind;
	char key[256]; /* SEG_NAME, SEG_QUOTED: the key, unescaped */
	size_t keylen;
	size_t index; /* SEG_INDEX, and SEG_NAME when all digits */
	int numeric;  /* SEG_NAME of digits only: an index for arrays */
};

static int json_name_byte(unsigned char c)
{
	return c > 0x20 && c != 0x7f && !strchr(".[]=\"\\", c);
}

/* Reads a quoted key at s[i] (the opening quote) into seg.  Returns the
 * offset after the closing quote, or 0 with err. */
static size_t json_path_quoted(const char *s, size_t i, struct json_seg *seg,
			       struct json_error *err)
{
	i++;
	seg->keylen = 0;
	while (s[i] && s[i] != '"') {
		if (s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		if (seg->keylen + 1 >= sizeof(seg->key)) {
			json_fail(err, i, "key longer than 255 bytes");
			return 0;
		}
		seg->key[seg->keylen++] = s[i++];
	}
	if (s[i] != '"') {
		json_fail(err, i, "unterminated quoted key");
		return 0;
	}
	seg->key[seg->keylen] = '\0';
	return i + 1;
}

/* Reads digits at s[i] into *v.  Returns the offset after them, or 0. */
static size_t json_path_digits(const char *s, size_t i, size_t *v)
{
	size_t start = i;

	*v = 0;
	while (json_digit((unsigned char)s[i])) {
		if (*v > 100000000)
			return 0;
		*v = *v * 10 + (size_t)(s[i++] - '0');
	}
	return i > start ? i : 0;
}

/*
 * Reads the segment at s[*i] into seg.  Returns 1 and advances *i, 0 at the
 * end of the path (end of string or '='), or -1 with err.
 */
static int json_path_seg(const char *s, size_t *i, struct json_seg *seg,
			 struct json_error *err)
{
	size_t j = *i, k;

	memset(seg, 0, sizeof(*seg));
	if (s[j] == '\0' || s[j] == '=')
		return 0;
	if (s[j] == '.' && s[j + 1] == '[')
		j++; /* .["key"] and .[0] read as ["key"] and [0] */
	if (s[j] == '[') {
		if (s[j + 1] == '"') {
			seg->kind = SEG_QUOTED;
			k = json_path_quoted(s, j + 1, seg, err);
			if (!k)
				return -1;
		} else {
			seg->kind = SEG_INDEX;
			k = json_path_digits(s, j + 1, &seg->index);
			if (!k)
				return json_fail(err, j + 1, "expected an index or a quoted key "
							     "in [ ]");
		}
		if (s[k] != ']')
			return json_fail(err, k, "expected ']'");
		*i = k + 1;
		return 1;
	}
	if (s[j] != '.')
		return json_fail(err, j, "expected '.' or '[' to start a path segment");
	j++;
	if (s[j] == '"') {
		seg->kind = SEG_QUOTED;
		k = json_path_quoted(s, j, seg, err);
		if (!k)
			return -1;
		*i = k;
		return 1;
	}
	seg->kind = SEG_NAME;
	seg->numeric = 1;
	for (k = j; json_name_byte((unsigned char)s[k]); k++) {
		if (seg->keylen + 1 >= sizeof(seg->key))
			return json_fail(err, k, "key longer than 255 bytes");
		if (!json_digit((unsigned char)s[k]))
			seg->numeric = 0;
		seg->key[seg->keylen++] = s[k];
	}
	if (k == j)
		return json_fail(err, j, "expected a key after '.'");
	seg->key[seg->keylen] = '\0';
	if (seg->numeric && !json_path_digits(seg->key, 0, &seg->index))
		seg->numeric = 0; /* too large to be an index: a key only */
	*i = k;
	return 1;
}

int json_path_scan(const char *s, size_t *len, struct json_error *err)
{
	struct json_seg seg;
	size_t i = 0;
	int rc;

	if (s[0] != '.')
		return json_fail(err, 0, "a path starts with '.', like .status");
	if (s[1] == '\0' || s[1] == '=') {
		*len = 1; /* "." : the whole document */
		return 0;
	}
	while ((rc = json_path_seg(s, &i, &seg, err)) > 0)
		;
	if (rc < 0)
		return -1;
	if (i >= JSON_PATH_MAX)
		return json_fail(err, JSON_PATH_MAX, "path longer than 1023 bytes");
	*len = i;
	return 0;
}

uint32_t json_path_find(const struct json_doc *doc, const char *path, size_t pathlen)
{
	struct json_seg seg;
	char buf[JSON_PATH_MAX];
	uint32_t node = 0;
	size_t i = 0;
	int rc;

	if (doc->n == 0)
		return JSON_END;
	/* The path must end where json_path_seg stops: copy it out. */
	if (pathlen >= sizeof(buf))
		return JSON_END;
	memcpy(buf, path, pathlen);
	buf[pathlen] = '\0';
	if (strcmp(buf, ".") == 0)
		return 0;
	while (node != JSON_END && (rc = json_path_seg(buf, &i, &seg, NULL)) > 0) {
		const struct json_node *nd = &doc->nodes[node];

		if (seg.kind == SEG_INDEX || (seg.numeric && nd->type == JSON_ARRAY))
			node = json_array_get(doc, node, seg.index);
		else
			node = json_object_get(doc, node, seg.key, seg.keylen);
	}
	return node;
}

int json_path_get(const char *json, size_t len, const char *path, char *out,
		  size_t outlen, enum json_type *type, struct json_error *err)
{
	struct json_doc doc;
	size_t plen;
	uint32_t node;

	if (type)
		*type = JSON_NONE;
	if (outlen > 0)
		out[0] = '\0';
	if (json_path_scan(path, &plen, err) < 0)
		return -1;
	if (path[plen] != '\0')
		return json_fail(err, plen, "unexpected '=' in a path");
	if (json_parse(&doc, json, len, err) < 0) {
		json_free(&doc);
		return -1;
	}
	node = json_path_find(&doc, path, plen);
	if (node != JSON_END) {
		if (type)
			*type = doc.nodes[node].type;
		json_text(&doc, node, out, outlen);
	}
	json_free(&doc);
	return node != JSON_END;
}
