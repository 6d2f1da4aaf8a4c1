/*
 * test_fileio.c - bounded whole-file reads (file_read_all, file_read_small)
 * of files, a folder and a pipe made for the test.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "t.h"

static char dir[256];

/* Writes n bytes (a repeating pattern, NULs included) to dir/name. */
static void put(const char *name, size_t n, char *path, size_t pathlen)
{
	FILE *f;
	size_t i;

	snprintf(path, pathlen, "%s/%s", dir, name);
	f = fopen(path, "w");
	for (i = 0; f && i < n; i++)
		fputc((int)(i % 7), f);
	if (f)
		fclose(f);
}

static void test_sizes(void)
{
	static const struct {
		size_t size, max;
		int err; /* 0: read whole */
	} cases[] = {
		/* at, under and over the cap */
		{ 0, 16, 0 },
		{ 1, 16, 0 },
		{ 16, 16, 0 },
		{ 17, 16, EFBIG },
		{ 0, 0, 0 },
		{ 1, 0, EFBIG },
		/* past the first buffer of a file whose size stat gives */
		{ 5000, 1 << 20, 0 },
		{ 4096, 4096, 0 },
		{ 4097, 4096, EFBIG },
		{ 100000, 1 << 20, 0 },
		{ 100000, 99999, EFBIG },
	};
	char path[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = 12345, k;
		char *buf;
		int ok = 1;

		put("f", cases[i].size, path, sizeof(path));
		errno = 0;
		buf = file_read_all(path, cases[i].max, &len);
		if (cases[i].err) {
			T_EXPECT(!buf && errno == cases[i].err,
				 "case %zu: %zu bytes, max %zu: errno %d", i, cases[i].size,
				 cases[i].max, errno);
			free(buf);
			continue;
		}
		T_EXPECT(buf != NULL, "case %zu: %zu bytes, max %zu: errno %d", i, cases[i].size,
			 cases[i].max, errno);
		if (!buf)
			continue;
		T_INT(len, cases[i].size);
		for (k = 0; k < len; k++)
			ok &= buf[k] == (char)(k % 7);
		T_EXPECT(ok && buf[len] == '\0', "case %zu: the bytes read differ", i);
		free(buf);
	}
}

static void test_not_regular(void)
{
	char path[512];
	size_t len;
	int fds[2];

	errno = 0;
	T_EXPECT(file_read_all(dir, 100, &len) == NULL && errno == EISDIR, "errno %d", errno);
	snprintf(path, sizeof(path), "%s/missing", dir);
	errno = 0;
	T_EXPECT(file_read_all(path, 100, &len) == NULL && errno == ENOENT, "errno %d", errno);

	/* A pipe has no size to go by: read to its end, still bounded. */
	T_EXPECT(pipe(fds) == 0, "pipe: errno %d", errno);
	T_EXPECT(write(fds[1], "hello pipe", 10) == 10, "write: errno %d", errno);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	{
		char *buf = file_read_all(path, 100, &len);

		T_EXPECT(buf && len == 10 && strcmp(buf, "hello pipe") == 0, "got %s",
			 buf ? buf : "NULL");
		free(buf);
	}
	close(fds[0]);
	T_EXPECT(pipe(fds) == 0, "pipe: errno %d", errno);
	T_EXPECT(write(fds[1], "0123456789", 10) == 10, "write: errno %d", errno);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	errno = 0;
	T_EXPECT(file_read_all(path, 9, &len) == NULL && errno == EFBIG, "errno %d", errno);
	close(fds[0]);
}

static void test_small(void)
{
	char path[512], buf[8];

	put("s", 20, path, sizeof(path));
	T_INT(file_read_small(path, buf, sizeof(buf)), 7);
	T_INT(buf[7], 0);
	snprintf(path, sizeof(path), "%s/missing", dir);
	T_INT(file_read_small(path, buf, sizeof(buf)), -1);
}

int main(void)
{
	char cmd[300];

	snprintf(dir, sizeof(dir), "%s/probe-fileio.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_sizes();
	test_not_regular();
	test_small();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return t_done("test_fileio");
}
