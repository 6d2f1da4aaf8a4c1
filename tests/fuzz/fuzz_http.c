/*
 * fuzz_http.c - libFuzzer entry point for the http kind's check word: its
 * URL and options as the kind's parse reads them (http.c, http_opts.c),
 * and the pure parsers of http_match.c on the same strings.  The input's
 * first line is the URL; each further line is one option, key=value.  The
 * host:port parser of the core (endpoint_parse, used by host=, tcp: and
 * listen:) gets the first line too.  body~= patterns compile in a bounded
 * program (lib/regex.c), so every option is parsed.
 * Seeds: corpus/http/.
 */
#include "fuzz.h"

#include <ctype.h>

#include "checks/http/http_match.h"
#include "probe/check.h"
#include "probe/report.h"

#define FUZZ_HTTP_OPTS 16

extern const struct check_kind check_http;

/* The pure parsers of http_match.c and endpoint_parse on the URL. */
static void fuzz_http_url(const char *url)
{
	struct probe_err err = { 0 };
	struct http_url u;
	struct endpoint ep;
	char why[256], out[512];

	if (http_url_parse(url, &u, why, sizeof(why)) == 0) {
		FUZZ_ASSERT(u.port >= 1 && u.port <= 65535);
		FUZZ_ASSERT(u.auth_off <= u.path_off && u.path_off <= strlen(url));
		FUZZ_ASSERT(strlen(u.host) > 0);
		http_url_with_host(url, &u, "example.com", out, sizeof(out));
		http_url_with_host(url, &u, "::1", out, sizeof(out));
		http_url_with_host(url, &u, "h", out, 8);
	}
	endpoint_parse(url, &ep, 0, &err);
	err.code = 0;
	endpoint_parse(url, &ep, 1, &err);
}

/* The pure parsers of http_match.c on one option's value. */
static void fuzz_http_value(const char *v)
{
	struct http_status_spec spec;
	struct http_header_opt ho;
	const char *hv;
	size_t len = strlen(v), hvlen;
	char why[320], ex[HTTP_EXCERPT + 4];

	if (http_status_parse(v, &spec, why, sizeof(why)) == 0)
		http_status_match(&spec, 200);
	if (http_header_parse(v, 0, &ho, why, sizeof(why)) == 0)
		http_header_is_secret(ho.name, ho.namelen);
	http_header_parse(v, 1, &ho, why, sizeof(why));
	http_auth_credential(v);
	if (http_header_line_match(v, len, "content-type", 12, &hv, &hvlen))
		FUZZ_ASSERT(hv >= v && hv + hvlen <= v + len);
	http_body_contains(v, len, "ok");
	http_excerpt(v, len, ex, sizeof(ex));
}

/* Feeds the URL and options to the kind's parse and to the pure parsers;
 * returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check_opt opts[FUZZ_HTTP_OPTS];
	struct probe_err err = { 0 };
	struct check c;
	const uint8_t *p = data;
	size_t left = size, n = 0, i, slen;
	char *word = fuzz_line(&p, &left), *line, *eq;

	if (!word)
		return 0;
	while (n < FUZZ_HTTP_OPTS && (line = fuzz_line(&p, &left)) != NULL) {
		eq = strchr(line, '=');
		if (eq)
			*eq = '\0';
		opts[n].key = line;
		opts[n].value = eq ? eq + 1 : line + strlen(line);
		opts[n++].used = 0;
	}
	fuzz_http_url(word);
	for (i = 0; i < n; i++)
		fuzz_http_value(opts[i].value);

	/* The check as words_parse hands it to the kind. */
	memset(&c, 0, sizeof(c));
	slen = strcspn(word, ":");
	c.kind = &check_http;
	c.word = word;
	c.scheme = strndup(word, slen);
	c.rest = word[slen] ? word + slen + 1 : word + slen;
	c.name = word;
	c.opts = opts;
	c.nopts = n;
	if (c.scheme) {
		for (i = 0; c.scheme[i]; i++)
			c.scheme[i] = (char)tolower((unsigned char)c.scheme[i]);
		if (check_http.parse(&c, &err) == 0)
			FUZZ_ASSERT(c.ep.port >= 1 && c.ep.port <= 65535);
		check_http.free(&c);
	}
	free(c.scheme);
	for (i = 0; i < n; i++)
		free(opts[i].key);
	free(word);
	secret_clear();
	return 0;
}
