/*
 * regex.c - POSIX ERE in linear time (regex.h): a recursive-descent parser
 * to a tree, the tree to a program of at most RX_PROG_MAX instructions
 * ({m,n} copies its operand), and a Thompson NFA over the input (Russ
 * Cox's "Regular Expression Matching Can Be Simple And Fast"): the set of
 * live instructions moves one byte at a time, each instruction at most
 * once a byte, so no pattern makes the run exponential or quadratic.
 * Only "does it match" is asked (REG_NOSUB), so there are no captures.
 */
#include "lib/regex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum rx_op { OP_BYTE, OP_ANY, OP_SET, OP_ASSERT, OP_SPLIT, OP_JMP, OP_MATCH };

/* Zero-width assertions, as OP_ASSERT's c. */
enum rx_assert { AS_BEGIN, AS_END, AS_WORDB, AS_NWORDB, AS_WORD_START, AS_WORD_END };

struct rx_inst {
	unsigned char op, c; /* OP_BYTE: the byte; OP_ASSERT: enum rx_assert */
	int x, y;	     /* OP_SPLIT: both; OP_JMP: x; OP_SET: x, the set */
};

struct rx_set {
	unsigned char bits[32];
};

struct rx {
	struct rx_inst *prog;
	int n;
	struct rx_set *sets;
};

/* ------------------------------------------------------------- parse */

enum rx_type { N_EMPTY, N_BYTE, N_ANY, N_SET, N_ASSERT, N_CAT, N_ALT, N_REP };

struct rx_node {
	unsigned char type, c;
	int a, b;     /* N_CAT, N_ALT: both sides; N_REP: a; N_SET: a, the set */
	int min, max; /* N_REP: max -1 for no bound */
};

struct rx_parse {
	const char *p;
	size_t pos, len;
	struct rx_node *nodes;
	int nnodes, capnodes;
	struct rx_set *sets;
	int nsets, capsets;
	int depth;
	char *err;
	size_t errn;
	int failed;
};

static int rx_fail(struct rx_parse *ps, const char *msg)
{
	if (!ps->failed)
		snprintf(ps->err, ps->errn, "%s", msg);
	ps->failed = 1;
	return -1;
}

static int rx_node(struct rx_parse *ps, int type, int c, int a, int b)
{
	struct rx_node *n;

	if (ps->nnodes >= ps->capnodes)
		return rx_fail(ps, "the pattern is too large");
	n = &ps->nodes[ps->nnodes];
	n->type = (unsigned char)type;
	n->c = (unsigned char)c;
	n->a = a;
	n->b = b;
	n->min = n->max = 0;
	return ps->nnodes++;
}

static int rx_set_new(struct rx_parse *ps)
{
	if (ps->nsets >= ps->capsets)
		return rx_fail(ps, "the pattern is too large");
	memset(&ps->sets[ps->nsets], 0, sizeof(ps->sets[0]));
	return ps->nsets++;
}

static void set_add(struct rx_set *s, int c)
{
	s->bits[(unsigned)c >> 3] |= (unsigned char)(1u << ((unsigned)c & 7));
}

static int set_has(const struct rx_set *s, int c)
{
	return (s->bits[(unsigned)c >> 3] >> ((unsigned)c & 7)) & 1;
}

static void set_negate(struct rx_set *s)
{
	size_t i;

	for (i = 0; i < sizeof(s->bits); i++)
		s->bits[i] = (unsigned char)~s->bits[i];
}

static int is_word(int c)
{
	return c >= 0 && c < 128 && (isalnum(c) || c == '_');
}

/* Adds the bytes of a [:name:] class (the C locale's: ASCII only).
 * Returns 0, or -1 for a name POSIX does not have. */
static int set_class(struct rx_set *s, const char *name, size_t len)
{
	static const char *const names[] = { "alpha", "digit", "alnum", "upper",  "lower", "space",
					     "blank", "punct", "print", "graph", "cntrl", "xdigit" };
	size_t k;
	int c;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == len && memcmp(names[k], name, len) == 0)
			break;
	if (k == sizeof(names) / sizeof(names[0]))
		return -1;
	for (c = 0; c < 128; c++) {
		int in = 0;

		switch (k) {
		case 0: in = isalpha(c); break;
		case 1: in = isdigit(c); break;
		case 2: in = isalnum(c); break;
		case 3: in = isupper(c); break;
		case 4: in = islower(c); break;
		case 5: in = isspace(c); break;
		case 6: in = c == ' ' || c == '\t'; break;
		case 7: in = ispunct(c); break;
		case 8: in = isprint(c); break;
		case 9: in = isgraph(c); break;
		case 10: in = iscntrl(c); break;
		default: in = isxdigit(c); break;
		}
		if (in)
			set_add(s, c);
	}
	return 0;
}

/* A set node of one [:class:] (negated or not): \d \s \w and friends. */
static int rx_class_node(struct rx_parse *ps, const char *name, int negate)
{
	int s = rx_set_new(ps);

	if (s < 0)
		return -1;
	set_class(&ps->sets[s], name, strlen(name));
	if (strcmp(name, "alnum") == 0)
		set_add(&ps->sets[s], '_'); /* \w */
	if (negate)
		set_negate(&ps->sets[s]);
	return rx_node(ps, N_SET, 0, s, 0);
}

/* After '[': a bracket expression up to its ']'. */
static int rx_bracket(struct rx_parse *ps)
{
	int s = rx_set_new(ps), negate = 0, first = 1;
	struct rx_set *set;

	if (s < 0)
		return -1;
	set = &ps->sets[s];
	if (ps->pos < ps->len && ps->p[ps->pos] == '^') {
		negate = 1;
		ps->pos++;
	}
	for (;;) {
		int lo, hi;

		if (ps->pos >= ps->len)
			return rx_fail(ps, "a [ is not closed by ]");
		lo = (unsigned char)ps->p[ps->pos];
		if (lo == ']' && !first)
			break;
		first = 0;
		if (lo == '[' && ps->pos + 1 < ps->len &&
		    (ps->p[ps->pos + 1] == '=' || ps->p[ps->pos + 1] == '.'))
			return rx_fail(ps, "collating elements ([= =], [. .]) are not supported");
		if (lo == '[' && ps->pos + 1 < ps->len && ps->p[ps->pos + 1] == ':') {
			const char *name = ps->p + ps->pos + 2;
			const char *end = NULL;
			size_t i;

			for (i = ps->pos + 2; i + 1 < ps->len; i++)
				if (ps->p[i] == ':' && ps->p[i + 1] == ']') {
					end = ps->p + i;
					break;
				}
			if (!end || set_class(set, name, (size_t)(end - name)) < 0)
				return rx_fail(ps, "an unknown [:class:] (alpha, digit, alnum, upper, "
						   "lower, space, blank, punct, print, graph, cntrl, "
						   "xdigit)");
			ps->pos = (size_t)(end - ps->p) + 2;
			continue;
		}
		ps->pos++;
		hi = lo;
		if (ps->pos + 1 < ps->len && ps->p[ps->pos] == '-' && ps->p[ps->pos + 1] != ']') {
			hi = (unsigned char)ps->p[ps->pos + 1];
			if (hi == '[')
				return rx_fail(ps, "a range may not end in a class or element");
			ps->pos += 2;
			if (lo > hi)
				return rx_fail(ps, "a range's end is before its start");
		}
		for (; lo <= hi; lo++)
			set_add(set, lo);
	}
	ps->pos++; /* ']' */
	if (negate)
		set_negate(set);
	return rx_node(ps, N_SET, 0, s, 0);
}

/* After '\\'. */
static int rx_escape(struct rx_parse *ps)
{
	int e;

	if (ps->pos >= ps->len)
		return rx_fail(ps, "the pattern ends in a lone \\");
	e = (unsigned char)ps->p[ps->pos++];
	switch (e) {
	case 'w': return rx_class_node(ps, "alnum", 0);
	case 'W': return rx_class_node(ps, "alnum", 1);
	case 's': return rx_class_node(ps, "space", 0);
	case 'S': return rx_class_node(ps, "space", 1);
	case 'd': return rx_class_node(ps, "digit", 0);
	case 'D': return rx_class_node(ps, "digit", 1);
	case 'b': return rx_node(ps, N_ASSERT, AS_WORDB, 0, 0);
	case 'B': return rx_node(ps, N_ASSERT, AS_NWORDB, 0, 0);
	case '<': return rx_node(ps, N_ASSERT, AS_WORD_START, 0, 0);
	case '>': return rx_node(ps, N_ASSERT, AS_WORD_END, 0, 0);
	case '`': return rx_node(ps, N_ASSERT, AS_BEGIN, 0, 0);
	case '\'': return rx_node(ps, N_ASSERT, AS_END, 0, 0);
	case 'n': return rx_node(ps, N_BYTE, '\n', 0, 0);
	case 't': return rx_node(ps, N_BYTE, '\t', 0, 0);
	case 'r': return rx_node(ps, N_BYTE, '\r', 0, 0);
	default: break;
	}
	if (e >= '1' && e <= '9')
		return rx_fail(ps, "back-references (\\1 ...) are not supported");
	if (isalnum(e))
		return rx_fail(ps, "an unknown escape: write a letter or digit without \\");
	return rx_node(ps, N_BYTE, e, 0, 0);
}

static int rx_alt(struct rx_parse *ps);

static int rx_atom(struct rx_parse *ps)
{
	int c = (unsigned char)ps->p[ps->pos++];
	int n;

	switch (c) {
	case '(':
		if (++ps->depth > 256)
			return rx_fail(ps, "groups nest too deep");
		n = rx_alt(ps);
		if (n < 0)
			return -1;
		if (ps->pos >= ps->len || ps->p[ps->pos] != ')')
			return rx_fail(ps, "a ( is not closed by )");
		ps->pos++;
		ps->depth--;
		return n;
	case '[':
		return rx_bracket(ps);
	case '.':
		return rx_node(ps, N_ANY, 0, 0, 0);
	case '^':
		return rx_node(ps, N_ASSERT, AS_BEGIN, 0, 0);
	case '$':
		return rx_node(ps, N_ASSERT, AS_END, 0, 0);
	case '\\':
		return rx_escape(ps);
	case '*':
	case '+':
	case '?':
	case '{':
		return rx_fail(ps, "*, +, ? or {m,n} with nothing before it to repeat");
	default:
		return rx_node(ps, N_BYTE, c, 0, 0);
	}
}

/* Reads a decimal bound of {m,n}; -1 when there is none. */
static int rx_bound(struct rx_parse *ps)
{
	int v = -1;

	while (ps->pos < ps->len && isdigit((unsigned char)ps->p[ps->pos])) {
		v = (v < 0 ? 0 : v) * 10 + (ps->p[ps->pos++] - '0');
		if (v > RX_DUP_MAX)
			return RX_DUP_MAX + 1;
	}
	return v;
}

/* An atom and the repetitions after it. */
static int rx_repeat(struct rx_parse *ps)
{
	int n = rx_atom(ps);

	while (n >= 0 && ps->pos < ps->len) {
		int c = ps->p[ps->pos], min, max;

		if (c == '*') {
			min = 0, max = -1;
		} else if (c == '+') {
			min = 1, max = -1;
		} else if (c == '?') {
			min = 0, max = 1;
		} else if (c == '{') {
			ps->pos++;
			min = rx_bound(ps);
			max = min;
			if (ps->pos < ps->len && ps->p[ps->pos] == ',') {
				ps->pos++;
				max = rx_bound(ps);
			}
			if (min < 0 || ps->pos >= ps->len || ps->p[ps->pos] != '}')
				return rx_fail(ps, "a {m,n} bound is malformed");
			if (min > RX_DUP_MAX || max > RX_DUP_MAX)
				return rx_fail(ps, "a {m,n} bound is over 255");
			if (max >= 0 && max < min)
				return rx_fail(ps, "a {m,n} bound has n below m");
		} else {
			break;
		}
		ps->pos++;
		n = rx_node(ps, N_REP, 0, n, 0);
		if (n >= 0) {
			ps->nodes[n].min = min;
			ps->nodes[n].max = max;
		}
	}
	return n;
}

static int rx_concat(struct rx_parse *ps)
{
	int n = -1;

	while (ps->pos < ps->len && ps->p[ps->pos] != '|' && ps->p[ps->pos] != ')') {
		int r = rx_repeat(ps);

		if (r < 0)
			return -1;
		n = n < 0 ? r : rx_node(ps, N_CAT, 0, n, r);
		if (n < 0)
			return -1;
	}
	return n < 0 ? rx_node(ps, N_EMPTY, 0, 0, 0) : n;
}

static int rx_alt(struct rx_parse *ps)
{
	int n = rx_concat(ps);

	while (n >= 0 && ps->pos < ps->len && ps->p[ps->pos] == '|') {
		int r;

		ps->pos++;
		r = rx_concat(ps);
		if (r < 0)
			return -1;
		n = rx_node(ps, N_ALT, 0, n, r);
	}
	return n;
}

/* ----------------------------------------------------------- compile */

struct rx_emit {
	struct rx_inst *prog;
	int n;
	const struct rx_node *nodes;
	int over; /* RX_PROG_MAX reached */
};

static int emit(struct rx_emit *e, int op, int c, int x, int y)
{
	if (e->n >= RX_PROG_MAX) {
		e->over = 1;
		return -1;
	}
	e->prog[e->n].op = (unsigned char)op;
	e->prog[e->n].c = (unsigned char)c;
	e->prog[e->n].x = x;
	e->prog[e->n].y = y;
	return e->n++;
}

static void emit_node(struct rx_emit *e, int id)
{
	const struct rx_node *n = &e->nodes[id];
	int i, at, jmp;

	if (e->over)
		return;
	switch (n->type) {
	case N_EMPTY:
		return;
	case N_BYTE:
		emit(e, OP_BYTE, n->c, 0, 0);
		return;
	case N_ANY:
		emit(e, OP_ANY, 0, 0, 0);
		return;
	case N_SET:
		emit(e, OP_SET, 0, n->a, 0);
		return;
	case N_ASSERT:
		emit(e, OP_ASSERT, n->c, 0, 0);
		return;
	case N_CAT:
		emit_node(e, n->a);
		emit_node(e, n->b);
		return;
	case N_ALT:
		at = emit(e, OP_SPLIT, 0, e->n + 1, 0);
		emit_node(e, n->a);
		jmp = emit(e, OP_JMP, 0, 0, 0);
		if (e->over)
			return;
		e->prog[at].y = e->n;
		emit_node(e, n->b);
		if (!e->over)
			e->prog[jmp].x = e->n;
		return;
	default: /* N_REP */
		break;
	}
	if (n->max < 0) {
		/* x{m,}: m-1 copies, then a copy that loops back (x*: a loop
		 * that may be skipped). */
		for (i = 0; i + 1 < n->min; i++)
			emit_node(e, n->a);
		if (n->min > 0) {
			at = e->n;
			emit_node(e, n->a);
			emit(e, OP_SPLIT, 0, at, e->n + 1);
			return;
		}
		at = emit(e, OP_SPLIT, 0, e->n + 1, 0);
		emit_node(e, n->a);
		emit(e, OP_JMP, 0, at, 0);
		if (!e->over)
			e->prog[at].y = e->n;
		return;
	}
	/* x{m,n}: m copies, then n-m that may each end the repetition. */
	for (i = 0; i < n->min; i++)
		emit_node(e, n->a);
	{
		int first = e->n, k;

		for (i = n->min; i < n->max; i++) {
			emit(e, OP_SPLIT, 0, e->n + 1, -1);
			emit_node(e, n->a);
		}
		for (k = first; !e->over && k < e->n; k++)
			if (e->prog[k].op == OP_SPLIT && e->prog[k].y == -1)
				e->prog[k].y = e->n;
	}
}

int rx_compile(const char *pattern, struct rx **out, char *err, size_t n)
{
	struct rx_parse ps;
	struct rx_emit e;
	struct rx *rx = NULL;
	size_t len = strlen(pattern);
	int root;

	*out = NULL;
	if (len > RX_PATTERN_MAX) {
		snprintf(err, n, "the pattern is over %d bytes", RX_PATTERN_MAX);
		return -1;
	}
	memset(&ps, 0, sizeof(ps));
	ps.p = pattern;
	ps.len = len;
	ps.err = err;
	ps.errn = n;
	ps.capnodes = (int)len * 2 + 2;
	ps.capsets = (int)len + 1;
	ps.nodes = malloc((size_t)ps.capnodes * sizeof(ps.nodes[0]));
	ps.sets = malloc((size_t)ps.capsets * sizeof(ps.sets[0]));
	memset(&e, 0, sizeof(e));
	e.prog = malloc(RX_PROG_MAX * sizeof(e.prog[0]));
	rx = calloc(1, sizeof(*rx));
	if (!ps.nodes || !ps.sets || !e.prog || !rx) {
		snprintf(err, n, "out of memory");
		goto fail;
	}
	root = rx_alt(&ps);
	if (root >= 0 && ps.pos < ps.len)
		root = rx_fail(&ps, "a ) closes no (");
	if (root < 0)
		goto fail;
	e.nodes = ps.nodes;
	emit_node(&e, root);
	emit(&e, OP_MATCH, 0, 0, 0);
	if (e.over) {
		snprintf(err, n,
			 "the pattern is too large once its repetitions are expanded (over %d "
			 "steps): nest fewer {m,n}",
			 RX_PROG_MAX);
		goto fail;
	}
	rx->prog = realloc(e.prog, (size_t)e.n * sizeof(e.prog[0]));
	if (!rx->prog)
		rx->prog = e.prog;
	e.prog = NULL;
	rx->n = e.n;
	rx->sets = ps.sets;
	ps.sets = NULL;
	free(ps.nodes);
	*out = rx;
	return 0;
fail:
	free(ps.nodes);
	free(ps.sets);
	free(e.prog);
	free(rx);
	return -1;
}

void rx_free(struct rx *rx)
{
	if (!rx)
		return;
	free(rx->prog);
	free(rx->sets);
	free(rx);
}

/* ------------------------------------------------------------- match */

struct rx_run {
	const struct rx *rx;
	const unsigned char *buf;
	size_t len;
	unsigned *mark; /* the generation that last added each instruction */
	int *stack;
	int found;
};

struct rx_list {
	int *pc;
	int n;
};

static int rx_assert_holds(const struct rx_run *r, int kind, size_t pos)
{
	int prev = pos > 0 ? r->buf[pos - 1] : -1;
	int next = pos < r->len ? r->buf[pos] : -1;

	switch (kind) {
	case AS_BEGIN:
		return pos == 0;
	case AS_END:
		return pos == r->len;
	case AS_WORDB:
		return is_word(prev) != is_word(next);
	case AS_NWORDB:
		return is_word(prev) == is_word(next);
	case AS_WORD_START:
		return !is_word(prev) && is_word(next);
	default:
		return is_word(prev) && !is_word(next);
	}
}

/* Adds pc and every instruction it reaches without reading a byte to l,
 * each once for generation gen; notes a match. */
static void rx_add(struct rx_run *r, struct rx_list *l, int pc, size_t pos, unsigned gen)
{
	int sp = 0;

	r->stack[sp++] = pc;
	while (sp > 0) {
		const struct rx_inst *in;

		pc = r->stack[--sp];
		if (r->mark[pc] == gen)
			continue;
		r->mark[pc] = gen;
		in = &r->rx->prog[pc];
		switch (in->op) {
		case OP_JMP:
			r->stack[sp++] = in->x;
			break;
		case OP_SPLIT:
			r->stack[sp++] = in->y;
			r->stack[sp++] = in->x;
			break;
		case OP_ASSERT:
			if (rx_assert_holds(r, in->c, pos))
				r->stack[sp++] = pc + 1;
			break;
		case OP_MATCH:
			r->found = 1;
			return;
		default:
			l->pc[l->n++] = pc;
			break;
		}
	}
}

static int64_t rx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int rx_match(const struct rx *rx, const char *buf, size_t len, int64_t end_ns)
{
	struct rx_run r;
	struct rx_list a, b, *cl = &a, *nl = &b;
	unsigned gen = 1;
	size_t i;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.rx = rx;
	r.buf = (const unsigned char *)buf;
	r.len = len;
	r.mark = calloc((size_t)rx->n, sizeof(*r.mark));
	/* Each instruction is pushed at most twice before it is marked. */
	r.stack = malloc(((size_t)rx->n * 2 + 2) * sizeof(*r.stack));
	a.pc = malloc((size_t)rx->n * sizeof(int));
	b.pc = malloc((size_t)rx->n * sizeof(int));
	if (!r.mark || !r.stack || !a.pc || !b.pc) {
		rc = -1;
		goto out;
	}
	a.n = b.n = 0;
	rx_add(&r, cl, 0, 0, gen);
	for (i = 0; i < len && !r.found; i++) {
		int c = r.buf[i], k;

		if (end_ns && i % RX_CLOCK_EVERY == RX_CLOCK_EVERY - 1 && rx_now_ns() > end_ns) {
			rc = -1;
			goto out;
		}
		gen++;
		nl->n = 0;
		for (k = 0; k < cl->n && !r.found; k++) {
			const struct rx_inst *in = &rx->prog[cl->pc[k]];

			if ((in->op == OP_BYTE && in->c == c) || in->op == OP_ANY ||
			    (in->op == OP_SET && set_has(&rx->sets[in->x], c)))
				rx_add(&r, nl, cl->pc[k] + 1, i + 1, gen);
		}
		/* An unanchored search: a match may start at the next byte. */
		if (!r.found)
			rx_add(&r, nl, 0, i + 1, gen);
		{
			struct rx_list *t = cl;

			cl = nl;
			nl = t;
		}
	}
	rc = r.found;
out:
	free(r.mark);
	free(r.stack);
	free(a.pc);
	free(b.pc);
	return rc;
}
