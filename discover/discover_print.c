/*
 * discover_print.c - a plan as a -f file: a reason above each check, the
 * check and its options on one line, words quoted when they must be,
 * secrets masked as the report masks them (report_scrub).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discover/discover.h"
#include "probe/report.h"
#include "probe/words.h"

/* ------------------------------------------------------------ print */

/* Writes w as words_split reads it back.  Returns 0, or -1 (EINVAL) for
 * a word no quoting can carry (a new line, both kinds of quote) or that
 * holds a control character (an ESC would reach the terminal). */
static int disc_put_word(const char *w, FILE *out)
{
	int plain = *w && w[0] != '#', dq = strchr(w, '"') != NULL, sq = strchr(w, '\'') != NULL;
	int ctl = 0;
	const char *p;

	for (p = w; *p; p++) {
		if (isspace((unsigned char)*p) || *p == '"' || *p == '\'')
			plain = 0;
		ctl |= ((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f;
	}
	if (ctl || (dq && sq)) {
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
		if (fputc((unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p, out) == EOF)
			return -1;
	return fputc('\n', out) == EOF ? -1 : 0;
}

/* The words of one check, masked (report_scrub): dst[k] for words
 * v[from + k], from to the next check word.  Returns how many; *masked
 * says whether any changed. */
static size_t disc_mask_line(const struct wordlist *words, size_t from, char (*dst)[1024],
			     size_t max, int *masked)
{
	size_t k = 0, split;

	*masked = 0;
	while (from + k < words->n && k < max) {
		const char *w = words->v[from + k];

		if (k > 0 && (w[0] == '@' || words_classify(w, &split) == WORD_CHECK))
			break;
		/* A word too long for the line would print cut: a plan that
		 * checks something else. */
		if (strlen(w) >= sizeof(dst[k])) {
			errno = EINVAL;
			return (size_t)-1;
		}
		/* A word with a space in its password hides from the masking
		 * of free text, and --plan parses no word: register what its
		 * positions say, a check word read as a rejected one is
		 * (postgres://u:PW without a host); its options as they are. */
		secret_add_word(w, k == 0);
		report_scrub(dst[k], sizeof(dst[k]), w);
		if (strcmp(dst[k], w) != 0)
			*masked = 1;
		k++;
	}
	return k;
}

int discover_print(const struct wordlist *words, const struct wordlist *why, FILE *out)
{
	static char line[64][1024];
	size_t i = 0, k = 0, j;

	if (fputs("# probe's plan, discovered in this container; run it with "
		  "probe -f FILE\n",
		  out) < 0)
		return -1;
	while (i < words->n) {
		int masked;

		const char *w = words->v[i];
		size_t split;
		int check = w[0] == '@' || words_classify(w, &split) == WORD_CHECK;
		size_t n = disc_mask_line(words, i, line, sizeof(line) / sizeof(line[0]), &masked);

		if (n == (size_t)-1)
			return -1;
		if (check && why && k < why->n && disc_put_why(why->v[k], out) < 0)
			return -1;
		k += check;
		/* Secrets print as ***: the line says how to keep them out. */
		if (masked && fputs("# a secret is masked as ***: name it as @VAR or ${VAR}\n",
				    out) < 0)
			return -1;
		for (j = 0; j < n; j++)
			if ((j && fputc(' ', out) == EOF) || disc_put_word(line[j], out) < 0)
				return -1;
		if (fputc('\n', out) == EOF)
			return -1;
		i += n;
	}
	return fflush(out) == EOF ? -1 : 0;
}
