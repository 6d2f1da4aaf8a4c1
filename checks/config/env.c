/*
 * env.c - env:NAME: the variable is set and not empty; match=REGEX (POSIX
 * extended, anchored only if the pattern says so) and json=yes (the value
 * is one valid JSON document) check its form.
 *
 * The value is a secret as far as probe knows (API keys, passwords): it is
 * registered with secret_add so the report masks it wherever it would
 * leak, and no message here quotes it - not even one byte of it.  Only a
 * number of up to five digits (a port) is left unmasked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/check.h"
#include "lib/json.h"
#include "lib/regex.h"
#include "probe/report.h"

static const char *const env_names[] = { "env", NULL };
static const char *const env_keys[] = { "match", "json", NULL };

struct env_priv {
	const char *pattern; /* match=, or NULL; points into c->opts */
	struct rx *re; /* match= (lib/regex.h) */
	int have_re;
	int json;
};

static int env_parse(struct check *c, struct probe_err *err)
{
	const char *name = c->rest, *value;
	struct env_priv *p;

	if (!name[0] || strchr(name, '='))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: name a variable (like env:DATABASE_URL)", c->name);
	p = calloc(1, sizeof(*p));
	if (!p)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = p;
	if (check_opt_bool(c, "json", 0, &p->json, err) < 0)
		return -1;
	p->pattern = check_opt_get(c, "match");
	if (p->pattern) {
		char why[192];

		if (rx_compile(p->pattern, &p->re, why, sizeof(why)) < 0) {
			return probe_err_set(err, EXIT_USAGE, "%s: match=%s: %s", c->name,
					     p->pattern, why);
		}
		p->have_re = 1;
	}
	/* Registered here, on the main thread, before any report exists.  A
	 * short number (a port, a worker count) is no secret, and masking it
	 * would blank every port in the report. */
	value = getenv(name);
	if (value && !(strlen(value) <= 5 && strspn(value, "0123456789") == strlen(value)))
		secret_add(value);
	return 0;
}

static void env_run(const struct check *c, const struct deadline *dl,
		    struct check_result *res)
{
	const struct env_priv *p = c->priv;
	const char *name = c->rest;
	const char *value = getenv(name);
	struct json_doc doc = { 0 };
	struct json_error jerr;

	(void)dl;
	if (!value) {
		result_fail(res, HINT_ENV_UNSET, "%s is not set", name);
		return;
	}
	detail_int(res, "length", (long long)strlen(value));
	if (!value[0]) {
		result_fail(res, HINT_ENV_UNSET, "%s is set but empty", name);
		return;
	}
	if (p->have_re) {
		int m = rx_match(p->re, value, strlen(value), dl->end_ns);

		if (m < 0) {
			result_fail(res, HINT_NONE, "matching %s against %s did not finish in time",
				    p->pattern, name);
			return;
		}
		if (m == 0) {
			result_fail(res, HINT_ENV_MATCH, "%s does not match %s", name, p->pattern);
			return;
		}
	}
	if (p->json) {
		memset(&jerr, 0, sizeof(jerr));
		if (json_parse(&doc, value, strlen(value), &jerr) < 0) {
			/* The parser names the byte it choked on: a byte of the
			 * secret.  Keep its position, drop the byte. */
			const char *why = strncmp(jerr.msg, "unexpected '", 12) == 0 ||
							  strncmp(jerr.msg, "unexpected byte", 15) == 0
						  ? "unexpected character"
						  : jerr.msg;

			result_fail(res, HINT_ENV_JSON, "%s is not valid JSON: %s at byte %zu",
				    name, why, jerr.offset);
		}
		json_free(&doc);
		if (res->status == CHECK_FAIL)
			return;
	}
	result_pass(res);
}

static void env_free(struct check *c)
{
	struct env_priv *p = c->priv;

	if (!p)
		return;
	rx_free(p->re);
	free(p);
	c->priv = NULL;
}

const struct check_kind check_env = {
	.names = env_names,
	.keys = env_keys,
	.layer = LAYER_CONFIG,
	.level = LEVEL_READY,
	.flags = KIND_INSTANT,
	.help = "env:NAME [ready]          set and non-empty; match=REGEX json=yes",
	.parse = env_parse,
	.run = env_run,
	.free = env_free,
};
