/*
 * alembic_parse.c - a migration file, judged the way Alembic loads it but
 * without Python: the module-level assignments of revision,
 * down_revision, branch_labels and depends_on, read by a tiny tokenizer.
 *
 * Why a tokenizer and not a line regex: the forms that occur are many -
 * Alembic's own templates (`revision = 'a1'`, and since 1.13
 * `revision: str = "a1"`, `down_revision: Union[str, None] = None`),
 * black and ruff reformatting merges into multi-line tuples with trailing
 * commas and comments, and a docstring that mentions `revision = ...`.  A
 * tokenizer that knows strings, comments, brackets and line continuations
 * sees a statement only where Python does.  Only literals are accepted: a
 * value Python would compute (`down_revision = other.rev`) is reported,
 * not guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "checks/alembic/alembic.h"

enum tok_type { TOK_EOF, TOK_NEWLINE, TOK_NAME, TOK_STRING, TOK_OP, TOK_OTHER, TOK_ERROR };

struct tok {
	enum tok_type type;
	size_t start, len; /* the token's bytes in the source */
	int line, col;
	/* TOK_STRING: the decoded value when it fits, and what it is */
	char str[ALEMBIC_ID_MAX + 1];
	size_t slen;
	int too_long, bytes, fstring;
};

struct lexer {
	const char *buf;
	size_t len, pos, line_start;
	int line, depth;
	struct tok peeked;
	int have_peeked;
	enum tok_type last; /* the type of the token lex_next returned last */
	char error[256];
};

static int lex_name_char(unsigned char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch >= 0x80;
}

/* Appends one byte to the token's decoded string, noting overflow. */
static void tok_put(struct tok *t, char ch)
{
	if (t->slen < ALEMBIC_ID_MAX)
		t->str[t->slen++] = ch;
	else
		t->too_long = 1;
}

/* Reads a string literal whose quote is at lx->pos (prefix already
 * consumed and described by raw).  Returns 0, or -1 when unterminated. */
static int lex_string(struct lexer *lx, struct tok *t, int raw)
{
	const char *b = lx->buf;
	char q = b[lx->pos];
	int triple = lx->pos + 2 < lx->len && b[lx->pos + 1] == q && b[lx->pos + 2] == q;
	int start_line = lx->line;

	lx->pos += triple ? 3 : 1;
	while (lx->pos < lx->len) {
		char ch = b[lx->pos];

		if (ch == q && (!triple || (lx->pos + 2 < lx->len && b[lx->pos + 1] == q &&
					    b[lx->pos + 2] == q))) {
			lx->pos += triple ? 3 : 1;
			t->str[t->slen] = '\0';
			return 0;
		}
		if (ch == '\n') {
			if (!triple)
				break;
			lx->line++;
			lx->line_start = lx->pos + 1;
			tok_put(t, ch);
			lx->pos++;
			continue;
		}
		if (ch == '\\' && lx->pos + 1 < lx->len) {
			char nx = b[lx->pos + 1];

			lx->pos += 2;
			if (nx == '\n') {
				lx->line++;
				lx->line_start = lx->pos;
				if (raw) {
					tok_put(t, '\\');
					tok_put(t, '\n');
				}
				continue;
			}
			if (raw) {
				tok_put(t, '\\');
				tok_put(t, nx);
				continue;
			}
			switch (nx) {
			case 'n': tok_put(t, '\n'); break;
			case 't': tok_put(t, '\t'); break;
			case 'r': tok_put(t, '\r'); break;
			case '0': tok_put(t, '\0'); break;
			case '\\': case '\'': case '"': tok_put(t, nx); break;
			case 'x':
				if (lx->pos + 1 < lx->len && hex_digit(b[lx->pos]) >= 0 &&
				    hex_digit(b[lx->pos + 1]) >= 0) {
					tok_put(t, (char)(hex_digit(b[lx->pos]) * 16 +
							  hex_digit(b[lx->pos + 1])));
					lx->pos += 2;
					break;
				}
				/* fall through */
			default:
				tok_put(t, '\\');
				tok_put(t, nx);
			}
			continue;
		}
		tok_put(t, ch);
		lx->pos++;
	}
	snprintf(lx->error, sizeof(lx->error), "line %d: a string that never ends", start_line);
	return -1;
}

/* A string prefix (r, b, u, f, rb, br, fr, rf in any case) right before a
 * quote: returns its length (0 when none) and what it says. */
static size_t lex_prefix(const struct lexer *lx, int *raw, int *bytes, int *fstr)
{
	size_t n = 0;

	*raw = *bytes = *fstr = 0;
	while (n < 3 && lx->pos + n < lx->len) {
		char ch = lx->buf[lx->pos + n];

		if (ch == 'r' || ch == 'R')
			*raw = 1;
		else if (ch == 'b' || ch == 'B')
			*bytes = 1;
		else if (ch == 'f' || ch == 'F')
			*fstr = 1;
		else if (ch != 'u' && ch != 'U')
			break;
		n++;
	}
	if (n == 0 || n > 2 || lx->pos + n >= lx->len)
		return 0;
	if (lx->buf[lx->pos + n] != '\'' && lx->buf[lx->pos + n] != '"')
		return 0;
	return n;
}

static struct tok lex_scan(struct lexer *lx);

/* The next token, noting its type in lx->last. */
static struct tok lex_next(struct lexer *lx)
{
	struct tok t;

	if (lx->have_peeked) {
		lx->have_peeked = 0;
		t = lx->peeked;
	} else {
		t = lex_scan(lx);
	}
	lx->last = t.type;
	return t;
}

/* Scans the next token.  Comments, blank space, backslash continuations and
 * new lines inside brackets are skipped; a new line outside brackets is a
 * TOK_NEWLINE.  TOK_ERROR carries lx->error. */
static struct tok lex_scan(struct lexer *lx)
{
	struct tok t;
	const char *b = lx->buf;

	memset(&t, 0, sizeof(t));
	for (;;) {
		char ch;

		if (lx->pos >= lx->len) {
			t.type = TOK_EOF;
			t.line = lx->line;
			t.start = lx->len;
			return t;
		}
		ch = b[lx->pos];
		if (ch == '#') {
			while (lx->pos < lx->len && b[lx->pos] != '\n')
				lx->pos++;
			continue;
		}
		if (ch == '\\' && lx->pos + 1 < lx->len && b[lx->pos + 1] == '\n') {
			lx->pos += 2;
			lx->line++;
			lx->line_start = lx->pos;
			continue;
		}
		if (ch == '\\' && lx->pos + 2 < lx->len && b[lx->pos + 1] == '\r' &&
		    b[lx->pos + 2] == '\n') {
			lx->pos += 3;
			lx->line++;
			lx->line_start = lx->pos;
			continue;
		}
		if (ch == '\n') {
			t.line = lx->line;
			t.start = lx->pos;
			lx->pos++;
			lx->line++;
			lx->line_start = lx->pos;
			if (lx->depth > 0)
				continue;
			t.type = TOK_NEWLINE;
			return t;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f')
			lx->pos++;
		else
			break;
	}
	t.start = lx->pos;
	t.line = lx->line;
	t.col = (int)(lx->pos - lx->line_start);
	{
		int raw, bytes, fstr;
		size_t np = lex_prefix(lx, &raw, &bytes, &fstr);
		char ch = b[lx->pos];

		if (np > 0 || ch == '\'' || ch == '"') {
			lx->pos += np;
			t.type = TOK_STRING;
			t.bytes = bytes;
			t.fstring = fstr;
			if (lex_string(lx, &t, raw) < 0)
				t.type = TOK_ERROR;
			t.len = lx->pos - t.start;
			return t;
		}
		if (lex_name_char((unsigned char)ch) && !(ch >= '0' && ch <= '9')) {
			while (lx->pos < lx->len && lex_name_char((unsigned char)b[lx->pos]))
				lx->pos++;
			t.type = TOK_NAME;
		} else if (ch >= '0' && ch <= '9') {
			while (lx->pos < lx->len &&
			       (lex_name_char((unsigned char)b[lx->pos]) || b[lx->pos] == '.'))
				lx->pos++;
			t.type = TOK_OTHER;
		} else {
			lx->pos++;
			t.type = TOK_OP;
			if (ch == '(' || ch == '[' || ch == '{')
				lx->depth++;
			else if ((ch == ')' || ch == ']' || ch == '}') && lx->depth > 0)
				lx->depth--;
			else if (ch == '=' && lx->pos < lx->len && b[lx->pos] == '=')
				lx->pos++; /* "==": not an assignment */
			else if (strchr("+-*/%&|^<>!:@", ch) && lx->pos < lx->len &&
				 b[lx->pos] == '=')
				lx->pos++; /* "+=", ":=", "<=" ...: one token */
			else if (ch == '-' && lx->pos < lx->len && b[lx->pos] == '>')
				lx->pos++;
		}
	}
	t.len = lx->pos - t.start;
	return t;
}

static struct tok lex_peek(struct lexer *lx)
{
	if (!lx->have_peeked) {
		lx->peeked = lex_scan(lx);
		lx->have_peeked = 1;
	}
	return lx->peeked;
}

static int tok_is(const struct lexer *lx, const struct tok *t, enum tok_type type,
		  const char *text)
{
	size_t n = strlen(text);

	return t->type == type && t->len == n && memcmp(lx->buf + t->start, text, n) == 0;
}

/* The end of a simple statement: a new line, ';' or the end of input. */
static int tok_ends(const struct lexer *lx, const struct tok *t)
{
	return t->type == TOK_NEWLINE || t->type == TOK_EOF || tok_is(lx, t, TOK_OP, ";");
}

/* Skips to the end of the current statement; returns the ending token. */
static struct tok lex_skip_statement(struct lexer *lx)
{
	struct tok t;

	do
		t = lex_next(lx);
	while (!tok_ends(lx, &t) && t.type != TOK_ERROR);
	return t;
}

static int list_add(struct alembic_list *l, const char *s, size_t n)
{
	char **v;

	if (l->n >= ALEMBIC_LIST_MAX)
		return -1;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	l->v = v;
	l->v[l->n] = malloc(n + 1);
	if (!l->v[l->n])
		return -1;
	memcpy(l->v[l->n], s, n);
	l->v[l->n][n] = '\0';
	l->n++;
	return 0;
}

static void list_free(struct alembic_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* What the value of an assignment was. */
enum val_kind { VAL_NONE, VAL_STR, VAL_SEQ };

struct value {
	enum val_kind kind;
	struct alembic_list items; /* VAL_STR: one item */
};

/* Fills err with "line N: KEY is not a literal (TEXT)": the source text of
 * the value, cut at the end of its line. */
static void not_literal(struct lexer *lx, const char *key, const struct tok *at, char *err,
			size_t errn)
{
	size_t end = at->start, n;

	while (end < lx->len && lx->buf[end] != '\n' && end - at->start < 40)
		end++;
	n = end - at->start;
	while (n > 0 && (lx->buf[at->start + n - 1] == '\r' || lx->buf[at->start + n - 1] == ' '))
		n--;
	snprintf(err, errn,
		 "line %d: %s is not a literal (%.*s): probe reads migration files "
		 "without running Python",
		 at->line, key, (int)n, lx->buf + at->start);
}

/* Reads adjacent string literals (Python concatenates them) starting at
 * t.  Returns 0, or -1 with err. */
static int read_strings(struct lexer *lx, struct tok t, const char *key, char *buf,
			size_t *n, char *err, size_t errn)
{
	*n = 0;
	for (;;) {
		if (t.bytes || t.fstring || t.too_long || *n + t.slen > ALEMBIC_ID_MAX) {
			if (t.too_long || *n + t.slen > ALEMBIC_ID_MAX)
				snprintf(err, errn, "line %d: %s is longer than %d bytes", t.line,
					 key, ALEMBIC_ID_MAX);
			else
				not_literal(lx, key, &t, err, errn);
			return -1;
		}
		memcpy(buf + *n, t.str, t.slen);
		*n += t.slen;
		t = lex_peek(lx);
		if (t.type != TOK_STRING)
			return 0;
		lex_next(lx);
	}
}

/* Parses the value after "KEY =" up to the end of the statement: None, a
 * string, or a tuple or list of strings (bracketed or bare, trailing comma
 * allowed).  Returns 0, or -1 with err. */
static int read_value(struct lexer *lx, const char *key, struct value *v, char *err,
		      size_t errn)
{
	struct tok first = lex_next(lx), t = first;
	char buf[ALEMBIC_ID_MAX + 1];
	int want_item = 1;
	const char *bracket = NULL; /* the closing bracket, when bracketed */
	size_t n;

	v->kind = VAL_NONE;
	if (t.type == TOK_ERROR) {
		snprintf(err, errn, "%s", lx->error);
		return -1;
	}
	if (tok_is(lx, &t, TOK_NAME, "None")) {
		t = lex_next(lx);
		if (!tok_ends(lx, &t))
			goto bad;
		return 0;
	}
	if (tok_is(lx, &t, TOK_OP, "(") || tok_is(lx, &t, TOK_OP, "[")) {
		bracket = lx->buf[t.start] == '(' ? ")" : "]";
		t = lex_next(lx);
	}
	for (;;) {
		if (t.type == TOK_ERROR) {
			snprintf(err, errn, "%s", lx->error);
			return -1;
		}
		if (bracket && tok_is(lx, &t, TOK_OP, bracket)) {
			/* ("a") is a string; ("a",), () and [...] sequences. */
			if (bracket[0] == ']' || v->items.n == 0)
				v->kind = VAL_SEQ;
			t = lex_next(lx);
			if (!tok_ends(lx, &t))
				goto bad;
			return 0;
		}
		if (!bracket && tok_ends(lx, &t)) {
			if (want_item && v->kind == VAL_NONE)
				goto bad; /* "revision =" and nothing */
			return 0;
		}
		if (want_item && t.type == TOK_STRING) {
			if (read_strings(lx, t, key, buf, &n, err, errn) < 0)
				return -1;
			if (list_add(&v->items, buf, n) < 0) {
				snprintf(err, errn, "line %d: %s holds too many items", t.line, key);
				return -1;
			}
			if (v->kind == VAL_NONE)
				v->kind = VAL_STR;
			want_item = 0;
		} else if (!want_item && tok_is(lx, &t, TOK_OP, ",")) {
			v->kind = VAL_SEQ; /* 'a', 'b' or ('a',) */
			want_item = 1;
		} else {
			goto bad;
		}
		t = lex_next(lx);
	}
bad:
	not_literal(lx, key, &first, err, errn);
	return -1;
}

static const char *const script_keys[] = { "revision", "down_revision", "branch_labels",
					    "depends_on", NULL };

/* Stores value v of key into s, moving its items. */
static int script_store(struct alembic_script *s, int key, struct value *v, int line)
{
	struct alembic_list *dst;

	if (key == 0) {
		if (v->kind != VAL_STR) {
			snprintf(s->error, sizeof(s->error),
				 "line %d: revision must be one string", line);
			return -1;
		}
		free(s->revision);
		s->revision = v->items.v[0];
		s->revision_line = line;
		free(v->items.v);
		v->items.v = NULL;
		v->items.n = 0;
		return 0;
	}
	dst = key == 1 ? &s->down : key == 2 ? &s->labels : &s->depends;
	list_free(dst);
	if (key != 2 && v->kind == VAL_STR && v->items.v[0][0] == '\0') {
		/* down_revision = "" is a base and depends_on = "" names
		 * nothing: Alembic tests them for truth, like None.  Inside a
		 * tuple, "" is an id Alembic fails to find, and so is it here. */
		list_free(&v->items);
		return 0;
	}
	*dst = v->items;
	v->items.v = NULL;
	v->items.n = 0;
	return 0;
}

/* Handles the statement that starts with the name of key (column 0).
 * Returns 0 (an assignment stored, or not an assignment at all), or -1
 * with s->error. */
static int script_statement(struct lexer *lx, struct alembic_script *s, int key)
{
	struct tok t = lex_next(lx);
	struct value v;
	int line = t.line;

	if (tok_is(lx, &t, TOK_OP, ":")) {
		/* An annotation: skip it, up to "=" outside its brackets. */
		int depth0 = lx->depth;

		do
			t = lex_next(lx);
		while (!tok_ends(lx, &t) && t.type != TOK_ERROR &&
		       !(tok_is(lx, &t, TOK_OP, "=") && lx->depth == depth0));
		if (t.type == TOK_ERROR) {
			snprintf(s->error, sizeof(s->error), "%s", lx->error);
			return -1;
		}
		if (!tok_is(lx, &t, TOK_OP, "="))
			return 0; /* `revision: str` alone assigns nothing */
	} else if (!tok_is(lx, &t, TOK_OP, "=")) {
		if (t.type == TOK_OP && t.len == 2 && lx->buf[t.start + 1] == '=' &&
		    lx->buf[t.start] != '=' && lx->buf[t.start] != '!' &&
		    lx->buf[t.start] != '<' && lx->buf[t.start] != '>') {
			not_literal(lx, script_keys[key], &t, s->error, sizeof(s->error));
			return -1; /* "+=" and the like: computed */
		}
		if (!tok_ends(lx, &t))
			t = lex_skip_statement(lx);
		if (t.type == TOK_ERROR) {
			snprintf(s->error, sizeof(s->error), "%s", lx->error);
			return -1;
		}
		return 0;
	}
	memset(&v, 0, sizeof(v));
	if (read_value(lx, script_keys[key], &v, s->error, sizeof(s->error)) < 0 ||
	    script_store(s, key, &v, line) < 0) {
		list_free(&v.items);
		return -1;
	}
	list_free(&v.items);
	return 0;
}

int alembic_script_parse(const char *buf, size_t len, struct alembic_script *s)
{
	struct lexer lx;
	/* first: the next token begins a logical line; stmt: it begins a
	 * statement; module: the current line began at column 0 (so a
	 * statement after ';' is at module level too). */
	int first = 1, stmt = 1, module = 0;

	memset(s, 0, sizeof(*s));
	memset(&lx, 0, sizeof(lx));
	if (len > ALEMBIC_FILE_MAX) {
		snprintf(s->error, sizeof(s->error), "larger than %d bytes", ALEMBIC_FILE_MAX);
		return -1;
	}
	if (memchr(buf, '\0', len)) {
		snprintf(s->error, sizeof(s->error), "not a Python source file (a NUL byte)");
		return -1;
	}
	lx.buf = buf;
	lx.len = len;
	lx.line = 1;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		lx.pos = lx.line_start = 3; /* a UTF-8 byte order mark */
	for (;;) {
		struct tok t = lex_next(&lx);
		int key = -1, i;

		if (t.type == TOK_EOF)
			break;
		if (t.type == TOK_ERROR) {
			snprintf(s->error, sizeof(s->error), "%s", lx.error);
			return -1;
		}
		if (t.type == TOK_NEWLINE) {
			first = stmt = 1;
			continue;
		}
		if (first)
			module = t.col == 0;
		first = 0;
		if (tok_is(&lx, &t, TOK_OP, ";")) {
			stmt = module;
			continue;
		}
		if (stmt && module && t.type == TOK_NAME)
			for (i = 0; script_keys[i]; i++)
				if (tok_is(&lx, &t, TOK_NAME, script_keys[i]))
					key = i;
		if (key >= 0) {
			if (script_statement(&lx, s, key) < 0)
				return -1;
		} else {
			t = lex_skip_statement(&lx);
			if (t.type == TOK_ERROR) {
				snprintf(s->error, sizeof(s->error), "%s", lx.error);
				return -1;
			}
		}
		/* Both consumed the statement's end: a new line, ';' or EOF. */
		if (lx.last == TOK_EOF)
			break;
		first = stmt = lx.last == TOK_NEWLINE;
		if (!first)
			stmt = module;
	}
	if (lx.depth > 0) {
		snprintf(s->error, sizeof(s->error), "a bracket is never closed");
		return -1;
	}
	return 0;
}

void alembic_script_free(struct alembic_script *s)
{
	if (!s)
		return;
	free(s->revision);
	s->revision = NULL;
	list_free(&s->down);
	list_free(&s->depends);
	list_free(&s->labels);
}
