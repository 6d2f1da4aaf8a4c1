/*
 * http_match.h - the pure half of the http check: parsing its URL and
 * options, and judging an answer.  Functions over bytes, no I/O, so unit
 * tests feed them directly (tests/unit/test_http.c).
 */
#ifndef PROBE_HTTP_MATCH_H
#define PROBE_HTTP_MATCH_H

#include <stdint.h>

#include "lib/regex.h"
#include <stddef.h>

#include "lib/json.h"

/* The body kept for judging; past it the transfer stops (SPEC §6). */
#define HTTP_BODY_MAX (1024 * 1024)
/* Bytes of the body quoted in a failure message. */
#define HTTP_EXCERPT 40

/* status=: codes, ranges and classes, comma separated ("200", "200,204",
 * "2xx", "200-299", "2xx,404"). */
#define HTTP_STATUS_MAX_RANGES 16
struct http_status_spec {
	size_t n;
	struct {
		int lo, hi;
	} r[HTTP_STATUS_MAX_RANGES];
	char text[64]; /* as the user wrote it, for "expected ..." */
};

/* Parses a status spec (codes 100-599; "Nxx" for N in 1-5, either case).
 * Returns 0, or -1 with a reason in err. */
int http_status_parse(const char *s, struct http_status_spec *spec, char *err,
		      size_t errlen);
/* The default when status= is absent: 200-399. */
void http_status_default(struct http_status_spec *spec);
/* True when code is in spec. */
int http_status_match(const struct http_status_spec *spec, int code);

/*
 * An http:// or https:// URL, checked: scheme, then the authority as
 * lib/url.h reads it (optional user[:password]@, a host that is a name,
 * IPv4, or IPv6 in brackets with an optional %zone, optional port
 * 1-65535), then a path/query without spaces or control characters.
 * Offsets point into the URL given to http_url_parse.
 */
struct http_url {
	int https;
	char host[256];      /* without brackets */
	int ipv6;            /* host was bracketed */
	int port;            /* the explicit port, else 80 or 443 */
	int explicit_port;
	size_t auth_off;     /* start of host[:port], after any userinfo@ */
	size_t path_off;     /* start of the path, query or end of string */
	size_t user_off, user_len;
	int has_pass;
	size_t pass_off, pass_len;
};

/* Parses url into *u.  Returns 0, or -1 with a reason in err (which never
 * quotes the URL, so never its password). */
int http_url_parse(const char *url, struct http_url *u, char *err, size_t errlen);

/*
 * Builds into out (size n) the URL with its host[:port] replaced by
 * host (brackets added for IPv6) and the original port kept when explicit,
 * so TLS uses `host` for SNI and verification while CURLOPT_CONNECT_TO
 * sends the connection to the original address.  Returns 0, or -1 when it
 * does not fit.
 */
int http_url_with_host(const char *url, const struct http_url *u, const char *host,
		       char *out, size_t n);

/* A header=Name:Value option.  Name is an RFC 9110 token; the value is
 * trimmed and may be empty (libcurl then removes a header it would send);
 * CR, LF and other control characters are refused. */
struct http_header_opt {
	const char *name; /* points into the option */
	size_t namelen;
	const char *value; /* points into the option, after blanks */
	size_t valuelen;
};

/* Parses "Name:Value" (need_value) or "Name[:Value]" (value NULL when
 * absent).  Returns 0, or -1 with a reason in err. */
int http_header_parse(const char *s, int need_value, struct http_header_opt *h,
		      char *err, size_t errlen);
/* True when a header named name[0..len) carries a credential: Authorization,
 * Proxy-Authorization, Cookie, or a name containing token, key, secret,
 * auth, password or session (case-insensitive). */
int http_header_is_secret(const char *name, size_t len);
/* The credential in an Authorization value "Scheme credential" (Bearer,
 * Basic, Token ...): returns its offset in value, or 0 when the value has
 * no scheme word.  Both the whole value and this part are registered as
 * secrets, so an echo of the bare token is masked too. */
size_t http_auth_credential(const char *value);

/*
 * Matches one response header line (as libcurl's header callback hands
 * it: "Name: value\r\n", no NUL) against name.  Returns 1 when the name
 * matches case-insensitively, with *value and *valuelen the trimmed value;
 * 0 otherwise (status lines and blank lines never match).
 */
int http_header_line_match(const char *line, size_t len, const char *name,
			   size_t namelen, const char **value, size_t *valuelen);

/* True when needle occurs in body[0..len) (bytes, NUL allowed in body). */
int http_body_contains(const char *body, size_t len, const char *needle);
/* Does rx match somewhere in body[0..len) (NUL bytes included)?  1 yes,
 * 0 no, -1 when end_ns (CLOCK_MONOTONIC, 0 for none) passed first. */
int http_body_regex(const struct rx *rx, const char *body, size_t len, int64_t end_ns);
/* Writes the first HTTP_EXCERPT bytes of body into out (size n) for a
 * message: printable ASCII kept, every other byte as '.', "..." appended
 * when cut. */
void http_excerpt(const char *body, size_t len, char *out, size_t n);

/* A json=.path[=value] option; pointers into the option string. */
struct http_json_expect {
	const char *path;
	size_t pathlen;
	const char *value; /* NULL: the path only has to exist */
};

/* Parses a json= option.  Returns 0, or -1 with a reason in err. */
int http_json_expect_parse(const char *s, struct http_json_expect *e, char *err,
			   size_t errlen);
/*
 * Judges a parsed body against one expectation: the value at the path
 * must exist and, when a value is given, its textual form (json_text:
 * strings unescaped, numbers/true/false/null as written) must equal it.
 * Returns 0 when it holds, else -1 with a message in msg, like
 * `json .status is "degraded", expected "ok"` or `json .db is missing`.
 */
int http_json_judge(const struct json_doc *doc, const struct http_json_expect *e,
		    char *msg, size_t n);

#endif
