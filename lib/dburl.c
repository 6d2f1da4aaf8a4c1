/*
 * dburl.c - the one parser for database URLs.
 */
#include "lib/dburl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"

int dburl_decode(const char *src, size_t n, char *dst, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int ch = (unsigned char)src[i];

		if (ch == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hex_digit((unsigned char)src[i + 1]);
			lo = hex_digit((unsigned char)src[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			ch = hi * 16 + lo;
			i += 2;
		}
		if (o + 1 >= cap)
			return -1;
		dst[o++] = (char)ch;
	}
	dst[o] = '\0';
	return 0;
}

const char *dburl_param(const struct dburl *u, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < u->nparams; i++)
		if (strcmp(u->params[i].key, key) == 0)
			v = u->params[i].value;
	return v;
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
		if (dburl_decode(q, (size_t)((eq ? eq : stop) - q), p->key, sizeof(p->key)) < 0 ||
		    dburl_decode(eq ? eq + 1 : stop, eq ? (size_t)(stop - eq - 1) : 0, p->value,
				 sizeof(p->value)) < 0)
			return probe_err_set(err, EXIT_USAGE,
					     "a query parameter is malformed or too long");
		u->nparams++;
		q = stop + (amp ? 1 : 0);
	}
	return 0;
}

int dburl_parse(const char *url, struct dburl *u, struct probe_err *err)
{
	static const char raw_msg[] = "a '/', '?' or '#' in the password must be "
				      "percent-encoded (%2F, %3F, %23)";
	const char *sep = strstr(url, "://"), *p, *auth_end, *at, *hostp, *q, *raw_at;
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
		if (dburl_decode(p, (size_t)(q - p), u->database, sizeof(u->database)) < 0)
			return probe_err_set(err, EXIT_USAGE, "the path is malformed or too long");
		return 0;
	}

	auth_end = p + strcspn(p, "/?#");
	if (auth_end > q)
		auth_end = q;
	at = NULL;
	for (hostp = p; hostp < auth_end; hostp++)
		if (*hostp == '@')
			at = hostp;
	/* No '@' in the authority but a ':', and an '@' after it: a password
	 * holding a raw '/', '?' or '#' ended the authority early.  An '@' in
	 * the database name says so; one in the query only when the
	 * authority then fails. */
	raw_at = at ? NULL : strchr(auth_end, '@');
	if (raw_at && !memchr(p, ':', (size_t)(auth_end - p)))
		raw_at = NULL;
	if (raw_at && raw_at < q)
		return probe_err_set(err, EXIT_USAGE, "%s", raw_msg);
	hostp = p;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));

		if (dburl_decode(p, (size_t)((colon ? colon : at) - p), u->user,
				 sizeof(u->user)) < 0)
			return probe_err_set(err, EXIT_USAGE,
					     "the user name is malformed or too long");
		if (colon) {
			u->has_password = 1;
			if (dburl_decode(colon + 1, (size_t)(at - colon - 1), u->password,
					 sizeof(u->password)) < 0)
				return probe_err_set(err, EXIT_USAGE,
						     "the password has a malformed %%-escape "
						     "or is too long");
		}
		hostp = at + 1;
	}
	if (*hostp == '[') {
		const char *close = memchr(hostp, ']', (size_t)(auth_end - hostp));

		if (!close)
			return probe_err_set(err, EXIT_USAGE,
					     "an IPv6 address needs a closing ']'");
		if ((size_t)(close - hostp - 1) >= sizeof(u->host))
			return probe_err_set(err, EXIT_USAGE, "the host is too long");
		memcpy(u->host, hostp + 1, (size_t)(close - hostp - 1));
		u->host[close - hostp - 1] = '\0';
		hostp = close + 1;
		if (hostp < auth_end && *hostp != ':')
			return probe_err_set(err, EXIT_USAGE, "expected ':PORT' after ']'");
	} else {
		const char *colon = memchr(hostp, ':', (size_t)(auth_end - hostp));
		const char *hend = colon ? colon : auth_end;

		if (colon && memchr(colon + 1, ':', (size_t)(auth_end - colon - 1)))
			return probe_err_set(err, EXIT_USAGE, "%s",
					     raw_at ? raw_msg
						    : "write an IPv6 host in brackets, like [::1]:5432");
		if (dburl_decode(hostp, (size_t)(hend - hostp), u->host, sizeof(u->host)) < 0)
			return probe_err_set(err, EXIT_USAGE, "the host is malformed or too long");
		if (strchr(u->host, ':'))
			return probe_err_set(err, EXIT_USAGE,
					     "write an IPv6 host in brackets, like [::1]:5432");
		hostp = hend;
	}
	if (hostp < auth_end && *hostp == ':') {
		long port = 0;
		const char *d = hostp + 1;

		if (d == auth_end)
			return probe_err_set(err, EXIT_USAGE, "%s",
					     raw_at ? raw_msg : "':' without a port");
		for (; d < auth_end; d++) {
			if (!isdigit((unsigned char)*d) || port > 65535)
				return probe_err_set(err, EXIT_USAGE, "%s",
						     raw_at ? raw_msg
							    : "the port must be a number from 1 to 65535");
			port = port * 10 + (*d - '0');
		}
		if (port < 1 || port > 65535)
			return probe_err_set(err, EXIT_USAGE,
					     "the port must be a number from 1 to 65535");
		u->port = (int)port;
	}
	if (auth_end < q && *auth_end == '/') {
		const char *db = auth_end + 1;
		const char *dend = db + strcspn(db, "?#");

		if (dburl_decode(db, (size_t)(dend - db), u->database, sizeof(u->database)) < 0)
			return probe_err_set(err, EXIT_USAGE,
					     "the database name is malformed or too long");
	}
	return 0;
}
