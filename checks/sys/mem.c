/*
 * mem.c - mem:: this container's memory working set is under max= of its
 * cgroup limit (a percentage, default 90%) or under an absolute size
 * (max=512MiB).  The working set is what the kubelet and `docker stats`
 * weigh against the limit: usage minus inactive file pages, which the
 * kernel reclaims before it OOM-kills anything.
 *
 * Test seam (STYLE habit 14): PROBE_CGROUP_ROOT names the cgroup mount
 * instead of /sys/fs/cgroup.  When it is set, only that folder is read
 * (not this process's own cgroup under it) and the limit is not compared
 * with /proc/meminfo, so a fixture folder gives the same answer on every
 * machine.
 */
#include "checks/sys/mem.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/check.h"
#include "lib/dec.h"
#include "lib/fileio.h"
#include "checks/sys/resource.h"

#define MEM_FILE_MAX 8192 /* memory.stat is about 1.5 KiB */
#define MEM_NO_LIMIT (1ULL << 60)

static const char *const mem_names[] = { "mem", NULL };
static const char *const mem_keys[] = { "max", NULL };

int mem_parse_value(const char *text, unsigned long long *out, int *unlimited)
{
	unsigned long long v = 0;
	const char *p = text;

	*unlimited = 0;
	*out = 0;
	if (strncmp(p, "max", 3) == 0) {
		*unlimited = 1;
		p += 3;
	} else if (dec_read(&p, ~0ULL, &v) < 0) {
		return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -1;
	*out = v;
	return 0;
}

int mem_stat_get(const char *stat, const char *key, unsigned long long *out)
{
	size_t klen = strlen(key);
	const char *line = stat;

	while (line && *line) {
		const char *eol = strchr(line, '\n');

		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			unsigned long long v;
			const char *p = line + klen + 1;

			if (dec_read(&p, ~0ULL, &v) < 0)
				return -1;
			if (*p && *p != '\n')
				return -1;
			*out = v;
			return 0;
		}
		line = eol ? eol + 1 : NULL;
	}
	return -1;
}

/* Is `name` one of the comma-separated controllers in list[0..len)? */
static int mem_has_controller(const char *list, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = list, *end = list + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t l = comma ? (size_t)(comma - p) : (size_t)(end - p);

		if (l == nlen && strncmp(p, name, nlen) == 0)
			return 1;
		p += l + 1;
	}
	return 0;
}

int mem_cgroup_path(const char *self_cgroup, int version, char *out, size_t n)
{
	const char *line = self_cgroup;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		/* hierarchy-ID:controller-list:cgroup-path */
		const char *c1 = memchr(line, ':', len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;

		if (c2) {
			int match = version == 2
					    ? c1 - line == 1 && line[0] == '0' && c2 == c1 + 1
					    : mem_has_controller(c1 + 1, (size_t)(c2 - c1 - 1), "memory");
			size_t plen = len - (size_t)(c2 + 1 - line);

			if (match && plen > 0 && plen < n) {
				memcpy(out, c2 + 1, plen);
				out[plen] = '\0';
				return 0;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return -1;
}

/* Reads dir/name as one value (see mem_parse_value).  Returns 0, or -1
 * when the file is missing or malformed. */
static int mem_read_value(const char *dir, const char *name, unsigned long long *out,
			  int *unlimited)
{
	char path[640], buf[64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (file_read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	return mem_parse_value(buf, out, unlimited);
}

/* Fills out from the files of one cgroup folder of the given version.
 * Returns 0, or -1 when its usage file is not there. */
static int mem_read_dir(const char *dir, int version, unsigned long long mem_total,
			struct mem_usage *out)
{
	const char *usage_f = version == 2 ? "memory.current" : "memory.usage_in_bytes";
	const char *limit_f = version == 2 ? "memory.max" : "memory.limit_in_bytes";
	const char *inactive_k = version == 2 ? "inactive_file" : "total_inactive_file";
	char path[640], *stat;
	int unlimited;

	memset(out, 0, sizeof(*out));
	if (mem_read_value(dir, usage_f, &out->usage, &unlimited) < 0 || unlimited)
		return -1;
	out->version = version;
	snprintf(out->dir, sizeof(out->dir), "%s", dir);
	/* A missing limit file (the root cgroup) means no limit. */
	if (mem_read_value(dir, limit_f, &out->limit, &unlimited) == 0 && !unlimited &&
	    out->limit < MEM_NO_LIMIT && (mem_total == 0 || out->limit <= mem_total))
		out->has_limit = 1;
	stat = malloc(MEM_FILE_MAX);
	if (stat) {
		snprintf(path, sizeof(path), "%s/memory.stat", dir);
		if (file_read_small(path, stat, MEM_FILE_MAX) < 0 ||
		    mem_stat_get(stat, inactive_k, &out->inactive) < 0)
			out->inactive = 0;
		free(stat);
	}
	out->working = out->usage > out->inactive ? out->usage - out->inactive : 0;
	return 0;
}

int mem_read(const char *root, const char *self_cgroup, unsigned long long mem_total,
	     struct mem_usage *out, char *why, size_t n)
{
	char own[256], dir[512];
	int version;

	for (version = 2; version >= 1; version--) {
		const char *base = version == 2 ? "" : "/memory";

		/* Without a cgroup namespace the mount shows every cgroup;
		 * ours is the folder /proc/self/cgroup names. */
		if (self_cgroup && mem_cgroup_path(self_cgroup, version, own, sizeof(own)) == 0 &&
		    strcmp(own, "/") != 0) {
			snprintf(dir, sizeof(dir), "%s%s%s", root, base, own);
			if (mem_read_dir(dir, version, mem_total, out) == 0)
				return 0;
		}
		snprintf(dir, sizeof(dir), "%s%s", root, base);
		if (mem_read_dir(dir, version, mem_total, out) == 0)
			return 0;
	}
	snprintf(why, n, "no cgroup memory accounting under %s (neither memory.current "
		 "nor memory/memory.usage_in_bytes)", root);
	return -1;
}

unsigned long long mem_total_bytes(void)
{
	unsigned long long kib = 0;
	char buf[4096];
	const char *p;

	if (file_read_small("/proc/meminfo", buf, sizeof(buf)) < 0)
		return 0;
	p = strstr(buf, "MemTotal:");
	if (!p)
		return 0;
	p += strlen("MemTotal:");
	while (*p == ' ')
		p++;
	if (dec_read(&p, ~0ULL / 1024, &kib) < 0)
		return 0;
	return kib * 1024;
}

static int mem_parse(struct check *c, struct probe_err *err)
{
	struct resource_threshold *t;

	if (c->rest[0])
		return probe_err_set(err, EXIT_USAGE,
				     "%s: mem: takes no argument (write mem: max=90%%)", c->name);
	t = calloc(1, sizeof(*t));
	if (!t)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = t;
	return resource_opt_threshold(c, "max", "90%", t, err);
}

static void mem_run(const struct check *c, const struct deadline *dl,
		    struct check_result *res)
{
	const struct resource_threshold *max = c->priv;
	const char *root = getenv("PROBE_CGROUP_ROOT");
	char self[4096], why[256], used_s[32], limit_s[32];
	const char *self_cgroup = NULL;
	unsigned long long total = 0;
	struct mem_usage u;
	double pct = 0;
	int high;

	(void)dl; /* a few small reads of kernel files */
	if (!root || !*root) {
		root = "/sys/fs/cgroup";
		if (file_read_small("/proc/self/cgroup", self, sizeof(self)) >= 0)
			self_cgroup = self;
		total = mem_total_bytes();
	}
	if (mem_read(root, self_cgroup, total, &u, why, sizeof(why)) < 0) {
		/* Not a reason to call the container unhealthy. */
		result_warn(res, "%s: memory not checked", why);
		result_pass(res);
		return;
	}
	detail_int(res, "used", (long long)u.working);
	resource_format_bytes(used_s, sizeof(used_s), u.working);
	if (u.has_limit) {
		pct = 100.0 * (double)u.working / (double)(u.limit ? u.limit : 1);
		detail_int(res, "limit", (long long)u.limit);
		detail_num(res, "percent", pct);
		resource_format_bytes(limit_s, sizeof(limit_s), u.limit);
	}
	if (max->is_percent) {
		if (!u.has_limit) {
			result_warn(res, "no memory limit set for this container");
			result_pass(res);
			return;
		}
		high = pct > max->pct;
	} else {
		high = u.working > (unsigned long long)max->bytes;
	}
	if (!high) {
		result_pass(res);
	} else if (u.has_limit) {
		result_fail(res, HINT_MEM_HIGH, "working set %s of %s limit (%.1f%%), max %s",
			    used_s, limit_s, pct, max->text);
	} else {
		result_fail(res, HINT_MEM_HIGH, "working set %s, max %s", used_s, max->text);
	}
}

static void mem_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct check_kind check_mem = {
	.names = mem_names,
	.keys = mem_keys,
	.layer = LAYER_RESOURCES,
	.level = LEVEL_LIVE,
	.help = "mem: [live]               cgroup memory under max= (default 90%)",
	.parse = mem_parse,
	.run = mem_run,
	.free = mem_free,
	.discover = mem_discover,
};
