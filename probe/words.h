/*
 * words.h - the check-word grammar (SPEC §1): a list of words where
 * `scheme:...` starts a check and `key=value` is an option of the check
 * before it; ${VAR}, ${VAR:-default}, $$ and @VAR are expanded first.
 */
#ifndef PROBE_WORDS_H
#define PROBE_WORDS_H

#include <stddef.h>

#include "probe/check.h"

struct wordlist {
	char **v;
	size_t n, cap;
};

/* Appends a copy of w.  Returns 0, or -1 when out of memory. */
int wordlist_add(struct wordlist *wl, const char *w);
/* Frees the words and the list; accepts an empty list. */
void wordlist_free(struct wordlist *wl);

/* Splits text (a -f file or $PROBE_CHECKS) into words on white space and
 * new lines; '...' and "..." group, # starts a comment to the end of the
 * line.  `origin` names the source in errors.  Returns 0, or -1 with err
 * (EXIT_USAGE on an unclosed quote). */
int words_split(const char *text, const char *origin, struct wordlist *out,
		struct probe_err *err);

/* Expands one word: a whole word "@NAME" or an option value "@NAME"
 * becomes the variable's value; elsewhere ${NAME}, ${NAME:-default} and
 * $$.  Returns a string the caller frees, or NULL with err: EXIT_CONFIG
 * for an unset variable, EXIT_USAGE for malformed syntax. */
char *words_expand(const char *word, struct probe_err *err);

/* What a word is, by its shape alone. */
enum word_class { WORD_CHECK, WORD_OPTION, WORD_BAD };
/* Classifies an expanded word; for WORD_CHECK *split is the length of the
 * scheme, for WORD_OPTION the length of the key. */
enum word_class words_classify(const char *w, size_t *split);

/* The most checks one run takes: a usage error past it.  Each costs about
 * 2.5 KiB of result and, for a network kind, a thread while it runs. */
#define PLAN_CHECKS_MAX 16384

struct plan {
	struct check **checks;
	size_t n;
};

/* Turns words into checks: expands, classifies, finds each kind in the
 * registry, rejects unknown options and lets each kind validate its own.
 * No I/O beyond getenv.  Returns 0, or -1 with err. */
int words_parse(char *const *words, size_t n, struct plan *plan,
		struct probe_err *err);
/* Frees one check and all it owns; accepts NULL. */
void check_free(struct check *c);
/* Frees every check of the plan and the plan's array. */
void plan_free(struct plan *plan);

/* Parses a level name (live, ready, startup).  Returns 0, or -1. */
int level_parse(const char *s, enum probe_level *out);
/* The name of a level. */
const char *level_name(enum probe_level l);

#endif
