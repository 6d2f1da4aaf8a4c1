/*
 * http_priv.h - what the files of the http check share, and nothing else
 * includes:
 *
 *   http.c       the kind: parse entry, run, start/stop (the flow)
 *   http_opts.c  the options of a check word -> struct http_priv
 *   http_xfer.c  one libcurl transfer: options, trust store, callbacks,
 *                bytes received
 *   http_judge.c the verdict: a failed transfer, the status, the expected
 *                headers, the body
 *   http_match.c the pure parsing and matching all of them use
 */
#ifndef PROBE_HTTP_PRIV_H
#define PROBE_HTTP_PRIV_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/check.h"
#include "checks/http/http_match.h"

/* Redirects followed with follow=yes. */
#define HTTP_MAX_REDIRS 10
/* Connection sockets tracked for the bytes-received count. */
#define HTTP_MAX_FDS 8

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
	struct rx *re;                 /* body~= (lib/regex.h) */
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
	int tcp_up;	/* a connection got past the TCP handshake */
	int64_t end_ns; /* the check's deadline, for judging the body */
};

/* Frees h and all it owns; accepts NULL. */
void http_priv_free(struct http_priv *h);

/* http_opts.c */

/* Registers the password of url (parsed into u), raw and percent-decoded,
 * as secrets, so no report prints it. */
void http_secret_password(const char *url, const struct http_url *u);
/* Reads every option of c but the URL into h (calloc'ed, url set; on
 * failure the caller frees h with http_priv_free) and marks the repeatable
 * ones used.  Runs on the main thread (reads the environment).  Returns 0,
 * or -1 with err set (EXIT_USAGE for a bad option). */
int http_parse_opts(struct check *c, struct http_priv *h, const struct http_url *u,
		    struct probe_err *err);

/* http_xfer.c */

/* Sets the trust store of curl for c (insecure=, cacert=, the CA bundles
 * of common images).  Returns 0, or -1 with res failed. */
int http_setup_tls(const struct check *c, CURL *curl, struct check_result *res);
/* Sets every option of one transfer of c on curl: x receives what the
 * callbacks see (x must outlive curl_easy_cleanup, which may still close
 * sockets into it), errbuf (CURL_ERROR_SIZE) libcurl's message, left_ms
 * (at least 1) bounds it all. */
void http_setup(const struct check *c, CURL *curl, struct http_xfer *x, char *errbuf,
		long left_ms);
/* Takes the kernel's count of bytes received on each open socket of x;
 * call once the transfer has ended, before judging. */
void http_sample_all(struct http_xfer *x);
/* Bytes that arrived, for a timeout message: on the wire (TCP_INFO) for
 * http, decrypted headers and body for https. */
unsigned long long http_bytes_seen(const struct http_xfer *x);
/* Bytes that arrived on the wire, TLS records included (what a stalled
 * handshake got), where the kernel says; else as http_bytes_seen. */
unsigned long long http_wire_seen(const struct http_xfer *x);

/* http_judge.c */

/* Fills res (failed, with a hint) for a transfer of c that ended with
 * rc != CURLE_OK after ms, having seen status code (0: none) and x. */
void http_fail_transfer(const struct check *c, CURL *curl, CURLcode rc,
			const struct http_xfer *x, const char *errbuf, long long ms,
			long code, struct check_result *res);
/* The hint for a status that status= does not accept. */
enum hint_id http_status_hint(long code);
/* Checks expect-header= against what the last response carried.  Returns
 * 0, or -1 with res failed. */
int http_judge_headers(const struct http_priv *h, const struct http_xfer *x,
		       struct check_result *res);
/* Checks the body of an answer with status code: min-bytes=, body=,
 * body~=, json=.  Returns 0, or -1 with res failed. */
int http_judge_body(const struct http_priv *h, const struct http_xfer *x, long code,
		    struct check_result *res);

struct disc;

/* The http kind's discovery step (http_discover.c; discover/context.h):
 * http checks for $PORT and the ports the listen kind found.  Returns 0,
 * or -1 with d->err. */
int http_discover(struct disc *d);

#endif
