/*
 * url.c - the one reading of an authority, a port and a %-escape, and the
 * one way host:port is written.  See url.h.
 */
#include "lib/url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "lib/dec.h"
#include "lib/hex.h"

const char *url_strerror(enum url_error e)
{
	switch (e) {
	case URL_OK:
		break;
	case URL_ERR_PORT:
		return "port must be a number from 1 to 65535";
	case URL_ERR_PORT_EMPTY:
		return "':' without a port";
	case URL_ERR_PORT_MISSING:
		return "a port is required (HOST:PORT)";
	case URL_ERR_BRACKET:
		return "an IPv6 address needs a closing ']'";
	case URL_ERR_AFTER_BRACKET:
		return "expected ':PORT' after ']'";
	case URL_ERR_BARE_IPV6:
		return "write an IPv6 address in brackets, like [::1]:8000";
	case URL_ERR_IPV6:
		return "not an IPv6 address in [ ]";
	case URL_ERR_NO_HOST:
		return "no host in the URL";
	case URL_ERR_HOST_LONG:
		return "host name too long";
	case URL_ERR_HOST_CHAR:
		return "invalid character in the host";
	case URL_ERR_RAW_PASSWORD:
		return "a '/', '?' or '#' in the password must be percent-encoded (%2F, %3F, "
		       "%23)";
	}
	return "";
}

const char *url_raw_password(const char *auth, size_t n, const char *rest)
{
	if (memchr(auth, '@', n) || !memchr(auth, ':', n))
		return NULL;
	return strchr(rest, '@');
}

/* The port of s[0..end): digits only, 1-65535; 0 otherwise.  The byte at
 * end is not a digit (url_authority's contract), so dec_read stops there. */
static int url_port_span(const char *s, const char *end)
{
	unsigned long long v;
	const char *p = s;

	if (dec_read(&p, 65535, &v) < 0 || p != end || v == 0)
		return 0;
	return (int)v;
}

int url_port(const char *s)
{
	return s ? url_port_span(s, s + strlen(s)) : 0;
}

enum url_error url_authority(const char *s, size_t n, unsigned flags, struct url_authority *a)
{
	const char *end = s + n, *h = s, *colon;

	memset(a, 0, sizeof(*a));
	if ((flags & URL_USERINFO) && memchr(s, '@', n)) {
		const char *at = end - 1, *c;

		while (*at != '@') /* the last '@': a password may hold one */
			at--;
		c = memchr(s, ':', (size_t)(at - s));
		a->user = s;
		a->user_len = (size_t)((c ? c : at) - s);
		if (c) {
			a->password = c + 1;
			a->password_len = (size_t)(at - c - 1);
		}
		h = at + 1;
	}
	if (h < end && *h == '[') {
		const char *close = memchr(h, ']', (size_t)(end - h));

		if (!close)
			return URL_ERR_BRACKET;
		a->host = h + 1;
		a->host_len = (size_t)(close - h - 1);
		a->bracketed = 1;
		colon = close + 1 < end ? close + 1 : NULL;
		if (colon && *colon != ':')
			return URL_ERR_AFTER_BRACKET;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1)))
			return URL_ERR_BARE_IPV6;
		a->host = h;
		a->host_len = (size_t)((colon ? colon : end) - h);
	}
	if (colon) {
		if (colon + 1 == end)
			return URL_ERR_PORT_EMPTY;
		a->port = url_port_span(colon + 1, end);
		if (!a->port)
			return URL_ERR_PORT;
	}
	return URL_OK;
}

/* Is h[0..len) an IPv6 address with an optional zone? */
static int url_ipv6_ok(const char *h, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr in6;
	const char *pct = memchr(h, '%', len);
	size_t alen = pct ? (size_t)(pct - h) : len;
	size_t i;

	if (alen == 0 || alen >= sizeof(addr))
		return 0;
	memcpy(addr, h, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET6, addr, &in6) != 1)
		return 0;
	if (alen < len) {
		if (len - alen < 2)
			return 0;
		for (i = alen + 1; i < len; i++)
			if (!isalnum((unsigned char)h[i]) && !strchr("-._~%", h[i]))
				return 0;
	}
	return 1;
}

enum url_error url_host_check(const char *host, size_t len, int bracketed)
{
	size_t i;

	if (bracketed)
		return url_ipv6_ok(host, len) ? URL_OK : URL_ERR_IPV6;
	if (len == 0)
		return URL_ERR_NO_HOST;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)host[i];

		if (!isalnum(c) && c != '-' && c != '.' && c != '_' && c != '~' && c != '%')
			return URL_ERR_HOST_CHAR;
	}
	return URL_OK;
}

int url_decode(const char *src, size_t n, char *dst, size_t cap, unsigned flags)
{
	size_t i, o = 0;

	if (cap == 0)
		return -1;
	for (i = 0; i < n; i++) {
		int ch = (unsigned char)src[i];

		if (ch == '%') {
			int hi = i + 2 < n ? hex_digit((unsigned char)src[i + 1]) : -1;
			int lo = i + 2 < n ? hex_digit((unsigned char)src[i + 2]) : -1;

			if (hi >= 0 && lo >= 0) {
				ch = hi * 16 + lo;
				i += 2;
			} else if (flags & URL_DECODE_STRICT) {
				dst[o] = '\0';
				return -1;
			}
		}
		if (o + 1 >= cap) {
			dst[o] = '\0';
			return -1;
		}
		dst[o++] = (char)ch;
	}
	dst[o] = '\0';
	return (int)o;
}

/* Appends src[0..len) to buf (size n) at *at, as far as it fits (one byte
 * kept for the NUL); *at counts every byte, cut or not. */
static void url_put(char *buf, size_t n, size_t *at, const char *src, size_t len)
{
	if (*at + 1 < n) {
		size_t room = n - 1 - *at;

		memcpy(buf + *at, src, len < room ? len : room);
	}
	*at += len;
}

/* Built by hand rather than by snprintf: net_addr_str writes one for every
 * connect, and a format of four conversions costs more than the connect's
 * own bookkeeping. */
int url_hostport(char *buf, size_t n, const char *host, int port)
{
	size_t hlen = strlen(host), at = 0;
	int v6 = memchr(host, ':', hlen) != NULL;
	char digits[12]; /* ":" and an int's digits */
	size_t d = sizeof(digits);

	if (v6)
		url_put(buf, n, &at, "[", 1);
	url_put(buf, n, &at, host, hlen);
	if (v6)
		url_put(buf, n, &at, "]", 1);
	if (port > 0) {
		while (port > 0) {
			digits[--d] = (char)('0' + port % 10);
			port /= 10;
		}
		digits[--d] = ':';
		url_put(buf, n, &at, digits + d, sizeof(digits) - d);
	}
	if (n > 0)
		buf[at < n ? at : n - 1] = '\0';
	return (int)at;
}
