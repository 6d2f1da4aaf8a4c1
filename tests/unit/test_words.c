/*
 * test_words.c - the word grammar, expansion and durations, as tables.
 */
#include <stdlib.h>

#include "t.h"
#include "probe/report.h"
#include "probe/words.h"

static void test_expand(void)
{
	static const struct {
		const char *in, *want; /* want NULL: an error with code */
		int code;
	} cases[] = {
		{ "http://127.0.0.1:${T_PORT}/health", "http://127.0.0.1:8123/health", 0 },
		{ "http://127.0.0.1:${T_UNSET:-8000}/", "http://127.0.0.1:8000/", 0 },
		{ "${T_EMPTY:-fallback}", "fallback", 0 },
		{ "${T_PORT:-9}", "8123", 0 },
		{ "a$$b", "a$b", 0 },
		{ "$$${T_PORT}", "$8123", 0 },
		{ "@T_URL", "postgres://u:p@db/app", 0 },
		{ "db=@T_URL", "db=postgres://u:p@db/app", 0 },
		{ "user@host", "user@host", 0 },
		{ "mail=a@b", "mail=a@b", 0 },
		{ "@", "@", 0 },
		{ "${T_DEF:-a}b}", "ab}", 0 },
		{ "${T_UNSET}", NULL, EXIT_CONFIG },
		{ "@T_UNSET", NULL, EXIT_CONFIG },
		{ "x=@T_UNSET", NULL, EXIT_CONFIG },
		{ "${T_PORT", NULL, EXIT_USAGE },
		{ "$PORT", NULL, EXIT_USAGE },
		{ "${1BAD}", NULL, EXIT_USAGE },
		{ "end$", "end$", 0 },
		{ "match=^(a|b)$", "match=^(a|b)$", 0 },
		{ "cost=$5", "cost=$5", 0 },
		{ "$_X", NULL, EXIT_USAGE },
	};
	size_t i;

	setenv("T_PORT", "8123", 1);
	setenv("T_EMPTY", "", 1);
	setenv("T_URL", "postgres://u:p@db/app", 1);
	unsetenv("T_UNSET");
	unsetenv("T_DEF");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_err err = { 0 };
		char *got = words_expand(cases[i].in, &err);

		if (cases[i].want) {
			T_EXPECT(got != NULL, "%s: error %s", cases[i].in, err.msg);
			if (got)
				T_STR(got, cases[i].want);
		} else {
			T_EXPECT(got == NULL, "%s: expanded to %s", cases[i].in, got ? got : "");
			T_INT(err.code, cases[i].code);
			T_EXPECT(strstr(err.msg, cases[i].in) != NULL || cases[i].in[0] == '@' ||
					 strstr(err.msg, "T_UNSET") != NULL,
				 "%s: message names the word: %s", cases[i].in, err.msg);
		}
		free(got);
	}
}

static void test_classify(void)
{
	static const struct {
		const char *w;
		enum word_class cls;
		size_t split;
	} cases[] = {
		{ "http://x", WORD_CHECK, 4 },
		{ "postgresql+asyncpg://u@h/d", WORD_CHECK, 18 },
		{ "env:APP_KEY", WORD_CHECK, 3 },
		{ "mem:", WORD_CHECK, 3 },
		{ "status=200", WORD_OPTION, 6 },
		{ "json=.a=b", WORD_OPTION, 4 },
		{ "body~=^ok$", WORD_OPTION, 5 },
		{ "min-bytes=0", WORD_OPTION, 9 },
		{ "header=Authorization: Bearer x", WORD_OPTION, 6 },
		{ "Status=200", WORD_BAD, 0 },
		{ "HTTP://x", WORD_BAD, 0 },
		{ "1http://x", WORD_BAD, 0 },
		{ "plain", WORD_BAD, 0 },
		{ "", WORD_BAD, 0 },
		{ "=x", WORD_BAD, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t split = 0;
		enum word_class cls = words_classify(cases[i].w, &split);

		T_EXPECT(cls == cases[i].cls, "%s: class %d, want %d", cases[i].w, cls,
			 cases[i].cls);
		if (cls != WORD_BAD)
			T_INT(split, cases[i].split);
	}
}

static void test_split(void)
{
	struct wordlist wl = { 0 };
	struct probe_err err = { 0 };
	const char *text = "# a comment\n"
			   "http://127.0.0.1:8000/health status=200 body=\"all good\"\n"
			   "\n  tcp://db:5432   # trailing comment\n"
			   "env:APP_KEY match='^[a-z]+ x$'\n";

	T_INT(words_split(text, "test", &wl, &err), 0);
	T_INT(wl.n, 6);
	if (wl.n == 6) {
		T_STR(wl.v[0], "http://127.0.0.1:8000/health");
		T_STR(wl.v[2], "body=all good");
		T_STR(wl.v[3], "tcp://db:5432");
		T_STR(wl.v[5], "match=^[a-z]+ x$");
	}
	wordlist_free(&wl);
	T_INT(words_split("env:X match=\"open\n", "f", &wl, &err), -1);
	T_INT(err.code, EXIT_USAGE);
	T_EXPECT(strstr(err.msg, "line 1") != NULL, "%s", err.msg);
	wordlist_free(&wl);
}

static void test_parse(void)
{
	static const struct {
		const char *words[4];
		int code; /* 0: parses */
		const char *msg;
	} cases[] = {
		{ { "tcp://127.0.0.1:80", NULL }, 0, NULL },
		{ { "tcp://127.0.0.1:80", "name=db", "timeout=250ms", NULL }, 0, NULL },
		{ { "status=200", NULL }, EXIT_USAGE, "needs a check before it" },
		{ { "nosuch://x", NULL }, EXIT_USAGE, "unknown check kind 'nosuch:'" },
		{ { "tcp://127.0.0.1:80", "bogus=1", NULL }, EXIT_USAGE, "unknown option 'bogus='" },
		{ { "tcp://127.0.0.1:80", "timeout=soon", NULL }, EXIT_USAGE, "not a duration" },
		{ { "tcp://127.0.0.1:80", "level=often", NULL }, EXIT_USAGE, "expected live" },
		{ { "tcp://127.0.0.1", NULL }, EXIT_USAGE, "a port is required" },
		{ { "tcp://127.0.0.1:99999", NULL }, EXIT_USAGE, "port must be" },
		{ { "tcp://::1:80", NULL }, EXIT_USAGE, "in brackets" },
		{ { "tcp://[::1:80", NULL }, EXIT_USAGE, "closing ']'" },
		{ { "junk", NULL }, EXIT_USAGE, "not a check" },
		{ { "tcp://u:sekrit99@h:1", "bogus=1", NULL }, EXIT_USAGE, "u:***@h" },
		{ { "tcp://u:sekrit99@h:1", NULL }, EXIT_USAGE, "tcp://u:***@h:1: takes no user name or password" },
		{ { "tcp://127.0.0.1:", NULL }, EXIT_USAGE, "tcp://127.0.0.1:: ':' without a port" },
		{ { "listen://[::1]x", NULL }, EXIT_USAGE, "listen://[::1]x: expected ':PORT'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_err err = { 0 };
		struct plan plan = { 0 };
		size_t n = 0;
		int rc;

		while (cases[i].words[n])
			n++;
		rc = words_parse((char *const *)cases[i].words, n, &plan, &err);
		if (cases[i].code == 0) {
			T_EXPECT(rc == 0, "%s: %s", cases[i].words[0], err.msg);
		} else {
			T_EXPECT(rc < 0, "%s parsed", cases[i].words[0]);
			T_INT(err.code, cases[i].code);
			T_EXPECT(strstr(err.msg, cases[i].msg) != NULL, "%s: message \"%s\" lacks \"%s\"",
				 cases[i].words[0], err.msg, cases[i].msg);
			T_EXPECT(strstr(err.msg, "sekrit99") == NULL, "secret in \"%s\"", err.msg);
		}
		plan_free(&plan);
	}
}

/* A word that does not parse, whatever its garbage, yields an error that,
 * as printed (report_scrub), holds no piece of its password or token. */
static void test_parse_secrets(void)
{
	static const struct {
		const char *words[3];
		int code;
		const char *msg;
	} cases[] = {
		{ { "postgresql://app:Ab/Canary+9x=@db:5432/app", NULL }, EXIT_USAGE,
		  "postgresql://app:***@db:5432/app: a '/', '?' or '#' in the password" },
		{ { "mysql://app:Ab?Canary+9x=@db:3306/app", NULL }, EXIT_USAGE, "percent-encoded" },
		{ { "redis://:Ab#Canary+9x=@db:6379", NULL }, EXIT_USAGE, "redis://:***@db:6379" },
		{ { "http://app:Ab/Canary+9x=@db/x", NULL }, EXIT_USAGE, "http://app:***@db/x" },
		{ { "postgresql://app:5432/Canary+9x=@db/app", NULL }, EXIT_USAGE, "percent-encoded" },
		{ { "tcp://u:Canary+9x=@127.0.0.1:1", NULL }, EXIT_USAGE,
		  "tcp://u:***@127.0.0.1:1: takes no user name or password" },
		{ { "listen://u:Canary+9x=@:1", NULL }, EXIT_USAGE, "takes no user name" },
		{ { "postgresql://app:Canary+9x=", NULL }, EXIT_USAGE, "postgresql://app:***" },
		{ { "http://127.0.0.1:1/", "header=Authorization Bearer Canary+9x=", NULL }, EXIT_USAGE,
		  "'Authorization': a header name ends at ':'" },
		{ { "http://127.0.0.1:1/", "header=X-Token Canary+9x=", NULL }, EXIT_USAGE,
		  "'X-Token': a header name ends at ':'" },
		{ { "http://app:Canary+9x=@127.0.0.1:1/", "bogus=1", NULL }, EXIT_USAGE,
		  "unknown option 'bogus='" },
		{ { "app:Canary+9x=@db:5432/app", NULL }, EXIT_USAGE, "unknown check kind 'app:'" },
		{ { "@T_GARBAGE", NULL }, EXIT_USAGE, "'@T_GARBAGE' expands to neither" },
		{ { "@T_BAD_URL", NULL }, EXIT_USAGE, "@T_BAD_URL: postgresql://app:***@db/app" },
		{ { "http://127.0.0.1:1/", "status=@T_GARBAGE", NULL }, EXIT_USAGE, "status=" },
	};
	size_t i;

	setenv("T_GARBAGE", "Canary+9x=", 1);
	setenv("T_BAD_URL", "postgresql://app:Canary+9x=/x@db/app", 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_err err = { 0 };
		struct plan plan = { 0 };
		char shown[1024];
		size_t n = 0;

		while (cases[i].words[n])
			n++;
		T_EXPECT(words_parse((char *const *)cases[i].words, n, &plan, &err) < 0, "%s parsed",
			 cases[i].words[0]);
		T_INT(err.code, cases[i].code);
		report_scrub(shown, sizeof(shown), err.msg);
		T_EXPECT(strstr(shown, "Canary") == NULL && strstr(shown, "9x=") == NULL,
			 "%s: a piece of the secret in \"%s\"", cases[i].words[0], shown);
		T_EXPECT(strstr(shown, cases[i].msg) != NULL, "%s: \"%s\" lacks \"%s\"",
			 cases[i].words[0], shown, cases[i].msg);
		plan_free(&plan);
		secret_clear();
	}
}

static void test_levels(void)
{
	const char *words[] = { "tcp://127.0.0.1:80", "tcp://db:5432", "tcp://db:5432",
				"level=live" };
	struct probe_err err = { 0 };
	struct plan plan = { 0 };

	T_INT(words_parse((char *const *)words, 4, &plan, &err), 0);
	if (plan.n == 3) {
		T_INT(plan.checks[0]->level, LEVEL_LIVE);
		T_INT(plan.checks[1]->level, LEVEL_READY);
		T_INT(plan.checks[2]->level, LEVEL_LIVE);
	}
	plan_free(&plan);
}

static void test_duration(void)
{
	static const struct {
		const char *in;
		int64_t ms; /* -1: malformed */
	} cases[] = {
		{ "250ms", 250 }, { "2s", 2000 }, { "1m", 60000 }, { "1h", 3600000 },
		{ "1.5s", 1500 }, { "3", 3000 }, { "0.25s", 250 }, { "0ms", 0 },
		{ "", -1 },       { "s", -1 },    { "2x", -1 },     { "-1s", -1 },
		{ "1.s", -1 },    { "25h", -1 },  { "2 s", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t ms = -7;
		int rc = duration_parse(cases[i].in, &ms);

		if (cases[i].ms < 0) {
			T_EXPECT(rc < 0, "'%s' parsed as %lld", cases[i].in, (long long)ms);
		} else {
			T_EXPECT(rc == 0, "'%s' rejected", cases[i].in);
			T_INT(ms, cases[i].ms);
		}
	}
}

int main(void)
{
	test_expand();
	test_classify();
	test_split();
	test_parse();
	test_parse_secrets();
	test_levels();
	test_duration();
	return t_done("test_words");
}
