/*
 * test_check.c - the option helpers every kind's parse uses, as tables.
 */
#include <stdlib.h>

#include "t.h"
#include "probe/check.h"

static void test_opt_size(void)
{
	static const struct {
		const char *in;
		int ok;
		long long want;
	} cases[] = {
		{ "4096", 1, 4096 },
		{ "0", 1, 0 },
		{ "100MB", 1, 100000000LL },
		{ "1GiB", 1, 1LL << 30 },
		{ "512k", 1, 512 * 1024 },
		{ "2tb", 1, 2000000000000LL },
		{ "1125899906842624", 1, 1LL << 50 },
		{ "8388607t", 1, 8388607LL << 40 },
		/* The number fits, the bytes do not. */
		{ "8388608t", 0, 0 },
		{ "1000000000000000t", 0, 0 },
		{ "10000000000000gb", 0, 0 },
		{ "1125899906842625", 0, 0 },
		{ "99999999999999999999", 0, 0 },
		{ "-1", 0, 0 },
		{ "1x", 0, 0 },
		{ "MB", 0, 0 },
		{ "", 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct check_opt opt = { (char *)"min-bytes", (char *)cases[i].in, 0 };
		struct check c = { .name = (char *)"file:/x", .opts = &opt, .nopts = 1 };
		struct probe_err err = { 0 };
		long long got = -7;
		int rc = check_opt_size(&c, "min-bytes", -1, &got, &err);

		if (cases[i].ok) {
			T_EXPECT(rc == 0, "'%s' rejected: %s", cases[i].in, err.msg);
			T_INT(got, cases[i].want);
		} else {
			T_EXPECT(rc < 0, "'%s' parsed as %lld", cases[i].in, got);
			T_INT(err.code, EXIT_USAGE);
			T_EXPECT(strstr(err.msg, "not a size") != NULL, "%s", err.msg);
		}
	}
}

int main(void)
{
	test_opt_size();
	return t_done("test_check");
}
