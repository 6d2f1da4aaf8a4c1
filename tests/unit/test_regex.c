/*
 * test_regex.c - lib/regex.c: matches as POSIX ERE does (a table, then the
 * same answers as glibc's regexec on random inputs for patterns both
 * read the same way), refuses what it cannot match in linear time or in a
 * bounded program, and stops at its deadline.
 */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "lib/regex.h"
#include "t.h"

static int match(const char *pattern, const char *s, size_t len)
{
	struct rx *rx;
	char why[200];
	int m;

	if (rx_compile(pattern, &rx, why, sizeof(why)) < 0) {
		fprintf(stderr, "compile %s: %s\n", pattern, why);
		return -2;
	}
	m = rx_match(rx, s, len, 0);
	rx_free(rx);
	return m;
}

static void test_table(void)
{
	static const struct {
		const char *pattern, *input;
		int want;
	} cases[] = {
		{ "ok", "status ok", 1 },
		{ "^ok$", "ok", 1 },
		{ "^ok$", "ok\n", 0 },
		{ "^ok", " ok", 0 },
		{ "ok$", "ok ", 0 },
		{ "", "", 1 },
		{ "", "anything", 1 },
		{ "a|b", "b", 1 },
		{ "a|", "zzz", 1 },
		{ "(ok|up)$", "status up", 1 },
		{ "^\\{\"status\":\"(ok|up)\"", "{\"status\":\"up\"}", 1 },
		{ "colou?r", "color", 1 },
		{ "colou?r", "colouur", 0 },
		{ "ab+c", "ac", 0 },
		{ "ab+c", "abbbc", 1 },
		{ "ab*c", "ac", 1 },
		{ "a{3}", "aa", 0 },
		{ "a{3}", "xaaax", 1 },
		{ "^a{2,3}$", "aaaa", 0 },
		{ "^a{2,3}$", "aaa", 1 },
		{ "^a{2,}$", "aaaaaaa", 1 },
		{ "^a{0}b$", "b", 1 },
		{ "^(ab){2}$", "abab", 1 },
		{ "^(ab){2}$", "aba", 0 },
		{ "[0-9]+", "port 8000", 1 },
		{ "^[0-9]+$", "80a", 0 },
		{ "[^a-z]", "abc", 0 },
		{ "[^a-z]", "abC", 1 },
		{ "[]a]", "]", 1 },
		{ "[^]a]", "]", 0 },
		{ "[a-]", "-", 1 },
		{ "[[:digit:]]{3}", "HTTP 200", 1 },
		{ "^[[:alpha:]_][[:alnum:]_]*$", "_app1", 1 },
		{ "^[[:upper:]]+$", "ABc", 0 },
		{ "[[:space:]]", "a\tb", 1 },
		{ "[\\]", "\\", 1 }, /* a backslash in brackets is itself */
		{ "a\\.b", "a.b", 1 },
		{ "a\\.b", "axb", 0 },
		{ "a.b", "a\nb", 1 }, /* no REG_NEWLINE: . matches a new line */
		{ "\\(\\)", "()", 1 },
		{ "\\$", "cost $5", 1 },
		{ "\\w+@\\w+", "me@host", 1 },
		{ "^\\W", "a", 0 },
		{ "\\s", "nospace", 0 },
		{ "\\S", "   x ", 1 },
		{ "^\\d{3}$", "404", 1 },
		{ "\\D", "123", 0 },
		{ "\\bok\\b", "is ok.", 1 },
		{ "\\bok\\b", "token", 0 },
		{ "\\Bok", "token", 1 },
		{ "\\<up\\>", "all up", 1 },
		{ "\\<up\\>", "upper", 0 },
		{ "a\\nb", "a\nb", 1 },
		{ "a\\tb", "a\tb", 1 },
		{ "\\`a", "ba", 0 },
		{ "a\\'", "ba", 1 },
		{ "(a*)*b", "aaab", 1 },
		{ "(a*)*b", "aaaa", 0 },
		{ "(|a)+b", "ab", 1 },
		{ "()", "", 1 },
		{ "x(^a)", "xa", 0 },
		{ "(^a)|b", "ca", 0 },
		{ "a$|b", "ab", 1 },
		/* $ is the end of the input only (glibc's regexec, unlike
		 * POSIX, lets a $ inside a pattern match before a new line). */
		{ "a$.", "a\nb", 0 },
		{ "a$", "a\n", 0 },
		{ "((a|b)c)+d", "acbcd", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT(match(cases[i].pattern, cases[i].input, strlen(cases[i].input)) ==
				 cases[i].want,
			 "/%s/ on \"%s\": want %d", cases[i].pattern, cases[i].input, cases[i].want);
	/* NUL is input like any other byte. */
	T_INT(match("b$", "a\0b", 3), 1);
	T_INT(match("a.b", "a\0b", 3), 1);
	T_INT(match("^a$", "a\0", 2), 0);
}

/* Patterns that both engines read the same way (no GNU escapes that this
 * one reads differently), on random strings over a small alphabet:
 * every answer must be glibc's. */
static void test_against_glibc(void)
{
	static const char *const patterns[] = {
		"a",	    "^a",	"a$",	      "^a$",	  "ab|ba",     "(a|b)*c",
		"a*b*c*",   "^(ab)+$",	"a{2}",	      "a{1,2}b",  "(a|ab)(c|bcd)", "[ab]c",
		"[^ab]",    "^[a-c]+$", "(a*)*b",     "(a|aa)*c", "((a|b)c)+",   "a?b?c?$",
		"^$",	    "b{0,1}c",	"(ab|a)(bc|c)", "c.a",	  "^.{3}$",	 "(^a|b)c",
		"[[:alpha:]]+ ", "a|b|c|_", "(a+)+$",  "_\\b",	  "\\<a",	 "a\\>",
		"(a|b){2,3}c",   "^(a|)+$", "x*",	  ". ",	  "[a-]b",	 "a(b|c)*d?",
	};
	static const char alphabet[] = "abc _1";
	unsigned seed = 12345;
	size_t i, k;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		struct rx *rx;
		regex_t re;
		char why[200];

		T_EXPECT(rx_compile(patterns[i], &rx, why, sizeof(why)) == 0, "/%s/: %s",
			 patterns[i], why);
		T_EXPECT(regcomp(&re, patterns[i], REG_EXTENDED | REG_NOSUB) == 0,
			 "glibc: /%s/", patterns[i]);
		for (k = 0; k < 3000; k++) {
			char s[12];
			size_t n, j;
			int want, got;

			seed = seed * 1103515245u + 12345u;
			n = (seed >> 16) % sizeof(s);
			for (j = 0; j < n; j++) {
				seed = seed * 1103515245u + 12345u;
				s[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
			s[n] = '\0';
			want = regexec(&re, s, 0, NULL, 0) == 0;
			got = rx_match(rx, s, n, 0);
			if (got != want) {
				T_EXPECT(got == want, "/%s/ on \"%s\": %d, glibc %d", patterns[i], s,
					 got, want);
				break;
			}
		}
		regfree(&re);
		rx_free(rx);
	}
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"(",	     "a)",	  "a{2,1}",    "a{256}",  "a{1,256}", "a{",	"a{,2}",
		"a{1",	     "*a",	  "+",	       "?x",	  "{1}",      "[a",	"[z-a]",
		"[[:foo:]]", "[[=a=]]",	  "[[.a.]]",   "(a)\\1",  "\\",	      "\\q",	"a|*",
		"(((a{1,100}){1,100}){1,100})", "a{255}{255}",
	};
	char big[RX_PATTERN_MAX + 2], why[200];
	struct rx *rx;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		T_EXPECT(rx_compile(bad[i], &rx, why, sizeof(why)) < 0 && rx == NULL && why[0],
			 "/%s/ compiled", bad[i]);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	T_EXPECT(rx_compile(big, &rx, why, sizeof(why)) < 0, "a %zu-byte pattern compiled",
		 sizeof(big) - 1);
	T_EXPECT(strstr(why, "1024") != NULL, "why: %s", why);
	/* What glibc takes seconds or gigabytes for is small here. */
	T_EXPECT(rx_compile("(a*)*(a*)*(a*)*(a*)*(a*)*(a*)*(a*)*(a*)*(a*)*(a*)*x", &rx, why,
			    sizeof(why)) == 0,
		 "nested stars: %s", why);
	rx_free(rx);
	rx_free(NULL);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* 1 MiB of 'a': glibc's search is quadratic for (a|aa)*c; this one
 * answers, and a run given a deadline that has passed stops at it. */
static void test_linear(void)
{
	size_t n = 1 << 20;
	char *buf = malloc(n), why[200];
	struct rx *rx;

	T_EXPECT(buf != NULL, "malloc");
	if (!buf)
		return;
	memset(buf, 'a', n);
	T_INT(match("(a|aa)*c", buf, n), 0);
	T_INT(match("(a|aa)*$", buf, n), 1);
	T_EXPECT(rx_compile("(a|b|c|d|e){255}z", &rx, why, sizeof(why)) == 0, "compile: %s", why);
	T_INT(rx_match(rx, buf, n, now_ns() - 1), -1);
	rx_free(rx);
	free(buf);
}

int main(void)
{
	test_table();
	test_against_glibc();
	test_refused();
	test_linear();
	return t_done("test_regex");
}
