/*
 * disk.c - disk:PATH: the file system holding PATH (default /) has at
 * least min-free= space left, as a percentage ("10%") or a size ("500MB");
 * default 5%.  Free space is what an unprivileged writer can use
 * (f_bavail), so the blocks reserved for root do not hide a full disk.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "probe/check.h"
#include "checks/sys/resource.h"

static const char *const disk_names[] = { "disk", NULL };
static const char *const disk_keys[] = { "min-free", NULL };

struct disk_priv {
	const char *path; /* points into c->word, or the literal "/" */
	struct resource_threshold min_free;
};

static int disk_parse(struct check *c, struct probe_err *err)
{
	struct disk_priv *p;

	p = calloc(1, sizeof(*p));
	if (!p)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = p;
	p->path = c->rest[0] ? c->rest : "/";
	return resource_opt_threshold(c, "min-free", "5%", &p->min_free, err);
}

static void disk_run(const struct check *c, const struct deadline *dl,
		     struct check_result *res)
{
	const struct disk_priv *p = c->priv;
	unsigned long long free_b, total_b;
	char free_s[32], total_s[32];
	struct statvfs sv;
	double pct;
	int low;

	(void)dl; /* statvfs cannot be bounded; the runner's watchdog does it */
	if (statvfs(p->path, &sv) < 0) {
		result_fail(res, errno == ENOENT ? HINT_FILE_MISSING : HINT_NONE, "%s: %s",
			    p->path, strerror(errno));
		return;
	}
	free_b = (unsigned long long)sv.f_bavail * sv.f_frsize;
	total_b = (unsigned long long)sv.f_blocks * sv.f_frsize;
	detail_int(res, "free", (long long)free_b);
	detail_int(res, "total", (long long)total_b);
	if (total_b == 0) {
		result_fail(res, HINT_NONE,
			    "%s reports no size: a pseudo file system (proc, sysfs) holds no "
			    "data; name a path on the volume",
			    p->path);
		return;
	}
	pct = 100.0 * (double)free_b / (double)total_b;
	detail_num(res, "percent_free", pct);
	resource_format_bytes(free_s, sizeof(free_s), free_b);
	resource_format_bytes(total_s, sizeof(total_s), total_b);
	low = p->min_free.is_percent ? pct < p->min_free.pct
				     : free_b < (unsigned long long)p->min_free.bytes;
	if (low) {
		result_fail(res, HINT_DISK_FULL, "only %s free of %s (%.1f%%), min-free %s",
			    free_s, total_s, pct, p->min_free.text);
		return;
	}
	/* Space is not all: a file system out of inodes refuses new files too
	 * (many small cache or session files). */
	if (sv.f_files > 0 && sv.f_favail == 0) {
		result_fail(res, HINT_DISK_FULL, "no free inodes (of %llu): no new file can be created",
			    (unsigned long long)sv.f_files);
		return;
	}
	result_pass(res);
}

static void disk_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct check_kind check_disk = {
	.names = disk_names,
	.keys = disk_keys,
	.layer = LAYER_RESOURCES,
	.level = LEVEL_LIVE,
	.help = "disk:PATH [live]          free space over min-free= (default 5%)",
	.parse = disk_parse,
	.run = disk_run,
	.free = disk_free,
};
