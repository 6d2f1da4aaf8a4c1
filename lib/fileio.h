/*
 * fileio.h - bounded reads of small files (/proc, /sys, manifests), shared
 * by the kinds that look at this container's files.
 */
#ifndef PROBE_FILEIO_H
#define PROBE_FILEIO_H

#include <sys/types.h>

/* Reads at most n-1 bytes of path into buf and NUL-terminates it.  Returns
 * the length, or -1 with errno set (a read error after some bytes counts as
 * an error: a half-read file is not judged). */
ssize_t file_read_small(const char *path, char *buf, size_t n);

#endif
