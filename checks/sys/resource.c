/*
 * resource.c - thresholds and byte counts for the resources layer.
 */
#include "checks/sys/resource.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/dec.h"

int resource_parse_percent(const char *s, double *out)
{
	unsigned long long whole;
	double v, scale = 1;
	const char *p = s;

	if (dec_read(&p, 100, &whole) < 0)
		return -1;
	v = (double)whole;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p)) {
			scale /= 10;
			v += (*p++ - '0') * scale;
		}
	}
	if (p[0] != '%' || p[1] != '\0' || v > 100)
		return -1;
	*out = v;
	return 0;
}

int resource_opt_threshold(struct check *c, const char *key, const char *def,
			   struct resource_threshold *out, struct probe_err *err)
{
	const char *v = check_opt_get(c, key);
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!v)
		v = def;
	snprintf(out->text, sizeof(out->text), "%s", v);
	len = strlen(v);
	if (len > 0 && v[len - 1] == '%') {
		out->is_percent = 1;
		if (resource_parse_percent(v, &out->pct) < 0)
			return probe_err_set(err, EXIT_USAGE,
					     "%s: %s=%s: not a percentage from 0%% to 100%% "
					     "or a size (like 10%%, 500MB)",
					     c->name, key, v);
		return 0;
	}
	/* Only a value the user wrote gets here: every default is a percent. */
	return check_opt_size(c, key, 0, &out->bytes, err);
}

void resource_format_bytes(char *buf, size_t n, unsigned long long v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	size_t u = 0;

	while (d >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		d /= 1024;
		u++;
	}
	/* One decimal below 10 ("1.5 GiB"), dropped when it is zero ("1 GiB");
	 * whole numbers above, where a decimal is noise. */
	if (u == 0 || d >= 9.95) {
		snprintf(buf, n, "%.0f %s", d, units[u]);
	} else {
		long tenths = (long)(d * 10 + 0.5);

		if (tenths % 10 == 0)
			snprintf(buf, n, "%ld %s", tenths / 10, units[u]);
		else
			snprintf(buf, n, "%ld.%ld %s", tenths / 10, tenths % 10, units[u]);
	}
}
