/*
 * test_wait.c - the pause between attempts of probe wait: the backoff, cut
 * short so that the last attempt comes just before the bound.
 */
#include "probe/wait.h"
#include "t.h"

static void test_pause(void)
{
	static const struct {
		int64_t backoff, left, timeout, want;
	} cases[] = {
		/* Room enough: the backoff. */
		{ 1000, 1999, 2000, 1000 },
		{ 5000, 59000, 60000, 5000 },
		/* Cut to leave the last attempt its 100 ms. */
		{ 1500, 999, 2000, 899 },
		{ 3375, 1875, 10000, 1775 },
		/* The attempt just made was the last: no room for a pause. */
		{ 1000, 100, 2000, -1 },
		{ 1000, 109, 2000, -1 },
		{ 1000, 0, 2000, -1 },
		/* The shortest pause still leaves 100 ms. */
		{ 1000, 110, 2000, 10 },
		/* A bound under 1 s keeps a tenth of itself. */
		{ 200, 499, 500, 200 },
		{ 300, 299, 500, 249 },
		{ 1000, 99, 100, 89 },
		{ 1000, 9, 100, -1 },
		/* The shortest bound: one attempt. */
		{ 1000, 10, 10, -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT(wait_pause_ms(cases[i].backoff, cases[i].left, cases[i].timeout) ==
				 cases[i].want,
			 "case %zu: backoff %lld, left %lld of %lld: got %lld, want %lld", i,
			 (long long)cases[i].backoff, (long long)cases[i].left,
			 (long long)cases[i].timeout,
			 (long long)wait_pause_ms(cases[i].backoff, cases[i].left,
						  cases[i].timeout),
			 (long long)cases[i].want);
}

int main(void)
{
	test_pause();
	return t_done("test_wait");
}
