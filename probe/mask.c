/*
 * mask.c - the one place secrets are masked.  report_scrub, which every
 * printed string passes through, masks what position alone says is secret
 * (a URL's password, the value of a secret-named key= or header) and then
 * every value registered with secret_add.  secret_add_word registers what
 * the same positions find in a whole word, before any parser sees it, so
 * that a parser's message quoting a piece of the word is masked too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/out.h"
#include "probe/report.h"

#define SCRUB_MAX 4096
#define SPANS_MAX 32
#define KEY_NAME_MAX 64

/* Every registered secret, a copy each; the table grows as checks add
 * them (an env: value, a parsed password), so none is ever dropped.  When
 * memory runs out the table is marked lost and report_scrub masks whole
 * strings: nothing a secret could be in is printed. */
static char **secrets;
static size_t *secret_lens;
static size_t nsecrets, capsecrets;
static int secrets_lost;

/* Registers s[0..n), a copy. */
static void secret_add_n(const char *s, size_t n)
{
	size_t i;
	char *copy;

	if (n < 3)
		return;
	for (i = 0; i < nsecrets; i++)
		if (secret_lens[i] == n && memcmp(secrets[i], s, n) == 0)
			return;
	if (nsecrets == capsecrets) {
		size_t cap = capsecrets ? capsecrets * 2 : 64;
		char **grown = realloc(secrets, cap * sizeof(*grown));
		size_t *lens;

		if (grown)
			secrets = grown;
		lens = grown ? realloc(secret_lens, cap * sizeof(*lens)) : NULL;
		if (!lens) {
			secrets_lost = 1;
			return;
		}
		secret_lens = lens;
		capsecrets = cap;
	}
	copy = strndup(s, n);
	if (!copy) {
		secrets_lost = 1;
		return;
	}
	secrets[nsecrets] = copy;
	secret_lens[nsecrets++] = n;
}

void secret_add(const char *s)
{
	if (s)
		secret_add_n(s, strlen(s));
}

void secret_clear(void)
{
	while (nsecrets > 0)
		free(secrets[--nsecrets]);
	free(secrets);
	free(secret_lens);
	secrets = NULL;
	secret_lens = NULL;
	capsecrets = 0;
	secrets_lost = 0;
}

/* ------------------------------------------------ what position says */

/* How a string is read: free text (a URL ends at white space), one whole
 * word, or a word a parser rejected (its garbage is guessed at harder). */
enum scan_mode { SCAN_TEXT, SCAN_WORD, SCAN_BROKEN };

/* The byte ranges of a string to print as ***.  When more are found than
 * fit, everything from `rest` on is masked. */
struct spans {
	size_t off[SPANS_MAX], len[SPANS_MAX];
	size_t n, rest;
};

/* "${NAME}" and nothing else: a reference, not a value (--plan prints the
 * words as written). */
static int is_reference(const char *s, size_t n)
{
	size_t i;

	if (n < 4 || s[0] != '$' || s[1] != '{' || s[n - 1] != '}')
		return 0;
	for (i = 2; i < n - 1; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (i > 2 && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static void span_add(struct spans *sp, const char *base, size_t off, size_t len)
{
	if (len == 0 || is_reference(base + off, len))
		return;
	if (sp->n == SPANS_MAX) {
		if (off < sp->rest)
			sp->rest = off;
		return;
	}
	sp->off[sp->n] = off;
	sp->len[sp->n++] = len;
}

/* A byte that ends a URL in free text: white space and control bytes. */
static int ends_token(unsigned char ch)
{
	return ch <= ' ' || ch == 0x7f;
}

/* A URL's password: from the first ':' of the userinfo to the LAST '@'
 * (a raw '@', '/', '?' or '#' in a password must not end it early).  The
 * user name before the ':' holds none of / ? # [ ].  A rejected word also
 * loses a bare user name (often a token) and whatever follows the host's
 * ':' when that is not a port number. */
static void find_userinfo(const char *s, size_t len, enum scan_mode mode, struct spans *sp)
{
	const char *end = s + len, *p = s;

	while ((p = strstr(p, "://")) && p < end) {
		const char *auth = p + 3, *tend = end, *at = NULL, *colon = NULL, *q;
		int user_ok = 1;

		if (mode == SCAN_TEXT)
			for (tend = auth; tend < end && !ends_token((unsigned char)*tend); tend++)
				;
		for (q = auth; q < tend; q++)
			if (*q == '@')
				at = q;
		for (q = auth; at && q < at && !colon; q++) {
			if (*q == ':')
				colon = q;
			else if (strchr("/?#[]", *q))
				user_ok = 0;
		}
		if (at && user_ok && colon) {
			span_add(sp, s, (size_t)(colon + 1 - s), (size_t)(at - colon - 1));
		} else if (at && user_ok && auth - s >= 7 &&
			   (strncasecmp(auth - 7, "http://", 7) == 0 ||
			    (auth - s >= 8 && strncasecmp(auth - 8, "https://", 8) == 0))) {
			/* https://TOKEN@host: libcurl sends the user name as Basic
			 * credentials, and a token is often all of them. */
			span_add(sp, s, (size_t)(auth - s), (size_t)(at - auth));
		} else if (mode == SCAN_BROKEN) {
			const char *h = at ? at + 1 : auth, *r;

			if (at && user_ok)
				span_add(sp, s, (size_t)(auth - s), (size_t)(at - auth));
			if (*h == '[')
				h = memchr(h, ']', (size_t)(tend - h));
			for (r = h; r && r < tend && !strchr(":/?#", *r); r++)
				;
			if (r && r < tend && *r == ':') {
				size_t digits = strspn(++r, "0123456789");

				/* a port written as ${VAR} or ${VAR:-N} is no secret */
				if (!digits && r[0] == '$' && r[1] == '{' && memchr(r, '}', (size_t)(tend - r)))
					digits = (size_t)((const char *)memchr(r, '}', (size_t)(tend - r)) - r) + 1;
				if (!(digits && (r + digits == tend || strchr("/?#", r[digits]))))
					span_add(sp, s, (size_t)(r - s), (size_t)(tend - r));
			}
		}
		p = at ? at + 1 : auth;
	}
}

static int has_word(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; i + wl <= n; i++)
		if (strncasecmp(s + i, w, wl) == 0)
			return 1;
	return 0;
}

int secret_key_name(const char *name, size_t n)
{
	static const char *const within[] = {
		"password", "passwd", "secret", "token", "credential", "signature",
		"apikey", "api_key", "api-key", "authorization", "cookie", NULL,
	};
	static const char *const ending[] = {
		"key", "pwd", "pass", "sig", "auth", "session", "sessionid", "session_id", NULL,
	};
	char low[KEY_NAME_MAX + 1];
	size_t i;
	int letters = 0;

	if (n == 0 || n > KEY_NAME_MAX)
		return 0;
	/* Lower case once; a name without letters (127.0.0.1) says nothing. */
	for (i = 0; i < n; i++) {
		char ch = name[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		letters |= ch >= 'a' && ch <= 'z';
		low[i] = ch;
	}
	if (!letters)
		return 0;
	low[n] = '\0';
	for (i = 0; within[i]; i++)
		if (strstr(low, within[i]))
			return 1;
	for (i = 0; ending[i]; i++) {
		size_t l = strlen(ending[i]);

		if (n >= l && memcmp(low + n - l, ending[i], l) == 0)
			return 1;
	}
	return 0;
}

static int key_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

/* The scheme word of a credential ("Bearer TOKEN"): not itself secret. */
static size_t auth_scheme_len(const char *v)
{
	static const char *const schemes[] = { "bearer", "basic", "digest", "token",
					       "negotiate", "bot", "apikey", NULL };
	size_t i;

	for (i = 0; schemes[i]; i++) {
		size_t l = strlen(schemes[i]);

		if (strncasecmp(v, schemes[i], l) == 0 && v[l] == ' ')
			return l + 1;
	}
	return 0;
}

/* Where a value that starts at s[v] ends: at the closing quote when it is
 * quoted, else at the first byte of stop (NULL: the end). */
static size_t value_end(const char *s, size_t len, size_t v, const char *stop)
{
	size_t e;

	if (v < len && (s[v] == '"' || s[v] == '\'')) {
		const char *close = memchr(s + v + 1, s[v], len - v - 1);

		return close ? (size_t)(close - s) + 1 : len;
	}
	if (!stop)
		return len;
	e = v + strcspn(s + v, stop);
	return e < len ? e : len;
}

/* Values by their key: `name=VALUE` (a query parameter, a conninfo
 * keyword, an option word), `"name":"VALUE"` (JSON) and `Name: VALUE` (a
 * header), when the name says secret (secret_key_name).  Prose such as
 * "missing password: check" is no header: a header's name starts the
 * string or follows = " ' or a new line, unless it is Authorization or a
 * Cookie. */
static void find_keyed(const char *s, size_t len, enum scan_mode mode, struct spans *sp)
{
	size_t i = 0;

	while (i < len) {
		size_t q = i + strcspn(s + i, "=:"), b, v, e, kq, skip = 0;
		int json = 0, option = 0;

		if (q >= len)
			return;
		i = q + 1;
		for (kq = q; kq > 0 && (s[kq - 1] == ' ' || s[kq - 1] == '\t' || s[kq - 1] == '\n' ||
					s[kq - 1] == '\r');
		     kq--)
			;
		if (s[q] == ':' && kq >= 2 && s[kq - 1] == '"') {
			/* "name": the name between the quotes ("name" : too, as
			 * pretty printers write it) */
			for (b = kq - 1; b > 0 && s[b - 1] != '"' && kq - b < KEY_NAME_MAX; b--)
				;
			if (b == 0 || s[b - 1] != '"' || !secret_key_name(s + b, kq - 1 - b))
				continue;
			json = 1;
		} else {
			if (s[q] == ':' && q + 1 < len && s[q + 1] == '/')
				continue; /* a scheme (http://), or a path after a port */
			for (b = q; b > 0 && q - b < KEY_NAME_MAX; b--)
				if (!key_char((unsigned char)s[b - 1]))
					break;
			if (b == q || !secret_key_name(s + b, q - b))
				continue;
			if (s[q] == ':') {
				int strong = has_word(s + b, q - b, "authorization") ||
					     has_word(s + b, q - b, "cookie");

				if (!strong && b > 0 && !strchr("=\n\"'", s[b - 1]))
					continue;
			}
			/* key=VALUE as a whole word: an option, all of it */
			option = s[q] == '=' && b == 0;
		}
		for (v = q + 1; v < len && (s[v] == ' ' || (json && (s[v] == '\t' || s[v] == '\n' ||
								  s[v] == '\r')));
		     v++)
			;
		if (s[q] == ':' && !json)
			skip = auth_scheme_len(s + v);
		v += skip;
		if (json)
			e = value_end(s, len, v, ",}] \t\n");
		else if (s[q] == ':')
			e = value_end(s, len, v, mode == SCAN_TEXT ? "\n\"" : NULL);
		else if (mode == SCAN_TEXT)
			e = value_end(s, len, v, " \t\n&;,'\")");
		else
			e = value_end(s, len, v, option ? NULL : "&");
		if (e > v && (s[v] == '"' || s[v] == '\'') && e - v >= 2 && s[e - 1] == s[v])
			span_add(sp, s, v + 1, e - v - 2); /* keep the quotes */
		else
			span_add(sp, s, v, e - v);
		i = e > i ? e : i;
	}
}

/* A rejected word's guesses: an option's value after its first ':' or
 * space (a header= that did not parse), and a URL missing its "//"
 * (app:PW@db) up to its last '@'. */
static void find_broken(const char *s, size_t len, struct spans *sp)
{
	const char *at = NULL, *p;
	size_t k = 0;

	if (s[0] >= 'a' && s[0] <= 'z')
		for (k = 1; k < len; k++)
			if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' && s[k] <= '9') ||
			      s[k] == '_' || s[k] == '-'))
				break;
	if (k && k < len && s[k] == '~')
		k++;
	if (k && k < len && s[k] == '=') {
		size_t c = k + 1 + strcspn(s + k + 1, ": ");

		if (c < len)
			span_add(sp, s, c + 1, len - c - 1);
		return;
	}
	if (strstr(s, "://"))
		return;
	for (p = s; p < s + len; p++)
		if (*p == '@')
			at = p;
	p = memchr(s, ':', len);
	if (p && at && p < at)
		span_add(sp, s, (size_t)(p + 1 - s), (size_t)(at - p - 1));
}

static void find_spans(const char *s, size_t len, enum scan_mode mode, struct spans *sp)
{
	sp->n = 0;
	sp->rest = SIZE_MAX;
	/* Plain text holds no ':' or '=': nothing to find by position. */
	if (!strpbrk(s, ":="))
		return;
	find_userinfo(s, len, mode, sp);
	find_keyed(s, len, mode, sp);
	if (mode == SCAN_BROKEN)
		find_broken(s, len, sp);
}

/* Copies s[0..len) to o with every span, and all from sp->rest on, as
 * ***; spans that overlap or touch mask as one. */
static void put_masked(struct out *o, const char *s, size_t len, const struct spans *sp)
{
	size_t off[SPANS_MAX + 1], end[SPANS_MAX + 1], n = 0, i, j, at = 0;

	if (sp->n == 0 && sp->rest >= len) { /* most strings: nothing to mask */
		out_putn(o, s, len);
		return;
	}
	off[0] = end[0] = 0;

	for (i = 0; i <= sp->n; i++) {
		size_t a = i < sp->n ? sp->off[i] : sp->rest;
		size_t b = i < sp->n ? a + sp->len[i] : len;

		if (a >= len)
			continue;
		/* insertion by offset: a handful of spans at most */
		for (j = n; j > 0 && off[j - 1] > a; j--) {
			off[j] = off[j - 1];
			end[j] = end[j - 1];
		}
		off[j] = a;
		end[j] = b;
		n++;
	}
	for (i = 0; i < n; i++) {
		size_t from = off[i], stop = end[i];

		while (i + 1 < n && off[i + 1] <= stop) {
			i++;
			if (end[i] > stop)
				stop = end[i];
		}
		out_putn(o, s + at, from - at);
		out_puts(o, "***");
		at = stop;
	}
	out_putn(o, s + at, len - at);
}

void secret_add_word(const char *word, int rejected)
{
	struct spans sp;
	size_t len = strlen(word), i;

	find_spans(word, len, rejected ? SCAN_BROKEN : SCAN_WORD, &sp);
	for (i = 0; i < sp.n; i++)
		secret_add_n(word + sp.off[i], sp.len[i]);
	if (sp.rest < len)
		secret_add_n(word + sp.rest, len - sp.rest);
}

/* ------------------------------------------------- registered values */

static void scrub_secrets(struct out *o, const char *s)
{
	const char *p = s;

	while (*p) {
		size_t i, best_len = 0;
		const char *best = NULL;

		for (i = 0; i < nsecrets; i++) {
			const char *hit = strstr(p, secrets[i]);

			/* the earliest, and of two there the longest */
			if (hit &&
			    (!best || hit < best || (hit == best && secret_lens[i] > best_len))) {
				best = hit;
				best_len = secret_lens[i];
			}
		}
		if (!best) {
			out_puts(o, p);
			return;
		}
		out_putn(o, p, (size_t)(best - p));
		out_puts(o, "***");
		p = best + best_len;
	}
}

void report_scrub(char *dst, size_t n, const char *src)
{
	char a[SCRUB_MAX];
	struct out oa = { a, sizeof(a), 0 }, od = { dst, n, 0 };
	struct spans sp;
	size_t len;

	if (n == 0)
		return;
	dst[0] = '\0';
	if (!*src) /* the error, hint, warning of most checks */
		return;
	if (secrets_lost) { /* a secret could not be registered: print none */
		snprintf(dst, n, "***");
		return;
	}
	len = strlen(src);
	find_spans(src, len, SCAN_TEXT, &sp);
	if (nsecrets == 0) {
		put_masked(&od, src, len, &sp);
		return;
	}
	a[0] = '\0';
	put_masked(&oa, src, len, &sp);
	scrub_secrets(&od, a);
}
