/*
 * http_opts.c - the options of an http check word, read into struct
 * http_priv before any I/O: header=, expect-header=, body=, json=, method=,
 * host=, the CA options; credentials in the URL and in headers registered
 * as secrets.  http.c's header comment says what each option means.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe/check.h"
#include "checks/http/http_priv.h"
#include "lib/url.h"
#include "probe/report.h"

/* Appends a copy of line to *list.  Returns 0, or -1 when out of memory. */
static int http_slist_add(struct curl_slist **list, const char *line)
{
	struct curl_slist *l = curl_slist_append(*list, line);

	if (!l)
		return -1;
	*list = l;
	return 0;
}

/* Registers the password of a URL, raw and %-decoded as libcurl decodes it,
 * as secret. */
void http_secret_password(const char *url, const struct http_url *u)
{
	char raw[256], dec[256];

	if (!u->has_pass || u->pass_len == 0 || u->pass_len >= sizeof(raw))
		return;
	memcpy(raw, url + u->pass_off, u->pass_len);
	raw[u->pass_len] = '\0';
	secret_add(raw);
	if (url_decode(raw, u->pass_len, dec, sizeof(dec), 0) >= 0)
		secret_add(dec);
}

/* Registers a credential header's value, and its bare token after a
 * scheme word ("Bearer TOKEN"), as secrets. */
static int http_secret_header(const struct http_header_opt *ho)
{
	char *v = strndup(ho->value, ho->valuelen);
	size_t cred;

	if (!v)
		return -1;
	secret_add(v);
	cred = http_auth_credential(v);
	if (cred)
		secret_add(v + cred);
	free(v);
	return 0;
}

/* header=Name:Value → "Name: Value" (or "Name:" to remove a header). */
static int http_parse_header(struct check *c, struct http_priv *h, const char *s,
			     struct probe_err *err)
{
	struct http_header_opt ho;
	char why[256], line[1024];

	if (http_header_parse(s, 1, &ho, why, sizeof(why)) < 0)
		return probe_err_set(err, EXIT_USAGE, "%s: header=: %s", c->name, why);
	if (ho.namelen == 4 && strncasecmp(ho.name, "host", 4) == 0 &&
	    check_opt_get(c, "host"))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: give the Host header once: host= or header=Host:",
				     c->name);
	if (http_header_is_secret(ho.name, ho.namelen) && ho.valuelen &&
	    http_secret_header(&ho) < 0)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	if ((size_t)snprintf(line, sizeof(line), "%.*s:%s%.*s", (int)ho.namelen, ho.name,
			     ho.valuelen ? " " : "", (int)ho.valuelen,
			     ho.value) >= sizeof(line))
		return probe_err_set(err, EXIT_USAGE, "%s: header=%.*s: longer than 1 KiB",
				     c->name, (int)ho.namelen, ho.name);
	if (http_slist_add(&h->headers, line) < 0)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	return 0;
}

/* expect-header=Name[:Value]. */
static int http_parse_expect_header(struct check *c, struct http_priv *h, const char *s,
				    struct probe_err *err)
{
	struct http_expect_hdr *grown;
	struct http_header_opt ho;
	char why[256];
	char *copy;

	if (http_header_parse(s, 0, &ho, why, sizeof(why)) < 0)
		return probe_err_set(err, EXIT_USAGE, "%s: expect-header=: %s", c->name, why);
	grown = realloc(h->xh, (h->nxh + 1) * sizeof(*grown));
	if (!grown)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	h->xh = grown;
	copy = malloc(ho.namelen + ho.valuelen + 2);
	if (!copy)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	memcpy(copy, ho.name, ho.namelen);
	copy[ho.namelen] = '\0';
	h->xh[h->nxh].name = copy;
	h->xh[h->nxh].value = NULL;
	if (ho.value) {
		h->xh[h->nxh].value = copy + ho.namelen + 1;
		memcpy(h->xh[h->nxh].value, ho.value, ho.valuelen);
		h->xh[h->nxh].value[ho.valuelen] = '\0';
	}
	h->nxh++;
	return 0;
}

/* The repeatable options: body=, json=, header=, expect-header=. */
static int http_parse_repeated(struct check *c, struct http_priv *h,
			       struct probe_err *err)
{
	char why[320];
	size_t i;

	for (i = 0; i < c->nopts; i++) {
		struct check_opt *o = &c->opts[i];

		if (strcmp(o->key, "body") == 0) {
			const char **grown = realloc(h->bodies, (h->nbodies + 1) * sizeof(*grown));

			if (!grown)
				return probe_err_set(err, EXIT_CONFIG, "out of memory");
			h->bodies = grown;
			h->bodies[h->nbodies++] = o->value;
		} else if (strcmp(o->key, "json") == 0) {
			struct http_json_expect *grown =
				realloc(h->json, (h->njson + 1) * sizeof(*grown));

			if (!grown)
				return probe_err_set(err, EXIT_CONFIG, "out of memory");
			h->json = grown;
			if (http_json_expect_parse(o->value, &h->json[h->njson], why,
						   sizeof(why)) < 0)
				return probe_err_set(err, EXIT_USAGE, "%s: json=%s", c->name, why);
			h->njson++;
		} else if (strcmp(o->key, "header") == 0) {
			if (http_parse_header(c, h, o->value, err) < 0)
				return -1;
		} else if (strcmp(o->key, "expect-header") == 0) {
			if (http_parse_expect_header(c, h, o->value, err) < 0)
				return -1;
		} else {
			continue;
		}
		o->used = 1;
	}
	return 0;
}

/* method=: a token, upper-cased; HEAD asks for no body. */
static int http_parse_method(struct check *c, struct http_priv *h, struct probe_err *err)
{
	const char *m = check_opt_get(c, "method");
	size_t i;

	snprintf(h->method, sizeof(h->method), "GET");
	if (!m)
		return 0;
	for (i = 0; m[i]; i++)
		if (!((m[i] >= 'A' && m[i] <= 'Z') || (m[i] >= 'a' && m[i] <= 'z')) ||
		    i + 1 >= sizeof(h->method))
			break;
	if (i == 0 || m[i])
		return probe_err_set(err, EXIT_USAGE,
				     "%s: method=%s: expected a method like GET, HEAD or POST",
				     c->name, m);
	for (i = 0; m[i]; i++)
		h->method[i] = (char)(m[i] >= 'a' ? m[i] - 'a' + 'A' : m[i]);
	h->method[i] = '\0';
	h->head = strcmp(h->method, "HEAD") == 0;
	return 0;
}

/* host=NAME[:PORT]: the Host header; for https also the name TLS asks for
 * (SNI) and verifies, while CONNECT_TO keeps the connection on the URL's
 * address. */
static int http_parse_host(struct check *c, struct http_priv *h, const struct http_url *u,
			   struct probe_err *err)
{
	const char *v = check_opt_get(c, "host");
	char line[600], url[4096], from[280], to[280];
	struct endpoint hep;
	struct probe_err sub = { 0 };

	if (!v)
		return 0;
	if (endpoint_parse(v, &hep, 0, &sub) < 0 || !hep.host[0])
		return probe_err_set(err, EXIT_USAGE, "%s: host=%s: expected NAME or NAME:PORT",
				     c->name, v);
	snprintf(line, sizeof(line), "Host: %s", v);
	if (http_slist_add(&h->headers, line) < 0)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	if (!u->https)
		return 0;
	if (http_url_with_host(c->word, u, hep.host, url, sizeof(url)) < 0)
		return probe_err_set(err, EXIT_USAGE, "%s: URL too long", c->name);
	free(h->url);
	h->url = strdup(url);
	if (!h->url)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	/* HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT */
	url_hostport(from, sizeof(from), hep.host, u->port);
	url_hostport(to, sizeof(to), u->host, u->port);
	snprintf(line, sizeof(line), "%s:%s", from, to);
	if (http_slist_add(&h->connect_to, line) < 0)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	return 0;
}

/* cacert=, else SSL_CERT_FILE; SSL_CERT_DIR.  Read here, on the main
 * thread: getenv is not safe against a concurrent setenv. */
static int http_parse_ca(struct check *c, struct http_priv *h, struct probe_err *err)
{
	const char *v = check_opt_get(c, "cacert");
	const char *dir = getenv("SSL_CERT_DIR");

	h->cacert_from = "cacert=";
	if (v && !*v)
		return probe_err_set(err, EXIT_USAGE, "%s: cacert= is empty", c->name);
	if (!v) {
		v = getenv("SSL_CERT_FILE");
		h->cacert_from = "SSL_CERT_FILE";
	}
	if (v && *v && !(h->cacert = strdup(v)))
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	if (dir && *dir && !(h->capath = strdup(dir)))
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	return 0;
}

int http_parse_opts(struct check *c, struct http_priv *h, const struct http_url *u,
			   struct probe_err *err)
{
	const char *v;
	char why[320];

	v = check_opt_get(c, "status");
	if (!v)
		http_status_default(&h->status);
	else if (http_status_parse(v, &h->status, why, sizeof(why)) < 0)
		return probe_err_set(err, EXIT_USAGE, "%s: status=%s", c->name, why);
	if (http_parse_repeated(c, h, err) < 0 || http_parse_method(c, h, err) < 0)
		return -1;
	v = check_opt_get(c, "body~");
	if (v) {
		if (rx_compile(v, &h->re, why, sizeof(why)) < 0) {
			return probe_err_set(err, EXIT_USAGE,
					     "%s: body~=%s: not a regular expression (POSIX "
					     "extended): %s",
					     c->name, v, why);
		}
		h->re_text = v;
	}
	h->min_bytes_set = check_opt_get(c, "min-bytes") != NULL;
	if (check_opt_size(c, "min-bytes", h->head ? 0 : 1, &h->min_bytes, err) < 0 ||
	    check_opt_bool(c, "insecure", 0, &h->insecure, err) < 0 ||
	    check_opt_bool(c, "follow", 0, &h->follow, err) < 0 ||
	    http_parse_ca(c, h, err) < 0 || http_parse_host(c, h, u, err) < 0)
		return -1;
	return 0;
}
