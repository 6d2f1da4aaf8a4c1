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

void json_escape(char *buf, size_t n, const char *s)
{
	struct out o = { buf, n, strlen(buf) };

	for (; *s; s++) {
		unsigned char ch;
		size_t run = 0;

		/* Copy the run of bytes that need no escape at once. */
		while ((unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\' &&
		       s[run] != 0x7f)
			run++;
		if (run > 0) {
			out_putn(&o, s, run);
			s += run - 1;
			continue;
		}
		ch = (unsigned char)*s;
		switch (ch) {
		case '"':
			out_puts(&o, "\\\"");
			break;
		case '\\':
			out_puts(&o, "\\\\");
			break;
		case '\n':
			out_puts(&o, "\\n");
			break;
		case '\r':
			out_puts(&o, "\\r");
			break;
		case '\t':
			out_puts(&o, "\\t");
			break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				out_printf(&o, "\\u%04x", ch);
			else
				out_putn(&o, (const char *)&ch, 1);
		}
	}
}

enum report_format report_resolve(enum report_format f)
{
	if (f != FORMAT_AUTO)
		return f;
	return isatty(STDERR_FILENO) ? FORMAT_TEXT : FORMAT_JSON;
}

/* Field caps for one rendering; later levels are tighter, so that the
 * failures of a long report still fit in Docker's first 4 KiB. */
struct caps {
	size_t name, target, error, hint, warning, list;
};

static const struct caps caps_levels[] = {
	{ 240, 240, 255, 255, 255, 16 },
	{ 100, 100, 160, 140, 100, 8 },
	{ 48, 48, 100, 64, 48, 3 },
	{ 32, 32, 72, 0, 0, 1 },
};

/* Scrubs s, then shortens it to cap bytes (on a UTF-8 boundary, with an
 * ellipsis) into dst. */
static void field(char *dst, size_t n, const char *s, size_t cap)
{
	size_t len;

	report_scrub(dst, n, s);
	len = strlen(dst);
	if (cap == 0) {
		dst[0] = '\0';
		return;
	}
	if (len <= cap || cap < 4)
		return;
	len = cap - 3;
	while (len > 0 && ((unsigned char)dst[len] & 0xc0) == 0x80)
		len--;
	memcpy(dst + len, "\xe2\x80\xa6", 4);
}

static void put_json_str(struct out *o, const char *s)
{
	char esc[2 * SCRUB_MAX];

	esc[0] = '\0';
	json_escape(esc, sizeof(esc), s);
	out_puts(o, "\"");
	out_puts(o, esc);
	out_puts(o, "\"");
}

/* logfmt: bare when safe, else quoted with \" and \\ escaped. */
static void put_logfmt_str(struct out *o, const char *s)
{
	const char *p;

	if (*s && !strpbrk(s, " =\"\t\n\\")) {
		out_puts(o, s);
		return;
	}
	out_puts(o, "\"");
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			out_putn(o, "\\", 1);
		if (*p == '\n')
			out_puts(o, "\\n");
		else
			out_putn(o, p, 1);
	}
	out_puts(o, "\"");
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
	char tmp[512];
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
		field(tmp, sizeof(tmp), detail_list_at(r, it, 0), 200);
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
			field(tmp, sizeof(tmp), detail_list_at(r, it, i), 120);
			if (i)
				out_puts(o, ",");
			if (f == FORMAT_JSON)
				put_json_str(o, tmp);
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

static void shown_fill(struct shown *s, const struct check *c, const struct caps *k)
{
	field(s->name, sizeof(s->name), c->name, k->name);
	field(s->target, sizeof(s->target), check_target(c), k->target);
	field(s->error, sizeof(s->error), c->res.error, k->error);
	field(s->hint, sizeof(s->hint), c->res.hint, k->hint);
	field(s->warning, sizeof(s->warning), c->res.warning, k->warning);
	field(s->cause, sizeof(s->cause), c->res.cause, k->name);
}

static void render_json(struct out *o, const struct check *c, const struct caps *k)
{
	struct shown s;
	size_t i;

	shown_fill(&s, c, k);
	out_puts(o, "{\"check\":");
	put_json_str(o, c->kind->names[0]);
	out_puts(o, ",\"name\":");
	put_json_str(o, s.name);
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

	shown_fill(&s, c, k);
	out_printf(o, "check=%s name=", c->kind->names[0]);
	put_logfmt_str(o, s.name);
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

	shown_fill(&s, c, k);
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

/* Renders with one set of caps; returns the bytes that must survive a cut
 * at 4 KiB: the summary and every failed or skipped line. */
static size_t render_once(struct out *o, enum report_format f, int quiet,
			  struct check *const *checks, size_t n,
			  const struct report_summary *sum, const struct caps *k)
{
	static const enum check_status order[] = { CHECK_FAIL, CHECK_SKIP, CHECK_PASS };
	size_t i, g, must = 0;
	int layer, width = 0;

	for (i = 0; i < n && f == FORMAT_TEXT; i++) {
		char name[1024];

		field(name, sizeof(name), checks[i]->name, k->name);
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

				if (c->res.status != order[g] || (int)c->kind->layer != layer)
					continue;
				if (f == FORMAT_JSON)
					render_json(o, c, k);
				else if (f == FORMAT_LOGFMT)
					render_logfmt(o, c, k);
				else
					render_text(o, c, k, width,
						    shown_layer == layer ? "" : layer_names[layer]);
				shown_layer = layer;
			}
		}
		if (order[g] == CHECK_SKIP)
			must = o->len;
	}
	return must;
}

size_t report_render(char *buf, size_t cap, enum report_format f, int quiet,
		     struct check *const *checks, size_t n,
		     const struct report_summary *sum)
{
	size_t level;

	f = report_resolve(f);
	buf[0] = '\0';
	if (quiet && sum->failed == 0 && sum->skipped == 0)
		return 0;
	for (level = 0; level < sizeof(caps_levels) / sizeof(caps_levels[0]); level++) {
		struct out o = { buf, cap, 0 };
		size_t must;

		buf[0] = '\0';
		must = render_once(&o, f, quiet, checks, n, sum, &caps_levels[level]);
		if (must <= REPORT_BUDGET || level + 1 == sizeof(caps_levels) / sizeof(caps_levels[0]))
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
	char name[256], error[512];
	size_t i;
	int layer;

	/* The first failure in layer order: the likeliest root cause. */
	for (layer = 0; layer < LAYER_COUNT && !first; layer++)
		for (i = 0; i < n && !first; i++)
			if (checks[i]->res.status == CHECK_FAIL && (int)checks[i]->kind->layer == layer)
				first = checks[i];
	field(name, sizeof(name), first ? first->name : "", 120);
	field(error, sizeof(error), first ? first->res.error : "", 200);
	buf[0] = '\0';
	f = report_resolve(f);
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

size_t report_plan(char *buf, size_t cap, enum report_format f, const struct wordlist *words,
		   const struct wordlist *why)
{
	struct out o = { buf, cap, 0 };
	char line[1024], clean[1024];
	size_t i = 0, k = 0, split;

	buf[0] = '\0';
	f = report_resolve(f);
	if (f == FORMAT_JSON)
		out_puts(&o, "{\"plan\":\"discovered\",\"checks\":[");
	else if (f == FORMAT_TEXT)
		out_puts(&o, "\nplan (nothing was named, so probe looked; probe --plan prints it):\n");
	while (i < words->n) {
		struct out lo = { line, sizeof(line), 0 };

		line[0] = '\0';
		out_puts(&lo, words->v[i++]);
		while (i < words->n && words->v[i][0] != '@' &&
		       words_classify(words->v[i], &split) != WORD_CHECK) {
			out_puts(&lo, " ");
			out_puts(&lo, words->v[i++]);
		}
		report_scrub(clean, sizeof(clean), line);
		if (f == FORMAT_JSON) {
			out_puts(&o, k ? ",{\"words\":" : "{\"words\":");
			put_json_str(&o, clean);
			out_puts(&o, ",\"why\":");
			put_json_str(&o, k < why->n ? why->v[k] : "");
			out_puts(&o, "}");
		} else if (f == FORMAT_LOGFMT) {
			out_puts(&o, "plan=discovered words=");
			put_logfmt_str(&o, clean);
			out_puts(&o, " why=");
			put_logfmt_str(&o, k < why->n ? why->v[k] : "");
			out_puts(&o, "\n");
		} else {
			out_printf(&o, "  %-40s  # %s\n", clean, k < why->n ? why->v[k] : "");
		}
		k++;
	}
	if (f == FORMAT_JSON)
		out_puts(&o, "]}\n");
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
		out_printf(&o, "probe: %s\n", clean);
	}
	report_write(line, o.len);
}
