/*
 * fileio.c - bounded file reads.
 */
#include "lib/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The first buffer for a file whose size stat cannot tell (a pipe, or a
 * kernel file that says 0). */
#define FILE_READ_CHUNK 4096

ssize_t file_read_small(const char *path, char *buf, size_t n)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len + 1 < n) {
		ssize_t r = read(fd, buf + len, n - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static int64_t file_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Waits until fd can be read (or says its writers are gone), at most
 * until end_ns.  Returns 0, or -1 with errno (ETIMEDOUT). */
static int file_wait(int fd, int64_t end_ns)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = end_ns ? (end_ns - file_now_ns()) / 1000000 : -1;
		int r;

		if (end_ns && left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = poll(&p, 1, end_ns ? (int)(left > 60000 ? 60000 : left) + 1 : -1);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0)
			return 0;
	}
}

char *file_read_all(const char *path, size_t max, size_t *len)
{
	return file_read_all_until(path, max, len, 0);
}

char *file_read_all_until(const char *path, size_t max, size_t *len, int64_t end_ns)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	size_t cap, n = 0;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	/* A regular file's size and one byte more, so that the read that
	 * finds its end needs no second buffer; never more than max + 1,
	 * the byte that proves a file too large. */
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : FILE_READ_CHUNK;
	if (cap > max + 1)
		cap = max + 1;
	buf = malloc(cap + 1);
	if (!buf)
		goto fail;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t more = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			char *grown;

			if (n > max) {
				errno = EFBIG;
				goto fail;
			}
			grown = realloc(buf, more + 1);
			if (!grown)
				goto fail;
			buf = grown;
			cap = more;
		}
		/* A pipe or FIFO: wait for bytes or its writer's end, within
		 * end_ns (a FIFO that never had a writer reads as an empty
		 * file without blocking; poll waits for one). */
		if (!S_ISREG(st.st_mode) && file_wait(fd, end_ns) < 0)
			goto fail;
		r = read(fd, buf + n, cap - n);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	{
		int e = errno;

		free(buf);
		close(fd);
		errno = e;
	}
	return NULL;
}
