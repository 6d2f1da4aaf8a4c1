/*
 * test_resource.c - percentages and sizes of mem: and disk:, and byte
 * counts as the messages print them.
 */
#include "checks/sys/resource.h"
#include "t.h"

static void test_percent(void)
{
	static const struct {
		const char *s;
		int rc;
		double v;
	} cases[] = {
		{ "90%", 0, 90 }, { "0%", 0, 0 },      { "100%", 0, 100 }, { "12.5%", 0, 12.5 },
		{ "5%", 0, 5 },   { "100.0%", 0, 100 }, { "101%", -1, 0 },  { "100.5%", -1, 0 },
		{ "%", -1, 0 },   { "90", -1, 0 },     { "-5%", -1, 0 },   { "5.%", -1, 0 },
		{ ".5%", -1, 0 }, { "5%%", -1, 0 },    { "5 %", -1, 0 },   { "1e2%", -1, 0 },
		{ "", -1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -1;
		int rc = resource_parse_percent(cases[i].s, &v);

		T_EXPECT(rc == cases[i].rc, "\"%s\": rc %d", cases[i].s, rc);
		if (rc == 0)
			T_EXPECT(v > cases[i].v - 1e-9 && v < cases[i].v + 1e-9, "\"%s\": %g",
				 cases[i].s, v);
	}
}

static void test_format(void)
{
	static const struct {
		unsigned long long v;
		const char *want;
	} cases[] = {
		{ 0, "0 B" },
		{ 512, "512 B" },
		{ 1023, "1023 B" },
		{ 1024, "1 KiB" },
		{ 1536, "1.5 KiB" },
		{ 327155712ULL, "312 MiB" },
		{ 20ULL << 30, "20 GiB" },
		{ 1ULL << 30, "1 GiB" },
		{ 1932735283ULL, "1.8 GiB" },
		{ 10433332019ULL, "9.7 GiB" },
		{ 10695475200ULL, "10 GiB" }, /* 9.96 GiB rounds to a whole number */
		{ 5ULL << 40, "5 TiB" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];

		resource_format_bytes(buf, sizeof(buf), cases[i].v);
		T_STR(buf, cases[i].want);
	}
}

int main(void)
{
	test_percent();
	test_format();
	return t_done("test_resource");
}
