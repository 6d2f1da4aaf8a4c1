/*
 * test_url.c - the one reading of an authority (userinfo, host, port),
 * %-escapes and host:port, and that no parser's error quotes a password.
 */
#include "lib/url.h"

#include "checks/http/http_match.h"
#include "lib/dburl.h"
#include "probe/check.h"
#include "t.h"

#define PW "hunter2pw"

static void test_authority(void)
{
	static const struct {
		const char *s;
		unsigned flags;
		enum url_error err;
		const char *host;
		int bracketed, port;
		const char *user, *password; /* NULL: absent */
	} cases[] = {
		/* hosts and ports */
		{ "db:5432", 0, URL_OK, "db", 0, 5432, NULL, NULL },
		{ "127.0.0.1:8000", 0, URL_OK, "127.0.0.1", 0, 8000, NULL, NULL },
		{ "db", 0, URL_OK, "db", 0, 0, NULL, NULL },
		{ "h:1", 0, URL_OK, "h", 0, 1, NULL, NULL },
		{ "h:65535", 0, URL_OK, "h", 0, 65535, NULL, NULL },
		{ "h:0080", 0, URL_OK, "h", 0, 80, NULL, NULL },
		{ "h:", 0, URL_ERR_PORT_EMPTY, NULL, 0, 0, NULL, NULL },
		{ "h:0", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "h:65536", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "h:99999999999999999999999", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "h:80x", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "h:x80", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "h:+80", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "h:-1", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "h: 80", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		/* empty hosts: every address to listen://, absent in a db URL */
		{ ":8000", 0, URL_OK, "", 0, 8000, NULL, NULL },
		{ "", 0, URL_OK, "", 0, 0, NULL, NULL },
		{ "[]:80", 0, URL_OK, "", 1, 80, NULL, NULL },
		/* IPv6 */
		{ "[::1]:8080", 0, URL_OK, "::1", 1, 8080, NULL, NULL },
		{ "[::1]", 0, URL_OK, "::1", 1, 0, NULL, NULL },
		{ "[fe80::1%25eth0]:80", 0, URL_OK, "fe80::1%25eth0", 1, 80, NULL, NULL },
		{ "[::1", 0, URL_ERR_BRACKET, NULL, 0, 0, NULL, NULL },
		{ "[::1:80", 0, URL_ERR_BRACKET, NULL, 0, 0, NULL, NULL },
		{ "[::1]x", 0, URL_ERR_AFTER_BRACKET, NULL, 0, 0, NULL, NULL },
		{ "[::1]80", 0, URL_ERR_AFTER_BRACKET, NULL, 0, 0, NULL, NULL },
		{ "[::1]:", 0, URL_ERR_PORT_EMPTY, NULL, 0, 0, NULL, NULL },
		{ "[::1]:0", 0, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "::1:8000", 0, URL_ERR_BARE_IPV6, NULL, 0, 0, NULL, NULL },
		{ "::1", 0, URL_ERR_BARE_IPV6, NULL, 0, 0, NULL, NULL },
		/* userinfo: up to the last '@', the user up to the first ':' */
		{ "u:p@h:1", URL_USERINFO, URL_OK, "h", 0, 1, "u", "p" },
		{ "u:p:w@h", URL_USERINFO, URL_OK, "h", 0, 0, "u", "p:w" },
		{ "u:p@w@d@h:1", URL_USERINFO, URL_OK, "h", 0, 1, "u", "p@w@d" },
		{ "a%40b:p%3Aw%2F@[::1]:3307", URL_USERINFO, URL_OK, "::1", 1, 3307, "a%40b",
		  "p%3Aw%2F" },
		{ "user@h", URL_USERINFO, URL_OK, "h", 0, 0, "user", NULL },
		{ ":p@cache:6379", URL_USERINFO, URL_OK, "cache", 0, 6379, "", "p" },
		{ "u:@h", URL_USERINFO, URL_OK, "h", 0, 0, "u", "" },
		{ "@h", URL_USERINFO, URL_OK, "h", 0, 0, "", NULL },
		{ "u:p@", URL_USERINFO, URL_OK, "", 0, 0, "u", "p" },
		{ "u:" PW "@h:0", URL_USERINFO, URL_ERR_PORT, NULL, 0, 0, NULL, NULL },
		{ "u:" PW "@::1:5432", URL_USERINFO, URL_ERR_BARE_IPV6, NULL, 0, 0, NULL, NULL },
		{ "u:" PW "@[::1", URL_USERINFO, URL_ERR_BRACKET, NULL, 0, 0, NULL, NULL },
		/* without URL_USERINFO, '@' is part of the host */
		{ "u@h:1", 0, URL_OK, "u@h", 0, 1, NULL, NULL },
		{ "u:" PW "@h:1", 0, URL_ERR_BARE_IPV6, NULL, 0, 0, NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct url_authority a;
		enum url_error e = url_authority(cases[i].s, strlen(cases[i].s), cases[i].flags, &a);
		char host[64], user[64], pass[64];

		T_EXPECT(e == cases[i].err, "'%s': error %d (%s), want %d", cases[i].s, (int)e,
			 url_strerror(e), (int)cases[i].err);
		T_EXPECT(strstr(url_strerror(e), PW) == NULL, "'%s': password in the error",
			 cases[i].s);
		if (e != URL_OK || cases[i].err != URL_OK)
			continue;
		snprintf(host, sizeof(host), "%.*s", (int)a.host_len, a.host);
		T_STR(host, cases[i].host);
		T_INT(a.bracketed, cases[i].bracketed);
		T_INT(a.port, cases[i].port);
		T_EXPECT((a.user != NULL) == (cases[i].user != NULL), "'%s': user", cases[i].s);
		if (a.user && cases[i].user) {
			snprintf(user, sizeof(user), "%.*s", (int)a.user_len, a.user);
			T_STR(user, cases[i].user);
		}
		T_EXPECT((a.password != NULL) == (cases[i].password != NULL), "'%s': password",
			 cases[i].s);
		if (a.password && cases[i].password) {
			snprintf(pass, sizeof(pass), "%.*s", (int)a.password_len, a.password);
			T_STR(pass, cases[i].password);
		}
	}
}

/* The authority ends where the caller says: the path is not the port. */
static void test_authority_span(void)
{
	const char *url = "u:p@h:8000/db?x=1";
	struct url_authority a;

	T_INT(url_authority(url, strcspn(url, "/?#"), URL_USERINFO, &a), URL_OK);
	T_INT(a.port, 8000);
	T_INT(url_authority(url, strlen(url), URL_USERINFO, &a), URL_ERR_PORT);
}

static void test_host_check(void)
{
	static const struct {
		const char *host;
		int bracketed;
		enum url_error err;
	} cases[] = {
		{ "example.com", 0, URL_OK },
		{ "my_service.internal", 0, URL_OK },
		{ "127.0.0.1", 0, URL_OK },
		{ "caf%C3%A9", 0, URL_OK },
		{ "", 0, URL_ERR_NO_HOST },
		{ "ho st", 0, URL_ERR_HOST_CHAR },
		{ "a,b", 0, URL_ERR_HOST_CHAR },
		{ "::1", 1, URL_OK },
		{ "fe80::1%25eth0", 1, URL_OK },
		{ "fe80::1%eth0", 1, URL_OK },
		{ "fe80::1%", 1, URL_ERR_IPV6 },
		{ "zz::1", 1, URL_ERR_IPV6 },
		{ "127.0.0.1", 1, URL_ERR_IPV6 },
		{ "", 1, URL_ERR_IPV6 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT(url_host_check(cases[i].host, strlen(cases[i].host), cases[i].bracketed) ==
				 cases[i].err,
			 "'%s' (bracketed %d)", cases[i].host, cases[i].bracketed);
}

static void test_port(void)
{
	static const struct {
		const char *s;
		int port;
	} cases[] = {
		{ "80", 80 },  { "1", 1 },    { "65535", 65535 }, { "0080", 80 }, { "0", 0 },
		{ "65536", 0 }, { "", 0 },    { "8a", 0 },        { "+1", 0 },    { " 1", 0 },
		{ "-1", 0 },   { "1 ", 0 },   { "4294967377", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT(url_port(cases[i].s) == cases[i].port, "'%s': %d, want %d", cases[i].s,
			 url_port(cases[i].s), cases[i].port);
	T_INT(url_port(NULL), 0);
}

static void test_decode(void)
{
	static const struct {
		const char *s;
		unsigned flags;
		int len; /* -1: an error */
		const char *out;
	} cases[] = {
		{ "a%40b", URL_DECODE_STRICT, 3, "a@b" },
		{ "p%3Aw%2F", URL_DECODE_STRICT, 4, "p:w/" },
		{ "p%3aw%2f", URL_DECODE_STRICT, 4, "p:w/" },
		{ "s%20p", URL_DECODE_STRICT, 3, "s p" },
		{ "plain", URL_DECODE_STRICT, 5, "plain" },
		{ "", URL_DECODE_STRICT, 0, "" },
		{ "p%zz", URL_DECODE_STRICT, -1, NULL },
		{ "p%4", URL_DECODE_STRICT, -1, NULL },
		{ "p%", URL_DECODE_STRICT, -1, NULL },
		/* lenient, as libcurl: a malformed escape stays as written */
		{ "p%zz", 0, 4, "p%zz" },
		{ "p%4", 0, 3, "p%4" },
		{ "a%41%", 0, 3, "aA%" },
		{ "%41%42", 0, 2, "AB" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32];
		int len = url_decode(cases[i].s, strlen(cases[i].s), out, sizeof(out),
				     cases[i].flags);

		T_EXPECT(len == cases[i].len, "'%s': %d, want %d", cases[i].s, len, cases[i].len);
		if (len >= 0 && cases[i].out)
			T_STR(out, cases[i].out);
	}
	{
		char out[4];

		T_INT(url_decode("abcd", 4, out, sizeof(out), URL_DECODE_STRICT), -1);
		T_INT(url_decode("abc", 3, out, sizeof(out), URL_DECODE_STRICT), 3);
		T_INT(url_decode("abcdef", 2, out, sizeof(out), URL_DECODE_STRICT), 2);
		T_STR(out, "ab");
	}
}

static void test_hostport(void)
{
	static const struct {
		const char *host;
		int port;
		const char *want;
	} cases[] = {
		{ "127.0.0.1", 8000, "127.0.0.1:8000" },
		{ "db", 5432, "db:5432" },
		{ "::1", 8000, "[::1]:8000" },
		{ "fe80::1%25eth0", 80, "[fe80::1%25eth0]:80" },
		{ "::1", 0, "[::1]" },
		{ "app.local", 0, "app.local" },
	};
	size_t i;
	char buf[64];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_INT(url_hostport(buf, sizeof(buf), cases[i].host, cases[i].port),
		      strlen(cases[i].want));
		T_STR(buf, cases[i].want);
	}
	T_INT(url_hostport(buf, 4, "::1", 8000), strlen("[::1]:8000"));
	T_STR(buf, "[::");
}

/* One message for each failure, the ones tests and users already know. */
static void test_wording(void)
{
	static const struct {
		enum url_error e;
		const char *msg;
	} cases[] = {
		{ URL_ERR_PORT, "port must be a number from 1 to 65535" },
		{ URL_ERR_PORT_EMPTY, "':' without a port" },
		{ URL_ERR_PORT_MISSING, "a port is required (HOST:PORT)" },
		{ URL_ERR_BRACKET, "an IPv6 address needs a closing ']'" },
		{ URL_ERR_AFTER_BRACKET, "expected ':PORT' after ']'" },
		{ URL_ERR_BARE_IPV6, "write an IPv6 address in brackets, like [::1]:8000" },
		{ URL_ERR_IPV6, "not an IPv6 address in [ ]" },
		{ URL_ERR_NO_HOST, "no host in the URL" },
		{ URL_ERR_HOST_LONG, "host name too long" },
		{ URL_ERR_HOST_CHAR, "invalid character in the host" },
	};
	size_t i;

	T_STR(url_strerror(URL_OK), "");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_STR(url_strerror(cases[i].e), cases[i].msg);
}

/* Every parser built on the module: a malformed URL's error names what is
 * wrong, the same way, and never holds the password (raw or decoded). */
static void test_parsers_never_quote_password(void)
{
	static const struct {
		const char *url, *msg;
	} cases[] = {
		{ "postgresql://u:" PW "@h:0/x", "port must be a number from 1 to 65535" },
		{ "postgresql://u:" PW "@h:65536/x", "port must be a number from 1 to 65535" },
		{ "postgresql://u:" PW "@h:/x", "':' without a port" },
		{ "mysql://u:" PW "@[::1/x", "closing ']'" },
		{ "mysql://u:" PW "@[::1]x/x", "after ']'" },
		{ "mysql://u:" PW "@::1:3306/x", "in brackets" },
		{ "redis://u:" PW "@h:6379x/0", "port must be" },
		{ "postgresql://u:" PW "%zz@h/x", "the password has a malformed %-escape" },
		{ "postgresql://u%zz:" PW "@h/x", "the user name has a malformed %-escape" },
		{ "postgresql://u:hunter%32pw@h:0/x", "port must be" },
	};
	static const struct {
		const char *url, *msg;
	} http[] = {
		{ "http://u:" PW "@h:0/", "port must be a number from 1 to 65535" },
		{ "http://u:" PW "@h:/", "':' without a port" },
		{ "http://u:" PW "@[::1/", "closing ']'" },
		{ "http://u:" PW "@::1:80/", "in brackets" },
		{ "http://u:" PW "@/x", "no host" },
		{ "http://u:" PW "@ho st/", "invalid character" },
		{ "http://u:" PW "@[zz::1]/", "not an IPv6 address" },
		{ "https://u:" PW "@h/a b", "percent-encoded" },
	};
	static const char *const endpoints[] = {
		"u:" PW "@h:1", "u@" PW ":0", "[" PW, PW ":x",
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_err err = { 0 };
		struct dburl u;

		T_EXPECT(dburl_parse(cases[i].url, &u, &err) < 0, "%s parsed", cases[i].url);
		T_EXPECT(strstr(err.msg, cases[i].msg) != NULL, "%s: \"%s\" lacks \"%s\"",
			 cases[i].url, err.msg, cases[i].msg);
		T_EXPECT(strstr(err.msg, PW) == NULL && strstr(err.msg, "hunter") == NULL,
			 "%s: password in \"%s\"", cases[i].url, err.msg);
	}
	for (i = 0; i < sizeof(http) / sizeof(http[0]); i++) {
		struct http_url u;
		char err[256] = "";

		T_EXPECT(http_url_parse(http[i].url, &u, err, sizeof(err)) < 0, "%s parsed",
			 http[i].url);
		T_EXPECT(strstr(err, http[i].msg) != NULL, "%s: \"%s\" lacks \"%s\"", http[i].url,
			 err, http[i].msg);
		T_EXPECT(strstr(err, PW) == NULL, "%s: password in \"%s\"", http[i].url, err);
	}
	for (i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
		struct probe_err err = { 0 };
		struct endpoint ep;

		T_EXPECT(endpoint_parse(endpoints[i], &ep, 1, &err) < 0, "%s parsed",
			 endpoints[i]);
		T_EXPECT(err.msg[0] != '\0', "%s: no message", endpoints[i]);
		T_EXPECT(strstr(err.msg, PW) == NULL, "%s: password in \"%s\"", endpoints[i],
			 err.msg);
	}
}

int main(void)
{
	test_authority();
	test_authority_span();
	test_host_check();
	test_port();
	test_decode();
	test_hostport();
	test_wording();
	test_parsers_never_quote_password();
	return t_done("test_url");
}
