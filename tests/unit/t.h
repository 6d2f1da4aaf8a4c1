/*
 * t.h - the smallest assert set: each failed expectation prints where and
 * what, and main returns the count of failures.
 */
#ifndef PROBE_T_H
#define PROBE_T_H

#include <stdio.h>
#include <string.h>

static int t_failures;
static int t_checks;

#define T_EXPECT(cond, ...)                                                        \
	do {                                                                       \
		t_checks++;                                                        \
		if (!(cond)) {                                                     \
			t_failures++;                                              \
			fprintf(stderr, "%s:%d: expected %s: ", __FILE__, __LINE__, \
				#cond);                                            \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
		}                                                                  \
	} while (0)

#define T_STR(got, want)                                                         \
	T_EXPECT(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))

#define T_INT(got, want)                                                       \
	T_EXPECT((long long)(got) == (long long)(want), "got %lld, want %lld", \
		 (long long)(got), (long long)(want))

/* Ends a test binary: prints a tally and returns non-zero on failures. */
static inline int t_done(const char *name)
{
	fprintf(stderr, "%s: %d checks, %d failed\n", name, t_checks, t_failures);
	return t_failures ? 1 : 0;
}

#endif
