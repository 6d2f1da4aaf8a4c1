/*
 * alembic.h - what the alembic: kind is made of, each part pure so a unit
 * test and a fuzz target can feed it bytes:
 *
 *   alembic_parse.c  a migration file -> revision, down_revision,
 *                    branch_labels, depends_on (a tiny Python tokenizer:
 *                    module-level assignments of literals, nothing run)
 *   alembic_ini.c    alembic.ini (ConfigParser semantics) and the
 *                    [tool.alembic] table of pyproject.toml
 *   alembic_graph.c  the revision graph: duplicates, missing parents,
 *                    cycles, effective heads, pending revisions
 *   alembic.c        the check kind: finds the files, reads them, reads
 *                    alembic_version through sql.h, compares
 */
#ifndef PROBE_ALEMBIC_H
#define PROBE_ALEMBIC_H

#include <stddef.h>

#define ALEMBIC_FILE_MAX (1024 * 1024) /* a migration file or an ini */
#define ALEMBIC_REVS_MAX 10000         /* revisions (and version rows) */
#define ALEMBIC_ID_MAX 256             /* a revision id or branch label */
#define ALEMBIC_LIST_MAX 256           /* items of one tuple */

/* A list of strings, each malloc'ed, freed with the struct holding it. */
struct alembic_list {
	char **v;
	size_t n;
};

/* What one migration file says, as Alembic would load it. */
struct alembic_script {
	char *revision;             /* NULL when the file assigns none */
	int revision_line;          /* 1-based; 0 when none */
	struct alembic_list down;   /* down_revision: empty for a base */
	struct alembic_list depends; /* depends_on */
	struct alembic_list labels; /* branch_labels */
	char error[256];            /* non-empty: the file can't be judged */
};

/* Parses the Python source buf[0..len) for the module-level (column 0)
 * assignments of revision, down_revision, branch_labels and depends_on,
 * with or without a type annotation; the last assignment wins, as in
 * Python.  Strings, docstrings and comments are skipped properly.  A value
 * that is not None, a string, or a tuple/list of strings is an error
 * naming its line: it is not guessed.  Fills *s (zeroed first); returns 0,
 * or -1 with s->error set.  The caller frees *s with alembic_script_free
 * either way.  Pure: no I/O. */
int alembic_script_parse(const char *buf, size_t len, struct alembic_script *s);
/* Frees what *s holds (not s itself); accepts NULL and zeroed structs. */
void alembic_script_free(struct alembic_script *s);

/* One key = value of an ini file, after ConfigParser's rules. */
struct alembic_ini_entry {
	char *section;
	char *key; /* lower case, as ConfigParser's optionxform */
	char *value; /* continuation lines joined with '\n'; raw (%% kept) */
};

struct alembic_ini {
	struct alembic_ini_entry *e;
	size_t n;
};

/* Parses buf[0..len) as Python's ConfigParser (defaults Alembic uses)
 * reads it: [sections], key = value and key: value, indented continuation
 * lines, full-line # and ; comments.  Fills *ini; returns 0, or -1 with
 * err (size errn) naming the line.  Free with alembic_ini_free.  Pure. */
int alembic_ini_parse(const char *buf, size_t len, struct alembic_ini *ini, char *err,
		      size_t errn);
/* The value of key in section (or in [DEFAULT]) with ConfigParser's basic
 * interpolation: %(name)s from the section, [DEFAULT] or `here`, and %%.
 * Returns a malloc'ed string the caller frees, or NULL when the key is
 * absent or interpolation fails (then err is filled if it failed). */
char *alembic_ini_get(const struct alembic_ini *ini, const char *section, const char *key,
		      const char *here, char *err, size_t errn);
/* Frees what *ini holds; accepts NULL. */
void alembic_ini_free(struct alembic_ini *ini);

/* The value of key in the [tool.alembic] table of a pyproject.toml: a
 * string, or an array of strings joined with '\n', with %(here)s replaced
 * by here.  Returns a malloc'ed string the caller frees, or NULL when
 * absent or not a string.  Pure. */
char *alembic_toml_get(const char *buf, size_t len, const char *key, const char *here);

/* One revision of the graph. */
struct alembic_rev {
	struct alembic_script s; /* owned: moved in by alembic_graph_add */
	char *file;              /* for messages (the file's name) */
	size_t *parents;         /* down_revision then depends_on, resolved */
	size_t nparents;
	size_t ndown;            /* parents[0..ndown) are down_revisions */
	int child;               /* something names it as a parent */
};

struct alembic_graph {
	struct alembic_rev *revs;
	size_t n, cap;
	size_t *byid;      /* indexes of revs sorted by revision id */
	size_t *heads;     /* the effective heads, sorted by id */
	size_t nheads;
	char error[512];   /* why alembic_graph_build failed */
};

/* Adds the script s from file to g, moving what s holds (s is zeroed).
 * A script without a revision is an error here.  Returns 0, or -1 with
 * g->error (too many revisions, out of memory, no revision). */
int alembic_graph_add(struct alembic_graph *g, struct alembic_script *s, const char *file);
/* Resolves every down_revision and depends_on (a depends_on may name a
 * branch label), then checks for duplicate ids, missing parents and
 * cycles, and computes the effective heads: revisions nothing names as a
 * down_revision or depends_on - what `alembic upgrade heads` leaves in
 * alembic_version.  Returns 0, or -1 with g->error naming the files. */
int alembic_graph_build(struct alembic_graph *g);
/* The index of revision id, or -1.  After a successful build. */
long alembic_graph_find(const struct alembic_graph *g, const char *id);
/* The revisions that are not ancestors-or-self of any of rows[0..nrows)
 * (indexes), in an order an upgrade applies them (parents first, ties by
 * id).  *out is malloc'ed (caller frees; NULL when none).  Returns the
 * count, or -1 on out of memory. */
long alembic_graph_pending(const struct alembic_graph *g, const size_t *rows, size_t nrows,
			   size_t **out);
/* Frees what g holds; accepts NULL. */
void alembic_graph_free(struct alembic_graph *g);

/* The kind's database half (alembic_db.c) and what it shares with
 * alembic.c.  check.h and dburl.h are only needed from here on. */
#include "probe/check.h"
#include "lib/dburl.h"

/* Writes "a, b, c" (three at most, then ", ...") of the revision ids at
 * idx[0..n) into buf. */
void alembic_ids_text(const struct alembic_graph *g, const size_t *idx, size_t n, char *buf,
		      size_t cap);
/* Adds detail key (a string literal) as the list of ids at idx[0..n). */
void alembic_detail_ids(struct check_result *res, const char *key,
			const struct alembic_graph *g, const size_t *idx, size_t n);
#define ALEMBIC_PATH 4096
#define ALEMBIC_LOCATIONS 32

/* Where the migration files are: what alembic_locate finds on disk. */
struct alembic_loc {
	char versions[ALEMBIC_LOCATIONS][ALEMBIC_PATH];
	size_t nversions;
	int recursive;
	int bare;       /* DIR is the versions folder itself */
	char *url;      /* sqlalchemy.url of the ini, interpolated; or NULL */
};


/* Finds the version locations from dir: the folder of alembic.ini (or
 * the ini file), of a pyproject.toml with [tool.alembic], a script
 * location, or a versions folder (loc->bare).  Fills *loc (zeroed by the
 * caller; loc->url is malloc'ed, the caller frees it).  Returns 0, or -1
 * with res failed (no such folder, no script_location, a bad ini). */
int alembic_locate(const char *dir, struct alembic_loc *loc, struct check_result *res);
/* Reads every migration file of folder dir (Alembic's filter: *.py but
 * __init__* and .#*; subfolders when recursive) into g, naming each file
 * rel/NAME in messages.  Returns 0, or -1 with res failed (unreadable, too
 * large, a file parse error, out of time at dl). */
int alembic_load_dir(const char *dir, const char *rel, int recursive, int depth,
		     struct alembic_graph *g, const struct deadline *dl,
		     struct check_result *res);
/* True when path is a folder. */
int alembic_is_dir(const char *path);

/* Reads [schema.]table of the database at u through sql.h and compares its
 * rows with the heads of g (built): pass when they are equal; else a
 * failure that says which case it is (never migrated, empty, behind with
 * N pending, a revision the scripts don't know).  Adds detail db and
 * pending to res, which already holds heads. */
void alembic_db_compare(const struct dburl *u, const char *schema, const char *table,
			const struct alembic_graph *g, const struct deadline *dl,
			struct check_result *res);

struct disc;

/* The alembic kind's discovery step (alembic_discover.c;
 * discover/context.h).  Returns 0, or -1 with d->err. */
int alembic_discover(struct disc *d);

#endif
