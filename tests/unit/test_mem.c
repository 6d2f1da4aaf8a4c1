/*
 * test_mem.c - cgroup memory files into numbers: single values,
 * memory.stat, /proc/self/cgroup, and whole fixture folders of cgroup v2
 * and v1 read by mem_read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/sys/mem.h"
#include "t.h"

static void test_values(void)
{
	static const struct {
		const char *text;
		int rc, unlimited;
		unsigned long long v;
	} cases[] = {
		{ "536870912\n", 0, 0, 536870912ULL },
		{ "0\n", 0, 0, 0 },
		{ "max\n", 0, 1, 0 },
		{ "max", 0, 1, 0 },
		{ "9223372036854771712\n", 0, 0, 9223372036854771712ULL },
		{ "", -1, 0, 0 },
		{ "-1\n", -1, 0, 0 },
		{ "12 kB\n", -1, 0, 0 },
		{ "maximal\n", -1, 0, 0 },
		{ "99999999999999999999999\n", -1, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long long v = 7;
		int unlimited = 7;
		int rc = mem_parse_value(cases[i].text, &v, &unlimited);

		T_EXPECT(rc == cases[i].rc, "case %zu: rc %d", i, rc);
		if (rc == 0) {
			T_INT(unlimited, cases[i].unlimited);
			T_EXPECT(v == cases[i].v, "case %zu: %llu", i, v);
		}
	}
}

static const char stat_v2[] = "anon 104857600\n"
			      "file 209715200\n"
			      "active_file 52428800\n"
			      "inactive_file 157286400\n"
			      "slab 1024\n";
static const char stat_v1[] = "cache 58675200\n"
			      "rss 20000000\n"
			      "inactive_file 28672\n"
			      "total_cache 58675200\n"
			      "total_inactive_file 58675200\n"
			      "total_active_file 1000";

static void test_stat(void)
{
	unsigned long long v = 0;

	T_INT(mem_stat_get(stat_v2, "inactive_file", &v), 0);
	T_EXPECT(v == 157286400ULL, "%llu", v);
	T_INT(mem_stat_get(stat_v2, "file", &v), 0);
	T_EXPECT(v == 209715200ULL, "%llu", v);
	/* a key must match whole: "inactive_file" is not "total_inactive_file" */
	T_INT(mem_stat_get(stat_v1, "inactive_file", &v), 0);
	T_EXPECT(v == 28672ULL, "%llu", v);
	T_INT(mem_stat_get(stat_v1, "total_inactive_file", &v), 0);
	T_EXPECT(v == 58675200ULL, "%llu", v);
	T_INT(mem_stat_get(stat_v1, "total_active_file", &v), 0); /* no newline at end */
	T_EXPECT(v == 1000ULL, "%llu", v);
	T_INT(mem_stat_get(stat_v2, "inactive_anon", &v), -1);
	T_INT(mem_stat_get("", "anon", &v), -1);
	T_INT(mem_stat_get("anon x\n", "anon", &v), -1);
}

static void test_cgroup_path(void)
{
	static const char v1[] = "12:pids:/docker/abc\n"
				 "4:memory:/docker/abc\n"
				 "3:cpu,cpuacct:/docker/abc\n"
				 "0::/system.slice/docker-abc.scope\n";
	static const char v1_joined[] = "5:cpuacct,memory,cpu:/kubepods/pod1/c1\n";
	static const char v2[] = "0::/\n";
	char out[128];

	T_INT(mem_cgroup_path(v1, 1, out, sizeof(out)), 0);
	T_STR(out, "/docker/abc");
	T_INT(mem_cgroup_path(v1, 2, out, sizeof(out)), 0);
	T_STR(out, "/system.slice/docker-abc.scope");
	T_INT(mem_cgroup_path(v1_joined, 1, out, sizeof(out)), 0);
	T_STR(out, "/kubepods/pod1/c1");
	T_INT(mem_cgroup_path(v1_joined, 2, out, sizeof(out)), -1);
	T_INT(mem_cgroup_path(v2, 2, out, sizeof(out)), 0);
	T_STR(out, "/");
	T_INT(mem_cgroup_path(v2, 1, out, sizeof(out)), -1);
	T_INT(mem_cgroup_path("4:memoryx:/a\n", 1, out, sizeof(out)), -1);
	T_INT(mem_cgroup_path("", 2, out, sizeof(out)), -1);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		T_EXPECT(0, "cannot write %s", path);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void rm(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void test_read(void)
{
	char root[] = "/tmp/test_mem.XXXXXX", v1dir[64], own[96], why[256];
	struct mem_usage u;

	if (!mkdtemp(root)) {
		T_EXPECT(0, "mkdtemp failed");
		return;
	}
	/* nothing there */
	T_INT(mem_read(root, NULL, 0, &u, why, sizeof(why)), -1);
	T_EXPECT(strstr(why, "no cgroup memory accounting") != NULL, "%s", why);

	/* v2 with a limit */
	put(root, "memory.current", "943718400\n");
	put(root, "memory.max", "1073741824\n");
	put(root, "memory.stat", stat_v2);
	T_INT(mem_read(root, NULL, 0, &u, why, sizeof(why)), 0);
	T_INT(u.version, 2);
	T_EXPECT(u.usage == 943718400ULL, "%llu", u.usage);
	T_EXPECT(u.working == 943718400ULL - 157286400ULL, "%llu", u.working);
	T_INT(u.has_limit, 1);
	T_EXPECT(u.limit == 1073741824ULL, "%llu", u.limit);
	/* over MemTotal: no real limit */
	T_INT(mem_read(root, NULL, 512ULL << 20, &u, why, sizeof(why)), 0);
	T_INT(u.has_limit, 0);

	/* v2 without a limit */
	put(root, "memory.max", "max\n");
	T_INT(mem_read(root, NULL, 0, &u, why, sizeof(why)), 0);
	T_INT(u.has_limit, 0);
	/* inactive over usage: the working set stops at 0 */
	put(root, "memory.current", "1000\n");
	T_INT(mem_read(root, NULL, 0, &u, why, sizeof(why)), 0);
	T_EXPECT(u.working == 0, "%llu", u.working);
	/* no memory.stat: nothing to subtract */
	rm(root, "memory.stat");
	T_INT(mem_read(root, NULL, 0, &u, why, sizeof(why)), 0);
	T_EXPECT(u.working == 1000ULL, "%llu", u.working);
	rm(root, "memory.current");
	rm(root, "memory.max");

	/* v1 */
	snprintf(v1dir, sizeof(v1dir), "%s/memory", root);
	mkdir(v1dir, 0755);
	put(v1dir, "memory.usage_in_bytes", "91090944\n");
	put(v1dir, "memory.limit_in_bytes", "9223372036854771712\n");
	put(v1dir, "memory.stat", stat_v1);
	T_INT(mem_read(root, NULL, 0, &u, why, sizeof(why)), 0);
	T_INT(u.version, 1);
	T_INT(u.has_limit, 0); /* the "no limit" number of v1 */
	T_EXPECT(u.working == 91090944ULL - 58675200ULL, "%llu", u.working);
	put(v1dir, "memory.limit_in_bytes", "536870912\n");
	T_INT(mem_read(root, NULL, 0, &u, why, sizeof(why)), 0);
	T_INT(u.has_limit, 1);
	T_EXPECT(u.limit == 536870912ULL, "%llu", u.limit);

	/* our own cgroup under the mount wins over the mount's root */
	snprintf(own, sizeof(own), "%s/memory/docker", root);
	mkdir(own, 0755);
	put(own, "memory.usage_in_bytes", "100\n");
	put(own, "memory.limit_in_bytes", "200\n");
	T_INT(mem_read(root, "4:memory:/docker\n0::/\n", 0, &u, why, sizeof(why)), 0);
	T_EXPECT(u.usage == 100ULL && u.limit == 200ULL, "%llu of %llu", u.usage, u.limit);
	T_STR(u.dir, own);
	/* ... and the root is the fallback when it is not there */
	T_INT(mem_read(root, "4:memory:/elsewhere\n", 0, &u, why, sizeof(why)), 0);
	T_EXPECT(u.usage == 91090944ULL, "%llu", u.usage);

	rm(own, "memory.usage_in_bytes");
	rm(own, "memory.limit_in_bytes");
	rmdir(own);
	rm(v1dir, "memory.usage_in_bytes");
	rm(v1dir, "memory.limit_in_bytes");
	rm(v1dir, "memory.stat");
	rmdir(v1dir);
	rmdir(root);
}

int main(void)
{
	test_values();
	test_stat();
	test_cgroup_path();
	test_read();
	return t_done("test_mem");
}
