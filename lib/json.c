/*
 * json.c - strict, non-recursive JSON parsing and path lookup.  See json.h
 * for the contract.
 */
#include "lib/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"

/* An open array or object while parsing. */
struct json_frame {
	uint32_t node; /* the container */
	uint32_t last; /* its last element or key so far, JSON_END when none */
};

int json_fail(struct json_error *err, size_t off, const char *msg)
{
	if (err) {
		err->offset = off;
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
	}
	return -1;
}

/* Like json_fail, naming the unexpected byte. */
static int json_fail_char(struct json_error *err, size_t off, unsigned char ch,
			  const char *what)
{
	char msg[96];

	if (ch >= 0x20 && ch < 0x7f)
		snprintf(msg, sizeof(msg), "unexpected '%c', %s", ch, what);
	else
		snprintf(msg, sizeof(msg), "unexpected byte 0x%02x, %s", ch, what);
	return json_fail(err, off, msg);
}

static size_t json_skip_ws(const unsigned char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* Reads 4 hex digits at s[i]; returns the code unit or -1. */
static long json_hex4(const unsigned char *s, size_t len, size_t i)
{
	long v = 0;
	size_t k;

	if (len - i < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		int h = hex_digit(s[i + k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * Length of the UTF-8 sequence starting at s[i] (a byte >= 0x80), or 0
 * when it is invalid: a stray continuation byte, an overlong form, an
 * encoded surrogate, a code point above U+10FFFF or a cut sequence.
 */
static size_t json_utf8_len(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, k;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (len - i < n)
		return 0;
	if (s[i + 1] < lo || s[i + 1] > hi)
		return 0;
	for (k = 2; k < n; k++)
		if (s[i + k] < 0x80 || s[i + k] > 0xbf)
			return 0;
	return n;
}

/* Scans the string whose opening quote is at s[i].  Returns the offset
 * after the closing quote, or 0 with err filled. */
static size_t json_scan_string(const unsigned char *s, size_t len, size_t i,
			       struct json_error *err)
{
	i++;
	while (i < len) {
		unsigned char c = s[i];

		if (c == '"')
			return i + 1;
		if (c < 0x20) {
			json_fail(err, i, "control character in a string (escape it)");
			return 0;
		}
		if (c >= 0x80) {
			size_t n = json_utf8_len(s, len, i);

			if (!n) {
				json_fail(err, i, "invalid UTF-8 in a string");
				return 0;
			}
			i += n;
			continue;
		}
		if (c != '\\') {
			i++;
			continue;
		}
		if (i + 1 >= len)
			break;
		c = s[i + 1];
		if (c && strchr("\"\\/bfnrt", c)) {
			i += 2;
		} else if (c == 'u') {
			long u = json_hex4(s, len, i + 2);

			if (u < 0) {
				json_fail(err, i, "\\u needs 4 hex digits");
				return 0;
			}
			if (u >= 0xdc00 && u <= 0xdfff) {
				json_fail(err, i, "lone low surrogate in \\u escape");
				return 0;
			}
			i += 6;
			if (u >= 0xd800 && u <= 0xdbff) {
				long lo = -1;

				if (len - i >= 6 && s[i] == '\\' && s[i + 1] == 'u')
					lo = json_hex4(s, len, i + 2);
				if (lo < 0xdc00 || lo > 0xdfff) {
					json_fail(err, i - 6,
						  "high surrogate not followed by a low one");
					return 0;
				}
				i += 6;
			}
		} else {
			json_fail(err, i, "invalid escape in a string");
			return 0;
		}
	}
	json_fail(err, len, "unterminated string");
	return 0;
}

int json_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Scans the number at s[i].  Returns the offset after it, or 0 with err. */
static size_t json_scan_number(const unsigned char *s, size_t len, size_t i,
			       struct json_error *err)
{
	if (s[i] == '-')
		i++;
	if (i >= len || !json_digit(s[i])) {
		json_fail(err, i, "a digit must follow '-'");
		return 0;
	}
	if (s[i] == '0') {
		i++;
		if (i < len && json_digit(s[i])) {
			json_fail(err, i, "leading zeros are not allowed in numbers");
			return 0;
		}
	} else {
		while (i < len && json_digit(s[i]))
			i++;
	}
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || !json_digit(s[i])) {
			json_fail(err, i, "a digit must follow the decimal point");
			return 0;
		}
		while (i < len && json_digit(s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !json_digit(s[i])) {
			json_fail(err, i, "a digit must follow the exponent");
			return 0;
		}
		while (i < len && json_digit(s[i]))
			i++;
	}
	return i;
}

/* Appends a node; returns its index, or JSON_END when out of memory. */
static uint32_t json_add(struct json_doc *doc, enum json_type type, size_t start)
{
	struct json_node *nd;

	if (doc->n == doc->cap) {
		size_t cap = doc->cap ? doc->cap * 2 : 64;
		struct json_node *nodes = realloc(doc->nodes, cap * sizeof(*nodes));

		if (!nodes)
			return JSON_END;
		doc->nodes = nodes;
		doc->cap = cap;
	}
	nd = &doc->nodes[doc->n];
	nd->type = type;
	nd->start = (uint32_t)start;
	nd->len = 0;
	nd->next = JSON_END;
	nd->count = 0;
	return (uint32_t)doc->n++;
}

/* Links node idx as the next element or key of the open container f. */
static void json_link(struct json_doc *doc, struct json_frame *f, uint32_t idx)
{
	if (f->last != JSON_END)
		doc->nodes[f->last].next = idx;
	f->last = idx;
	doc->nodes[f->node].count++;
}

int json_parse(struct json_doc *doc, const char *text, size_t len,
	       struct json_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	struct json_frame stack[JSON_MAX_DEPTH];
	size_t depth = 0, i = 0, end;
	uint32_t idx;

	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	doc->len = len;
	/* Offsets are 32-bit; a health answer or manifest is far smaller. */
	if (len >= JSON_END)
		return json_fail(err, 0, "document larger than 4 GiB");
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;

value:
	i = json_skip_ws(s, len, i);
	if (i >= len) {
		json_fail(err, i, doc->n ? "unexpected end of input" : "empty document");
		goto fail;
	}
	if (s[i] == '{' || s[i] == '[') {
		if (depth == JSON_MAX_DEPTH) {
			json_fail(err, i, "nested deeper than 64 levels");
			goto fail;
		}
		idx = json_add(doc, s[i] == '{' ? JSON_OBJECT : JSON_ARRAY, i);
		if (idx == JSON_END)
			goto oom;
		if (depth > 0 && doc->nodes[stack[depth - 1].node].type == JSON_ARRAY)
			json_link(doc, &stack[depth - 1], idx);
		stack[depth].node = idx;
		stack[depth].last = JSON_END;
		depth++;
		i = json_skip_ws(s, len, i + 1);
		if (i < len && s[i] == (doc->nodes[idx].type == JSON_OBJECT ? '}' : ']'))
			goto close;
		if (doc->nodes[idx].type == JSON_OBJECT)
			goto key;
		goto value;
	}
	idx = json_add(doc, JSON_NONE, i);
	if (idx == JSON_END)
		goto oom;
	if (depth > 0 && doc->nodes[stack[depth - 1].node].type == JSON_ARRAY)
		json_link(doc, &stack[depth - 1], idx);
	if (s[i] == '"') {
		doc->nodes[idx].type = JSON_STRING;
		end = json_scan_string(s, len, i, err);
	} else if (s[i] == '-' || json_digit(s[i])) {
		doc->nodes[idx].type = JSON_NUMBER;
		end = json_scan_number(s, len, i, err);
	} else if (len - i >= 4 && memcmp(s + i, "true", 4) == 0) {
		doc->nodes[idx].type = JSON_TRUE;
		end = i + 4;
	} else if (len - i >= 5 && memcmp(s + i, "false", 5) == 0) {
		doc->nodes[idx].type = JSON_FALSE;
		end = i + 5;
	} else if (len - i >= 4 && memcmp(s + i, "null", 4) == 0) {
		doc->nodes[idx].type = JSON_NULL;
		end = i + 4;
	} else {
		json_fail_char(err, i, s[i], "expected a value");
		goto fail;
	}
	if (!end)
		goto fail;
	doc->nodes[idx].len = (uint32_t)(end - i);
	i = end;
	goto after;

key:
	/* i is at the first non-blank byte where a member must start. */
	if (i >= len) {
		json_fail(err, i, "unexpected end of input");
		goto fail;
	}
	if (s[i] != '"') {
		json_fail_char(err, i, s[i], "expected a string key");
		goto fail;
	}
	idx = json_add(doc, JSON_STRING, i);
	if (idx == JSON_END)
		goto oom;
	json_link(doc, &stack[depth - 1], idx);
	end = json_scan_string(s, len, i, err);
	if (!end)
		goto fail;
	doc->nodes[idx].len = (uint32_t)(end - i);
	i = json_skip_ws(s, len, end);
	if (i >= len || s[i] != ':') {
		if (i >= len)
			json_fail(err, i, "unexpected end of input");
		else
			json_fail_char(err, i, s[i], "expected ':' after a key");
		goto fail;
	}
	i++;
	goto value;

after:
	i = json_skip_ws(s, len, i);
	if (depth == 0) {
		if (i != len) {
			json_fail(err, i, "trailing characters after the document");
			goto fail;
		}
		return 0;
	}
	if (i >= len) {
		json_fail(err, i, "unexpected end of input");
		goto fail;
	}
	if (s[i] == ',') {
		i = json_skip_ws(s, len, i + 1);
		if (doc->nodes[stack[depth - 1].node].type == JSON_OBJECT)
			goto key;
		goto value;
	}
	if (s[i] == (doc->nodes[stack[depth - 1].node].type == JSON_OBJECT ? '}' : ']'))
		goto close;
	json_fail_char(err, i, s[i],
		       doc->nodes[stack[depth - 1].node].type == JSON_OBJECT
			       ? "expected ',' or '}'"
			       : "expected ',' or ']'");
	goto fail;

close:
	/* s[i] closes the container on top of the stack. */
	idx = stack[--depth].node;
	doc->nodes[idx].len = (uint32_t)(i + 1 - doc->nodes[idx].start);
	i++;
	goto after;

oom:
	json_fail(err, i, "out of memory");
fail:
	json_free(doc);
	doc->text = text;
	doc->len = len;
	return -1;
}

void json_free(struct json_doc *doc)
{
	if (!doc)
		return;
	free(doc->nodes);
	doc->nodes = NULL;
	doc->n = doc->cap = 0;
}

uint32_t json_first(const struct json_doc *doc, uint32_t node)
{
	const struct json_node *nd;

	if (node >= doc->n)
		return JSON_END;
	nd = &doc->nodes[node];
	if ((nd->type != JSON_ARRAY && nd->type != JSON_OBJECT) || nd->count == 0)
		return JSON_END;
	return node + 1;
}

uint32_t json_next(const struct json_doc *doc, uint32_t node)
{
	return node < doc->n ? doc->nodes[node].next : JSON_END;
}

/*
 * Decodes one unit of validated string content at p (end at e): a plain
 * byte, or an escape.  Writes 1 to 4 bytes into out and returns how many;
 * *adv gets the input bytes consumed.
 */
static size_t json_unescape_one(const unsigned char *p, const unsigned char *e,
				size_t *adv, unsigned char out[4])
{
	unsigned long cp;

	if (*p != '\\') {
		out[0] = *p;
		*adv = 1;
		return 1;
	}
	*adv = 2;
	switch (p[1]) {
	case 'b': out[0] = '\b'; return 1;
	case 'f': out[0] = '\f'; return 1;
	case 'n': out[0] = '\n'; return 1;
	case 'r': out[0] = '\r'; return 1;
	case 't': out[0] = '\t'; return 1;
	case 'u': break;
	default: out[0] = p[1]; return 1; /* " \ / */
	}
	cp = (unsigned long)json_hex4(p, (size_t)(e - p), 2);
	*adv = 6;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		/* json_scan_string checked that a low surrogate follows. */
		unsigned long lo = (unsigned long)json_hex4(p, (size_t)(e - p), 8);

		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		*adv = 12;
	}
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The content of a string node, between its quotes. */
static void json_string_span(const struct json_doc *doc, uint32_t node,
			     const unsigned char **p, const unsigned char **e)
{
	const struct json_node *nd = &doc->nodes[node];

	*p = (const unsigned char *)doc->text + nd->start + 1;
	*e = (const unsigned char *)doc->text + nd->start + nd->len - 1;
}

size_t json_string(const struct json_doc *doc, uint32_t node, char *out, size_t n)
{
	const unsigned char *p, *e;
	unsigned char buf[4];
	size_t total = 0, adv, k, got;

	if (n > 0)
		out[0] = '\0';
	if (node >= doc->n || doc->nodes[node].type != JSON_STRING)
		return 0;
	json_string_span(doc, node, &p, &e);
	while (p < e) {
		got = json_unescape_one(p, e, &adv, buf);
		for (k = 0; k < got; k++, total++)
			if (total + 1 < n)
				out[total] = (char)buf[k];
		p += adv;
	}
	if (n > 0)
		out[total < n ? total : n - 1] = '\0';
	return total;
}

int json_string_eq(const struct json_doc *doc, uint32_t node, const char *s,
		   size_t slen)
{
	const unsigned char *p, *e;
	unsigned char buf[4];
	size_t pos = 0, adv, got;

	if (node >= doc->n || doc->nodes[node].type != JSON_STRING)
		return 0;
	json_string_span(doc, node, &p, &e);
	while (p < e) {
		got = json_unescape_one(p, e, &adv, buf);
		if (slen - pos < got || memcmp(s + pos, buf, got) != 0)
			return 0;
		pos += got;
		p += adv;
	}
	return pos == slen;
}

size_t json_text(const struct json_doc *doc, uint32_t node, char *out, size_t n)
{
	const struct json_node *nd;

	if (node >= doc->n) {
		if (n > 0)
			out[0] = '\0';
		return 0;
	}
	nd = &doc->nodes[node];
	if (nd->type == JSON_STRING)
		return json_string(doc, node, out, n);
	if (n > 0) {
		size_t k = nd->len < n ? nd->len : n - 1;

		memcpy(out, doc->text + nd->start, k);
		out[k] = '\0';
	}
	return nd->len;
}

int json_text_eq(const struct json_doc *doc, uint32_t node, const char *s, size_t slen)
{
	const struct json_node *nd;

	if (node >= doc->n)
		return 0;
	nd = &doc->nodes[node];
	if (nd->type == JSON_STRING)
		return json_string_eq(doc, node, s, slen);
	return nd->len == slen && memcmp(doc->text + nd->start, s, slen) == 0;
}

uint32_t json_object_get(const struct json_doc *doc, uint32_t obj, const char *key,
			 size_t keylen)
{
	uint32_t k, found = JSON_END;

	if (obj >= doc->n || doc->nodes[obj].type != JSON_OBJECT)
		return JSON_END;
	for (k = json_first(doc, obj); k != JSON_END; k = json_next(doc, k))
		if (json_string_eq(doc, k, key, keylen))
			found = k + 1;
	return found;
}

uint32_t json_array_get(const struct json_doc *doc, uint32_t arr, size_t index)
{
	uint32_t e;

	if (arr >= doc->n || doc->nodes[arr].type != JSON_ARRAY)
		return JSON_END;
	for (e = json_first(doc, arr); e != JSON_END && index > 0; e = json_next(doc, e))
		index--;
	return e;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = {
		[JSON_NONE] = "nothing",    [JSON_NULL] = "null",
		[JSON_FALSE] = "false",     [JSON_TRUE] = "true",
		[JSON_NUMBER] = "number",   [JSON_STRING] = "string",
		[JSON_ARRAY] = "array",     [JSON_OBJECT] = "object",
	};

	if ((unsigned)t >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[t];
}
