/*
 * fileio.h - the one way probe reads a file whole, always bounded: small
 * kernel files (/proc, /sys) into a caller's buffer, and files of the user
 * (a -f file, alembic scripts, a frontend build's manifests) into memory
 * of their own size, up to a cap.
 */
#ifndef PROBE_FILEIO_H
#define PROBE_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads at most n-1 bytes of path into buf and NUL-terminates it.  Returns
 * the length, or -1 with errno set (a read error after some bytes counts as
 * an error: a half-read file is not judged). */
ssize_t file_read_small(const char *path, char *buf, size_t n);

/*
 * Reads all of path, at most max bytes (max < SIZE_MAX), into a
 * NUL-terminated buffer that the caller frees, and sets *len to its length
 * (the NUL not counted; the text may hold NULs of its own).  What is not a
 * regular file (a pipe: -f /dev/stdin) is read until its end, as long as it
 * stays within max.  Returns NULL with errno set: EFBIG when it holds more
 * than max bytes, EISDIR for a folder, ENOMEM, or what open or read said.
 */
char *file_read_all(const char *path, size_t max, size_t *len);

/*
 * file_read_all, and no later than end_ns (CLOCK_MONOTONIC nanoseconds;
 * 0: no bound): a FIFO nobody writes to, or a pipe that never ends, fails
 * with ETIMEDOUT at end_ns instead of blocking forever.  The file is opened
 * without blocking (a FIFO's open waits for a writer otherwise).
 */
char *file_read_all_until(const char *path, size_t max, size_t *len, int64_t end_ns);

#endif
