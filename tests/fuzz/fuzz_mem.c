/*
 * fuzz_mem.c - libFuzzer entry point for the readers of cgroup files in
 * checks/sys/mem.c (memory.current, memory.max, memory.stat and
 * /proc/self/cgroup) and the thresholds of checks/sys/resource.c.  The
 * input goes to each as the text file_read_small leaves: NUL-terminated.
 * Seeds: corpus/mem/.
 */
#include "fuzz.h"

#include "checks/sys/mem.h"
#include "checks/sys/resource.h"

/* Feeds data as each kind of file; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), path[256], small[4], bytes[32];
	unsigned long long v;
	int unlimited, version;
	double pct;

	if (!text)
		return 0;
	if (mem_parse_value(text, &v, &unlimited) == 0)
		resource_format_bytes(bytes, sizeof(bytes), v);
	mem_stat_get(text, "inactive_file", &v);
	mem_stat_get(text, "total_inactive_file", &v);
	for (version = 1; version <= 2; version++) {
		if (mem_cgroup_path(text, version, path, sizeof(path)) == 0)
			FUZZ_ASSERT(strlen(path) > 0 && strlen(path) < sizeof(path));
		mem_cgroup_path(text, version, small, sizeof(small));
	}
	if (resource_parse_percent(text, &pct) == 0)
		FUZZ_ASSERT(pct >= 0 && pct <= 100);
	if (size >= sizeof(v)) {
		memcpy(&v, data, sizeof(v));
		resource_format_bytes(bytes, sizeof(bytes), v);
		resource_format_bytes(small, sizeof(small), v);
	}
	free(text);
	return 0;
}
