/*
 * http_judge.c - the verdict on one transfer of an http check: why a
 * transfer failed (DNS, connect, TLS, timeouts by phase, closed
 * connections), then the status, the expected headers and the body,
 * judged by the pure functions of http_match.c.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe/check.h"
#include "checks/http/http_priv.h"
#include "lib/json.h"
#include "lib/url.h"

/* "N byte(s)" for messages. */
static const char *http_plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

/* Fills res for a transfer that ended with rc != CURLE_OK. */
void http_fail_transfer(const struct check *c, CURL *curl, CURLcode rc,
			       const struct http_xfer *x, const char *errbuf, long long ms,
			       long code, struct check_result *res)
{
	const char *host = c->ep.host;
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
	unsigned long long got = http_bytes_seen(x);
	curl_off_t t_dns = 0, t_conn = 0, t_tls = 0;
	long oserr = 0;
	char addr[300];

	url_hostport(addr, sizeof(addr), host, c->ep.port);
	curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &oserr);
	curl_easy_getinfo(curl, CURLINFO_NAMELOOKUP_TIME_T, &t_dns);
	curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &t_conn);
	curl_easy_getinfo(curl, CURLINFO_APPCONNECT_TIME_T, &t_tls);
	/* Headers without end: libcurl stops at its cap, with "Too large
	 * response headers" (7.88) or, in builds that run out first, "Out of
	 * memory".  Say what the server did. */
	if ((rc == CURLE_RECV_ERROR && strstr(why, "Too large response headers")) ||
	    (rc == CURLE_OUT_OF_MEMORY && code == 0 && x->header_bytes > 0)) {
		result_fail(res, HINT_HTTP_NOT_HTTP,
			    "the response headers did not end: the server sent %llu KiB of "
			    "them",
			    (unsigned long long)(http_wire_seen(x) / 1024));
		return;
	}
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
		else if (t_conn == 0 && !x->tcp_up)
			result_fail(res, HINT_TIMEOUT, "connect to %s timed out after %lld ms",
				    addr, ms);
		else if (x->h->https && t_tls == 0)
			result_fail(res, HINT_TLS_STALL,
				    "TLS handshake with %s timed out after %lld ms: the server "
				    "accepted the connection but did not finish the handshake "
				    "(%llu byte%s received)",
				    addr, ms, http_wire_seen(x), http_plural(http_wire_seen(x)));
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

/* The hint for an unexpected status: each code that has usual causes of
 * its own gets them; other 5xx (500 first) are the app's error. */
enum hint_id http_status_hint(long code)
{
	switch (code) {
	case 400:
		return HINT_HTTP_400;
	case 401:
		return HINT_HTTP_401;
	case 403:
		return HINT_HTTP_403;
	case 404:
		return HINT_HTTP_404_ROUTE;
	case 429:
		return HINT_HTTP_429;
	case 502:
	case 504:
		return HINT_HTTP_GATEWAY;
	case 503:
		return HINT_HTTP_503;
	default:
		break;
	}
	if (code >= 500)
		return HINT_HTTP_5XX;
	if (code >= 300 && code < 400)
		return HINT_HTTP_REDIRECT;
	return HINT_NONE;
}

/* Checks expect-header= against what the last response carried.  Returns
 * 0, or -1 with res failed. */
int http_judge_headers(const struct http_priv *h, const struct http_xfer *x,
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
int http_judge_body(const struct http_priv *h, const struct http_xfer *x, long code,
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
	if (h->re_text) {
		int m = http_body_regex(h->re, body, x->len, x->end_ns);

		if (m < 0) {
			result_fail(res, HINT_NONE,
				    "matching /%.60s/ against %zu bytes of body did not finish "
				    "in time",
				    h->re_text, x->len);
			return -1;
		}
		if (m == 0) {
			result_fail(res, HINT_HTTP_BODY,
				    "body does not match /%.60s/ (it begins: %s)", h->re_text, ex);
			return -1;
		}
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
