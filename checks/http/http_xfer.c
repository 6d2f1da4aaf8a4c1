/*
 * http_xfer.c - one libcurl transfer of an http check: its options, the
 * trust store, and the callbacks that keep the body, record expected
 * headers and count the bytes received on each connection.
 */
#include <curl/curl.h>
#include <errno.h>
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_received */
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/check.h"
#include "checks/http/http_priv.h"

#ifndef PROBE_VERSION
#define PROBE_VERSION "dev"
#endif

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

/* Reads the kernel's count of bytes received on fd into slot i. */
/* tcpi_state values (the kernel's include/net/tcp_states.h), which
 * linux/tcp.h does not name. */
#define HTTP_TCP_SYN_SENT 2
#define HTTP_TCP_CLOSE 7

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
		/* The handshake completed once, whatever came after: a
		 * timeout past it is TLS's or the server's, not connect's. */
		if (ti.tcpi_state != HTTP_TCP_SYN_SENT && ti.tcpi_state != HTTP_TCP_CLOSE)
			x->tcp_up = 1;
	}
}

void http_sample_all(struct http_xfer *x)
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
int http_setup_tls(const struct check *c, CURL *curl, struct check_result *res)
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
void http_setup(const struct check *c, CURL *curl, struct http_xfer *x,
		       char *errbuf, long left_ms)
{
	const struct http_priv *h = c->priv;

	/* A string, not a CURLU: http.c says why. */
	curl_easy_setopt(curl, CURLOPT_URL, h->url);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	/* Worker threads: no SIGALRM around name resolution. */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, left_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, left_ms);
#if LIBCURL_VERSION_NUM >= 0x075700
	/* A name lookup still blocked in libcurl's resolver thread at the
	 * deadline is left behind, not joined: without this, ending the
	 * transfer waits for getaddrinfo (10 s and more against a resolver
	 * that never answers), whatever CURLOPT_TIMEOUT_MS said. */
	curl_easy_setopt(curl, CURLOPT_QUICK_EXIT, 1L);
#endif
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
unsigned long long http_bytes_seen(const struct http_xfer *x)
{
	if (!x->h->https && x->wire_known)
		return http_wire_bytes(x);
	return x->header_bytes + x->len;
}

unsigned long long http_wire_seen(const struct http_xfer *x)
{
	return x->wire_known ? http_wire_bytes(x) : x->header_bytes + x->len;
}
