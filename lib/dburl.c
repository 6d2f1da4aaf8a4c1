/*
 * dburl.c - the one parser for database URLs: the scheme, the sqlite path,
 * the database and the query here; the authority (user, password, host,
 * port) as lib/url.c reads every authority.
 */
#include "lib/dburl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/url.h"

const char *dburl_param(const struct dburl *u, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < u->nparams; i++)
		if (strcmp(u->params[i].key, key) == 0)
			v = u->params[i].value;
	return v;
}

/* The error for a part that does not decode; the part is named, never
 * quoted (it may be the password). */
static int dburl_bad(struct probe_err *err, const char *part)
{
	return probe_err_set(err, EXIT_USAGE, "%s has a malformed %%-escape or is too long",
			     part);
}

/* Splits the query string q (length n) into u->params. */
static int dburl_query(const char *q, size_t n, struct dburl *u, struct probe_err *err)
{
	const char *end = q + n;

	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(stop - q));
		struct dburl_param *p;

		if (stop == q) {
			q++;
			continue;
		}
		if (u->nparams == DBURL_PARAMS)
			return probe_err_set(err, EXIT_USAGE, "more than %d query parameters",
					     DBURL_PARAMS);
		p = &u->params[u->nparams];
		if (url_decode(q, (size_t)((eq ? eq : stop) - q), p->key, sizeof(p->key),
			       URL_DECODE_STRICT) < 0 ||
		    url_decode(eq ? eq + 1 : stop, eq ? (size_t)(stop - eq - 1) : 0, p->value,
			       sizeof(p->value), URL_DECODE_STRICT) < 0)
			return dburl_bad(err, "a query parameter");
		u->nparams++;
		q = stop + (amp ? 1 : 0);
	}
	return 0;
}

int dburl_parse(const char *url, struct dburl *u, struct probe_err *err)
{
	const char *sep = strstr(url, "://"), *p, *auth_end, *q, *raw_at;
	struct url_authority a;
	enum url_error e;
	size_t i, slen;

	memset(u, 0, sizeof(*u));
	if (!sep)
		return probe_err_set(err, EXIT_USAGE, "expected scheme://...");
	slen = (size_t)(sep - url);
	for (i = 0; i < slen && url[i] != '+'; i++)
		;
	if (i == 0 || i >= sizeof(u->scheme) || slen - i >= sizeof(u->driver))
		return probe_err_set(err, EXIT_USAGE, "the scheme is empty or too long");
	memcpy(u->scheme, url, i);
	u->scheme[i] = '\0';
	if (i < slen) {
		memcpy(u->driver, url + i + 1, slen - i - 1);
		u->driver[slen - i - 1] = '\0';
	}
	for (i = 0; u->scheme[i]; i++)
		u->scheme[i] = (char)tolower((unsigned char)u->scheme[i]);

	p = sep + 3;
	q = strchr(p, '?');
	if (q && dburl_query(q + 1, strlen(q + 1), u, err) < 0)
		return -1;
	if (!q)
		q = p + strlen(p);

	if (strcmp(u->scheme, "sqlite") == 0) {
		/* sqlite:///rel.db, sqlite:////abs.db: everything after the
		 * third slash is the path, as SQLAlchemy reads it. */
		if (*p == '/')
			p++;
		else if (p != q)
			return probe_err_set(err, EXIT_USAGE,
					     "write sqlite:///relative.db or sqlite:////absolute.db");
		if (url_decode(p, (size_t)(q - p), u->database, sizeof(u->database),
			       URL_DECODE_STRICT) < 0)
			return dburl_bad(err, "the path");
		return 0;
	}

	auth_end = p + strcspn(p, "/?#");
	if (auth_end > q)
		auth_end = q;
	/* No '@' in the authority but a ':', and an '@' after it: a password
	 * holding a raw '/', '?' or '#' ended the authority early.  An '@' in
	 * the database name says so; one in the query only when the
	 * authority then fails. */
	raw_at = url_raw_password(p, (size_t)(auth_end - p), auth_end);
	if (raw_at && raw_at < q)
		return probe_err_set(err, EXIT_USAGE, "%s", url_strerror(URL_ERR_RAW_PASSWORD));
	e = url_authority(p, (size_t)(auth_end - p), URL_USERINFO, &a);
	if (e != URL_OK)
		return probe_err_set(err, EXIT_USAGE, "%s",
				     url_strerror(raw_at ? URL_ERR_RAW_PASSWORD : e));
	if (a.user && url_decode(a.user, a.user_len, u->user, sizeof(u->user),
				 URL_DECODE_STRICT) < 0)
		return dburl_bad(err, "the user name");
	if (a.password) {
		u->has_password = 1;
		if (url_decode(a.password, a.password_len, u->password, sizeof(u->password),
			       URL_DECODE_STRICT) < 0)
			return dburl_bad(err, "the password");
	}
	if (a.bracketed) {
		if (a.host_len >= sizeof(u->host))
			return probe_err_set(err, EXIT_USAGE, "%s",
					     url_strerror(URL_ERR_HOST_LONG));
		memcpy(u->host, a.host, a.host_len);
		u->host[a.host_len] = '\0';
	} else {
		/* A host may be %-encoded (a socket folder); an IPv6 address
		 * still needs its brackets. */
		if (url_decode(a.host, a.host_len, u->host, sizeof(u->host),
			       URL_DECODE_STRICT) < 0)
			return dburl_bad(err, "the host");
		if (strchr(u->host, ':'))
			return probe_err_set(err, EXIT_USAGE, "%s",
					     url_strerror(URL_ERR_BARE_IPV6));
	}
	u->port = a.port;
	if (auth_end < q && *auth_end == '/') {
		const char *db = auth_end + 1;
		const char *dend = db + strcspn(db, "?#");

		if (url_decode(db, (size_t)(dend - db), u->database, sizeof(u->database),
			       URL_DECODE_STRICT) < 0)
			return dburl_bad(err, "the database name");
	}
	return 0;
}
