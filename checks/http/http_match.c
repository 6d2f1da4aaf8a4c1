/*
 * http_match.c - parsing the http check's URL and options, and judging an
 * answer.  No I/O here: see http_match.h.
 */
#include "checks/http/http_match.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/url.h"

/* Formats a reason into err; returns -1 for `return http_err(...)`. */
static int http_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int http_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Reads a 3-digit status code 100-599 from s[0..len); -1 when not one. */
static int http_code(const char *s, size_t len)
{
	int v = 0;
	size_t i;

	if (len != 3)
		return -1;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 100 && v <= 599 ? v : -1;
}

int http_status_parse(const char *s, struct http_status_spec *spec, char *err,
		      size_t errlen)
{
	const char *p = s;

	memset(spec, 0, sizeof(*spec));
	if (!*s)
		return http_err(err, errlen, "empty: give a code, list or range");
	for (;;) {
		size_t len = strcspn(p, ",");
		const char *dash = memchr(p, '-', len);
		int lo, hi;

		if (spec->n == HTTP_STATUS_MAX_RANGES)
			return http_err(err, errlen, "more than 16 items");
		if (len == 3 && p[0] >= '1' && p[0] <= '5' && (p[1] == 'x' || p[1] == 'X') &&
		    (p[2] == 'x' || p[2] == 'X')) {
			lo = (p[0] - '0') * 100;
			hi = lo + 99;
		} else if (dash) {
			lo = http_code(p, (size_t)(dash - p));
			hi = http_code(dash + 1, len - (size_t)(dash - p) - 1);
			if (lo < 0 || hi < 0 || lo > hi)
				goto bad;
		} else {
			lo = hi = http_code(p, len);
			if (lo < 0)
				goto bad;
		}
		spec->r[spec->n].lo = lo;
		spec->r[spec->n].hi = hi;
		spec->n++;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	snprintf(spec->text, sizeof(spec->text), "%s", s);
	return 0;
bad:
	return http_err(err, errlen,
			"'%s': expected codes 100-599, classes like 2xx or ranges like "
			"200-299, comma separated",
			s);
}

void http_status_default(struct http_status_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->n = 1;
	spec->r[0].lo = 200;
	spec->r[0].hi = 399;
	snprintf(spec->text, sizeof(spec->text), "200-399");
}

int http_status_match(const struct http_status_spec *spec, int code)
{
	size_t i;

	for (i = 0; i < spec->n; i++)
		if (code >= spec->r[i].lo && code <= spec->r[i].hi)
			return 1;
	return 0;
}

int http_url_parse(const char *url, struct http_url *u, char *err, size_t errlen)
{
	struct url_authority a;
	enum url_error e;
	size_t start, i;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(url, "http://", 7) == 0) {
		start = 7;
	} else if (strncasecmp(url, "https://", 8) == 0) {
		start = 8;
		u->https = 1;
	} else {
		return http_err(err, errlen, "not an http:// or https:// URL");
	}
	u->path_off = start + strcspn(url + start, "/?#");
	e = url_authority(url + start, u->path_off - start, URL_USERINFO, &a);
	if (e == URL_OK)
		e = url_host_check(a.host, a.host_len, a.bracketed);
	if (e == URL_OK && a.host_len >= sizeof(u->host))
		e = URL_ERR_HOST_LONG;
	/* No '@' in the authority, but one after it, and a ':' before: a
	 * password holding a raw '/', '?' or '#' that ended the authority
	 * early.  Its failures say so, rather than blame the "port". */
	if (e != URL_OK && url_raw_password(url + start, u->path_off - start, url + u->path_off))
		e = URL_ERR_RAW_PASSWORD;
	if (e != URL_OK)
		return http_err(err, errlen, "%s", url_strerror(e));
	if (a.user) {
		u->user_off = (size_t)(a.user - url);
		u->user_len = a.user_len;
	}
	if (a.password) {
		u->has_pass = 1;
		u->pass_off = (size_t)(a.password - url);
		u->pass_len = a.password_len;
	}
	u->auth_off = (size_t)(a.host - url) - (size_t)a.bracketed;
	memcpy(u->host, a.host, a.host_len);
	u->host[a.host_len] = '\0';
	u->ipv6 = a.bracketed;
	u->explicit_port = a.port != 0;
	u->port = a.port ? a.port : u->https ? 443 : 80;
	for (i = u->path_off; url[i]; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return http_err(err, errlen,
					"spaces and control characters in a URL must be "
					"percent-encoded (%%20)");
	return 0;
}

int http_url_with_host(const char *url, const struct http_url *u, const char *host,
		       char *out, size_t n)
{
	char hp[300];
	int len;

	len = url_hostport(hp, sizeof(hp), host, u->explicit_port ? u->port : 0);
	if (len < 0 || (size_t)len >= sizeof(hp))
		return -1;
	len = snprintf(out, n, "%.*s%s%s", (int)u->auth_off, url, hp, url + u->path_off);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int http_tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Does a header name (or a name with its value run on) look like one
 * that carries credentials? */
static int http_credential_name(const char *s)
{
	static const char *const words[] = { "auth", "cookie", "token", "key", "secret",
					     "passw", "session", "credential", NULL };
	size_t i, j, n = strlen(s);

	for (i = 0; words[i]; i++) {
		size_t w = strlen(words[i]);

		for (j = 0; j + w <= n; j++)
			if (strncasecmp(s + j, words[i], w) == 0)
				return 1;
	}
	return 0;
}

int http_header_parse(const char *s, int need_value, struct http_header_opt *h,
		      char *err, size_t errlen)
{
	const char *p = s, *e;

	memset(h, 0, sizeof(*h));
	while (http_tchar((unsigned char)*p))
		p++;
	if (p == s)
		return http_err(err, errlen, "'%s': expected a header name like X-Name",
				s);
	h->name = s;
	h->namelen = (size_t)(p - s);
	if (*p == '\0') {
		/* A credential header written without its ':' may be its
		 * value run on ("AuthorizationTOKEN"): not quoted then. */
		if (need_value && http_credential_name(s))
			return http_err(err, errlen,
					"a credential header needs Name:Value (a ':' after "
					"the name)");
		if (need_value)
			return http_err(err, errlen, "'%s': expected Name:Value", s);
		return 0;
	}
	/* Only the name is quoted: what follows may be a value. */
	if (*p != ':')
		return http_err(err, errlen,
				"'%.*s': a header name ends at ':', not at this character",
				(int)(p - s), s);
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	for (e = p; *e; e++)
		if (((unsigned char)*e < 0x20 && *e != '\t') || *e == 0x7f)
			return http_err(err, errlen,
					"'%s': control characters are not allowed in a header",
					s);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	h->value = p;
	h->valuelen = (size_t)(e - p);
	return 0;
}

/* Case-insensitive search for needle (lower case) in s[0..len). */
static int http_has_word(const char *s, size_t len, const char *needle)
{
	size_t nlen = strlen(needle), i;

	for (i = 0; i + nlen <= len; i++)
		if (strncasecmp(s + i, needle, nlen) == 0)
			return 1;
	return 0;
}

int http_header_is_secret(const char *name, size_t len)
{
	static const char *const words[] = {
		"auth", "cookie", "token", "key", "secret", "password", "passwd",
		"session", NULL,
	};
	size_t i;

	/* Authorization, Proxy-Authorization, Cookie are caught by the words. */
	for (i = 0; words[i]; i++)
		if (http_has_word(name, len, words[i]))
			return 1;
	return 0;
}

size_t http_auth_credential(const char *value)
{
	size_t i = 0, j;

	while (isalnum((unsigned char)value[i]) || value[i] == '-' || value[i] == '_')
		i++;
	if (i == 0 || value[i] != ' ')
		return 0;
	j = i;
	while (value[j] == ' ')
		j++;
	return value[j] ? j : 0;
}

int http_header_line_match(const char *line, size_t len, const char *name,
			   size_t namelen, const char **value, size_t *valuelen)
{
	const char *v, *e = line + len;

	if (len <= namelen || line[namelen] != ':' ||
	    strncasecmp(line, name, namelen) != 0)
		return 0;
	v = line + namelen + 1;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*value = v;
	*valuelen = (size_t)(e - v);
	return 1;
}

int http_body_contains(const char *body, size_t len, const char *needle)
{
	size_t nlen = strlen(needle), i;

	if (nlen == 0)
		return 1;
	for (i = 0; i + nlen <= len; i++)
		if (body[i] == needle[0] && memcmp(body + i, needle, nlen) == 0)
			return 1;
	return 0;
}

int http_body_regex(const struct rx *rx, const char *body, size_t len, int64_t end_ns)
{
	return rx_match(rx, body, len, end_ns);
}

void http_excerpt(const char *body, size_t len, char *out, size_t n)
{
	size_t k = 0, i;

	if (n == 0)
		return;
	for (i = 0; i < len && i < HTTP_EXCERPT && k + 1 < n; i++) {
		unsigned char c = (unsigned char)body[i];

		out[k++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	out[k] = '\0';
	if (len > HTTP_EXCERPT && k + 3 < n) {
		memcpy(out + k, "...", 3);
		out[k + 3] = '\0';
	}
}

int http_json_expect_parse(const char *s, struct http_json_expect *e, char *err,
			   size_t errlen)
{
	struct json_error jerr;
	size_t plen;

	memset(e, 0, sizeof(*e));
	if (json_path_scan(s, &plen, &jerr) < 0) {
		if (errlen > 0)
			snprintf(err, errlen, "'%s': %s (at byte %zu); write .key.sub=value", s,
				 jerr.msg, jerr.offset);
		return -1;
	}
	e->path = s;
	e->pathlen = plen;
	e->value = s[plen] == '=' ? s + plen + 1 : NULL;
	return 0;
}

int http_json_judge(const struct json_doc *doc, const struct http_json_expect *e,
		    char *msg, size_t n)
{
	uint32_t node = json_path_find(doc, e->path, e->pathlen);
	char got[HTTP_EXCERPT + 4];
	size_t full;
	int plen = e->pathlen > 80 ? 80 : (int)e->pathlen;

	if (node == JSON_END) {
		snprintf(msg, n, "json %.*s is missing", plen, e->path);
		return -1;
	}
	if (!e->value || json_text_eq(doc, node, e->value, strlen(e->value)))
		return 0;
	full = json_text(doc, node, got, HTTP_EXCERPT + 1);
	if (full > HTTP_EXCERPT) {
		size_t k = HTTP_EXCERPT;

		/* Cut before a UTF-8 sequence that does not fit whole. */
		while (k > 0 && ((unsigned char)got[k] & 0xc0) == 0x80)
			k--;
		memcpy(got + k, "...", 4);
	}
	if (doc->nodes[node].type == JSON_STRING)
		snprintf(msg, n, "json %.*s is \"%s\", expected \"%.60s\"", plen, e->path,
			 got, e->value);
	else
		snprintf(msg, n, "json %.*s is %s, expected \"%.60s\"", plen, e->path, got,
			 e->value);
	return -1;
}
