/*
 * deadline.c - monotonic time and durations.
 */
#include "probe/deadline.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "lib/dec.h"

int64_t deadline_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct deadline deadline_in(int64_t ms)
{
	struct deadline dl = { deadline_now_ns() + ms * 1000000 };

	return dl;
}

struct deadline deadline_min(struct deadline a, struct deadline b)
{
	return a.end_ns < b.end_ns ? a : b;
}

int64_t deadline_left_ms(const struct deadline *dl)
{
	int64_t left = dl->end_ns - deadline_now_ns();

	return left > 0 ? left / 1000000 : 0;
}

int deadline_expired(const struct deadline *dl)
{
	return deadline_now_ns() >= dl->end_ns;
}

int duration_parse(const char *s, int64_t *ms)
{
	static const struct {
		const char *unit;
		int64_t ms;
	} units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "", 1000 },
	};
	unsigned long long whole;
	int64_t frac = 0, scale = 1;
	const char *p = s;
	size_t i;

	if (dec_read(&p, 86400000, &whole) < 0)
		return -1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p)) {
			if (scale < 1000000) {
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			}
			p++;
		}
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) == 0) {
			int64_t v = (int64_t)whole * units[i].ms + frac * units[i].ms / scale;

			if (v > 86400000)
				return -1;
			*ms = v;
			return 0;
		}
	}
	return -1;
}
