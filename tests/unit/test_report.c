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
		{ "http://user@host/", "http://***@host/" }, /* a token as the user name */
		{ "postgresql://app@db/app", "postgresql://app@db/app" },
		{ "see mysql://a:b@h/x and http://c:d@e/", "see mysql://a:***@h/x and http://c:***@e/" },
		{ "host=db password=hunter2 dbname=app", "host=db password=*** dbname=app" },
		{ "host=db password='two words' x=1", "host=db password='***' x=1" },
		{ "Authorization: Bearer abc.def", "Authorization: Bearer ***" },
		{ "Authorization: s3cr3t", "Authorization: ***" },
		{ "cookie:session=1", "cookie:***" },
		{ "the token registered-secret-42 leaked", "the token *** leaked" },
		{ "no secrets here", "no secrets here" },
		{ "x://[::1]:80/p@q", "x://[::1]:80/p@q" },
		/* a raw / # ? @ in the password: up to the LAST '@' */
		{ "postgresql://app:Ab/Canary+9x=@db:5432/app", "postgresql://app:***@db:5432/app" },
		{ "mysql://app:Ab?Canary@db/app", "mysql://app:***@db/app" },
		{ "redis://:Ab#Canary@db:6379", "redis://:***@db:6379" },
		{ "http://app:Ab@Canary@db/x", "http://app:***@db/x" },
		{ "'postgresql://app:pw@db/app': port", "'postgresql://app:***@db/app': port" },
		/* secret query parameters */
		{ "http://h/x?token=t1&api_key=t2&access_token=t3&secret=t4&key=t5&q=1",
		  "http://h/x?token=***&api_key=***&access_token=***&secret=***&key=***&q=1" },
		{ "http://h/?X-Amz-Signature=ab12&page=2", "http://h/?X-Amz-Signature=***&page=2" },
		{ "{\"access_token\":\"abc\",\"n\":1}", "{\"access_token\":\"***\",\"n\":1}" },
		{ "X-Api-Key: k3y", "X-Api-Key: ***" },
		{ "header=x-auth-token:abc", "header=x-auth-token:***" },
		/* prose is no header; ordinary keys stay */
		{ "wrong or missing password: compare the URL", "wrong or missing password: compare the URL" },
		{ "status=200 body=ok monkey business", "status=200 body=ok monkey business" },
		{ "tcp://127.0.0.1:8000", "tcp://127.0.0.1:8000" },
		/* ${NAME} references are no values (--plan) */
		{ "http://app:${PW}@h/?token=${TOK}", "http://app:${PW}@h/?token=${TOK}" },
		{ "Authorization: Bearer ${TOKEN}", "Authorization: Bearer ${TOKEN}" },
		{ "http://app:${PW:-hunter2}@h/", "http://app:***@h/" },
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

/* secret_add_word registers what position says of a whole word, so that a
 * message quoting a piece of it, or the word with a space in it, is
 * masked; a rejected word loses what only may be secret. */
static void test_secret_word(void)
{
	static const struct {
		const char *word;
		int rejected;
		const char *text, *want;
	} cases[] = {
		{ "postgresql://app:Can ary9x@db/app", 0, "postgresql://app:Can ary9x@db/app",
		  "postgresql://app:***@db/app" },
		{ "tcp://u:Canary9x@127.0.0.1:1", 0, "'u:Canary9x@127.0.0.1:1': bad",
		  "'u:***@127.0.0.1:1': bad" },
		{ "header=Authorization: Bearer Canary 9x", 0, "value Canary 9x", "value ***" },
		{ "password=Can ary", 0, "got Can ary", "got ***" },
		{ "http://h/?token=Canary9x&b=1", 0, "t Canary9x", "t ***" },
		{ "header=Authorization Bearer Canary9x", 1, "'Authorization Bearer Canary9x'",
		  "'Authorization ***'" },
		{ "https://Canary9xTOKEN@host:x/", 1, "user Canary9xTOKEN", "user ***" },
		{ "postgresql://app:Canary9x", 1, "port Canary9x", "port ***" },
		{ "tcp://127.0.0.1:99999", 1, "port 99999", "port 99999" },
		{ "app:Canary9x@db:5432/app", 1, "'app:Canary9x@db'", "'app:***@db'" },
		{ "http://app:${PW}@h/", 0, "${PW}", "${PW}" },
		{ "status=200", 1, "status=200", "status=200" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];

		secret_add_word(cases[i].word, cases[i].rejected);
		report_scrub(out, sizeof(out), cases[i].text);
		T_EXPECT(strcmp(out, cases[i].want) == 0, "%s: got \"%s\", want \"%s\"",
			 cases[i].word, out, cases[i].want);
		secret_clear();
	}
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
		/* whatever a server sends, the string stays valid UTF-8 */
		{ "\x1b[31mred", "\\u001b[31mred" },
		{ "a\xff\xfe", "a\\ufffd\\ufffd" },
		{ "\xc2\x9b" "2J", "\\u009b2J" },			/* C1 CSI */
		{ "\xe2\x9c\x93 \xf0\x9f\x98\x80", "\xe2\x9c\x93 \xf0\x9f\x98\x80" },
		{ "\xe2\x9c", "\\ufffd\\ufffd" },			/* cut short */
		{ "\xc0\xaf", "\\ufffd\\ufffd" },			/* overlong */
		{ "\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd" },	/* a surrogate */
		{ "\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd" }, /* past U+10FFFF */
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

/* n checks "env:V_i", nfail of them failing with a long message; the
 * rest pass.  The caller frees the plan. */
static void many_checks(struct plan *plan, size_t n, size_t nfail)
{
	struct probe_err err = { 0 };
	char **words = calloc(n, sizeof(*words));
	size_t i;

	for (i = 0; i < n; i++) {
		char w[64];

		snprintf(w, sizeof(w), "env:V_%zu", i);
		words[i] = strdup(w);
	}
	T_INT(words_parse(words, n, plan, &err), 0);
	for (i = 0; i < plan->n; i++) {
		if (i < nfail)
			result_fail(&plan->checks[i]->res, HINT_TIMEOUT,
				    "V_%zu is not set, and here is a long explanation of why that "
				    "matters so much",
				    i);
		else
			result_pass(&plan->checks[i]->res);
		free(words[i]);
	}
	free(words);
}

/* Whatever the count, every format keeps to REPORT_BUDGET in whole lines:
 * the summary first, then as many checks as fit, failures first, and a
 * last line counting those left out. */
static void test_budget_many(void)
{
	static const struct {
		enum report_format f;
		size_t n, nfail;
		int all_shown; /* every check is there, no last line */
	} cases[] = {
		{ FORMAT_JSON, 30, 30, 1 },   { FORMAT_TEXT, 30, 30, 1 },
		{ FORMAT_LOGFMT, 30, 30, 1 }, { FORMAT_JSON, 500, 500, 0 },
		{ FORMAT_TEXT, 500, 500, 0 }, { FORMAT_LOGFMT, 500, 500, 0 },
		{ FORMAT_JSON, 301, 1, 0 },   { FORMAT_TEXT, 301, 1, 0 },
		{ FORMAT_LOGFMT, 301, 1, 0 },
	};
	static const char *const omit[] = { [FORMAT_JSON] = "{\"omitted\":",
					    [FORMAT_TEXT] = "\xe2\x80\xa6 ",
					    [FORMAT_LOGFMT] = "omitted=" };
	static char buf[65536];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct plan plan = { 0 };
		struct report_summary sum = { (int)(cases[i].n - cases[i].nfail),
					      (int)cases[i].nfail, 0, 3.5 };
		size_t len, shown = 0, left = 0;
		char *line, *nl;

		many_checks(&plan, cases[i].n, cases[i].nfail);
		len = report_render(buf, sizeof(buf), cases[i].f, 0, plan.checks, plan.n, &sum);
		T_EXPECT(len <= REPORT_BUDGET && len == strlen(buf), "case %zu: %zu bytes", i, len);
		T_EXPECT(len > 0 && buf[len - 1] == '\n', "case %zu: the last line is cut", i);
		for (line = buf; *line && (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0'; /* one line at a time */
			if (strncmp(line, omit[cases[i].f], strlen(omit[cases[i].f])) == 0)
				left = strtoul(line + strlen(omit[cases[i].f]), NULL, 10);
			else if (strstr(line, "V_") && !strstr(line, "fix: "))
				shown++;
			*nl = '\n';
		}
		T_EXPECT(shown + left == cases[i].n, "case %zu: %zu shown, %zu left out", i, shown,
			 left);
		T_EXPECT(cases[i].all_shown ? left == 0 : left > 0, "case %zu: %zu left out", i, left);
		/* the failure comes first, whatever else is left out */
		T_EXPECT(strstr(buf, "V_0") != NULL, "case %zu: the failure is gone", i);
		plan_free(&plan);
	}
}

/* Control characters and bytes that are not UTF-8 in a server's answer:
 * escaped in each format, never raw. */
static void test_format_escapes(void)
{
	static const struct {
		enum report_format f;
		const char *want;
	} cases[] = {
		{ FORMAT_JSON, "\"error\":\"a\\u001b[2Jb\\ufffdc\\nd\\u009be\"" },
		{ FORMAT_LOGFMT, "error=\"a\\u001b[2Jb\xef\xbf\xbd" "c\\nd\\u009be\"" },
		{ FORMAT_TEXT, "a\\x1b[2Jb\xef\xbf\xbd" "c\\nd\\u009be  " },
	};
	const char *words[] = { "tcp://127.0.0.1:1" };
	struct plan plan = { 0 };
	struct probe_err err = { 0 };
	struct report_summary sum = { 0, 1, 0, 1.0 };
	static char buf[8192];
	size_t i;

	T_INT(words_parse((char *const *)words, 1, &plan, &err), 0);
	result_fail(&plan.checks[0]->res, HINT_NONE, "a\x1b[2Jb\xff" "c\nd\xc2\x9b" "e");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		report_render(buf, sizeof(buf), cases[i].f, 0, plan.checks, plan.n, &sum);
		T_EXPECT(strstr(buf, cases[i].want) != NULL, "format %d: %s", cases[i].f, buf);
		T_EXPECT(strchr(buf, 0x1b) == NULL && strstr(buf, "\xff") == NULL,
			 "format %d: a raw byte: %s", cases[i].f, buf);
	}
	plan_free(&plan);
}

/* A discovered plan after a long report gets what is left of the budget:
 * checks that do not fit are counted, and the line stays whole. */
static void test_plan_budget(void)
{
	struct wordlist words = { 0 }, why = { 0 };
	static char buf[65536];
	size_t i, len;

	for (i = 0; i < 100; i++) {
		char w[64];

		snprintf(w, sizeof(w), "tcp://127.0.0.1:%zu", 1000 + i);
		wordlist_add(&words, w);
		wordlist_add(&why, "a port listens");
	}
	len = report_plan(buf, sizeof(buf), FORMAT_JSON, &words, &why, 100000);
	T_EXPECT(len > 4000 && strstr(buf, "omitted") == NULL, "%zu bytes", len);
	len = report_plan(buf, sizeof(buf), FORMAT_JSON, &words, &why, 500);
	T_EXPECT(len <= 500 && len > 0 && strstr(buf, "],\"omitted\":") && buf[len - 1] == '\n',
		 "%zu bytes: %s", len, buf);
	len = report_plan(buf, sizeof(buf), FORMAT_TEXT, &words, &why, 500);
	T_EXPECT(len <= 500 && strstr(buf, " more: probe --plan prints them all\n"), "%s", buf);
	T_INT(report_plan(buf, sizeof(buf), FORMAT_LOGFMT, &words, &why, 10), 0);
	wordlist_free(&words);
	wordlist_free(&why);
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
	test_secret_word();
	test_json_escape();
	test_budget();
	test_budget_many();
	test_format_escapes();
	test_plan_budget();
	test_order();
	test_stopped();
	return t_done("test_report");
}
