/*
 * http.c - http:// and https://: the app answers a request as expected.
 *
 * One libcurl easy handle per run, bounded by the check's deadline.  The
 * answer is judged by the pure functions of http_match.c: status, then
 * expected headers, then body size, body text, body regex, JSON values.
 * This file is the flow; http_opts.c reads the options, http_xfer.c runs
 * the transfer, http_judge.c gives the verdict (shared: http_priv.h).
 *
 * libcurl's global state.  curl_global_init must run once before libcurl
 * is used: the first http check to run does it (pthread_once, as mysql.c
 * does for Connector/C), in whatever thread the runner gave it - the main
 * thread for a lone check, so that one pays for no thread.  Checks of
 * other kinds may run meanwhile and are not held up (a PostgreSQL login
 * overlaps it): libcurl 7.84+ makes global init thread-safe when
 * curl_version_info has CURL_VERSION_THREADSAFE, and OpenSSL's init is.
 * It is never undone: the process ends soon after its last check (probe
 * wait and serve run many, and keep it), and what it holds stays
 * reachable from libcurl's and OpenSSL's globals.  The flags cannot limit
 * TLS to runs with an https check: since libcurl 7.57 CURL_GLOBAL_SSL is
 * ignored and global_init always initialises the TLS backend (7.88
 * lib/easy.c).  What can be limited is OpenSSL's share of it: parse marks
 * a check that may speak TLS (https, or follow=yes), and tls_start
 * (lib/tls.c), called first, initialises OpenSSL lean when no check of the
 * run may.  A run without http checks never touches libcurl.
 *
 * Proxies: probe talks to the endpoint itself.  http_proxy, HTTPS_PROXY
 * and ALL_PROXY in the container's environment are ignored, since a health
 * check of 127.0.0.1 sent through a proxy would test the proxy.
 *
 * The URL.  http_url_parse (its authority read by lib/url.c, as every
 * authority is) is the check's one reading of it: the host and port the
 * runner and the messages name, the password the mask knows.  libcurl is
 * handed the word as a string (CURLOPT_URL) and reads it again, rather
 * than a CURLU (CURLOPT_CURLU): a CURLU made from the string is the same
 * parse done here instead, and libcurl 7.88 then copies it and writes it
 * back to a string at each transfer (some 900 instructions more a run);
 * one made part by part from probe's reading would skip what libcurl does
 * to a whole URL (dot segments, the fragment, the case of %-escapes), a
 * different request line.  What probe accepts, libcurl reads alike: names
 * of unreserved bytes or a checked IPv6 address, ports 1-65535
 * (tests/unit/test_http.c holds both to it).  One difference is known: a
 * password with an unescaped '@' probe reads up to the last '@', libcurl
 * up to the first, and it then refuses the rest as a host, so that check
 * fails with libcurl's "URL using bad/illegal format"; %40 works in both.
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
#include <netinet/in.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/check.h"
#include "checks/http/http_priv.h"
#include "lib/tls.h"

static const char *const http_names[] = { "http", "https", NULL };

static const char *const http_keys[] = {
	"status", "body", "body~", "json",   "header",  "expect-header", "method",
	"min-bytes", "insecure", "cacert", "host", "follow", NULL,
};

void http_priv_free(struct http_priv *h)
{
	size_t i;

	if (!h)
		return;
	free(h->url);
	curl_slist_free_all(h->headers);
	curl_slist_free_all(h->connect_to);
	free(h->bodies);
	rx_free(h->re);
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

static pthread_once_t http_once = PTHREAD_ONCE_INIT;
/* Set by http_init; a process whose libcurl init failed fails each check. */
static int http_curl_ready;

/* libcurl's global init, once a process, by the first check to run.
 * OpenSSL first: its start-up is probe's to decide (lib/tls.h). */
static void http_init(void)
{
	tls_start();
	http_curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
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
	struct http_xfer x;
	CURL *curl = NULL;
	CURLcode rc;
	long code = 0;
	int64_t t0;
	long long ms;
	size_t i;

	pthread_once(&http_once, http_init);
	t0 = deadline_now_ns(); /* the transfer's time, as the messages give it */
	if (!http_curl_ready) {
		result_fail(res, HINT_NONE, "cannot initialise libcurl");
		return;
	}
	memset(&x, 0, sizeof(x));
	errbuf[0] = '\0';
	x.h = h;
	x.end_ns = dl->end_ns;
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

const struct check_kind check_http = {
	.names = http_names,
	.keys = http_keys,
	.layer = LAYER_APP,
	.level = LEVEL_LIVE,
	.flags = KIND_URL_TARGET | KIND_BOUNDED,
	.help = "http://... https://...    status 200-399; status=CODE|LIST|2xx|200-299\n"
		"body=TEXT body~=REGEX json=.path=value\n"
		"header=Name:Value (sent) expect-header=Name:Value\n"
		"method= min-bytes= (default 1) follow=yes\n"
		"insecure=yes cacert=PATH host=NAME",
	.parse = http_parse,
	.run = http_run,
	.free = http_free,
	.discover = http_discover,
};
