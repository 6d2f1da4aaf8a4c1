/*
 * check.c - helpers shared by every check kind: options, results, details,
 * endpoints.  Nothing here does I/O.
 */
#include "probe/check.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/dec.h"
#include "lib/url.h"

const char *check_opt_get(struct check *c, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < c->nopts; i++) {
		if (strcmp(c->opts[i].key, key) == 0) {
			c->opts[i].used = 1;
			v = c->opts[i].value;
		}
	}
	return v;
}

int check_opt_bool(struct check *c, const char *key, int def, int *out,
		   struct probe_err *err)
{
	static const char *const yes[] = { "yes", "true", "1", "on", NULL };
	static const char *const no[] = { "no", "false", "0", "off", NULL };
	const char *v = check_opt_get(c, key);
	size_t i;

	*out = def;
	if (!v)
		return 0;
	for (i = 0; yes[i]; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return probe_err_set(err, EXIT_USAGE, "%s: %s=%s: expected yes or no", c->name,
			     key, v);
}

int check_opt_duration(struct check *c, const char *key, int64_t def,
		       int64_t *out_ms, struct probe_err *err)
{
	const char *v = check_opt_get(c, key);

	*out_ms = def;
	if (!v)
		return 0;
	if (duration_parse(v, out_ms) < 0)
		return probe_err_set(err, EXIT_USAGE,
				     "%s: %s=%s: not a duration (like 250ms, 2s, 1m)",
				     c->name, key, v);
	return 0;
}

int check_opt_size(struct check *c, const char *key, long long def,
		   long long *out, struct probe_err *err)
{
	static const struct {
		const char *suffix;
		long long mult;
	} units[] = {
		{ "", 1 },
		{ "b", 1 },
		{ "k", 1024 },
		{ "kb", 1000 },
		{ "kib", 1024 },
		{ "m", 1024LL * 1024 },
		{ "mb", 1000LL * 1000 },
		{ "mib", 1024LL * 1024 },
		{ "g", 1024LL * 1024 * 1024 },
		{ "gb", 1000LL * 1000 * 1000 },
		{ "gib", 1024LL * 1024 * 1024 },
		{ "t", 1024LL * 1024 * 1024 * 1024 },
		{ "tb", 1000LL * 1000 * 1000 * 1000 },
		{ "tib", 1024LL * 1024 * 1024 * 1024 },
	};
	const char *v = check_opt_get(c, key);
	unsigned long long n = 0;
	const char *p;
	size_t i;

	*out = def;
	if (!v)
		return 0;
	p = v;
	if (dec_read(&p, 1ULL << 50, &n) < 0)
		goto bad;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(p, units[i].suffix) == 0) {
			/* 2^50 of a unit up to 2^40 does not fit in 63 bits. */
			if (n > (unsigned long long)(LLONG_MAX / units[i].mult))
				goto bad;
			*out = (long long)n * units[i].mult;
			return 0;
		}
	}
bad:
	return probe_err_set(err, EXIT_USAGE,
			     "%s: %s=%s: not a size (like 4096, 100MB, 1GiB)", c->name,
			     key, v);
}

void result_pass(struct check_result *r)
{
	r->status = CHECK_PASS;
}

void result_fail(struct check_result *r, enum hint_id hint, const char *fmt, ...)
{
	va_list ap;

	r->status = CHECK_FAIL;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	if (hint != HINT_NONE)
		result_hint(r, hint);
}

void result_warn(struct check_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->warning, sizeof(r->warning), fmt, ap);
	va_end(ap);
}

void result_hint(struct check_result *r, enum hint_id hint)
{
	snprintf(r->hint, sizeof(r->hint), "%s", hint_text(hint));
}

static struct detail_item *detail_new(struct check_result *r, const char *key,
				      enum detail_type type)
{
	struct detail_item *it;

	if (r->nitems >= DETAIL_MAX)
		return NULL;
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof(*it));
	it->key = key;
	it->type = type;
	return it;
}

void detail_int(struct check_result *r, const char *key, long long v)
{
	struct detail_item *it = detail_new(r, key, DETAIL_INT);

	if (it)
		it->num = v;
}

void detail_bool(struct check_result *r, const char *key, int v)
{
	struct detail_item *it = detail_new(r, key, DETAIL_BOOL);

	if (it)
		it->num = !!v;
}

void detail_num(struct check_result *r, const char *key, double v)
{
	struct detail_item *it = detail_new(r, key, DETAIL_NUM);

	if (it)
		it->dbl = v;
}

/* Copies v into the arena; returns 0, or -1 when it is full. */
static int arena_put(struct check_result *r, const char *v)
{
	size_t len = strlen(v);

	if (r->used + len + 1 > DETAIL_ARENA)
		return -1;
	memcpy(r->arena + r->used, v, len + 1);
	r->used += len + 1;
	return 0;
}

void detail_str(struct check_result *r, const char *key, const char *v)
{
	size_t off = r->used;
	struct detail_item *it;

	if (arena_put(r, v) < 0)
		return;
	it = detail_new(r, key, DETAIL_STR);
	if (!it) {
		r->used = off;
		return;
	}
	it->off = off;
	it->count = 1;
}

void detail_cause(struct check_result *r, enum probe_cause cause)
{
	detail_str(r, "cause", cause_name(cause));
}

void detail_list_begin(struct check_result *r, const char *key)
{
	struct detail_item *it = detail_new(r, key, DETAIL_LIST);

	if (it)
		it->off = r->used;
}

void detail_list_add(struct check_result *r, const char *v)
{
	struct detail_item *it;

	if (r->nitems == 0)
		return;
	it = &r->items[r->nitems - 1];
	if (it->type != DETAIL_LIST)
		return;
	if (arena_put(r, v) == 0)
		it->count++;
}

const char *detail_list_at(const struct check_result *r,
			   const struct detail_item *it, size_t i)
{
	const char *p = r->arena + it->off;

	while (i-- > 0)
		p += strlen(p) + 1;
	return p;
}

int host_is_local(const char *host)
{
	static const char *const local[] = {
		"", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::",
		"ip6-localhost", "::ffff:127.0.0.1", NULL,
	};
	size_t i;

	for (i = 0; local[i]; i++)
		if (strcasecmp(host, local[i]) == 0)
			return 1;
	return strncmp(host, "127.", 4) == 0;
}

int endpoint_parse(const char *s, struct endpoint *ep, int need_port,
		   struct probe_err *err)
{
	struct url_authority a;
	enum url_error e;

	memset(ep, 0, sizeof(*ep));
	if (strchr(s, '@'))
		return probe_err_set(err, EXIT_USAGE,
				     "takes no user name or password, only HOST:PORT");
	e = url_authority(s, strlen(s), 0, &a);
	if (e == URL_OK && a.host_len >= sizeof(ep->host))
		e = URL_ERR_HOST_LONG;
	if (e == URL_OK && need_port && !a.port)
		e = URL_ERR_PORT_MISSING;
	if (e != URL_OK)
		return probe_err_set(err, EXIT_USAGE, "%s", url_strerror(e));
	memcpy(ep->host, a.host, a.host_len);
	ep->host[a.host_len] = '\0';
	ep->port = a.port;
	ep->local = host_is_local(ep->host);
	return 0;
}
