/*
 * http.c - http:// and https://: the app answers a request as expected.
 *
 * One libcurl easy handle per run, bounded by the check's deadline.  The
 * answer is judged by the pure functions of http_match.c: status, then
 * expected headers, then body size, body text, body regex, JSON values.
 *
 * libcurl's global state.  curl_global_init must run before any thread
 * uses libcurl: the kind's start hook does it on the main thread before the
 * runner starts threads, and stop undoes it.  The flags cannot limit TLS to
 * runs with an https check: since libcurl 7.57 CURL_GLOBAL_SSL is ignored
 * and global_init always initialises the TLS backend (7.88 lib/easy.c).
 * What can be limited is OpenSSL's share of it: parse marks a check that
 * may speak TLS (https, or follow=yes), and tls_start (probe/tls.c), called
 * first, initialises OpenSSL lean when no check of the run may.  A run without http checks never
 * touches libcurl.
 *
 * Proxies: probe talks to the endpoint itself.  http_proxy, HTTPS_PROXY
 * and ALL_PROXY in the container's environment are ignored, since a health
 * check of 127.0.0.1 sent through a proxy would test the proxy.
 *
 * Options, as judged (README "HTTP options" is the user's contract):
 *   status=         default 200-399, so an unfollowed redirect passes
 *   body=, json=, header=, expect-header=   repeatable; all must hold
 *   body~=          POSIX ERE over the body (up to 1 MiB, NULs included)
 *   json=.p=v       the value's text: strings unescaped, the rest as written
 *   expect-header=  name case-insensitive, value exact after trimming
 *   min-bytes=      default 1, except for HEAD, 204 and 3xx answers, which
 *                   carry no content; an explicit min-bytes= always applies
 *   host=           the Host header; for https also SNI and the name the
 *                   certificate must carry (URL rewritten, CONNECT_TO keeps
 *                   the connection on the URL's address)
 *   cacert=         else $SSL_CERT_FILE, else libcurl's default and the CA
 *                   bundles of common base images; $SSL_CERT_DIR as CA folder
 * A body is kept up to HTTP_BODY_MAX; past it the transfer stops and the
 * check is judged on what arrived, with a warning.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_received */
#include <netinet/in.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "http_match.h"
#include "json.h"
#include "report.h"
#include "tls.h"

#ifndef PROBE_VERSION
#define PROBE_VERSION "dev"
#endif

/* Redirects followed with follow=yes. */
#define HTTP_MAX_REDIRS 10
/* Connection sockets tracked for the bytes-received count. */
#define HTTP_MAX_FDS 8

static const char *const http_names[] = { "http", "https", NULL };

/* Set by http_start; a run whose libcurl init failed fails each check. */
static int http_curl_ready;
static const char *const http_keys[] = {
	"status", "body", "body~", "json",   "header",  "expect-header", "method",
	"min-bytes", "insecure", "cacert", "host", "follow", NULL,
};

/* An expect-header=Name[:Value] option. */
struct http_expect_hdr {
	char *name;  /* owned; NUL-terminated */
	char *value; /* inside the same allocation as name; NULL: presence */
};

/* What parse makes of a check; read-only while the check runs. */
struct http_priv {
	char *url;                     /* what libcurl fetches */
	int https;
	int literal;                   /* the host is an IP address: no DNS */
	struct curl_slist *headers;    /* header= and host= */
	struct curl_slist *connect_to; /* https with host=: the real address */
	struct http_status_spec status;
	const char **bodies;           /* body= values, borrowed from c->opts */
	size_t nbodies;
	regex_t re;                    /* body~= */
	const char *re_text;           /* NULL without body~= */
	struct http_json_expect *json; /* json= options, pointing into c->opts */
	size_t njson;
	struct http_expect_hdr *xh;
	size_t nxh;
	char method[16];
	int head;
	long long min_bytes;
	int min_bytes_set; /* min-bytes= given: it applies to every status */
	int follow, insecure;
	char *cacert;            /* cacert= or $SSL_CERT_FILE; NULL: search */
	const char *cacert_from; /* "cacert=" or "SSL_CERT_FILE", for messages */
	char *capath;            /* $SSL_CERT_DIR, or NULL */
};

/* What one transfer saw; lives on http_run's stack. */
struct http_xfer {
	const struct http_priv *h;
	char *body; /* NUL-terminated; HTTP_BODY_MAX at most */
	size_t len, cap;
	int cut;    /* the body went on past HTTP_BODY_MAX */
	int oom;
	size_t header_bytes;
	struct http_xh_seen {
		int found;
		char value[96];
	} *seen; /* one per expect-header, reset at each status line */
	struct {
		int fd; /* -1 once closed */
		unsigned long long bytes;
	} fds[HTTP_MAX_FDS];
	size_t nfds;
	int wire_known; /* the kernel reported tcpi_bytes_received */
};

/* CA bundles of the common base images, tried in order when neither
 * cacert= nor SSL_CERT_FILE names one. */
static const char *const http_ca_files[] = {
	"/etc/ssl/certs/ca-certificates.crt",                /* Debian, Ubuntu, Alpine */
	"/etc/pki/tls/certs/ca-bundle.crt",                  /* Fedora, RHEL */
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", /* RHEL 7+ */
	"/etc/ssl/ca-bundle.pem",                            /* openSUSE */
	"/etc/ssl/cert.pem",                                 /* Alpine, macOS */
	"/etc/pki/tls/cacert.pem",                           /* OpenELEC */
	NULL,
};

static void http_priv_free(struct http_priv *h)
{
	size_t i;

	if (!h)
		return;
	free(h->url);
	curl_slist_free_all(h->headers);
	curl_slist_free_all(h->connect_to);
	free(h->bodies);
	if (h->re_text)
		regfree(&h->re);
	free(h->json);
	for (i = 0; i < h->nxh; i++)
		free(h->xh[i].name);
	free(h->xh);
	free(h->cacert);
	free(h->capath);
	free(h);
}

static void http_free(struct check *c)
{
	http_priv_free(c->priv);
	c->priv = NULL;
}

/* Appends a copy of line to *list.  Returns 0, or -1 when out of memory. */
static int http_slist_add(struct curl_slist **list, const char *line)
{
	struct curl_slist *l = curl_slist_append(*list, line);

	if (!l)
		return -1;
	*list = l;
	return 0;
}

/* Registers the password of a URL (raw and percent-decoded) as secret. */
static void http_secret_password(const char *url, const struct http_url *u)
{
	char raw[256], dec[256];
	size_t i, k = 0;

	if (!u->has_pass || u->pass_len == 0 || u->pass_len >= sizeof(raw))
		return;
	memcpy(raw, url + u->pass_off, u->pass_len);
	raw[u->pass_len] = '\0';
	secret_add(raw);
	for (i = 0; raw[i]; i++) {
		unsigned int ch;

		if (raw[i] == '%' && sscanf(raw + i + 1, "%2x", &ch) == 1 &&
		    raw[i + 1] && raw[i + 2]) {
			dec[k++] = (char)ch;
			i += 2;
		} else {
			dec[k++] = raw[i];
		}
	}
	dec[k] = '\0';
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
	char line[600], url[4096];
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
	snprintf(line, sizeof(line), "%s%s%s:%d:%s%s%s:%d", strchr(hep.host, ':') ? "[" : "",
		 hep.host, strchr(hep.host, ':') ? "]" : "", u->port, u->ipv6 ? "[" : "",
		 u->host, u->ipv6 ? "]" : "", u->port);
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

static int http_parse_opts(struct check *c, struct http_priv *h, const struct http_url *u,
			   struct probe_err *err)
{
	const char *v;
	char why[320];
	int rc;

	v = check_opt_get(c, "status");
	if (!v)
		http_status_default(&h->status);
	else if (http_status_parse(v, &h->status, why, sizeof(why)) < 0)
		return probe_err_set(err, EXIT_USAGE, "%s: status=%s", c->name, why);
	if (http_parse_repeated(c, h, err) < 0 || http_parse_method(c, h, err) < 0)
		return -1;
	v = check_opt_get(c, "body~");
	if (v) {
		rc = regcomp(&h->re, v, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &h->re, why, sizeof(why));
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

static int http_parse(struct check *c, struct probe_err *err)
{
	struct http_priv *h;
	struct http_url u;
	struct in_addr v4;
	char why[256];

	if (strcmp(c->scheme, "http") != 0 && strcmp(c->scheme, "https") != 0)
		return probe_err_set(err, EXIT_USAGE,
				     "%s: unknown scheme '%s:' (http: and https: take no "
				     "+suffix)",
				     c->name, c->scheme);
	if (http_url_parse(c->word, &u, why, sizeof(why)) < 0)
		return probe_err_set(err, EXIT_USAGE, "%s: %s", c->name, why);
	http_secret_password(c->word, &u);
	snprintf(c->ep.host, sizeof(c->ep.host), "%s", u.host);
	c->ep.port = u.port;
	c->ep.local = host_is_local(u.host);

	h = calloc(1, sizeof(*h));
	if (!h)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	h->https = u.https;
	h->literal = u.ipv6 || inet_pton(AF_INET, u.host, &v4) == 1;
	h->url = strdup(c->word);
	if (!h->url) {
		probe_err_set(err, EXIT_CONFIG, "out of memory");
		goto fail;
	}
	if (http_parse_opts(c, h, &u, err) < 0)
		goto fail;
	c->uses_tls = h->https || h->follow;
	c->priv = h;
	return 0;
fail:
	http_priv_free(h);
	return -1;
}

/* "N byte(s)" for messages. */
static const char *http_plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

/* Reads the kernel's count of bytes received on fd into slot i. */
static void http_sample_fd(struct http_xfer *x, size_t i)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	size_t need = offsetof(struct tcp_info, tcpi_bytes_received) +
		      sizeof(ti.tcpi_bytes_received);

	if (x->fds[i].fd < 0)
		return;
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(x->fds[i].fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && len >= need) {
		x->fds[i].bytes = ti.tcpi_bytes_received;
		x->wire_known = 1;
	}
}

static void http_sample_all(struct http_xfer *x)
{
	size_t i;

	for (i = 0; i < x->nfds; i++)
		http_sample_fd(x, i);
}

/* Bytes received on the wire over every connection of the transfer. */
static unsigned long long http_wire_bytes(const struct http_xfer *x)
{
	unsigned long long sum = 0;
	size_t i;

	for (i = 0; i < x->nfds; i++)
		sum += x->fds[i].bytes;
	return sum;
}

/* CURLOPT_SOCKOPTFUNCTION: remembers each connection's socket. */
static int http_on_sockopt(void *ud, curl_socket_t fd, curlsocktype purpose)
{
	struct http_xfer *x = ud;

	if (purpose == CURLSOCKTYPE_IPCXN && x->nfds < HTTP_MAX_FDS) {
		x->fds[x->nfds].fd = fd;
		x->fds[x->nfds].bytes = 0;
		x->nfds++;
	}
	return CURL_SOCKOPT_OK;
}

/* CURLOPT_CLOSESOCKETFUNCTION: takes a last count, then closes.  Forgetting
 * the fd here keeps a later sample off a number the kernel reuses. */
static int http_on_close(void *ud, curl_socket_t fd)
{
	struct http_xfer *x = ud;
	size_t i;

	for (i = 0; i < x->nfds; i++) {
		if (x->fds[i].fd == fd) {
			http_sample_fd(x, i);
			x->fds[i].fd = -1;
		}
	}
	return close(fd);
}

/* CURLOPT_XFERINFOFUNCTION: called while the transfer waits or moves. */
static int http_on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow,
			    curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	http_sample_all(ud);
	return 0;
}

/* CURLOPT_WRITEFUNCTION: keeps the body up to HTTP_BODY_MAX, then stops
 * the transfer (a short count makes libcurl end with CURLE_WRITE_ERROR). */
static size_t http_on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb;
	size_t take = n < HTTP_BODY_MAX - x->len ? n : HTTP_BODY_MAX - x->len;

	if (x->len + take + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 16384;
		char *b;

		while (cap < x->len + take + 1)
			cap *= 2;
		if (cap > HTTP_BODY_MAX + 1)
			cap = HTTP_BODY_MAX + 1;
		b = realloc(x->body, cap);
		if (!b) {
			x->oom = 1;
			return 0;
		}
		x->body = b;
		x->cap = cap;
	}
	memcpy(x->body + x->len, ptr, take);
	x->len += take;
	x->body[x->len] = '\0';
	if (take < n)
		x->cut = 1;
	return take;
}

/* CURLOPT_HEADERFUNCTION: records expect-header matches.  A status line
 * starts a new response (an interim 1xx, or the next hop of a redirect):
 * only the last response counts. */
static size_t http_on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb, i;

	x->header_bytes += n;
	if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
		for (i = 0; i < x->h->nxh; i++)
			x->seen[i].found = 0;
		x->len = 0;
		x->cut = 0;
		return n;
	}
	for (i = 0; i < x->h->nxh; i++) {
		const char *name = x->h->xh[i].name, *v;
		size_t vlen;

		if (http_header_line_match(ptr, n, name, strlen(name), &v, &vlen)) {
			x->seen[i].found = 1;
			snprintf(x->seen[i].value, sizeof(x->seen[i].value), "%.*s", (int)vlen,
				 v);
		}
	}
	return n;
}

/* Finds the CA bundle to verify with: cacert=/SSL_CERT_FILE, else the
 * first readable file of libcurl's default and http_ca_files.  Returns the
 * path, or NULL when none is there (a CA folder may still serve). */
static const char *http_find_ca(const struct http_priv *h)
{
	const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
	size_t i;

	if (h->cacert)
		return h->cacert;
	if (vi->age >= CURLVERSION_SEVENTH && vi->cainfo && access(vi->cainfo, R_OK) == 0)
		return vi->cainfo;
	for (i = 0; http_ca_files[i]; i++)
		if (access(http_ca_files[i], R_OK) == 0)
			return http_ca_files[i];
	return NULL;
}

/* The CA folder to verify with, or NULL. */
static const char *http_find_capath(const struct http_priv *h)
{
	const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
	struct stat st;

	if (h->capath)
		return h->capath;
	if (vi->age >= CURLVERSION_SEVENTH && vi->capath && stat(vi->capath, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return vi->capath;
	return NULL;
}

/* Sets the trust store on curl.  Returns 0, or -1 with res failed. */
static int http_setup_tls(const struct check *c, CURL *curl, struct check_result *res)
{
	const struct http_priv *h = c->priv;
	const char *ca, *capath;
	char msg[128];

	if (h->insecure) {
		curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
		return 0;
	}
	if (h->cacert && access(h->cacert, R_OK) != 0) {
		strerror_r(errno, msg, sizeof(msg));
		result_fail(res, HINT_TLS_NO_CA, "cannot read the CA file %s (%s): %s",
			    h->cacert, h->cacert_from, msg);
		return -1;
	}
	ca = http_find_ca(h);
	capath = http_find_capath(h);
	if (!ca && !capath && h->https) {
		result_fail(res, HINT_TLS_NO_CA,
			    "no CA certificates to verify %s with (looked for %s and %zu "
			    "more)",
			    c->ep.host, http_ca_files[0],
			    sizeof(http_ca_files) / sizeof(http_ca_files[0]) - 2);
		return -1;
	}
	/* Set both: libcurl's built-in default may name a file this image
	 * lacks, and a missing CA file fails even when a folder would do. */
	curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
	curl_easy_setopt(curl, CURLOPT_CAPATH, capath);
	return 0;
}

/* Sets every option of one transfer. */
static void http_setup(const struct check *c, CURL *curl, struct http_xfer *x,
		       char *errbuf, long left_ms)
{
	const struct http_priv *h = c->priv;

	curl_easy_setopt(curl, CURLOPT_URL, h->url);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	/* Worker threads: no SIGALRM around name resolution. */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, left_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, left_ms);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS,
			 (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(curl, CURLOPT_PROXY, "");
	curl_easy_setopt(curl, CURLOPT_HTTP09_ALLOWED, 0L);
	/* One request: closing the connection at the end (rather than caching
	 * it) also keeps http_on_close within the transfer. */
	curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, (long)h->follow);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, (long)HTTP_MAX_REDIRS);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "probe/" PROBE_VERSION);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	if (h->headers)
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h->headers);
	if (h->connect_to)
		curl_easy_setopt(curl, CURLOPT_CONNECT_TO, h->connect_to);
	if (h->head) {
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	} else if (strcmp(h->method, "GET") != 0) {
		/* An empty body, so POST and PUT send Content-Length: 0. */
		if (strcmp(h->method, "POST") == 0 || strcmp(h->method, "PUT") == 0 ||
		    strcmp(h->method, "PATCH") == 0) {
			curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
			curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
		}
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, h->method);
	}
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(curl, CURLOPT_SOCKOPTFUNCTION, http_on_sockopt);
	curl_easy_setopt(curl, CURLOPT_SOCKOPTDATA, x);
	curl_easy_setopt(curl, CURLOPT_CLOSESOCKETFUNCTION, http_on_close);
	curl_easy_setopt(curl, CURLOPT_CLOSESOCKETDATA, x);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, http_on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
}

/* Bytes that arrived, for a timeout message: on the wire (TCP_INFO) for
 * http, where even a cut status line counts; decrypted headers and body
 * for https, where the wire also carries the TLS handshake. */
static unsigned long long http_bytes_seen(const struct http_xfer *x)
{
	if (!x->h->https && x->wire_known)
		return http_wire_bytes(x);
	return x->header_bytes + x->len;
}

/* Fills res for a transfer that ended with rc != CURLE_OK. */
static void http_fail_transfer(const struct check *c, CURL *curl, CURLcode rc,
			       const struct http_xfer *x, const char *errbuf, long long ms,
			       long code, struct check_result *res)
{
	const char *host = c->ep.host;
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
	unsigned long long got = http_bytes_seen(x);
	curl_off_t t_dns = 0, t_conn = 0, t_tls = 0;
	long oserr = 0;
	char addr[300];

	snprintf(addr, sizeof(addr), "%s%s%s:%d", strchr(host, ':') ? "[" : "", host,
		 strchr(host, ':') ? "]" : "", c->ep.port);
	curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &oserr);
	curl_easy_getinfo(curl, CURLINFO_NAMELOOKUP_TIME_T, &t_dns);
	curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &t_conn);
	curl_easy_getinfo(curl, CURLINFO_APPCONNECT_TIME_T, &t_tls);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		result_fail(res, HINT_DNS, "cannot resolve %s", host);
		if (strcmp(host, "localhost") == 0 && access("/etc/hosts", F_OK) != 0)
			result_hint(res, HINT_DNS_NO_HOSTS);
		break;
	case CURLE_COULDNT_CONNECT:
		if (oserr == ECONNREFUSED && c->ep.local)
			result_fail(res, HINT_REFUSED,
				    "connection refused: nothing listens on port %d (%s)",
				    c->ep.port, addr);
		else if (oserr == ECONNREFUSED)
			result_fail(res, HINT_REFUSED, "connection refused by %s", addr);
		else if (oserr == EHOSTUNREACH || oserr == ENETUNREACH ||
			 oserr == EADDRNOTAVAIL)
			result_fail(res, HINT_UNREACHABLE, "%s is unreachable: %s", addr, why);
		else if (oserr == ETIMEDOUT)
			result_fail(res, HINT_TIMEOUT, "connect to %s timed out after %lld ms",
				    addr, ms);
		else
			result_fail(res, HINT_NONE, "cannot connect to %s: %s", addr, why);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (t_dns == 0 && !x->h->literal)
			result_fail(res, HINT_DNS, "resolving %s timed out after %lld ms", host,
				    ms);
		else if (t_conn == 0)
			result_fail(res, HINT_TIMEOUT, "connect to %s timed out after %lld ms",
				    addr, ms);
		else if (x->h->https && t_tls == 0)
			result_fail(res, HINT_TIMEOUT,
				    "TLS handshake with %s timed out after %lld ms", addr, ms);
		else if (code == 0)
			result_fail(res, HINT_HTTP_SLOW,
				    "timed out after %lld ms waiting for the response (%llu "
				    "byte%s received)",
				    ms, got, http_plural(got));
		else
			result_fail(res, HINT_HTTP_SLOW,
				    "status %ld, then timed out after %lld ms reading the body "
				    "(%zu byte%s received)",
				    code, ms, x->len, http_plural(x->len));
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* "Received HTTP/0.9 when not allowed": bytes that are no status
		 * line.  Otherwise a redirect to another scheme. */
		if (code == 0 && strstr(why, "HTTP/0.9"))
			result_fail(res, HINT_HTTP_NOT_HTTP, "the answer is not HTTP: %s", why);
		else
			result_fail(res, HINT_HTTP_REDIRECT, "%s", why);
		break;
	case CURLE_WEIRD_SERVER_REPLY:
		result_fail(res, HINT_HTTP_NOT_HTTP, "the answer is not HTTP: %s", why);
		break;
	case CURLE_GOT_NOTHING:
		if (oserr == ECONNRESET)
			result_fail(res, HINT_HTTP_CLOSED,
				    "the server reset the connection without answering");
		else
			result_fail(res, HINT_HTTP_CLOSED,
				    "the server closed the connection without answering");
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (oserr == ECONNRESET || oserr == EPIPE)
			result_fail(res, HINT_HTTP_CLOSED,
				    "the server reset the connection (%llu byte%s received)", got,
				    http_plural(got));
		else
			result_fail(res, HINT_HTTP_CLOSED, "connection failed: %s", why);
		break;
	case CURLE_PARTIAL_FILE:
		result_fail(res, HINT_HTTP_CLOSED,
			    "status %ld, then the server closed the connection in the middle "
			    "of the body (%zu byte%s received)",
			    code, x->len, http_plural(x->len));
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		result_fail(res, HINT_TLS_VERIFY, "TLS certificate not trusted: %s", why);
		break;
	case CURLE_SSL_CACERT_BADFILE:
		result_fail(res, HINT_TLS_NO_CA, "cannot load the CA certificates: %s", why);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		result_fail(res, HINT_TLS_PLAIN, "TLS handshake with %s failed: %s", addr, why);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		result_fail(res, HINT_HTTP_REDIRECT, "more than %d redirects", HTTP_MAX_REDIRS);
		break;
	default:
		result_fail(res, HINT_NONE, "request failed: %s", why);
		break;
	}
}

/* The hint for an unexpected status. */
static enum hint_id http_status_hint(long code)
{
	if (code == 404)
		return HINT_HTTP_404_ROUTE;
	if (code >= 500)
		return HINT_HTTP_5XX;
	if (code >= 300 && code < 400)
		return HINT_HTTP_REDIRECT;
	return HINT_NONE;
}

/* Checks expect-header= against what the last response carried.  Returns
 * 0, or -1 with res failed. */
static int http_judge_headers(const struct http_priv *h, const struct http_xfer *x,
			      struct check_result *res)
{
	size_t i;

	for (i = 0; i < h->nxh; i++) {
		const struct http_expect_hdr *e = &h->xh[i];

		if (!x->seen[i].found) {
			result_fail(res, HINT_HTTP_HEADER, "no %s header in the response",
				    e->name);
			return -1;
		}
		if (e->value && strcmp(x->seen[i].value, e->value) != 0) {
			result_fail(res, HINT_HTTP_HEADER, "header %s is \"%s\", expected \"%s\"",
				    e->name, x->seen[i].value, e->value);
			return -1;
		}
	}
	return 0;
}

/* Checks the body: size, text, regex, JSON.  Returns 0, or -1 with res
 * failed. */
static int http_judge_body(const struct http_priv *h, const struct http_xfer *x, long code,
			   struct check_result *res)
{
	/* The default min-bytes=1 asks for content; a redirect, 204 or 304
	 * has none by definition.  An explicit min-bytes= still applies. */
	long long min = h->min_bytes;
	const char *body = x->body ? x->body : "";
	char ex[HTTP_EXCERPT * 2], msg[256];
	struct json_doc doc;
	struct json_error jerr;
	size_t i;
	int bad = 0;

	if (!h->min_bytes_set && ((code >= 300 && code < 400) || code == 204))
		min = 0;
	http_excerpt(body, x->len, ex, sizeof(ex));
	if ((long long)x->len < min) {
		if (x->len == 0)
			result_fail(res, HINT_HTTP_EMPTY,
				    "empty body (0 bytes), expected at least %lld", min);
		else
			result_fail(res, HINT_HTTP_EMPTY,
				    "body has %zu byte%s, expected at least %lld", x->len,
				    http_plural(x->len), min);
		return -1;
	}
	for (i = 0; i < h->nbodies; i++) {
		if (!http_body_contains(body, x->len, h->bodies[i])) {
			result_fail(res, HINT_HTTP_BODY,
				    "body does not contain \"%.60s\" (it begins: %s)", h->bodies[i],
				    ex);
			return -1;
		}
	}
	if (h->re_text && !http_body_regex(&h->re, body, x->len)) {
		result_fail(res, HINT_HTTP_BODY, "body does not match /%.60s/ (it begins: %s)",
			    h->re_text, ex);
		return -1;
	}
	if (h->njson == 0)
		return 0;
	if (json_parse(&doc, body, x->len, &jerr) < 0) {
		result_fail(res, HINT_HTTP_BODY, "body is not JSON: %s at byte %zu (it begins: %s)",
			    jerr.msg, jerr.offset, ex);
		json_free(&doc);
		return -1;
	}
	for (i = 0; i < h->njson && !bad; i++) {
		if (http_json_judge(&doc, &h->json[i], msg, sizeof(msg)) < 0) {
			result_fail(res, HINT_HTTP_BODY, "%s", msg);
			bad = 1;
		}
	}
	json_free(&doc);
	return bad ? -1 : 0;
}

/* The time libcurl gets: what is left of dl (the runner already keeps its
 * margin), at least 1 ms: 0 would mean "no timeout" to libcurl. */
static long http_budget_ms(int64_t left)
{
	return left < 1 ? 1L : (long)left;
}

static void http_run(const struct check *c, const struct deadline *dl,
		     struct check_result *res)
{
	const struct http_priv *h = c->priv;
	char errbuf[CURL_ERROR_SIZE];
	int64_t t0 = deadline_now_ns();
	struct http_xfer x;
	CURL *curl = NULL;
	CURLcode rc;
	long code = 0;
	long long ms;
	size_t i;

	if (!http_curl_ready) {
		result_fail(res, HINT_NONE, "cannot initialise libcurl");
		return;
	}
	memset(&x, 0, sizeof(x));
	errbuf[0] = '\0';
	x.h = h;
	for (i = 0; i < HTTP_MAX_FDS; i++)
		x.fds[i].fd = -1;
	if (h->nxh && !(x.seen = calloc(h->nxh, sizeof(*x.seen)))) {
		result_fail(res, HINT_NONE, "out of memory");
		return;
	}
	curl = curl_easy_init();
	if (!curl) {
		result_fail(res, HINT_NONE, "cannot start a libcurl transfer (out of memory)");
		goto done;
	}
	if ((h->https || h->follow) && http_setup_tls(c, curl, res) < 0)
		goto done;
	http_setup(c, curl, &x, errbuf, http_budget_ms(deadline_left_ms(dl)));
	rc = curl_easy_perform(curl);
	http_sample_all(&x);
	ms = (long long)((deadline_now_ns() - t0) / 1000000);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (code > 0) {
		detail_int(res, "status", code);
		detail_int(res, "bytes", (long long)x.len);
	}
	if (h->follow) {
		char *eff = NULL;

		if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
			detail_str(res, "url_effective", eff);
	}
	if (rc == CURLE_WRITE_ERROR && x.oom) {
		result_fail(res, HINT_NONE, "out of memory reading the body");
		goto done;
	}
	/* Stopped at HTTP_BODY_MAX on purpose: judge what arrived. */
	if (rc == CURLE_WRITE_ERROR && x.cut)
		rc = CURLE_OK;
	if (rc != CURLE_OK) {
		http_fail_transfer(c, curl, rc, &x, errbuf, ms, code, res);
		goto done;
	}
	if (!http_status_match(&h->status, (int)code)) {
		result_fail(res, http_status_hint(code), "status %ld, expected %s", code,
			    h->status.text);
		goto done;
	}
	if (http_judge_headers(h, &x, res) < 0 || http_judge_body(h, &x, code, res) < 0)
		goto done;
	if (x.cut)
		result_warn(res, "body cut at 1 MiB: judged on its first %d bytes", HTTP_BODY_MAX);
	result_pass(res);
done:
	/* Cleanup may still close sockets through http_on_close: x lives on. */
	curl_easy_cleanup(curl);
	free(x.body);
	free(x.seen);
}

static void http_start(void)
{
	tls_start();
	http_curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static void http_stop(void)
{
	if (http_curl_ready)
		curl_global_cleanup();
	http_curl_ready = 0;
}

const struct check_kind check_http = {
	.names = http_names,
	.keys = http_keys,
	.layer = LAYER_APP,
	.level = LEVEL_LIVE,
	.url_target = 1,
	.parse = http_parse,
	.run = http_run,
	.free = http_free,
	.start = http_start,
	.stop = http_stop,
};
