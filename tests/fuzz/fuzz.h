/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share: copies of the
 * input sized so that AddressSanitizer sees a read past either end, and a
 * way to cut it into lines.
 */
#ifndef PROBE_FUZZ_H
#define PROBE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'ed copy of exactly size bytes (one byte when size is 0, never
 * read), or NULL.  The caller frees it. */
static inline char *fuzz_bytes(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);

	if (buf && size)
		memcpy(buf, data, size);
	return buf;
}

/* A malloc'ed NUL-terminated copy of data[0..size) (a NUL inside ends the
 * C string early, as it would for the code under test), or NULL.  The
 * caller frees it. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		if (size)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* Splits off the line at *p (up to '\n', which is dropped, or the end) as
 * a malloc'ed string, and moves *p and *left past it.  Returns NULL when
 * nothing is left or out of memory.  The caller frees it. */
static inline char *fuzz_line(const uint8_t **p, size_t *left)
{
	const uint8_t *nl;
	size_t n;
	char *s;

	if (*left == 0)
		return NULL;
	nl = memchr(*p, '\n', *left);
	n = nl ? (size_t)(nl - *p) : *left;
	s = fuzz_str(*p, n);
	*p += n + (nl != NULL);
	*left -= n + (nl != NULL);
	return s;
}

/* Fails the run: an invariant of the code under test does not hold. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

#endif
