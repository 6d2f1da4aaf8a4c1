/*
 * test_report.c - masking, JSON escaping, the 4 KiB budget, and the line
 * probe wait ends with when a signal stops it.
 */
#include <stdlib.h>

#include "probe/report.h"
#include "t.h"
#include "probe/words.h"

static void test_scrub(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "postgresql+asyncpg://app:s3cr3t@db:5432/app",
		  "postgresql+asyncpg://app:***@db:5432/app" },
		{ "redis://:p4ss@cache:6379/2", "redis://:***@cache:6379/2" },
		{ "http://user@host/", "http://user@host/" },
		{ "see mysql://a:b@h/x and http://c:d@e/", "see mysql://a:***@h/x and http://c:***@e/" },
		{ "host=db password=hunter2 dbname=app", "host=db password=*** dbname=app" },
		{ "Authorization: Bearer abc.def", "Authorization: ***" },
		{ "cookie:session=1", "cookie:***" },
		{ "the token registered-secret-42 leaked", "the token *** leaked" },
		{ "no secrets here", "no secrets here" },
		{ "x://[::1]:80/p@q", "x://[::1]:80/p@q" },
	};
	size_t i;

	secret_add("registered-secret-42");
	secret_add("ab"); /* too short: not registered */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];

		report_scrub(out, sizeof(out), cases[i].in);
		T_STR(out, cases[i].want);
	}
	{
		char out[64];

		report_scrub(out, sizeof(out), "grab a cab");
		T_STR(out, "grab a cab");
	}
	secret_clear();
}

static void test_json_escape(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "q\"b\\", "q\\\"b\\\\" },
		{ "a\nb\tc\r", "a\\nb\\tc\\r" },
		{ "\x01\x1f\x7f", "\\u0001\\u001f\\u007f" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[128] = "";

		json_escape(out, sizeof(out), cases[i].in);
		T_STR(out, cases[i].want);
	}
}

/* Ten failing checks with long names and messages: the summary and every
 * failure line must fit in the first 4000 bytes, each line whole. */
static void test_budget(void)
{
	enum { N = 10 };
	struct check *checks[N];
	struct plan plan = { 0 };
	struct probe_err err = { 0 };
	char *words[N];
	static char buf[65536];
	struct report_summary sum = { 0, N, 0, 12.5 };
	size_t i, len, lines = 0;
	char *p;

	for (i = 0; i < N; i++) {
		char w[300];

		snprintf(w, sizeof(w),
			 "tcp://a-very-long-service-name-%zu.namespace.svc.cluster.local:%zu", i,
			 1000 + i);
		words[i] = strdup(w);
	}
	T_INT(words_parse(words, N, &plan, &err), 0);
	for (i = 0; i < plan.n; i++) {
		checks[i] = plan.checks[i];
		result_fail(&checks[i]->res, HINT_TIMEOUT,
			    "connect timed out to a-very-long-service-name-%zu.namespace.svc."
			    "cluster.local after waiting for a very long time indeed, "
			    "longer than anyone would like",
			    i);
		detail_str(&checks[i]->res, "cause", "timeout");
	}
	len = report_render(buf, sizeof(buf), FORMAT_JSON, 0, checks, plan.n, &sum);
	T_EXPECT(len <= REPORT_BUDGET, "report is %zu bytes", len);
	for (p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	T_INT(lines, N + 1);
	T_EXPECT(strncmp(buf, "{\"probe\":\"unhealthy\",\"failed\":10", 31) == 0, "%.60s", buf);
	/* Each failure keeps its result and error. */
	for (p = buf, i = 0; (p = strstr(p, "\"result\":\"fail\",")); p++)
		i++;
	T_INT(i, N);
	for (i = 0; i < N; i++)
		free(words[i]);
	plan_free(&plan);
}

/* Failures come before passes whatever the order of the checks. */
static void test_order(void)
{
	const char *words[] = { "tcp://127.0.0.1:1", "name=first", "tcp://127.0.0.1:2",
				"name=second" };
	struct plan plan = { 0 };
	struct probe_err err = { 0 };
	struct report_summary sum = { 1, 1, 0, 1.0 };
	static char buf[8192];
	char *a, *b;

	T_INT(words_parse((char *const *)words, 4, &plan, &err), 0);
	result_pass(&plan.checks[0]->res);
	result_fail(&plan.checks[1]->res, HINT_REFUSED, "connection refused");
	report_render(buf, sizeof(buf), FORMAT_JSON, 0, plan.checks, plan.n, &sum);
	a = strstr(buf, "\"name\":\"second\"");
	b = strstr(buf, "\"name\":\"first\"");
	T_EXPECT(a && b && a < b, "failure first: %s", buf);
	T_EXPECT(strstr(buf, "\"hint\":\"nothing listens") != NULL, "hint: %s", buf);
	report_render(buf, sizeof(buf), FORMAT_LOGFMT, 0, plan.checks, plan.n, &sum);
	T_EXPECT(strncmp(buf, "probe=unhealthy failed=1 passed=1", 33) == 0, "%s", buf);
	T_EXPECT(strstr(buf, "error=\"connection refused\"") != NULL, "%s", buf);
	report_render(buf, sizeof(buf), FORMAT_TEXT, 1, plan.checks, plan.n, &sum);
	T_EXPECT(strstr(buf, "first") == NULL, "quiet hides passes: %s", buf);
	sum.failed = 0;
	T_INT(report_render(buf, sizeof(buf), FORMAT_TEXT, 1, plan.checks, plan.n, &sum), 0);
	plan_free(&plan);
}

static void test_stopped(void)
{
	static const struct {
		enum report_format f;
		const char *sig;
		int code, attempts;
		double ms;
		const char *want;
	} cases[] = {
		{ FORMAT_JSON, "SIGTERM", 143, 3, 1503.24,
		  "{\"probe\":\"stopped\",\"signal\":\"SIGTERM\",\"exit\":143,\"attempts\":3,"
		  "\"ms\":1503.2,\"version\":\"" PROBE_VERSION "\"}\n" },
		{ FORMAT_LOGFMT, "SIGINT", 130, 1, 0.04,
		  "probe=stopped signal=SIGINT exit=130 attempts=1 ms=0.0 version=" PROBE_VERSION "\n" },
		{ FORMAT_TEXT, "SIGHUP", 129, 1, 512.0,
		  "\xe2\x9c\x97 stopped by SIGHUP after 1 attempt (0.5 s): exit 129\n" },
		{ FORMAT_TEXT, "SIGQUIT", 131, 12, 30000.0,
		  "\xe2\x9c\x97 stopped by SIGQUIT after 12 attempts (30.0 s): exit 131\n" },
	};
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = report_stopped(buf, sizeof(buf), cases[i].f, cases[i].sig, cases[i].code,
				     cases[i].attempts, cases[i].ms);
		T_STR(buf, cases[i].want);
		T_INT(len, strlen(cases[i].want));
	}
}

int main(void)
{
	test_scrub();
	test_json_escape();
	test_budget();
	test_order();
	test_stopped();
	return t_done("test_report");
}
