/*
 * mem_discover.c - the mem kind's part of auto-discovery: mem: when a
 * cgroup memory limit is set, so the report warns before the kernel's OOM
 * killer acts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/sys/mem.h"
#include "checks/sys/resource.h"
#include "discover/context.h"
#include "lib/fileio.h"

/* mem: when a cgroup memory limit is set, read as mem: itself reads it. */
int mem_discover(struct disc *d)
{
	const char *root = d->src->cgroup_root;
	const char *w[] = {"mem:", NULL};
	char self[4096], why[768], limit[32];
	const char *self_cgroup = NULL;
	unsigned long long total = 0;
	struct mem_usage u;

	if (!root && (root = getenv("PROBE_CGROUP_ROOT")) && !*root)
		root = NULL;
	if (!root) {
		root = "/sys/fs/cgroup";
		if (file_read_small("/proc/self/cgroup", self, sizeof(self)) >= 0)
			self_cgroup = self;
		total = mem_total_bytes();
	}
	if (mem_read(root, self_cgroup, total, &u, why, sizeof(why)) < 0 || !u.has_limit)
		return 0;
	resource_format_bytes(limit, sizeof(limit), u.limit);
	snprintf(why, sizeof(why),
		 "a cgroup memory limit of %s is set (%s): mem: fails above 90%% of it, "
		 "before the kernel's OOM killer acts",
		 limit, u.dir);
	return disc_add(d, why, w);
}
