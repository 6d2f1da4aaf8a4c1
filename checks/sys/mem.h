/*
 * mem.h - the half of mem: that tests and discovery share: reading a
 * cgroup's memory files into numbers, and the machine's MemTotal.  The
 * check kind itself is check_mem in mem.c.
 */
#ifndef PROBE_MEM_H
#define PROBE_MEM_H

#include <stddef.h>

struct mem_usage {
	int version;                  /* 2 or 1: the cgroup version found */
	unsigned long long usage;     /* memory.current / memory.usage_in_bytes */
	unsigned long long inactive;  /* inactive_file / total_inactive_file */
	unsigned long long working;   /* usage - inactive, never below 0 */
	unsigned long long limit;     /* meaningful when has_limit */
	int has_limit;
	char dir[512];                /* the folder the numbers came from */
};

/* Parses the content of memory.current, memory.max, memory.usage_in_bytes
 * or memory.limit_in_bytes: a decimal number, or "max" (sets *unlimited).
 * Trailing white space is allowed.  Returns 0, or -1 when malformed. */
int mem_parse_value(const char *text, unsigned long long *out, int *unlimited);

/* Finds "key N" on a line of memory.stat text.  Returns 0 and sets *out,
 * or -1 when the key is absent or its value malformed. */
int mem_stat_get(const char *stat, const char *key, unsigned long long *out);

/* Finds this process's cgroup in /proc/self/cgroup text: for version 2
 * the "0::PATH" line, for version 1 the line whose controllers include
 * "memory".  Copies PATH to out.  Returns 0, or -1 when there is none. */
int mem_cgroup_path(const char *self_cgroup, int version, char *out, size_t n);

/*
 * Reads the memory accounting of a cgroup mounted at root: version 2
 * (root/memory.current, memory.max, memory.stat) and, failing that,
 * version 1 (root/memory/memory.usage_in_bytes, memory.limit_in_bytes,
 * memory.stat's total_inactive_file).  self_cgroup, when not NULL, is the
 * text of /proc/self/cgroup: this process's own cgroup folder under root
 * is tried before root itself (no cgroup namespace).  A limit of 2^60 or
 * more, or over mem_total (when not 0), counts as no limit.  The working
 * set is usage minus inactive file pages, as the kubelet computes it.
 * Returns 0, or -1 with why filled when no accounting files are found.
 */
int mem_read(const char *root, const char *self_cgroup, unsigned long long mem_total,
	     struct mem_usage *out, char *why, size_t n);

/* MemTotal of /proc/meminfo in bytes, or 0 when unknown: the mem_total
 * mem_read weighs a limit against. */
unsigned long long mem_total_bytes(void);

struct disc;

/* The mem kind's discovery step (mem_discover.c; discover/context.h): mem:
 * when a cgroup memory limit is set.  Returns 0, or -1 with d->err. */
int mem_discover(struct disc *d);

#endif
