/*
 * resource.h - what mem: and disk: share: a threshold that is either a
 * percentage ("90%") or a size ("512MiB"), and byte counts printed for
 * people ("312 MiB").  Pure functions, tested in tests/unit/test_resource.c.
 */
#ifndef PROBE_RESOURCE_H
#define PROBE_RESOURCE_H

#include <stddef.h>

#include "probe/check.h"

struct resource_threshold {
	int is_percent;   /* 1: pct holds the value; 0: bytes does */
	double pct;       /* 0..100 */
	long long bytes;
	char text[32];    /* the value as written, for messages ("5%") */
};

/* Parses "90%", "12.5%", "0%", "100%" into *out (0..100).  Returns 0, or
 * -1 when s is not a plain decimal number followed by '%' or is over 100. */
int resource_parse_percent(const char *s, double *out);

/* Reads option `key` of c as a percentage or, failing that, as a size
 * (check_opt_size's suffixes); def (like "5%") applies when the option is
 * absent.  Returns 0, or -1 with err (EXIT_USAGE) on a malformed value. */
int resource_opt_threshold(struct check *c, const char *key, const char *def,
			   struct resource_threshold *out, struct probe_err *err);

/* Prints v bytes as people read them, in binary units: "512 B",
 * "312 MiB", "1.5 GiB", "20 GiB" (one decimal below 10, none above). */
void resource_format_bytes(char *buf, size_t n, unsigned long long v);

#endif
