/*
 * alembic_graph.c - the revision graph of a script directory, judged as
 * Alembic's RevisionMap builds it: every down_revision and depends_on must
 * name a revision (a depends_on may also name a branch label), no id twice,
 * no cycle.  The effective heads are Alembic's "real heads": revisions
 * that nothing names as a down_revision *or* depends_on.  A revision that
 * is only a depends_on target is a head for `alembic heads` but not a row
 * after `alembic upgrade heads`, which is what the database is compared
 * with.  Also how the report names a graph's ids.  Pure: no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/alembic/alembic.h"

int alembic_graph_add(struct alembic_graph *g, struct alembic_script *s, const char *file)
{
	struct alembic_rev *r;

	if (!s->revision) {
		snprintf(g->error, sizeof(g->error), "%s: no `revision = '...'` in the file", file);
		return -1;
	}
	if (g->n >= ALEMBIC_REVS_MAX) {
		snprintf(g->error, sizeof(g->error), "more than %d revisions", ALEMBIC_REVS_MAX);
		return -1;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct alembic_rev *v = realloc(g->revs, cap * sizeof(*v));

		if (!v)
			goto oom;
		g->revs = v;
		g->cap = cap;
	}
	r = &g->revs[g->n];
	memset(r, 0, sizeof(*r));
	r->file = strdup(file);
	if (!r->file)
		goto oom;
	r->s = *s;
	memset(s, 0, sizeof(*s));
	g->n++;
	return 0;
oom:
	snprintf(g->error, sizeof(g->error), "out of memory");
	return -1;
}

/* A name (revision id or branch label) and the revision it stands for. */
struct name_ref {
	const char *name;
	size_t idx;
};

static int name_cmp(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static long name_find(const struct name_ref *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].name, name);

		if (c == 0)
			return (long)v[mid].idx;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Sorted revision ids, and an error when one is there twice. */
static struct name_ref *graph_ids(struct alembic_graph *g)
{
	struct name_ref *ids = calloc(g->n ? g->n : 1, sizeof(*ids));
	size_t i;

	if (!ids) {
		snprintf(g->error, sizeof(g->error), "out of memory");
		return NULL;
	}
	for (i = 0; i < g->n; i++) {
		ids[i].name = g->revs[i].s.revision;
		ids[i].idx = i;
	}
	qsort(ids, g->n, sizeof(*ids), name_cmp);
	for (i = 1; i < g->n; i++)
		if (strcmp(ids[i - 1].name, ids[i].name) == 0) {
			snprintf(g->error, sizeof(g->error),
				 "revision '%s' is in two files: %s and %s", ids[i].name,
				 g->revs[ids[i - 1].idx].file, g->revs[ids[i].idx].file);
			free(ids);
			return NULL;
		}
	return ids;
}

/* Sorted branch labels; an error when two revisions claim one. */
static struct name_ref *graph_labels(struct alembic_graph *g, size_t *nout)
{
	struct name_ref *v = NULL;
	size_t n = 0, i, j;

	for (i = 0; i < g->n; i++)
		n += g->revs[i].s.labels.n;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		snprintf(g->error, sizeof(g->error), "out of memory");
		return NULL;
	}
	n = 0;
	for (i = 0; i < g->n; i++)
		for (j = 0; j < g->revs[i].s.labels.n; j++) {
			v[n].name = g->revs[i].s.labels.v[j];
			v[n++].idx = i;
		}
	qsort(v, n, sizeof(*v), name_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1].name, v[i].name) == 0 && v[i - 1].idx != v[i].idx) {
			snprintf(g->error, sizeof(g->error),
				 "branch label '%s' is claimed by two revisions: %s and %s",
				 v[i].name, g->revs[v[i - 1].idx].file, g->revs[v[i].idx].file);
			free(v);
			return NULL;
		}
	*nout = n;
	return v;
}

/* Resolves the parents of revision i into indexes. */
static int graph_resolve(struct alembic_graph *g, size_t i, const struct name_ref *ids,
			 const struct name_ref *labels, size_t nlabels)
{
	struct alembic_rev *r = &g->revs[i];
	size_t k, total = r->s.down.n + r->s.depends.n;

	r->parents = calloc(total ? total : 1, sizeof(*r->parents));
	if (!r->parents) {
		snprintf(g->error, sizeof(g->error), "out of memory");
		return -1;
	}
	for (k = 0; k < r->s.down.n; k++) {
		const char *want = r->s.down.v[k];
		long p = name_find(ids, g->n, want);

		if (p < 0 && !want[0]) {
			/* ('',): Alembic takes "" for an id there and fails */
			snprintf(g->error, sizeof(g->error),
				 "%s: down_revision lists an empty id: a base has None", r->file);
			return -1;
		}
		if (p < 0) {
			snprintf(g->error, sizeof(g->error),
				 "%s: down_revision '%s' names no revision: was %s deleted or "
				 "never committed?",
				 r->file, want, want);
			return -1;
		}
		r->parents[r->nparents++] = (size_t)p;
	}
	r->ndown = r->nparents;
	for (k = 0; k < r->s.depends.n; k++) {
		const char *want = r->s.depends.v[k];
		long p = name_find(ids, g->n, want);

		if (p < 0)
			p = name_find(labels, nlabels, want);
		if (p < 0) {
			snprintf(g->error, sizeof(g->error),
				 "%s: depends_on '%s' names no revision or branch label: was it "
				 "deleted or never committed?",
				 r->file, want);
			return -1;
		}
		r->parents[r->nparents++] = (size_t)p;
	}
	return 0;
}

/* Depth-first search over parents from each root, iterative (10000 deep
 * chains are fine).  state[]: 0 unseen, 1 on the path, 2 done.  Each
 * revision is appended to post[] (when not NULL) after its parents.
 * Returns 0, or -1 with err when a cycle is found. */
static int graph_dfs(const struct alembic_graph *g, const size_t *roots, size_t nroots,
		     unsigned char *state, size_t *post, size_t *npost, char *err,
		     size_t errn)
{
	size_t *stack = malloc((g->n ? g->n : 1) * sizeof(*stack));
	size_t *next = calloc(g->n ? g->n : 1, sizeof(*next));
	size_t sp, ri;
	int rc = 0;

	if (!stack || !next) {
		snprintf(err, errn, "out of memory");
		rc = -1;
		goto done;
	}
	for (ri = 0; ri < nroots; ri++) {
		if (state[roots[ri]])
			continue;
		sp = 0;
		stack[sp++] = roots[ri];
		state[roots[ri]] = 1;
		next[roots[ri]] = 0;
		while (sp > 0) {
			size_t v = stack[sp - 1];
			const struct alembic_rev *r = &g->revs[v];

			if (next[v] < r->nparents) {
				size_t p = r->parents[next[v]++];

				if (state[p] == 1) {
					snprintf(err, errn,
						 "a cycle: %s (%s) leads back to itself through %s "
						 "(%s)",
						 g->revs[p].s.revision, g->revs[p].file,
						 r->s.revision, r->file);
					rc = -1;
					goto done;
				}
				if (state[p] == 0) {
					state[p] = 1;
					next[p] = 0;
					stack[sp++] = p;
				}
				continue;
			}
			state[v] = 2;
			if (post)
				post[(*npost)++] = v;
			sp--;
		}
	}
done:
	free(stack);
	free(next);
	return rc;
}

int alembic_graph_build(struct alembic_graph *g)
{
	struct name_ref *ids = NULL, *labels = NULL;
	unsigned char *state = NULL;
	size_t nlabels = 0, i;
	int rc = -1;

	g->error[0] = '\0';
	ids = graph_ids(g);
	if (!ids)
		goto done;
	labels = graph_labels(g, &nlabels);
	if (!labels)
		goto done;
	for (i = 0; i < g->n; i++)
		if (graph_resolve(g, i, ids, labels, nlabels) < 0)
			goto done;
	g->byid = malloc((g->n ? g->n : 1) * sizeof(*g->byid));
	g->heads = malloc((g->n ? g->n : 1) * sizeof(*g->heads));
	state = calloc(g->n ? g->n : 1, 1);
	if (!g->byid || !g->heads || !state) {
		snprintf(g->error, sizeof(g->error), "out of memory");
		goto done;
	}
	for (i = 0; i < g->n; i++) {
		size_t k;

		g->byid[i] = ids[i].idx;
		for (k = 0; k < g->revs[i].nparents; k++)
			g->revs[g->revs[i].parents[k]].child = 1;
	}
	g->nheads = 0;
	for (i = 0; i < g->n; i++)
		if (!g->revs[g->byid[i]].child)
			g->heads[g->nheads++] = g->byid[i];
	/* From every revision in id order, not only the heads: a cycle has
	 * no head, and would be missed. */
	if (graph_dfs(g, g->byid, g->n, state, NULL, NULL, g->error, sizeof(g->error)) < 0)
		goto done;
	rc = 0;
done:
	free(ids);
	free(labels);
	free(state);
	return rc;
}

long alembic_graph_find(const struct alembic_graph *g, const char *id)
{
	size_t lo = 0, hi = g->byid ? g->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->revs[g->byid[mid]].s.revision, id);

		if (c == 0)
			return (long)g->byid[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

long alembic_graph_pending(const struct alembic_graph *g, const size_t *rows, size_t nrows,
			   size_t **out)
{
	char err[512];
	unsigned char *state = calloc(g->n ? g->n : 1, 1);
	size_t *post = malloc((g->n ? g->n : 1) * sizeof(*post));
	size_t npost = 0;

	*out = NULL;
	if (!state || !post) {
		free(state);
		free(post);
		return -1;
	}
	/* What the rows stand on is applied; walking the heads afterwards
	 * yields the rest, parents first. */
	if (graph_dfs(g, rows, nrows, state, NULL, NULL, err, sizeof(err)) < 0 ||
	    graph_dfs(g, g->heads, g->nheads, state, post, &npost, err, sizeof(err)) < 0) {
		free(state);
		free(post);
		return -1;
	}
	free(state);
	if (npost == 0) {
		free(post);
		return 0;
	}
	*out = post;
	return (long)npost;
}

void alembic_graph_free(struct alembic_graph *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++) {
		alembic_script_free(&g->revs[i].s);
		free(g->revs[i].file);
		free(g->revs[i].parents);
	}
	free(g->revs);
	free(g->byid);
	free(g->heads);
	memset(g, 0, sizeof(*g));
}

/* Appends "a, b, c" (at most 3, then "...") of the ids at idx to buf. */
void alembic_ids_text(const struct alembic_graph *g, const size_t *idx, size_t n, char *buf,
		      size_t cap)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && i < 3 && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
					 g->revs[idx[i]].s.revision);
	if (n > 3 && used < cap)
		snprintf(buf + used, cap - used, ", ...");
}

void alembic_detail_ids(struct check_result *res, const char *key,
			const struct alembic_graph *g, const size_t *idx, size_t n)
{
	size_t i;

	detail_list_begin(res, key);
	for (i = 0; i < n; i++)
		detail_list_add(res, g->revs[idx[i]].s.revision);
}
