/*
 * url.h - the authority of a URL or an endpoint ([user[:password]@]host
 * [:port], IPv6 in brackets), its port, its %-escapes, and host:port
 * written back.  One reading and one wording for every parser that takes
 * a host and a port: database URLs (lib/dburl.c), http URLs and the
 * HOST:PORT of tcp://, listen:// and --listen.  Pure: no I/O, and nothing
 * of check kinds.
 */
#ifndef PROBE_URL_H
#define PROBE_URL_H

#include <stddef.h>

/* What is wrong with an authority.  url_strerror gives the one message for
 * each; none of them quotes the input, so none can hold a password. */
enum url_error {
	URL_OK = 0,
	URL_ERR_PORT,          /* not a number from 1 to 65535 */
	URL_ERR_PORT_EMPTY,    /* "host:" */
	URL_ERR_PORT_MISSING,  /* no port where one is required */
	URL_ERR_BRACKET,       /* "[::1" */
	URL_ERR_AFTER_BRACKET, /* "[::1]x" */
	URL_ERR_BARE_IPV6,     /* "::1:8000" */
	URL_ERR_IPV6,          /* "[zz::1]": no IPv6 address in the brackets */
	URL_ERR_NO_HOST,       /* "http://:8000/" */
	URL_ERR_HOST_LONG,     /* longer than the caller's buffer */
	URL_ERR_HOST_CHAR,     /* "ho st" */
	URL_ERR_RAW_PASSWORD   /* "u:Ab/c@h": a raw / ? # ended the authority */
};

/* The message for e ("port must be a number from 1 to 65535"); a static
 * string, "" for URL_OK. */
const char *url_strerror(enum url_error e);

/*
 * Did a password holding a raw '/', '?' or '#' end the authority early?
 * auth[0..n) is the authority as read (up to the first / ? #), rest what
 * follows it: yes when the authority has a ':' but no '@' and rest has an
 * '@'.  Returns that '@' in rest, or NULL.
 */
const char *url_raw_password(const char *auth, size_t n, const char *rest);

/* url_authority: the authority may begin with user[:password]@ (URLs do;
 * a bare HOST:PORT does not, and there '@' is part of the host). */
#define URL_USERINFO 1u

/*
 * An authority, split.  Spans point into the string given to url_authority
 * and are not NUL-terminated; user and password are still %-encoded.
 */
struct url_authority {
	const char *user;     /* NULL: no userinfo */
	size_t user_len;
	const char *password; /* NULL: no ':' in the userinfo */
	size_t password_len;
	const char *host;     /* without brackets; may be empty */
	size_t host_len;
	int bracketed;        /* the host was written in [ ] */
	int port;             /* 1-65535; 0 when absent */
};

/*
 * Splits the authority s[0..n) into *a: with URL_USERINFO, a userinfo up
 * to the last '@' (a password may hold '@'), its user up to the first ':';
 * then a host, bracketed when it is IPv6 ("[::1]", ":" after "]" or the
 * end); then ":PORT".  An empty host is no error here (":8000" is every
 * address to listen://); the host's bytes are not checked (url_host_check
 * does).  s[n] is the end of the string or the byte that ends the
 * authority ('/', '?', '#'), never a digit.  Returns URL_OK, or what is
 * wrong.
 */
enum url_error url_authority(const char *s, size_t n, unsigned flags, struct url_authority *a);

/* Checks a host as an http URL must write it: in brackets, an IPv6 address
 * with an optional zone ("%25eth0" as RFC 6874 writes it, or "%eth0");
 * else a non-empty name or IPv4 address of letters, digits, "-._~" and
 * %-escapes.  Returns URL_OK, URL_ERR_IPV6, URL_ERR_NO_HOST or
 * URL_ERR_HOST_CHAR. */
enum url_error url_host_check(const char *host, size_t len, int bracketed);

/* Reads the port s (NUL-terminated): digits only, 1-65535.  Returns it, or
 * 0 when s is anything else (empty, a sign, a space, 0, 65536). */
int url_port(const char *s);

/* url_decode: a '%' not followed by two hex digits is an error. */
#define URL_DECODE_STRICT 1u

/*
 * Decodes the %XX escapes of src[0..n) into dst (size cap, always
 * NUL-terminated when cap > 0).  With URL_DECODE_STRICT a malformed escape
 * is an error; without, it is kept as written, as libcurl decodes a URL's
 * user and password.  Returns the decoded length, or -1 when malformed or
 * when dst is too small.
 */
int url_decode(const char *src, size_t n, char *dst, size_t cap, unsigned flags);

/*
 * Writes host and port as URLs and messages show them: "[::1]:8000" when
 * host holds a ':' (an IPv6 address), "db:5432" otherwise; port 0 leaves
 * ":PORT" out ("[::1]").  Returns what snprintf returns: the length the
 * whole needs, so a result >= n means it was cut.
 */
int url_hostport(char *buf, size_t n, const char *host, int port);

#endif
