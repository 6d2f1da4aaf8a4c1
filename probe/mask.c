/*
 * mask.c - the one place secrets are masked: URL passwords by position,
 * password=, Authorization/Cookie values, and every value registered with
 * secret_add.  report.c passes every string it prints through
 * report_scrub.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/out.h"
#include "probe/report.h"

#define SCRUB_MAX 4096
#define SECRETS_MAX 64

static char *secrets[SECRETS_MAX];
static size_t nsecrets;

void secret_add(const char *s)
{
	size_t i;

	if (!s || strlen(s) < 3 || nsecrets == SECRETS_MAX)
		return;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], s) == 0)
			return;
	secrets[nsecrets] = strdup(s);
	if (secrets[nsecrets])
		nsecrets++;
}

void secret_clear(void)
{
	while (nsecrets > 0)
		free(secrets[--nsecrets]);
}

/* Scrub pass: scheme://user:PASSWORD@host → scheme://user:***@host. */
static void scrub_url(struct out *o, const char *s)
{
	const char *p = s;

	while (*p) {
		const char *sep = strstr(p, "://");
		const char *auth, *end, *at = NULL, *colon = NULL, *q;

		if (!sep) {
			out_puts(o, p);
			return;
		}
		auth = sep + 3;
		end = auth + strcspn(auth, "/?# \t\n\"'<>");
		for (q = auth; q < end; q++)
			if (*q == '@')
				at = q;
		if (at)
			for (q = auth; q < at; q++)
				if (*q == ':') {
					colon = q;
					break;
				}
		if (colon && colon + 1 < at) {
			out_putn(o, p, (size_t)(colon + 1 - p));
			out_puts(o, "***");
			p = at;
		} else {
			out_putn(o, p, (size_t)(auth - p));
			p = auth;
		}
	}
}

/* Scrub pass: the value after `password=`, `Authorization:`, `Cookie:`
 * and their kin, up to the end of the value. */
static void scrub_keys(struct out *o, const char *s)
{
	static const struct {
		const char *key;
		const char *stop;
	} keys[] = {
		{ "password=", " \t\n&;,'\")" },
		{ "passwd=", " \t\n&;,'\")" },
		{ "proxy-authorization:", "\n\"" },
		{ "authorization:", "\n\"" },
		{ "set-cookie:", "\n\"" },
		{ "cookie:", "\n\"" },
	};
	const char *p = s;

	while (*p) {
		size_t i, klen = 0, run;

		/* Most bytes start no key: copy the run of them at once. */
		run = strcspn(p, "pPaAsScC");
		if (run > 0) {
			out_putn(o, p, run);
			p += run;
			continue;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			klen = strlen(keys[i].key);
			if (strncasecmp(p, keys[i].key, klen) == 0)
				break;
		}
		if (i == sizeof(keys) / sizeof(keys[0])) {
			out_putn(o, p++, 1);
			continue;
		}
		out_putn(o, p, klen);
		p += klen;
		while (*p == ' ')
			out_putn(o, p++, 1);
		if (*p && !strchr(keys[i].stop, *p)) {
			out_puts(o, "***");
			p += strcspn(p, keys[i].stop);
		}
	}
}

/* Scrub pass: every registered secret. */
static void scrub_secrets(struct out *o, const char *s)
{
	const char *p = s;

	while (*p) {
		size_t i, best_len = 0;
		const char *best = NULL;

		for (i = 0; i < nsecrets; i++) {
			const char *hit = strstr(p, secrets[i]);

			if (hit && (!best || hit < best)) {
				best = hit;
				best_len = strlen(secrets[i]);
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
	char a[SCRUB_MAX], b[SCRUB_MAX];
	struct out oa = { a, sizeof(a), 0 }, ob = { b, sizeof(b), 0 };
	struct out od = { dst, n, 0 };

	if (n == 0)
		return;
	dst[0] = '\0';
	if (!*src) /* the error, hint, warning of most checks */
		return;
	a[0] = b[0] = '\0';
	scrub_url(&oa, src);
	scrub_keys(&ob, a);
	scrub_secrets(&od, b);
}
