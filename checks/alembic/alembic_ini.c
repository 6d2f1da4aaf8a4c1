/*
 * alembic_ini.c - alembic.ini as Python's ConfigParser reads it for
 * Alembic, and the [tool.alembic] table of pyproject.toml (Alembic 1.16+),
 * enough of each for script_location, version_locations, the path
 * separators, recursive_version_locations and sqlalchemy.url.  Pure: the
 * caller reads the files.
 *
 * ConfigParser's rules kept here: a line whose first non-blank is # or ;
 * is a comment (also inside a multi-line value); a line indented deeper
 * than its key continues the value; "key = value" and "key: value", keys
 * case-folded, values stripped; %(name)s interpolation from the section,
 * [DEFAULT] and `here` (Alembic passes here=the ini's folder), %% for %.
 * Inline comments are not comments (ConfigParser's default).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/alembic/alembic.h"

#define INI_ENTRIES_MAX 4096
#define INI_DEPTH_MAX 10 /* ConfigParser's MAX_INTERPOLATION_DEPTH */

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Appends "\n" and line to the value of the last entry. */
static int ini_continue(struct alembic_ini *ini, const char *line, size_t n)
{
	struct alembic_ini_entry *e = &ini->e[ini->n - 1];
	size_t old = strlen(e->value);
	char *v = realloc(e->value, old + n + 2);

	if (!v)
		return -1;
	v[old] = '\n';
	memcpy(v + old + 1, line, n);
	v[old + 1 + n] = '\0';
	e->value = v;
	return 0;
}

static int ini_add(struct alembic_ini *ini, const char *section, const char *key,
		   size_t klen, const char *val, size_t vlen)
{
	struct alembic_ini_entry *e;
	size_t i;

	if (ini->n >= INI_ENTRIES_MAX)
		return -1;
	e = realloc(ini->e, (ini->n + 1) * sizeof(*e));
	if (!e)
		return -1;
	ini->e = e;
	e = &ini->e[ini->n];
	e->section = strdup(section);
	e->key = dup_range(key, klen);
	e->value = dup_range(val, vlen);
	if (!e->section || !e->key || !e->value) {
		free(e->section);
		free(e->key);
		free(e->value);
		return -1;
	}
	for (i = 0; e->key[i]; i++)
		e->key[i] = (char)tolower((unsigned char)e->key[i]);
	ini->n++;
	return 0;
}

int alembic_ini_parse(const char *buf, size_t len, struct alembic_ini *ini, char *err,
		      size_t errn)
{
	char section[256] = "";
	size_t pos = 0, cur_indent = 0;
	int lineno = 0, in_value = 0;

	memset(ini, 0, sizeof(*ini));
	if (len > ALEMBIC_FILE_MAX) {
		snprintf(err, errn, "larger than %d bytes", ALEMBIC_FILE_MAX);
		return -1;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *line = buf + pos, *eol = memchr(line, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - line) : len - pos, indent = 0;
		const char *s = line;
		size_t sn = n;

		pos += n + (eol ? 1 : 0);
		lineno++;
		while (indent < n && (line[indent] == ' ' || line[indent] == '\t'))
			indent++;
		trim(&s, &sn);
		if (sn > 0 && (s[0] == '#' || s[0] == ';'))
			continue;
		if (sn == 0) {
			/* Empty lines may sit inside a value; trailing ones are
			 * stripped when it is read. */
			if (in_value && ini_continue(ini, "", 0) < 0)
				goto oom;
			continue;
		}
		if (in_value && indent > cur_indent) {
			if (ini_continue(ini, s, sn) < 0)
				goto oom;
			continue;
		}
		in_value = 0;
		if (s[0] == '[') {
			const char *close = memchr(s, ']', sn);

			if (!close || (size_t)(close - s) - 1 >= sizeof(section)) {
				snprintf(err, errn, "line %d: a section header without ]", lineno);
				goto fail;
			}
			snprintf(section, sizeof(section), "%.*s", (int)(close - s - 1), s + 1);
			continue;
		}
		if (!section[0]) {
			snprintf(err, errn, "line %d: a key before any [section]", lineno);
			goto fail;
		}
		{
			size_t k = 0, klen, vlen;
			const char *key = s, *val;

			while (k < sn && s[k] != '=' && s[k] != ':')
				k++;
			if (k == sn) {
				snprintf(err, errn, "line %d: neither key = value nor [section]",
					 lineno);
				goto fail;
			}
			klen = k;
			trim(&key, &klen);
			val = s + k + 1;
			vlen = sn - k - 1;
			trim(&val, &vlen);
			if (ini_add(ini, section, key, klen, val, vlen) < 0)
				goto oom;
			in_value = 1;
			cur_indent = indent;
		}
	}
	/* Strip the empty lines a value may have collected at its end. */
	{
		size_t i;

		for (i = 0; i < ini->n; i++) {
			char *v = ini->e[i].value;
			size_t vn = strlen(v);

			while (vn > 0 && v[vn - 1] == '\n')
				v[--vn] = '\0';
		}
	}
	return 0;
oom:
	snprintf(err, errn, "out of memory (or more than %d keys)", INI_ENTRIES_MAX);
fail:
	alembic_ini_free(ini);
	return -1;
}

static const char *ini_raw(const struct alembic_ini *ini, const char *section,
			   const char *key, size_t klen)
{
	const char *found = NULL, *dflt = NULL;
	size_t i;

	/* The last one wins (ConfigParser refuses duplicates; be lenient). */
	for (i = 0; i < ini->n; i++) {
		if (strlen(ini->e[i].key) != klen || strncasecmp(ini->e[i].key, key, klen) != 0)
			continue;
		if (strcmp(ini->e[i].section, section) == 0)
			found = ini->e[i].value;
		else if (strcmp(ini->e[i].section, "DEFAULT") == 0)
			dflt = ini->e[i].value;
	}
	return found ? found : dflt;
}

/* Appends src (interpolated) to out[*n..cap).  Returns 0 or -1. */
static int ini_expand(const struct alembic_ini *ini, const char *section, const char *here,
		      const char *src, int depth, char *out, size_t *n, size_t cap, char *err,
		      size_t errn)
{
	const char *p = src;

	if (depth > INI_DEPTH_MAX) {
		snprintf(err, errn, "%%(...)s nests deeper than %d", INI_DEPTH_MAX);
		return -1;
	}
	while (*p) {
		if (p[0] == '%' && p[1] == '%') {
			if (*n + 1 >= cap)
				goto long_;
			out[(*n)++] = '%';
			p += 2;
		} else if (p[0] == '%' && p[1] == '(') {
			const char *close = strstr(p + 2, ")s"), *v;
			size_t klen;

			if (!close) {
				snprintf(err, errn, "a %%(name)s without its )s");
				return -1;
			}
			klen = (size_t)(close - p - 2);
			if (klen == 4 && strncasecmp(p + 2, "here", 4) == 0 &&
			    !ini_raw(ini, section, "here", 4))
				v = here;
			else
				v = ini_raw(ini, section, p + 2, klen);
			if (!v) {
				snprintf(err, errn, "%%(%.*s)s names no key", (int)klen, p + 2);
				return -1;
			}
			if (v == here) {
				size_t hl = strlen(here);

				if (*n + hl >= cap)
					goto long_;
				memcpy(out + *n, here, hl);
				*n += hl;
			} else if (ini_expand(ini, section, here, v, depth + 1, out, n, cap, err,
					      errn) < 0) {
				return -1;
			}
			p = close + 2;
		} else if (p[0] == '%') {
			snprintf(err, errn, "a lone %% (write %%%% for a percent sign)");
			return -1;
		} else {
			if (*n + 1 >= cap)
				goto long_;
			out[(*n)++] = *p++;
		}
	}
	out[*n] = '\0';
	return 0;
long_:
	snprintf(err, errn, "a value longer than 64 KiB after %%(...)s");
	return -1;
}

char *alembic_ini_get(const struct alembic_ini *ini, const char *section, const char *key,
		      const char *here, char *err, size_t errn)
{
	const char *raw = ini_raw(ini, section, key, strlen(key));
	size_t cap = 65536, n = 0;
	char *out;

	if (!raw)
		return NULL;
	out = malloc(cap);
	if (!out) {
		snprintf(err, errn, "out of memory");
		return NULL;
	}
	if (ini_expand(ini, section, here, raw, 0, out, &n, cap, err, errn) < 0) {
		free(out);
		return NULL;
	}
	return out;
}

void alembic_ini_free(struct alembic_ini *ini)
{
	size_t i;

	if (!ini)
		return;
	for (i = 0; i < ini->n; i++) {
		free(ini->e[i].section);
		free(ini->e[i].key);
		free(ini->e[i].value);
	}
	free(ini->e);
	ini->e = NULL;
	ini->n = 0;
}

/* Reads one TOML string at *p (basic "..." or literal '...', one line) into
 * out (cap), replacing %(here)s.  Returns 0 or -1. */
static int toml_string(const char **p, const char *end, const char *here, char *out,
		       size_t *n, size_t cap)
{
	char q = **p;
	const char *s = *p + 1;
	size_t hl = strlen(here);

	while (s < end && *s != q && *s != '\n') {
		if (q == '"' && *s == '\\' && s + 1 < end) {
			s++;
		} else if ((size_t)(end - s) >= 8 && memcmp(s, "%(here)s", 8) == 0) {
			if (*n + hl >= cap)
				return -1;
			memcpy(out + *n, here, hl);
			*n += hl;
			s += 8;
			continue;
		}
		if (*n + 1 >= cap)
			return -1;
		out[(*n)++] = *s++;
	}
	if (s >= end || *s != q)
		return -1;
	*p = s + 1;
	out[*n] = '\0';
	return 0;
}

char *alembic_toml_get(const char *buf, size_t len, const char *key, const char *here)
{
	const char *p = buf, *end = buf + (len > ALEMBIC_FILE_MAX ? ALEMBIC_FILE_MAX : len);
	size_t klen = strlen(key), cap = 65536, n = 0;
	int in_table = 0;
	char *out;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *s = p;
		size_t ln = eol ? (size_t)(eol - p) : (size_t)(end - p);

		p += ln + (eol ? 1 : 0);
		while (s < p && (*s == ' ' || *s == '\t'))
			s++;
		if (s < p && *s == '[') {
			in_table = (size_t)(p - s) >= 14 && memcmp(s, "[tool.alembic]", 14) == 0;
			continue;
		}
		if (!in_table || (size_t)(p - s) < klen || memcmp(s, key, klen) != 0)
			continue;
		s += klen;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end || *s != '=')
			continue;
		s++;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		out = malloc(cap);
		if (!out)
			return NULL;
		if ((size_t)(end - s) >= 4 && memcmp(s, "true", 4) == 0) {
			snprintf(out, cap, "true"); /* recursive_version_locations */
			return out;
		}
		if (s < end && (*s == '"' || *s == '\'')) {
			if (toml_string(&s, end, here, out, &n, cap) == 0)
				return out;
		} else if (s < end && *s == '[') {
			/* An array of strings, maybe over lines, maybe with
			 * comments: the items joined with '\n'. */
			s++;
			while (s < end && *s != ']') {
				if (*s == '#') {
					while (s < end && *s != '\n')
						s++;
				} else if (*s == '"' || *s == '\'') {
					if (n > 0) {
						if (n + 1 >= cap)
							break;
						out[n++] = '\n';
					}
					if (toml_string(&s, end, here, out, &n, cap) < 0)
						break;
				} else {
					s++;
				}
			}
			if (s < end && *s == ']') {
				out[n] = '\0';
				return out;
			}
		}
		free(out);
		return NULL;
	}
	return NULL;
}
