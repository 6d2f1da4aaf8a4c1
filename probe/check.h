/*
 * check.h - what a check kind is, what a check is, and what it reports.
 *
 * Each kind's file in checks/<family>/ exports one `const struct
 * check_kind` (file.c two: file: and dir:) and keeps everything else
 * static; its helpers export what the kind's other files use.  The runner only ever talks to a kind through
 * this table; it never names a specific kind.
 */
#ifndef PROBE_CHECK_H
#define PROBE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "probe/cause.h"
#include "probe/deadline.h"
#include "lib/err.h"
#include "probe/hints.h"

/* Layers, in the order the runner walks them (SPEC §2, "Layers"). */
enum probe_layer {
	LAYER_CONFIG,
	LAYER_BUILD,
	LAYER_PROCESS,
	LAYER_RESOURCES,
	LAYER_SOCKET,
	LAYER_APP,
	LAYER_DEPS,
	LAYER_SCHEMA,
	LAYER_COUNT
};

enum probe_level { LEVEL_LIVE, LEVEL_READY, LEVEL_STARTUP };

enum check_status { CHECK_PENDING, CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

enum detail_type { DETAIL_INT, DETAIL_NUM, DETAIL_STR, DETAIL_LIST, DETAIL_BOOL };

#define DETAIL_MAX 8
#define DETAIL_ARENA 1024

/* One fact under `detail` in the report.  `key` is a string literal. */
struct detail_item {
	const char *key;
	enum detail_type type;
	long long num;   /* DETAIL_INT, DETAIL_BOOL */
	double dbl;      /* DETAIL_NUM */
	size_t off;      /* DETAIL_STR, DETAIL_LIST: offset into arena */
	size_t count;    /* DETAIL_LIST: number of NUL-terminated strings */
};

/*
 * What a check found.  Fixed-size so a worker thread can fill its own copy
 * and hand it over whole; nothing in it needs freeing.
 */
struct check_result {
	enum check_status status;
	double ms;
	char error[256];   /* what broke; empty on pass */
	char hint[256];    /* what usually fixes it; may be empty */
	char warning[256]; /* passed, but something is off */
	char cause[128];   /* skip: name of the check that caused it */
	struct detail_item items[DETAIL_MAX];
	size_t nitems;
	char arena[DETAIL_ARENA];
	size_t used;
};

struct check_opt {
	char *key;
	char *value;
	int used; /* set by check_opt_get; unknown keys are caught earlier */
};

/*
 * Where a socket-, app- or deps-layer check connects.  The runner uses it
 * to find prerequisites (an http check on 127.0.0.1:8000 depends on a
 * listen check for port 8000) without knowing either kind.
 */
struct endpoint {
	char host[256]; /* without brackets; empty when none */
	int port;       /* 0 when none */
	int local;      /* host is this container (loopback or wildcard) */
};

struct check_kind;

/* One check word and its options, parsed. */
struct check {
	const struct check_kind *kind;
	char *word;          /* the expanded check word; may hold a password */
	char *name;          /* id in the report: name= or the masked word */
	char *scheme;        /* the word's scheme, lower case, "+driver" kept */
	const char *rest;    /* points into word, after "scheme:" */
	enum probe_level level;
	int64_t timeout_ms;  /* timeout=; 0 when not given */
	struct check_opt *opts;
	size_t nopts;
	struct endpoint ep;
	char *dep_key;       /* identity a later layer can depend on (db URL) */
	/* Set by the runner for a KIND_RUNS_COVERED kind: the name of the
	 * failed check that made the rest pointless, or NULL. */
	const char *covered_by;
	int uses_tls;        /* may speak TLS: set by parse (https, sslmode) */
	void *priv;          /* the kind's parsed state, freed by kind->free */
	struct check_result res;
	/* A worker thread runs it, perhaps one a run abandoned at its deadline
	 * that still waits: a later run does not start another (the runner's,
	 * under its lock). */
	int busy;
};

/* Flags of a kind (check_kind.flags). */
enum check_kind_flag {
	/* The report's target is the whole (masked) word, as for URLs, rather
	 * than the word without its scheme (":8000" for listen://:8000). */
	KIND_URL_TARGET = 1 << 0,
	/* run() returns by its deadline whatever the peer does, for every
	 * check of the kind (no blocking name lookup, no blocking library
	 * call); `bounded` asks check by check instead. */
	KIND_BOUNDED = 1 << 1,
	/* run() does no I/O that can wait and returns in microseconds
	 * (env:): the runner runs it on its own thread, with none to start,
	 * so a plan of thousands costs what they do. */
	KIND_INSTANT = 1 << 3,
	/* Its schemes are database URLs as an app holds them in
	 * $DATABASE_URL and its kin: discovery looks for them. */
	KIND_DB_URL = 1 << 2,
	/* Part of the check needs no prerequisite (alembic's graph needs no
	 * database): when one failed, run() is still called, with
	 * c->covered_by naming it, and does that part alone.  A fail stands;
	 * anything else is reported as skipped with that cause. */
	KIND_RUNS_COVERED = 1 << 4,
};

struct sql_driver; /* checks/db/sql.h */
struct disc;       /* discover/context.h */

/*
 * A check kind: its facts, then its hooks (curl's struct Curl_handler).
 * `names` lists the schemes it answers to, the first its own name
 * ("postgres", then "postgresql"); a scheme "a+b" matches the name "a".
 * `keys` lists the options it takes besides the common name=, timeout=,
 * level=.
 */
struct check_kind {
	const char *const *names;
	const char *const *keys;
	enum probe_layer layer;
	enum probe_level level;
	unsigned flags;		/* enum check_kind_flag */
	/* The server's usual port, used when a URL names none; 0: none. */
	int defport;
	/* What the server is called in prose ("PostgreSQL"); NULL for kinds
	 * that have no server of their own. */
	const char *title;
	/* Its lines of `probe --help`'s check list: the words, then the text
	 * from column 39; more lines after a new line, from column 39 too.
	 * The layer's name is printed before the first kind of a layer. */
	const char *help;
	/* The detail.cause words it may report, CAUSE_NONE last; NULL when
	 * it reports none. */
	const enum probe_cause *causes;
	/* A SQL kind's query interface, which alembic uses; NULL for the
	 * rest. */
	const struct sql_driver *sql;
	/* Validate options and fill c->priv, c->ep, c->dep_key.  No I/O. */
	int (*parse)(struct check *c, struct probe_err *err);
	/* Do the check within dl; fill *res (status PASS or FAIL).  Runs in
	 * a thread of its own, beside checks of any kind, or on the main
	 * thread when bounded and alone; a library's global init is run's to
	 * do, once a process (pthread_once), by whichever check comes first. */
	void (*run)(const struct check *c, const struct deadline *dl,
		    struct check_result *res);
	/* Free c->priv; may be NULL. */
	void (*free)(struct check *c);
	/* Does failed check `pre` (of this kind) make `dep` pointless?
	 * May be NULL: nothing depends on this kind. */
	int (*covers)(const struct check *pre, const struct check *dep);
	/* Does run(c) return by its deadline whatever the peer does?  Then a
	 * check left to run alone runs on the main thread, with no thread to
	 * start.  May be NULL: KIND_BOUNDED says. */
	int (*bounded)(const struct check *c);
	/* Could it, judging by the two checks' words alone, before `pre` has
	 * run?  The runner starts `dep` only once every such `pre` is done.
	 * NULL: covers() looks at the words alone, and is asked instead. */
	int (*may_cover)(const struct check *pre, const struct check *dep);
	/* Auto-discovery's step for this kind (discover/context.h): add the
	 * checks of this kind the container calls for, with their reasons.
	 * Steps run in layer order.  Returns 0, or -1 with d->err.  May be
	 * NULL: the kind is never discovered. */
	int (*discover)(struct disc *d);
};

/* The registry (checks/registry.c): every kind of this build, in the
 * order of `probe --help`'s list within a layer, NULL last. */
extern const struct check_kind *const registry_kinds[];
/* The kind that answers to scheme ("postgresql+asyncpg"), or NULL. */
const struct check_kind *registry_find(const char *scheme);
/* The kind whose server usually listens on port, or NULL. */
const struct check_kind *registry_find_port(int port);


/* Option helpers for kinds' parse functions. */

/* Returns the last value of option `key`, or NULL. */
const char *check_opt_get(struct check *c, const char *key);
/* Parses yes/no/true/false/1/0 for `key` into *out (default when absent).
 * Returns 0, or -1 with err filled (EXIT_USAGE). */
int check_opt_bool(struct check *c, const char *key, int def, int *out,
		   struct probe_err *err);
/* Parses a duration option; -1 with err on a malformed value. */
int check_opt_duration(struct check *c, const char *key, int64_t def,
		       int64_t *out_ms, struct probe_err *err);
/* Parses a non-negative integer option with an optional size suffix
 * (k, M, G, KiB, MiB, GiB, KB, MB, GB).  -1 with err when malformed. */
int check_opt_size(struct check *c, const char *key, long long def,
		   long long *out, struct probe_err *err);

/* Result helpers.  All formatting is truncated to the field's size. */
void result_pass(struct check_result *r);
void result_fail(struct check_result *r, enum hint_id hint, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));
void result_warn(struct check_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void result_hint(struct check_result *r, enum hint_id hint);
void detail_int(struct check_result *r, const char *key, long long v);
void detail_bool(struct check_result *r, const char *key, int v);
void detail_num(struct check_result *r, const char *key, double v);
void detail_str(struct check_result *r, const char *key, const char *v);
/* detail.cause: why the check failed, in one word (cause.h). */
void detail_cause(struct check_result *r, enum probe_cause cause);
/* A list: call detail_list_begin, then detail_list_add for each item. */
void detail_list_begin(struct check_result *r, const char *key);
void detail_list_add(struct check_result *r, const char *v);
/* Returns item i of a DETAIL_LIST or DETAIL_STR item. */
const char *detail_list_at(const struct check_result *r,
			   const struct detail_item *it, size_t i);

/* Host helpers shared by network kinds. */

/* Splits "host:port", "[v6]:port", ":port" (host empty) or "host" as
 * lib/url.h reads an authority; ep->port is 0 when absent.  Returns 0, or
 * -1 with err (EXIT_USAGE), which quotes nothing of s: the caller names
 * the check. */
int endpoint_parse(const char *s, struct endpoint *ep, int need_port,
		   struct probe_err *err);
/* True when host names this machine's loopback or wildcard address. */
int host_is_local(const char *host);

#endif
