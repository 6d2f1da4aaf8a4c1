/*
 * fuzz_regex.c - libFuzzer entry point for lib/regex.c, which compiles the
 * patterns of match= and body~= and runs them over HTTP bodies: the
 * input's first line is the pattern, the rest the text it is matched
 * against.  A pattern compiles or fails with a message; a compiled one
 * answers 0 or 1 and never runs past its program's bound, and glibc's
 * regexec, on patterns both read alike, gives the same answer.
 * Seeds: corpus/regex/.
 */
#include "fuzz.h"

#include <regex.h>

#include "lib/regex.h"

/* Patterns glibc reads the same way: no backslash (GNU escapes differ)
 * and short, since glibc's regcomp may take gigabytes on stacked
 * repetitions.  Texts without a new line: glibc lets a $ inside a pattern
 * match before one ("a$." matches "a\nb") even without REG_NEWLINE, where
 * POSIX, and this matcher, have $ match only at the end. */
static int fuzz_glibc_alike(const char *pattern)
{
	size_t i, reps = 0;

	if (strchr(pattern, '\\') || strlen(pattern) > 16 || strchr(pattern, '{'))
		return 0;
	/* glibc's regcomp takes seconds on stacked repetitions ("(|a)++++"):
	 * its closure computation, not this matcher, would time out */
	for (i = 0; pattern[i]; i++)
		if (strchr("*+?", pattern[i]) && ++reps > 3)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size;
	char *pattern = fuzz_str(data, plen), why[200];
	const char *text = nl ? (const char *)nl + 1 : "";
	size_t tlen = nl ? size - plen - 1 : 0;
	struct rx *rx = NULL;

	if (!pattern)
		return 0;
	why[0] = '\0';
	if (rx_compile(pattern, &rx, why, sizeof(why)) < 0) {
		FUZZ_ASSERT(rx == NULL && why[0]);
	} else {
		int m = rx_match(rx, text, tlen, 0);

		FUZZ_ASSERT(m == 0 || m == 1);
		if (fuzz_glibc_alike(pattern) && !memchr(text, '\0', tlen) &&
		    !memchr(text, '\n', tlen)) {
			regex_t re;
			char *t = fuzz_str((const uint8_t *)text, tlen);

			if (t && regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) == 0) {
				FUZZ_ASSERT((regexec(&re, t, 0, NULL, 0) == 0) == m);
				regfree(&re);
			}
			free(t);
		}
		rx_free(rx);
	}
	free(pattern);
	return 0;
}
