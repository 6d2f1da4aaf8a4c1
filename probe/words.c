/*
 * words.c - from words to checks.  Everything here is pure but for getenv:
 * every option is validated before any check does I/O.
 */
#include "probe/words.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/report.h"

/* Options every kind takes; the kinds list their own in kind->keys. */
static const char *const common_keys[] = { "name", "timeout", "level", NULL };

int wordlist_add(struct wordlist *wl, const char *w)
{
	char *copy;

	if (wl->n == wl->cap) {
		size_t cap = wl->cap ? wl->cap * 2 : 16;
		char **v = realloc(wl->v, cap * sizeof(*v));

		if (!v)
			return -1;
		wl->v = v;
		wl->cap = cap;
	}
	copy = strdup(w);
	if (!copy)
		return -1;
	wl->v[wl->n++] = copy;
	return 0;
}

void wordlist_free(struct wordlist *wl)
{
	size_t i;

	for (i = 0; i < wl->n; i++)
		free(wl->v[i]);
	free(wl->v);
	wl->v = NULL;
	wl->n = wl->cap = 0;
}

int words_split(const char *text, const char *origin, struct wordlist *out,
		struct probe_err *err)
{
	const char *p = text;
	size_t cap = strlen(text) + 1;
	char *buf = malloc(cap);
	int line = 1;

	if (!buf)
		return probe_err_set(err, EXIT_CONFIG, "%s: out of memory", origin);
	while (*p) {
		size_t len = 0;
		int have = 0;

		while (*p && isspace((unsigned char)*p)) {
			if (*p == '\n')
				line++;
			p++;
		}
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		while (*p && !isspace((unsigned char)*p)) {
			if (*p == '"' || *p == '\'') {
				char q = *p++;

				while (*p && *p != q && *p != '\n')
					buf[len++] = *p++;
				if (*p != q) {
					free(buf);
					return probe_err_set(err, EXIT_USAGE,
							     "%s, line %d: unclosed %c quote",
							     origin, line, q);
				}
				p++;
			} else {
				buf[len++] = *p++;
			}
			have = 1;
		}
		if (!have)
			continue;
		buf[len] = '\0';
		if (wordlist_add(out, buf) < 0) {
			free(buf);
			return probe_err_set(err, EXIT_CONFIG, "%s: out of memory", origin);
		}
	}
	free(buf);
	return 0;
}

/* A growing string for expansion. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static int sbuf_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static int var_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* Expands "@NAME" (the whole of s) into out.  Returns 1 when s was such a
 * reference, 0 when it was not, -1 with err when the variable is unset. */
static int expand_at(const char *s, const char *word, struct sbuf *out,
		     struct probe_err *err)
{
	const char *v;

	if (s[0] != '@' || !var_name_ok(s + 1, strlen(s + 1)))
		return 0;
	v = getenv(s + 1);
	if (!v)
		return probe_err_set(err, EXIT_CONFIG, "'%s': variable %s is not set", word,
				     s + 1);
	return sbuf_put(out, v, strlen(v)) < 0 ? -1 : 1;
}

/* Expands ${NAME}, ${NAME:-default} and $$ in s into out. */
static int expand_dollar(const char *s, const char *word, struct sbuf *out,
			 struct probe_err *err)
{
	const char *p = s;

	while (*p) {
		const char *dollar = strchr(p, '$');
		const char *close, *dash, *v;
		size_t nlen;

		if (!dollar)
			return sbuf_put(out, p, strlen(p));
		if (sbuf_put(out, p, (size_t)(dollar - p)) < 0)
			return -1;
		if (dollar[1] == '$') {
			if (sbuf_put(out, "$", 1) < 0)
				return -1;
			p = dollar + 2;
			continue;
		}
		if (dollar[1] != '{') {
			size_t n = 0;

			while (isalnum((unsigned char)dollar[1 + n]) || dollar[1 + n] == '_')
				n++;
			/* $NAME is what a shell would expand: say so rather
			 * than pass it on.  Any other $ (a regex's end
			 * anchor) is itself. */
			if (n && !isdigit((unsigned char)dollar[1]))
				return probe_err_set(err, EXIT_USAGE,
						     "'%s': write ${%.*s} for a variable, or $$ "
						     "for a literal $", word, (int)n, dollar + 1);
			if (sbuf_put(out, "$", 1) < 0)
				return -1;
			p = dollar + 1;
			continue;
		}
		close = strchr(dollar + 2, '}');
		if (!close)
			return probe_err_set(err, EXIT_USAGE, "'%s': '${' without '}'", word);
		dash = strstr(dollar + 2, ":-");
		if (dash && dash > close)
			dash = NULL;
		/* A default may itself hold '}' only if it is the last one. */
		nlen = (size_t)((dash ? dash : close) - (dollar + 2));
		if (!var_name_ok(dollar + 2, nlen))
			return probe_err_set(err, EXIT_USAGE, "'%s': '%.*s' is not a variable name",
					     word, (int)nlen, dollar + 2);
		{
			char name[256];

			if (nlen >= sizeof(name))
				return probe_err_set(err, EXIT_USAGE,
						     "'%s': variable name too long", word);
			memcpy(name, dollar + 2, nlen);
			name[nlen] = '\0';
			v = getenv(name);
			if (dash && (!v || !*v)) {
				if (sbuf_put(out, dash + 2, (size_t)(close - dash - 2)) < 0)
					return -1;
			} else if (!v) {
				return probe_err_set(err, EXIT_CONFIG,
						     "'%s': variable %s is not set (write "
						     "${%s:-default} for a default)",
						     word, name, name);
			} else if (sbuf_put(out, v, strlen(v)) < 0) {
				return -1;
			}
		}
		p = close + 1;
	}
	return 0;
}

char *words_expand(const char *word, struct probe_err *err)
{
	struct sbuf out = { 0 };
	size_t split;
	int rc;

	if (sbuf_put(&out, "", 0) < 0)
		goto oom;
	rc = expand_at(word, word, &out, err);
	if (rc == 0 && words_classify(word, &split) == WORD_OPTION &&
	    word[split + 1] == '@') {
		if (sbuf_put(&out, word, split + 1) < 0)
			goto oom;
		rc = expand_at(word + split + 1, word, &out, err);
		if (rc == 0)
			out.len = 0;
	}
	if (rc == 0)
		rc = expand_dollar(word, word, &out, err);
	if (rc < 0) {
		if (!err->code)
			goto oom;
		free(out.s);
		return NULL;
	}
	return out.s;
oom:
	free(out.s);
	probe_err_set(err, EXIT_CONFIG, "out of memory");
	return NULL;
}

enum word_class words_classify(const char *w, size_t *split)
{
	size_t i;

	if (islower((unsigned char)w[0])) {
		for (i = 1; islower((unsigned char)w[i]) || isdigit((unsigned char)w[i]) ||
			    w[i] == '+' || w[i] == '.' || w[i] == '-';
		     i++)
			;
		if (w[i] == ':') {
			*split = i;
			return WORD_CHECK;
		}
		for (i = 1; islower((unsigned char)w[i]) || isdigit((unsigned char)w[i]) ||
			    w[i] == '_' || w[i] == '-';
		     i++)
			;
		if (w[i] == '~')
			i++;
		if (w[i] == '=') {
			*split = i;
			return WORD_OPTION;
		}
	}
	return WORD_BAD;
}

static int key_in(const char *key, const char *const *keys)
{
	size_t i;

	for (i = 0; keys && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

int level_parse(const char *s, enum probe_level *out)
{
	static const char *const names[] = { "live", "ready", "startup" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum probe_level)i;
			return 0;
		}
	}
	return -1;
}

const char *level_name(enum probe_level l)
{
	return l == LEVEL_LIVE ? "live" : l == LEVEL_READY ? "ready" : "startup";
}

/* Lists the names a kind takes, for an error message. */
static void keys_list(const struct check_kind *k, char *buf, size_t n)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; k->keys && k->keys[i]; i++)
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s=",
					 i ? ", " : "", k->keys[i]);
	for (i = 0; common_keys[i]; i++)
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s=",
					 used ? ", " : "", common_keys[i]);
}

static void kinds_list(char *buf, size_t n)
{
	size_t i, j, used = 0;

	buf[0] = '\0';
	for (i = 0; registry_kinds[i]; i++)
		for (j = 0; registry_kinds[i]->names[j]; j++)
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s:",
						 used ? ", " : "", registry_kinds[i]->names[j]);
}

void check_free(struct check *c)
{
	size_t i;

	if (!c)
		return;
	if (c->kind && c->kind->free)
		c->kind->free(c);
	for (i = 0; i < c->nopts; i++) {
		free(c->opts[i].key);
		free(c->opts[i].value);
	}
	free(c->opts);
	free(c->word);
	free(c->name);
	free(c->scheme);
	free(c->dep_key);
	free(c);
}

void plan_free(struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		check_free(plan->checks[i]);
	free(plan->checks);
	plan->checks = NULL;
	plan->n = 0;
}

/* Starts a check from an expanded check word (takes ownership of w). */
static struct check *check_new(char *w, size_t split, struct probe_err *err)
{
	struct check *c = calloc(1, sizeof(*c));
	char shown[1024];

	if (!c) {
		free(w);
		probe_err_set(err, EXIT_CONFIG, "out of memory");
		return NULL;
	}
	c->word = w;
	c->scheme = strndup(w, split);
	c->rest = w + split + 1;
	report_scrub(shown, sizeof(shown), w);
	c->name = strdup(shown);
	if (!c->scheme || !c->name) {
		check_free(c);
		probe_err_set(err, EXIT_CONFIG, "out of memory");
		return NULL;
	}
	c->kind = registry_find(c->scheme);
	if (!c->kind) {
		char known[512];

		kinds_list(known, sizeof(known));
		probe_err_set(err, EXIT_USAGE, "'%s': unknown check kind '%s:' (known: %s)",
			      shown, c->scheme, known);
		check_free(c);
		return NULL;
	}
	return c;
}

static int check_add_opt(struct check *c, char *w, size_t split, struct probe_err *err)
{
	struct check_opt *o = realloc(c->opts, (c->nopts + 1) * sizeof(*o));

	if (!o) {
		free(w);
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	}
	c->opts = o;
	o = &c->opts[c->nopts];
	o->key = strndup(w, split);
	o->value = strdup(w + split + 1);
	o->used = 0;
	free(w);
	if (!o->key || !o->value) {
		free(o->key);
		free(o->value);
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	}
	c->nopts++;
	return 0;
}

/* Applies the common options, checks every key, and lets the kind parse. */
static int check_finish(struct check *c, struct probe_err *err)
{
	const char *v;
	size_t i;

	for (i = 0; i < c->nopts; i++) {
		if (!key_in(c->opts[i].key, common_keys) &&
		    !key_in(c->opts[i].key, c->kind->keys)) {
			char keys[512];

			keys_list(c->kind, keys, sizeof(keys));
			return probe_err_set(err, EXIT_USAGE,
					     "%s: unknown option '%s=' (%s: takes %s)", c->name,
					     c->opts[i].key, c->scheme, keys);
		}
	}
	v = check_opt_get(c, "name");
	if (v) {
		char *name = strdup(v);

		if (!name)
			return probe_err_set(err, EXIT_CONFIG, "out of memory");
		if (!*name) {
			free(name);
			return probe_err_set(err, EXIT_USAGE, "%s: name= is empty", c->name);
		}
		free(c->name);
		c->name = name;
	}
	if (check_opt_duration(c, "timeout", 0, &c->timeout_ms, err) < 0)
		return -1;
	c->level = c->kind->level;
	if (c->kind->parse(c, err) < 0) {
		if (!err->code)
			probe_err_set(err, EXIT_USAGE, "%s: invalid check", c->name);
		return -1;
	}
	/* A socket or app check against another host is a dependency. */
	if (c->level == LEVEL_LIVE && c->ep.host[0] && !c->ep.local)
		c->level = LEVEL_READY;
	v = check_opt_get(c, "level");
	if (v && level_parse(v, &c->level) < 0)
		return probe_err_set(err, EXIT_USAGE,
				     "%s: level=%s: expected live, ready or startup", c->name, v);
	return 0;
}

/* A rejected check's words, as written and expanded, are registered for
 * all they may hide (secret_add_word), and so is what expansion put into
 * them (an @VAR's or ${VAR}'s value may be anything): the run ends with an
 * error message that may quote any piece of them. */
static void words_rejected(char *const *words, size_t from, size_t to)
{
	size_t j;

	for (j = from; j < to; j++) {
		struct probe_err ignore = { 0 };
		char *w = words_expand(words[j], &ignore);
		const char *raw = words[j];
		size_t pre = 0, post = 0, rl = strlen(raw), wl;

		secret_add_word(raw, 1);
		if (!w)
			continue;
		secret_add_word(w, 1);
		wl = strlen(w);
		/* what expansion put in: between the common start and end */
		while (pre < rl && pre < wl && w[pre] == raw[pre])
			pre++;
		while (pre + post < rl && pre + post < wl && w[wl - 1 - post] == raw[rl - 1 - post])
			post++;
		if (strcmp(w, raw) != 0) {
			w[wl - post] = '\0';
			secret_add(w + pre);
		}
		free(w);
	}
}

/* How an error names a word: as written when expansion changed it (an
 * @VAR's value may be anything), else as it is; masked either way. */
static void word_shown(char *shown, size_t n, const char *raw, const char *w)
{
	report_scrub(shown, n, strcmp(raw, w) != 0 ? raw : w);
}

int words_parse(char *const *words, size_t n, struct plan *plan,
		struct probe_err *err)
{
	struct check *cur = NULL;
	size_t i, split, start = 0;

	plan->checks = NULL;
	plan->n = 0;
	for (i = 0; i < n; i++) {
		char *w = words_expand(words[i], err);
		enum word_class cls;

		if (!w)
			goto fail;
		/* Before any parser can quote a piece of it. */
		secret_add_word(w, 0);
		cls = words_classify(w, &split);
		if (cls == WORD_CHECK) {
			struct check **grown;

			if (cur && check_finish(cur, err) < 0) {
				free(w);
				goto fail_check;
			}
			if (plan->n == PLAN_CHECKS_MAX) {
				free(w);
				probe_err_set(err, EXIT_USAGE,
					      "more than %d checks: one run takes at most %d",
					      PLAN_CHECKS_MAX, PLAN_CHECKS_MAX);
				goto fail;
			}
			start = i;
			cur = check_new(w, split, err);
			if (!cur)
				goto fail_check;
			grown = realloc(plan->checks, (plan->n + 1) * sizeof(*grown));
			if (!grown) {
				check_free(cur);
				probe_err_set(err, EXIT_CONFIG, "out of memory");
				goto fail;
			}
			plan->checks = grown;
			plan->checks[plan->n++] = cur;
		} else if (cls == WORD_OPTION) {
			if (!cur) {
				char shown[256];

				word_shown(shown, sizeof(shown), words[i], w);
				free(w);
				probe_err_set(err, EXIT_USAGE,
					      "'%s': an option needs a check before it "
					      "(like http://127.0.0.1:8000/health status=200)",
					      shown);
				goto fail;
			}
			if (check_add_opt(cur, w, split, err) < 0)
				goto fail;
		} else {
			char shown[256];
			int changed = strcmp(words[i], w) != 0;

			word_shown(shown, sizeof(shown), words[i], w);
			free(w);
			probe_err_set(err, EXIT_USAGE,
				      changed ? "'%s' expands to neither a check (scheme:...) nor an "
						"option (name=value)"
					      : "'%s': not a check (scheme:...) nor an option (name=value)",
				      shown);
			goto fail;
		}
	}
	if (cur && check_finish(cur, err) < 0)
		goto fail_check;
	return 0;
fail_check:
	/* A check word that came whole from @VAR: say which variable. */
	if (err->code == EXIT_USAGE && words[start][0] == '@')
		probe_err_prefix(err, EXIT_USAGE, "%s", words[start]);
fail:
	words_rejected(words, start, i < n ? i + 1 : n);
	plan_free(plan);
	return -1;
}
