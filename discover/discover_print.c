/*
 * discover_print.c - a plan as a -f file: a reason above each check, the
 * check and its options on one line, words quoted when they must be.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discover/discover.h"
#include "probe/words.h"

/* ------------------------------------------------------------ print */

/* Writes w as words_split reads it back.  Returns 0, or -1 (EINVAL) for
 * a word no quoting can carry (a new line, or both kinds of quote). */
static int disc_put_word(const char *w, FILE *out)
{
	int plain = *w && w[0] != '#', dq = strchr(w, '"') != NULL, sq = strchr(w, '\'') != NULL;
	const char *p;

	for (p = w; *p; p++)
		if (isspace((unsigned char)*p) || *p == '"' || *p == '\'')
			plain = 0;
	if (strchr(w, '\n') || (dq && sq)) {
		errno = EINVAL;
		return -1;
	}
	if (plain)
		return fputs(w, out) < 0 ? -1 : 0;
	return fprintf(out, dq ? "'%s'" : "\"%s\"", w) < 0 ? -1 : 0;
}

/* "# " and the reason on one line. */
static int disc_put_why(const char *why, FILE *out)
{
	const char *p;

	if (fputs("# ", out) < 0)
		return -1;
	for (p = why; *p; p++)
		if (fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out) == EOF)
			return -1;
	return fputc('\n', out) == EOF ? -1 : 0;
}

int discover_print(const struct wordlist *words, const struct wordlist *why, FILE *out)
{
	size_t i, k = 0;
	int open = 0; /* a check's line is being written */

	if (fputs("# probe's plan, discovered in this container; run it with "
		  "probe -f FILE\n",
		  out) < 0)
		return -1;
	for (i = 0; i < words->n; i++) {
		const char *w = words->v[i];
		size_t split;
		int check = w[0] == '@' || words_classify(w, &split) == WORD_CHECK;

		if (check) {
			if (open && fputc('\n', out) == EOF)
				return -1;
			if (why && k < why->n && disc_put_why(why->v[k], out) < 0)
				return -1;
			k++;
		} else if (open && fputc(' ', out) == EOF) {
			return -1;
		}
		if (disc_put_word(w, out) < 0)
			return -1;
		open = 1;
	}
	if (open && fputc('\n', out) == EOF)
		return -1;
	return fflush(out) == EOF ? -1 : 0;
}
