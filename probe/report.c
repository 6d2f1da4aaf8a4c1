/*
 * report.c - owns stderr.  Renders the report in json, text or logfmt,
 * summary first and failures before passes; every string it prints has
 * passed through report_scrub (mask.c), the one place secrets are masked.
 */
#include "probe/report.h"
#include "probe/words.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/out.h"

#define SCRUB_MAX 4096

/* Appends ms with one decimal ("12.4") without printf's floating-point
 * path: the report of every run prints several. */
static void put_ms(struct out *o, double ms)
{
	long long tenths = ms > 0 ? (long long)(ms * 10 + 0.5) : 0;
	char digits[32];
	size_t n = sizeof(digits);

	digits[--n] = (char)('0' + tenths % 10);
	digits[--n] = '.';
	tenths /= 10;
	do {
		digits[--n] = (char)('0' + tenths % 10);
		tenths /= 10;
	} while (tenths && n > 0);
	out_putn(o, digits + n, sizeof(digits) - n);
}

/* The length of the well-formed UTF-8 sequence of 2 to 4 bytes at s (no
 * overlong form, no surrogate, nothing past U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s)
{
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80 ||
		    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

enum esc_mode { ESC_JSON, ESC_LOGFMT, ESC_TEXT };

/* Appends s so that it stays inside one valid line of its format, whatever
 * a server sent: JSON and logfmt escape quotes, backslashes and control
 * characters (\n, \u001b), text shows control characters as \n, \x1b;
 * all write U+FFFD for a byte that is not UTF-8 and \u0080-\u009f for the
 * C1 controls a terminal obeys.  Runs of plain ASCII are copied at once. */
static void put_escaped(struct out *o, const char *s, enum esc_mode m)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t run = 0;

		while (p[run] >= 0x20 && p[run] < 0x7f &&
		       (m == ESC_TEXT || (p[run] != '"' && p[run] != '\\')))
			run++;
		if (run > 0) {
			out_putn(o, (const char *)p, run);
			p += run;
			continue;
		}
		if (*p >= 0x80) {
			size_t n = utf8_seq(p);

			if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
				out_printf(o, "\\u%04x", p[1]);
			} else if (n > 0) {
				out_putn(o, (const char *)p, n);
			} else {
				out_puts(o, m == ESC_JSON ? "\\ufffd" : "\xef\xbf\xbd");
				n = 1;
			}
			p += n;
			continue;
		}
		switch (*p) {
		case '"':
			out_puts(o, "\\\"");
			break;
		case '\\':
			out_puts(o, "\\\\");
			break;
		case '\n':
			out_puts(o, "\\n");
			break;
		case '\r':
			out_puts(o, "\\r");
			break;
		case '\t':
			out_puts(o, "\\t");
			break;
		default:
			out_printf(o, m == ESC_TEXT ? "\\x%02x" : "\\u%04x", *p);
		}
		p++;
	}
}

void json_escape(char *buf, size_t n, const char *s)
{
	struct out o = { buf, n, strlen(buf) };

	put_escaped(&o, s, ESC_JSON);
}

enum report_format report_resolve(enum report_format f)
{
	if (f != FORMAT_AUTO)
		return f;
	return isatty(STDERR_FILENO) ? FORMAT_TEXT : FORMAT_JSON;
}

/* Field caps for one rendering; later levels are tighter, so that the
 * failures of a long report still fit in Docker's first 4 KiB.  Names
 * (the ids a reader looks for) are never shortened below 240 bytes; the
 * last level keeps only each check's kind, id and result. */
struct caps {
	size_t name, target, error, hint, warning, list;
	int ids_only;
};

static const struct caps caps_levels[] = {
	{ 240, 240, 255, 255, 255, 16, 0 },
	{ 240, 100, 160, 140, 100, 8, 0 },
	{ 240, 48, 100, 64, 48, 3, 0 },
	{ 240, 32, 72, 0, 0, 1, 0 },
	{ 240, 0, 0, 0, 0, 0, 1 },
};
#define CAPS_LEVELS (sizeof(caps_levels) / sizeof(caps_levels[0]))

/* Scrubs s, then shortens it to cap bytes (on a UTF-8 boundary, with an
 * ellipsis) into dst; for text, control characters and bytes that are
 * not UTF-8 become visible escapes (json and logfmt escape as they put). */
static void field(char *dst, size_t n, const char *s, size_t cap, enum report_format f)
{
	char raw[SCRUB_MAX];
	char *to = f == FORMAT_TEXT ? raw : dst;
	size_t len, tn = f == FORMAT_TEXT ? sizeof(raw) : n;

	dst[0] = raw[0] = '\0';
	if (cap == 0 || !*s)
		return;
	report_scrub(to, tn, s);
	len = strlen(to);
	if (len > cap && cap >= 4) {
		len = cap - 3;
		while (len > 0 && ((unsigned char)to[len] & 0xc0) == 0x80)
			len--;
		memcpy(to + len, "\xe2\x80\xa6", 4);
	}
	if (f == FORMAT_TEXT) {
		struct out o = { dst, n, 0 };

		put_escaped(&o, raw, ESC_TEXT);
	}
}

static void put_json_str(struct out *o, const char *s)
{
	out_putn(o, "\"", 1);
	put_escaped(o, s, ESC_JSON);
	out_putn(o, "\"", 1);
}

/* logfmt: bare when plain printable ASCII without = " \\, else quoted
 * and escaped. */
static void put_logfmt_str(struct out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p > 0x20 && *p < 0x7f && *p != '=' && *p != '"' && *p != '\\')
		p++;
	if (*s && !*p) {
		out_puts(o, s);
		return;
	}
	out_putn(o, "\"", 1);
	put_escaped(o, s, ESC_LOGFMT);
	out_putn(o, "\"", 1);
}

static const char *result_name(enum check_status st)
{
	return st == CHECK_PASS ? "pass" : st == CHECK_FAIL ? "fail" : st == CHECK_SKIP ? "skip"
											  : "pending";
}

static const char *level_str(enum probe_level l)
{
	return l == LEVEL_LIVE ? "live" : l == LEVEL_READY ? "ready" : "startup";
}

/* The target: the masked word, or the word without "scheme:" and "//". */
static const char *check_target(const struct check *c)
{
	const char *t = c->rest;

	if (c->kind->flags & KIND_URL_TARGET)
		return c->word;
	if (strncmp(t, "//", 2) == 0)
		t += 2;
	return t;
}

/* Renders one detail item's value; sep joins list items (json: ","). */
static void put_detail_value(struct out *o, const struct check_result *r,
			     const struct detail_item *it, enum report_format f,
			     size_t list_cap)
{
	char tmp[1024];
	size_t i, n;

	switch (it->type) {
	case DETAIL_INT:
		out_printf(o, "%lld", it->num);
		break;
	case DETAIL_BOOL:
		out_puts(o, it->num ? "true" : "false");
		break;
	case DETAIL_NUM:
		out_printf(o, "%.1f", it->dbl);
		break;
	case DETAIL_STR:
		field(tmp, sizeof(tmp), detail_list_at(r, it, 0), 200, f);
		if (f == FORMAT_JSON)
			put_json_str(o, tmp);
		else if (f == FORMAT_LOGFMT)
			put_logfmt_str(o, tmp);
		else
			out_puts(o, tmp);
		break;
	case DETAIL_LIST:
		n = it->count < list_cap ? it->count : list_cap;
		if (f == FORMAT_JSON)
			out_puts(o, "[");
		else if (f == FORMAT_LOGFMT)
			out_puts(o, "\"");
		for (i = 0; i < n; i++) {
			field(tmp, sizeof(tmp), detail_list_at(r, it, i), 120, f);
			if (i)
				out_puts(o, ",");
			if (f == FORMAT_JSON)
				put_json_str(o, tmp);
			else if (f == FORMAT_LOGFMT)
				put_escaped(o, tmp, ESC_LOGFMT);
			else
				out_puts(o, tmp);
		}
		if (n < it->count)
			out_printf(o, f == FORMAT_JSON ? ",\"+%zu more\"" : ",+%zu more",
				   it->count - n);
		if (f == FORMAT_JSON)
			out_puts(o, "]");
		else if (f == FORMAT_LOGFMT)
			out_puts(o, "\"");
		break;
	}
}

struct shown {
	char name[1024], target[1024], error[1024], hint[1024], warning[1024], cause[256];
};

static void shown_fill(struct shown *s, const struct check *c, const struct caps *k,
		       enum report_format f)
{
	field(s->name, sizeof(s->name), c->name, k->name, f);
	field(s->target, sizeof(s->target), check_target(c), k->target, f);
	field(s->error, sizeof(s->error), c->res.error, k->error, f);
	field(s->hint, sizeof(s->hint), c->res.hint, k->hint, f);
	field(s->warning, sizeof(s->warning), c->res.warning, k->warning, f);
	field(s->cause, sizeof(s->cause), c->res.cause, k->name, f);
}

static void render_json(struct out *o, const struct check *c, const struct caps *k)
{
	struct shown s;
	size_t i;

	shown_fill(&s, c, k, FORMAT_JSON);
	out_puts(o, "{\"check\":");
	put_json_str(o, c->kind->names[0]);
	out_puts(o, ",\"name\":");
	put_json_str(o, s.name);
	if (k->ids_only) {
		out_printf(o, ",\"result\":\"%s\"}\n", result_name(c->res.status));
		return;
	}
	out_puts(o, ",\"target\":");
	put_json_str(o, s.target);
	out_printf(o, ",\"level\":\"%s\",\"result\":\"%s\",\"ms\":",
		   level_str(c->level), result_name(c->res.status));
	put_ms(o, c->res.ms);
	if (c->res.status == CHECK_SKIP) {
		out_puts(o, ",\"cause\":");
		put_json_str(o, s.cause);
	}
	if (s.error[0]) {
		out_puts(o, ",\"error\":");
		put_json_str(o, s.error);
	}
	if (c->res.nitems) {
		out_puts(o, ",\"detail\":{");
		for (i = 0; i < c->res.nitems; i++) {
			if (i)
				out_puts(o, ",");
			put_json_str(o, c->res.items[i].key);
			out_puts(o, ":");
			put_detail_value(o, &c->res, &c->res.items[i], FORMAT_JSON, k->list);
		}
		out_puts(o, "}");
	}
	if (s.hint[0] && c->res.status == CHECK_FAIL) {
		out_puts(o, ",\"hint\":");
		put_json_str(o, s.hint);
	}
	if (s.warning[0]) {
		out_puts(o, ",\"warning\":");
		put_json_str(o, s.warning);
	}
	out_puts(o, "}\n");
}

static void render_logfmt(struct out *o, const struct check *c, const struct caps *k)
{
	struct shown s;
	size_t i;

	shown_fill(&s, c, k, FORMAT_LOGFMT);
	out_printf(o, "check=%s name=", c->kind->names[0]);
	put_logfmt_str(o, s.name);
	if (k->ids_only) {
		out_printf(o, " result=%s\n", result_name(c->res.status));
		return;
	}
	out_puts(o, " target=");
	put_logfmt_str(o, s.target);
	out_printf(o, " level=%s result=%s ms=%.1f", level_str(c->level),
		   result_name(c->res.status), c->res.ms);
	if (c->res.status == CHECK_SKIP) {
		out_puts(o, " cause=");
		put_logfmt_str(o, s.cause);
	}
	if (s.error[0]) {
		out_puts(o, " error=");
		put_logfmt_str(o, s.error);
	}
	for (i = 0; i < c->res.nitems; i++) {
		out_printf(o, " detail.%s=", c->res.items[i].key);
		put_detail_value(o, &c->res, &c->res.items[i], FORMAT_LOGFMT, k->list);
	}
	if (s.hint[0] && c->res.status == CHECK_FAIL) {
		out_puts(o, " hint=");
		put_logfmt_str(o, s.hint);
	}
	if (s.warning[0]) {
		out_puts(o, " warning=");
		put_logfmt_str(o, s.warning);
	}
	out_puts(o, "\n");
}

static const char *const layer_names[LAYER_COUNT] = {
	[LAYER_CONFIG] = "config",   [LAYER_BUILD] = "build",  [LAYER_PROCESS] = "process",
	[LAYER_RESOURCES] = "resources", [LAYER_SOCKET] = "socket", [LAYER_APP] = "app",
	[LAYER_DEPS] = "deps",       [LAYER_SCHEMA] = "schema",
};

const char *report_layer_name(enum probe_layer layer)
{
	return (int)layer >= 0 && layer < LAYER_COUNT ? layer_names[layer] : "?";
}

/* One check as a person reads it: the layer (only where it changes), the
 * mark, the check, what broke or what was found, and under a failure the
 * usual fix. */
static void render_text(struct out *o, const struct check *c, const struct caps *k,
			int width, const char *layer)
{
	static const char *const marks[] = { "?", "\xe2\x9c\x93", "\xe2\x9c\x97", "\xe2\x80\x93" };
	struct shown s;
	size_t i;

	shown_fill(&s, c, k, FORMAT_TEXT);
	if (k->ids_only) {
		out_printf(o, "%-9s %s %s\n", layer, marks[c->res.status], s.name);
		return;
	}
	out_printf(o, "%-9s %s %-*s  ", layer, marks[c->res.status], width, s.name);
	if (c->res.status == CHECK_SKIP) {
		out_printf(o, "skipped: %s failed\n", s.cause);
		return;
	}
	if (s.error[0])
		out_printf(o, "%s  ", s.error);
	for (i = 0; i < c->res.nitems; i++) {
		out_printf(o, "%s%s=", i ? " " : "", c->res.items[i].key);
		put_detail_value(o, &c->res, &c->res.items[i], FORMAT_TEXT, k->list);
	}
	out_printf(o, "%s(%.1f ms)\n", c->res.nitems ? "  " : "", c->res.ms);
	if (s.hint[0] && c->res.status == CHECK_FAIL)
		out_printf(o, "%-9s     fix: %s\n", "", s.hint);
	if (s.warning[0])
		out_printf(o, "%-9s     warning: %s\n", "", s.warning);
}

static void render_summary(struct out *o, enum report_format f,
			   const struct report_summary *sum)
{
	int healthy = sum->failed == 0 && sum->skipped == 0;
	const char *verdict = healthy ? "healthy" : "unhealthy";

	if (f == FORMAT_JSON) {
		out_printf(o,
			   "{\"probe\":\"%s\",\"failed\":%d,\"passed\":%d,\"skipped\":%d,"
			   "\"ms\":",
			   verdict, sum->failed, sum->passed, sum->skipped);
		put_ms(o, sum->ms);
		out_puts(o, ",\"version\":\"" PROBE_VERSION "\"}\n");
	} else if (f == FORMAT_LOGFMT) {
		out_printf(o, "probe=%s failed=%d passed=%d skipped=%d ms=%.1f version=%s\n",
			   verdict, sum->failed, sum->passed, sum->skipped, sum->ms,
			   PROBE_VERSION);
	} else {
		out_printf(o, "%s %s: %d failed, %d passed, %d skipped (%.1f ms)\n",
			   healthy ? "\xe2\x9c\x93" : "\xe2\x9c\x97", verdict, sum->failed,
			   sum->passed, sum->skipped, sum->ms);
	}
}

/* The last line of a report that left checks out: how many, by result. */
static void render_omitted(struct out *o, enum report_format f, const size_t left[4])
{
	size_t n = left[CHECK_FAIL] + left[CHECK_SKIP] + left[CHECK_PASS];

	if (f == FORMAT_JSON)
		out_printf(o, "{\"omitted\":%zu,\"failed\":%zu,\"skipped\":%zu,\"passed\":%zu}\n",
			   n, left[CHECK_FAIL], left[CHECK_SKIP], left[CHECK_PASS]);
	else if (f == FORMAT_LOGFMT)
		out_printf(o, "omitted=%zu failed=%zu skipped=%zu passed=%zu\n", n,
			   left[CHECK_FAIL], left[CHECK_SKIP], left[CHECK_PASS]);
	else
		out_printf(o,
			   "\xe2\x80\xa6 %zu more not shown (%zu failed, %zu skipped, %zu passed): "
			   "the report keeps to %d bytes\n",
			   n, left[CHECK_FAIL], left[CHECK_SKIP], left[CHECK_PASS], REPORT_BUDGET);
}

/* The lines a report can hold: each takes at least a dozen bytes. */
#define REPORT_LINES_MAX (REPORT_BUDGET / 8)

/* One check's lines, rendered on their own before they join the report:
 * a block that does not fit is left out whole, never cut. */
static char block[16384];

/* Renders with one set of caps into o, at most `budget` bytes: the
 * summary, then the failures, skips and passes, each in layer order.  A
 * check that does not fit is left out with all after it, and a last line
 * counts them.  Returns 0, or -1 when a failure or skip had to be left
 * out and `last` is not set: tighter caps may keep them all. */
static int render_once(struct out *o, enum report_format f, int quiet,
		       struct check *const *checks, size_t n, const struct report_summary *sum,
		       const struct caps *k, size_t budget, int last)
{
	static const enum check_status order[] = { CHECK_FAIL, CHECK_SKIP, CHECK_PASS };
	size_t starts[REPORT_LINES_MAX];
	unsigned char status[REPORT_LINES_MAX];
	size_t i, g, lines = 0, left[4] = { 0 };
	int layer, width = 0, dropping = 0;

	for (i = 0; i < n && f == FORMAT_TEXT && !k->ids_only; i++) {
		char name[1024];

		field(name, sizeof(name), checks[i]->name, k->name, f);
		if ((int)strlen(name) > width)
			width = (int)strlen(name);
	}
	if (width > 40)
		width = 40;
	render_summary(o, f, sum);
	for (g = 0; g < 3; g++) {
		int shown_layer = -1;

		if (quiet && order[g] == CHECK_PASS)
			break;
		for (layer = 0; layer < LAYER_COUNT; layer++) {
			for (i = 0; i < n; i++) {
				const struct check *c = checks[i];
				struct out b = { block, sizeof(block), 0 };

				if (c->res.status != order[g] || (int)c->kind->layer != layer)
					continue;
				if (!dropping) {
					block[0] = '\0';
					if (f == FORMAT_JSON)
						render_json(&b, c, k);
					else if (f == FORMAT_LOGFMT)
						render_logfmt(&b, c, k);
					else
						render_text(&b, c, k, width,
							    shown_layer == layer ? ""
										 : layer_names[layer]);
				}
				/* a block that filled its buffer lost its end */
				if (dropping || b.len + 1 >= sizeof(block) ||
				    o->len + b.len > budget || lines == REPORT_LINES_MAX) {
					if (c->res.status != CHECK_PASS && !last)
						return -1;
					dropping = 1;
					left[c->res.status]++;
					continue;
				}
				starts[lines] = o->len;
				status[lines++] = (unsigned char)c->res.status;
				out_putn(o, block, b.len);
				shown_layer = layer;
			}
		}
	}
	if (!dropping)
		return 0;
	/* Room for the last line: give back whole lines from the end. */
	for (;;) {
		struct out b = { block, sizeof(block), 0 };

		block[0] = '\0';
		render_omitted(&b, f, left);
		if (o->len + b.len <= budget || lines == 0) {
			out_putn(o, block, b.len);
			return 0;
		}
		lines--;
		if (status[lines] != CHECK_PASS && !last)
			return -1;
		left[status[lines]]++;
		o->len = starts[lines];
		o->buf[o->len] = '\0';
	}
}

size_t report_render(char *buf, size_t cap, enum report_format f, int quiet,
		     struct check *const *checks, size_t n,
		     const struct report_summary *sum)
{
	size_t level, budget = cap - 1 < REPORT_BUDGET ? cap - 1 : REPORT_BUDGET;

	f = report_resolve(f);
	buf[0] = '\0';
	if (quiet && sum->failed == 0 && sum->skipped == 0)
		return 0;
	/* The first caps that keep every failure and skip; passes that do
	 * not fit are left out. */
	for (level = 0; level < CAPS_LEVELS; level++) {
		struct out o = { buf, cap, 0 };

		buf[0] = '\0';
		if (render_once(&o, f, quiet, checks, n, sum, &caps_levels[level], budget,
				level + 1 == CAPS_LEVELS) == 0)
			return o.len;
	}
	return 0;
}

size_t report_attempt(char *buf, size_t cap, enum report_format f, int attempt,
		      struct check *const *checks, size_t n,
		      const struct report_summary *sum, int64_t next_ms)
{
	const struct check *first = NULL;
	struct out o = { buf, cap, 0 };
	char name[1024], error[1024];
	size_t i;
	int layer;

	/* The first failure in layer order: the likeliest root cause. */
	for (layer = 0; layer < LAYER_COUNT && !first; layer++)
		for (i = 0; i < n && !first; i++)
			if (checks[i]->res.status == CHECK_FAIL && (int)checks[i]->kind->layer == layer)
				first = checks[i];
	f = report_resolve(f);
	field(name, sizeof(name), first ? first->name : "", 120, f);
	field(error, sizeof(error), first ? first->res.error : "", 200, f);
	buf[0] = '\0';
	if (f == FORMAT_JSON) {
		out_printf(&o, "{\"wait\":\"retry\",\"attempt\":%d,\"failed\":%d,\"skipped\":%d,"
			       "\"ms\":%.1f,\"next_ms\":%lld",
			   attempt, sum->failed, sum->skipped, sum->ms, (long long)next_ms);
		if (first) {
			out_puts(&o, ",\"first\":");
			put_json_str(&o, name);
			out_puts(&o, ",\"error\":");
			put_json_str(&o, error);
		}
		out_puts(&o, "}\n");
	} else if (f == FORMAT_LOGFMT) {
		out_printf(&o, "wait=retry attempt=%d failed=%d skipped=%d ms=%.1f next_ms=%lld",
			   attempt, sum->failed, sum->skipped, sum->ms, (long long)next_ms);
		if (first) {
			out_puts(&o, " first=");
			put_logfmt_str(&o, name);
			out_puts(&o, " error=");
			put_logfmt_str(&o, error);
		}
		out_puts(&o, "\n");
	} else {
		out_printf(&o, "\xe2\x80\xa6 attempt %d: %d failed, %d skipped", attempt, sum->failed,
			   sum->skipped);
		if (first)
			out_printf(&o, ": %s: %s", name, error);
		out_printf(&o, " (next in %.1f s)\n", (double)next_ms / 1000);
	}
	return o.len;
}

size_t report_stopped(char *buf, size_t cap, enum report_format f, const char *signame,
		      int code, int attempts, double ms)
{
	struct out o = { buf, cap, 0 };

	buf[0] = '\0';
	f = report_resolve(f);
	if (f == FORMAT_JSON) {
		out_puts(&o, "{\"probe\":\"stopped\",\"signal\":");
		put_json_str(&o, signame);
		out_printf(&o, ",\"exit\":%d,\"attempts\":%d,\"ms\":", code, attempts);
		put_ms(&o, ms);
		out_puts(&o, ",\"version\":\"" PROBE_VERSION "\"}\n");
	} else if (f == FORMAT_LOGFMT) {
		out_puts(&o, "probe=stopped signal=");
		put_logfmt_str(&o, signame);
		out_printf(&o, " exit=%d attempts=%d ms=", code, attempts);
		put_ms(&o, ms);
		out_puts(&o, " version=" PROBE_VERSION "\n");
	} else {
		out_printf(&o, "\xe2\x9c\x97 stopped by %s after %d attempt%s (%.1f s): exit %d\n",
			   signame, attempts, attempts == 1 ? "" : "s", ms / 1000, code);
	}
	return o.len;
}

/* One check of a discovered plan, rendered into o; k counts the checks
 * before it. */
static void plan_entry(struct out *o, enum report_format f, size_t k, const char *words,
		       const char *why)
{
	char text[4096];

	if (f == FORMAT_JSON) {
		out_puts(o, k ? ",{\"words\":" : "{\"words\":");
		put_json_str(o, words);
		out_puts(o, ",\"why\":");
		put_json_str(o, why);
		out_puts(o, "}");
	} else if (f == FORMAT_LOGFMT) {
		out_puts(o, "plan=discovered words=");
		put_logfmt_str(o, words);
		out_puts(o, " why=");
		put_logfmt_str(o, why);
		out_puts(o, "\n");
	} else {
		struct out t = { text, sizeof(text), 0 };

		text[0] = '\0';
		put_escaped(&t, words, ESC_TEXT);
		out_printf(o, "  %-40s  # ", text);
		put_escaped(o, why, ESC_TEXT);
		out_puts(o, "\n");
	}
}

/* Renders the plan into o within budget; with `reserve`, keeps that many
 * bytes free for the end while adding checks.  Returns how many checks
 * were left out. */
static size_t plan_once(struct out *o, enum report_format f, const struct wordlist *words,
			const struct wordlist *why, size_t budget, size_t reserve)
{
	char line[1024], clean[1024];
	size_t i = 0, k = 0, split, left = 0;

	if (f == FORMAT_JSON)
		out_puts(o, "{\"plan\":\"discovered\",\"checks\":[");
	else if (f == FORMAT_TEXT)
		out_puts(o, "\nplan (nothing was named, so probe looked; probe --plan prints it):\n");
	while (i < words->n) {
		struct out lo = { line, sizeof(line), 0 }, b = { block, sizeof(block), 0 };

		line[0] = '\0';
		out_puts(&lo, words->v[i++]);
		while (i < words->n && words->v[i][0] != '@' &&
		       words_classify(words->v[i], &split) != WORD_CHECK) {
			out_puts(&lo, " ");
			out_puts(&lo, words->v[i++]);
		}
		if (left) {
			left++;
			continue;
		}
		report_scrub(clean, sizeof(clean), line);
		block[0] = '\0';
		plan_entry(&b, f, k, clean, k < why->n ? why->v[k] : "");
		if (o->len + b.len + reserve > budget || b.len + 1 >= sizeof(block)) {
			left++;
			continue;
		}
		out_putn(o, block, b.len);
		k++;
	}
	if (f == FORMAT_JSON && left)
		out_printf(o, "],\"omitted\":%zu}\n", left);
	else if (f == FORMAT_JSON)
		out_puts(o, "]}\n");
	else if (left && f == FORMAT_LOGFMT)
		out_printf(o, "plan=omitted omitted=%zu\n", left);
	else if (left)
		out_printf(o, "  \xe2\x80\xa6 %zu more: probe --plan prints them all\n", left);
	return left;
}

size_t report_plan(char *buf, size_t cap, enum report_format f, const struct wordlist *words,
		   const struct wordlist *why, size_t budget)
{
	struct out o = { buf, cap, 0 };

	buf[0] = '\0';
	f = report_resolve(f);
	if (budget > cap - 1)
		budget = cap - 1;
	if (plan_once(&o, f, words, why, budget, 0) == 0 && o.len <= budget)
		return o.len;
	/* Some did not fit: again, with room kept for the count. */
	o.len = 0;
	buf[0] = '\0';
	plan_once(&o, f, words, why, budget, 64);
	if (o.len > budget) {
		buf[0] = '\0';
		return 0;
	}
	return o.len;
}

void report_write(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		len -= (size_t)w;
	}
}

void report_error(enum report_format f, int code, const char *msg)
{
	char clean[1024], line[2048];
	struct out o = { line, sizeof(line), 0 };

	report_scrub(clean, sizeof(clean), msg);
	line[0] = '\0';
	f = report_resolve(f);
	if (f == FORMAT_JSON) {
		out_printf(&o, "{\"probe\":\"error\",\"exit\":%d,\"error\":", code);
		put_json_str(&o, clean);
		out_printf(&o, ",\"version\":\"%s\"}\n", PROBE_VERSION);
	} else if (f == FORMAT_LOGFMT) {
		out_printf(&o, "probe=error exit=%d error=", code);
		put_logfmt_str(&o, clean);
		out_puts(&o, "\n");
	} else {
		out_puts(&o, "probe: ");
		put_escaped(&o, clean, ESC_TEXT);
		out_puts(&o, "\n");
	}
	report_write(line, o.len);
}
