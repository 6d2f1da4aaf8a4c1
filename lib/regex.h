/*
 * regex.h - POSIX extended regular expressions matched in time linear in
 * the input, with a bounded program.  match= and body~= say whether a
 * pattern matches anywhere in a value or a body; glibc's regexec can take
 * quadratic time or worse on the same question (`(a|aa)*c` against 30 kB
 * of a: two seconds; nested {m,n} repetitions compile to gigabytes), and
 * it cannot be stopped at a deadline.  This one compiles the pattern into
 * a program of at most RX_PROG_MAX instructions and runs it as a Thompson
 * NFA: every byte of input costs at most one step per instruction, and
 * the clock is read every RX_CLOCK_EVERY bytes.
 *
 * The syntax is POSIX ERE over bytes (the C locale, as probe runs): . [...]
 * [^...] with ranges and [:class:], ( ) |, * + ? {m} {m,} {m,n} (n at most
 * RX_DUP_MAX), ^ and $ (the start and end of the whole input: no
 * REG_NEWLINE), and \ before any special character.  GNU's \w \W \s \S
 * \b \B \< \> \` \' are supported, as are \d \D (digits) and \n \t \r.
 * Back-references and collating elements are refused, with a message.
 * Pure: no I/O but the clock.
 */
#ifndef PROBE_REGEX_H
#define PROBE_REGEX_H

#include <stddef.h>
#include <stdint.h>

#define RX_PATTERN_MAX 1024 /* bytes of a pattern */
#define RX_PROG_MAX 8192    /* instructions once repetitions are expanded */
#define RX_DUP_MAX 255	    /* the largest bound of {m,n} */
#define RX_CLOCK_EVERY 4096 /* bytes between two reads of the clock */

struct rx;

/* Compiles pattern into *out (freed by rx_free).  Returns 0, or -1 with a
 * message in err (size n) that quotes no byte of the pattern (the caller
 * names the option). */
int rx_compile(const char *pattern, struct rx **out, char *err, size_t n);

/* Does rx match anywhere in buf[0..len)?  NUL bytes are input like any
 * other.  end_ns is a CLOCK_MONOTONIC deadline in nanoseconds, 0 for
 * none.  Returns 1 (a match), 0 (none), or -1 (the deadline passed first,
 * or no memory for the run).  rx is only read: threads may share it. */
int rx_match(const struct rx *rx, const char *buf, size_t len, int64_t end_ns);

/* Frees rx; accepts NULL. */
void rx_free(struct rx *rx);

#endif
