/*
 * discover.h - auto-discovery (SPEC §4): `probe` with no checks named
 * builds its plan from what this container shows - listening TCP ports and
 * $PORT, database URLs in the environment, an alembic.ini, a frontend
 * build in the working directory, dev watchers in the process table, a
 * cgroup memory limit.  It reads /proc, /sys/fs/cgroup, the environment
 * and the working directory's entries; it connects nowhere.
 *
 * The plan is check words as a user would write them.  Secrets stay out
 * of it: a variable's value is never copied into a word, only named, as
 * @VAR (the whole value) or ${VAR} (part of a URL), so the printed plan
 * follows the environment it later runs in.
 */
#ifndef PROBE_DISCOVER_H
#define PROBE_DISCOVER_H

#include <stddef.h>
#include <stdio.h>

#include "lib/err.h"
#include "probe/words.h"

/* At most this many listening ports besides $PORT become checks. */
#define DISCOVER_MAX_PORTS 8
/* At most this many /proc entries are looked at for dev watchers. */
#define DISCOVER_MAX_PIDS 4096

/*
 * Where discovery looks; a NULL field takes the default.  The defaults
 * are the test seams the check kinds honour too, so a discovered plan
 * runs against what it was discovered from.
 */
struct discover_src {
	const char *procnet_dir; /* procnet_dir(): $PROBE_PROCNET_DIR or /proc/net */
	const char *proc_root;	 /* "/proc" (the process table) */
	const char *cgroup_root; /* $PROBE_CGROUP_ROOT, else /sys/fs/cgroup */
	const char *cwd;	 /* "." (words stay relative: checks run here) */
};

/*
 * Builds the words of a plan from what this container shows: no I/O
 * beyond reading /proc, /sys/fs/cgroup, the environment and the working
 * directory's entries (no connection anywhere).  Appends check words (as
 * a user would write them, secrets written as @VAR or ${VAR} references,
 * never values), each followed by its option words, to *out, and one
 * human-readable reason per check to *why (parallel to the check words:
 * why->v[k] explains the k-th check).  Finding nothing is not an error:
 * *out is left as it was.  The caller frees both lists (wordlist_free).
 * Returns 0, or -1 with err (EXIT_CONFIG: out of memory).
 */
int discover_plan(struct wordlist *out, struct wordlist *why, struct probe_err *err);

/* discover_plan, looking where src says (tests; NULL: the defaults). */
int discover_plan_from(const struct discover_src *src, struct wordlist *out, struct wordlist *why,
		       struct probe_err *err);

/*
 * Renders a plan in the -f file format: a comment line naming the plan,
 * then for each check a "# why" line and one line holding the check word
 * and its options (a check word is one words_classify calls WORD_CHECK, or
 * an @VAR word; the option words that follow it go on its line).  A word
 * holding white space, a quote or starting with # is quoted ("..." or,
 * when it holds ", '...').  So `probe --plan > probe.checks` and then
 * `probe -f probe.checks` runs the same plan.  A secret written into a
 * word (a URL's password, a credential header's value) prints as ***
 * under a comment saying so; @VAR and ${VAR} print as they are.  why may
 * be NULL or shorter than the checks.  Returns 0, or -1 when writing
 * fails.
 */
int discover_print(const struct wordlist *words, const struct wordlist *why, FILE *out);

/*
 * Is value a database URL of a scheme probe checks (postgres,
 * postgresql[+driver], mysql[+driver], mariadb, redis, rediss,
 * sqlite[+driver]) and whose kind this build has?  Copies the scheme
 * without "+driver", lower case, to scheme (size n) when it is.
 * Returns 1 or 0.  Pure.
 */
int discover_url_known(const char *value, char *scheme, size_t n);

#endif
