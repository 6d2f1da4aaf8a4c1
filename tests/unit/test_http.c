/*
 * test_http.c - the http check's pure half (http_match.c) and its parse,
 * as tables: status specs, URLs, header options, answer judging.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <strings.h>

#include "probe/check.h"
#include "checks/http/http_match.h"
#include "checks/http/http_priv.h"
#include "lib/url.h"
#include "probe/report.h"
#include "t.h"

extern const struct check_kind check_http;

static void test_status(void)
{
	static const struct {
		const char *spec;
		int ok;
		int yes[4], no[4]; /* codes in and out of the spec; 0 ends */
	} cases[] = {
		{ "200", 1, { 200 }, { 201, 199, 404 } },
		{ "200,204", 1, { 200, 204 }, { 201, 203, 205 } },
		{ "2xx", 1, { 200, 250, 299 }, { 199, 300 } },
		{ "2XX", 1, { 204 }, { 301 } },
		{ "200-299", 1, { 200, 299 }, { 199, 300 } },
		{ "301-302,2xx", 1, { 301, 302, 204 }, { 303, 404 } },
		{ "5xx,404", 1, { 500, 503, 404 }, { 200, 403 } },
		{ "100", 1, { 100 }, { 101 } },
		{ "599", 1, { 599 }, { 598 } },
		{ "", 0, { 0 }, { 0 } },
		{ "abc", 0, { 0 }, { 0 } },
		{ "20", 0, { 0 }, { 0 } },
		{ "2000", 0, { 0 }, { 0 } },
		{ "099", 0, { 0 }, { 0 } },
		{ "600", 0, { 0 }, { 0 } },
		{ "6xx", 0, { 0 }, { 0 } },
		{ "0xx", 0, { 0 }, { 0 } },
		{ "2x", 0, { 0 }, { 0 } },
		{ "299-200", 0, { 0 }, { 0 } },
		{ "200-", 0, { 0 }, { 0 } },
		{ "-200", 0, { 0 }, { 0 } },
		{ "200,", 0, { 0 }, { 0 } },
		{ ",200", 0, { 0 }, { 0 } },
		{ "200,,204", 0, { 0 }, { 0 } },
		{ "200 ", 0, { 0 }, { 0 } },
		{ "+200", 0, { 0 }, { 0 } },
		{ "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", 0, { 0 }, { 0 } },
	};
	struct http_status_spec def;
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_status_spec spec;
		char err[256] = "";
		int rc = http_status_parse(cases[i].spec, &spec, err, sizeof(err));

		T_EXPECT((rc == 0) == cases[i].ok, "'%s': rc %d (%s)", cases[i].spec, rc, err);
		if (rc < 0) {
			T_EXPECT(err[0] != '\0', "'%s': no reason", cases[i].spec);
			continue;
		}
		T_STR(spec.text, cases[i].spec);
		for (j = 0; j < 4 && cases[i].yes[j]; j++)
			T_EXPECT(http_status_match(&spec, cases[i].yes[j]), "'%s' should take %d",
				 cases[i].spec, cases[i].yes[j]);
		for (j = 0; j < 4 && cases[i].no[j]; j++)
			T_EXPECT(!http_status_match(&spec, cases[i].no[j]), "'%s' should refuse %d",
				 cases[i].spec, cases[i].no[j]);
	}
	http_status_default(&def);
	T_STR(def.text, "200-399");
	T_EXPECT(http_status_match(&def, 200) && http_status_match(&def, 302) &&
			 http_status_match(&def, 399),
		 "default takes 2xx and 3xx");
	T_EXPECT(!http_status_match(&def, 404) && !http_status_match(&def, 199) &&
			 !http_status_match(&def, 500),
		 "default refuses 1xx, 4xx, 5xx");
}

static void test_url(void)
{
	static const struct {
		const char *url;
		int ok;
		const char *host;
		int port, https, ipv6;
		const char *pass; /* NULL: no password */
		const char *path; /* from path_off */
	} cases[] = {
		{ "http://127.0.0.1:8000/health", 1, "127.0.0.1", 8000, 0, 0, NULL, "/health" },
		{ "http://localhost/", 1, "localhost", 80, 0, 0, NULL, "/" },
		{ "https://example.com", 1, "example.com", 443, 1, 0, NULL, "" },
		{ "HTTPS://Example.COM:8443?x=1", 1, "Example.COM", 8443, 1, 0, NULL, "?x=1" },
		{ "http://[::1]:8080/h", 1, "::1", 8080, 0, 1, NULL, "/h" },
		{ "http://[::1]/h", 1, "::1", 80, 0, 1, NULL, "/h" },
		{ "http://[fe80::1%25eth0]:80/", 1, "fe80::1%25eth0", 80, 0, 1, NULL, "/" },
		{ "http://u:hunter2pass@db:5000/x", 1, "db", 5000, 0, 0, "hunter2pass", "/x" },
		{ "http://u:p@ss@db/x", 1, "db", 80, 0, 0, "p@ss", "/x" },
		{ "http://user@db/x", 1, "db", 80, 0, 0, NULL, "/x" },
		{ "http://u:@db/", 1, "db", 80, 0, 0, "", "/" },
		{ "http://my_service.internal:1/", 1, "my_service.internal", 1, 0, 0, NULL, "/" },
		{ "http://h:65535/#frag", 1, "h", 65535, 0, 0, NULL, "/#frag" },
		{ "ftp://h/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http:/h/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http:///x", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://:8000/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://u:p@/x", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://h:0/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://h:65536/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://h:99999999999/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://h:/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://h:80x/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://::1:8000/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://[::1/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://[::1]x/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://[zz::1]/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://[127.0.0.1]/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://ho st/", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://h/a b", 0, NULL, 0, 0, 0, NULL, NULL },
		{ "http://h/a\tb", 0, NULL, 0, 0, 0, NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_url u;
		char err[256] = "";
		int rc = http_url_parse(cases[i].url, &u, err, sizeof(err));

		T_EXPECT((rc == 0) == cases[i].ok, "'%s': rc %d (%s)", cases[i].url, rc, err);
		if (rc < 0) {
			T_EXPECT(err[0] != '\0', "'%s': no reason", cases[i].url);
			continue;
		}
		T_STR(u.host, cases[i].host);
		T_INT(u.port, cases[i].port);
		T_INT(u.https, cases[i].https);
		T_INT(u.ipv6, cases[i].ipv6);
		T_INT(u.has_pass, cases[i].pass != NULL);
		if (cases[i].pass && u.has_pass) {
			T_INT(u.pass_len, strlen(cases[i].pass));
			T_EXPECT(strncmp(cases[i].url + u.pass_off, cases[i].pass, u.pass_len) == 0,
				 "'%s': password span", cases[i].url);
		}
		T_STR(cases[i].url + u.path_off, cases[i].path);
	}
}

static void test_url_with_host(void)
{
	static const struct {
		const char *url, *host, *want;
	} cases[] = {
		{ "https://127.0.0.1:8443/health", "probe.test", "https://probe.test:8443/health" },
		{ "https://127.0.0.1/h?x", "probe.test", "https://probe.test/h?x" },
		{ "https://u:p@[::1]:8443/", "app.local", "https://u:p@app.local:8443/" },
		{ "https://127.0.0.1:8443", "::1", "https://[::1]:8443" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_url u;
		char out[256];

		T_EXPECT(http_url_parse(cases[i].url, &u, NULL, 0) == 0, "%s", cases[i].url);
		T_EXPECT(http_url_with_host(cases[i].url, &u, cases[i].host, out, sizeof(out)) == 0,
			 "%s: fits", cases[i].url);
		T_STR(out, cases[i].want);
		T_INT(http_url_with_host(cases[i].url, &u, cases[i].host, out, 10), -1);
	}
}

/* libcurl parses the URL it is handed again (CURLOPT_URL: http.c says why
 * not CURLOPT_CURLU), so for every URL http_url_parse accepts it must read
 * the same host, port and userinfo, or the runner's prerequisites and the
 * messages would name another address than the one connected to. */
static void test_url_libcurl_agrees(void)
{
	static const char *const urls[] = {
		"http://127.0.0.1:8000/health",
		"http://localhost/",
		"https://example.com",
		"HTTPS://Example.COM:8443?x=1",
		"http://[::1]:8080/h",
		"http://[::1]/h",
		"http://u:hunter2pass@db:5000/x",
		"http://user@db/x",
		"http://u:@db/",
		"http://:p@db/",
		"http://u%40x:p%3Aw@db/",
		"http://my_service.internal:1/",
		"http://h:65535/#frag",
		"http://h:0080/",
	};
	size_t i;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		CURLU *h = curl_url();
		char *host = NULL, *port = NULL, *user = NULL, *pass = NULL;
		char want_host[300];
		struct http_url u;

		T_EXPECT(http_url_parse(urls[i], &u, NULL, 0) == 0, "%s", urls[i]);
		T_EXPECT(h && curl_url_set(h, CURLUPART_URL, urls[i], 0) == CURLUE_OK,
			 "%s: libcurl refuses it", urls[i]);
		if (h && curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
			url_hostport(want_host, sizeof(want_host), u.host, 0);
			T_EXPECT(strcasecmp(host, want_host) == 0, "%s: libcurl's host %s, probe's %s",
				 urls[i], host, want_host);
		}
		if (h && curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
			T_INT(atoi(port), u.port);
		if (h && curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK)
			T_EXPECT(strlen(user) == u.user_len &&
					 strncmp(user, urls[i] + u.user_off, u.user_len) == 0,
				 "%s: libcurl's user %s", urls[i], user);
		else
			T_EXPECT(u.user_len == 0 && !u.has_pass, "%s: libcurl sees no user", urls[i]);
		if (h && curl_url_get(h, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK)
			T_EXPECT(u.has_pass && strlen(pass) == u.pass_len &&
					 strncmp(pass, urls[i] + u.pass_off, u.pass_len) == 0,
				 "%s: libcurl's password differs", urls[i]);
		else
			T_EXPECT(!u.has_pass, "%s: libcurl sees no password", urls[i]);
		curl_free(host);
		curl_free(port);
		curl_free(user);
		curl_free(pass);
		curl_url_cleanup(h);
	}
}

static void test_header_opts(void)
{
	static const struct {
		const char *s;
		int need_value, ok;
		const char *name, *value; /* value NULL: none */
	} cases[] = {
		{ "Authorization:Bearer abc", 1, 1, "Authorization", "Bearer abc" },
		{ "X-A:  spaced value  ", 1, 1, "X-A", "spaced value" },
		{ "Accept:", 1, 1, "Accept", "" },
		{ "X-Health", 0, 1, "X-Health", NULL },
		{ "X-Health:ok", 0, 1, "X-Health", "ok" },
		{ "X-Health", 1, 0, NULL, NULL },
		{ ":value", 1, 0, NULL, NULL },
		{ "Bad Name:v", 1, 0, NULL, NULL },
		{ "X-A:line\r\nInjected: 1", 1, 0, NULL, NULL },
		{ "X-A:\x7f", 1, 0, NULL, NULL },
		{ "", 0, 0, NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_header_opt h;
		char err[256] = "";
		int rc = http_header_parse(cases[i].s, cases[i].need_value, &h, err, sizeof(err));
		char name[64], value[64];

		T_EXPECT((rc == 0) == cases[i].ok, "'%s': rc %d (%s)", cases[i].s, rc, err);
		if (rc < 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)h.namelen, h.name);
		T_STR(name, cases[i].name);
		T_INT(h.value != NULL, cases[i].value != NULL);
		if (h.value && cases[i].value) {
			snprintf(value, sizeof(value), "%.*s", (int)h.valuelen, h.value);
			T_STR(value, cases[i].value);
		}
	}
}

static void test_secret_headers(void)
{
	static const struct {
		const char *name;
		int secret;
	} names[] = {
		{ "Authorization", 1 }, { "proxy-authorization", 1 }, { "Cookie", 1 },
		{ "X-Api-Key", 1 },     { "X-Auth-Token", 1 },        { "X-Secret", 1 },
		{ "X-Session-Id", 1 },  { "Accept", 0 },              { "Host", 0 },
		{ "User-Agent", 0 },    { "X-Request-Id", 0 },
	};
	static const struct {
		const char *value;
		size_t off;
	} creds[] = {
		{ "Bearer abc", 7 }, { "Basic   dXNlcg==", 8 }, { "abc", 0 },
		{ "Bearer ", 0 },    { " abc", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		T_EXPECT(http_header_is_secret(names[i].name, strlen(names[i].name)) ==
				 names[i].secret,
			 "%s", names[i].name);
	for (i = 0; i < sizeof(creds) / sizeof(creds[0]); i++)
		T_INT(http_auth_credential(creds[i].value), creds[i].off);
}

static void test_header_lines(void)
{
	static const struct {
		const char *line, *name;
		int match;
		const char *value;
	} cases[] = {
		{ "X-Health: ok\r\n", "x-health", 1, "ok" },
		{ "x-health:ok\r\n", "X-Health", 1, "ok" },
		{ "X-Health:   a b  \r\n", "X-Health", 1, "a b" },
		{ "X-Health:\r\n", "X-Health", 1, "" },
		{ "X-Healthy: ok\r\n", "X-Health", 0, NULL },
		{ "X-Heal: ok\r\n", "X-Health", 0, NULL },
		{ "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK", 0, NULL },
		{ "\r\n", "X", 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *v = NULL;
		size_t vlen = 0;
		int m = http_header_line_match(cases[i].line, strlen(cases[i].line), cases[i].name,
					       strlen(cases[i].name), &v, &vlen);
		char got[64];

		T_EXPECT(m == cases[i].match, "'%s' vs %s", cases[i].line, cases[i].name);
		if (m && cases[i].value) {
			snprintf(got, sizeof(got), "%.*s", (int)vlen, v);
			T_STR(got, cases[i].value);
		}
	}
}

static void test_body(void)
{
	static const char bin[] = "ab\0cd healthy";
	char big[100], out[64], why[160];
	struct rx *re;

	T_EXPECT(http_body_contains("all healthy", 11, "healthy"), "contains");
	T_EXPECT(!http_body_contains("all health", 10, "healthy"), "cut short");
	T_EXPECT(http_body_contains(bin, sizeof(bin) - 1, "healthy"), "past a NUL");
	T_EXPECT(!http_body_contains("healthy", 3, "healthy"), "bounded by len");
	T_EXPECT(http_body_contains("", 0, ""), "empty needle");

	T_EXPECT(rx_compile("^\\{\"status\":\"(ok|up)\"", &re, why, sizeof(why)) == 0, "compile: %s",
		 why);
	T_EXPECT(http_body_regex(re, "{\"status\":\"ok\"}", 15, 0) == 1, "regex ok");
	T_EXPECT(http_body_regex(re, "{\"status\":\"up\"}", 15, 0) == 1, "regex up");
	T_EXPECT(http_body_regex(re, "{\"status\":\"down\"}", 17, 0) == 0, "regex down");
	T_EXPECT(http_body_regex(re, " {\"status\":\"ok\"}", 16, 0) == 0, "regex anchored");
	rx_free(re);
	T_EXPECT(rx_compile("healthy$", &re, why, sizeof(why)) == 0, "compile: %s", why);
	T_EXPECT(http_body_regex(re, bin, sizeof(bin) - 1, 0) == 1, "regex past a NUL");
	rx_free(re);

	http_excerpt("short\r\n\x01text", 12, out, sizeof(out));
	T_STR(out, "short...text");
	memset(big, 'a', sizeof(big));
	http_excerpt(big, sizeof(big), out, sizeof(out));
	T_INT(strlen(out), HTTP_EXCERPT + 3);
	T_EXPECT(strcmp(out + HTTP_EXCERPT, "...") == 0, "ellipsis: %s", out);
	http_excerpt(big, sizeof(big), out, 8);
	T_INT(strlen(out), 7);
}

static void test_json_expect(void)
{
	static const char *const body =
		"{\"status\":\"degraded\",\"db\":{\"up\":true,\"n\":1.0},\"s\":\"a\\u00e9\"}";
	static const struct {
		const char *opt;
		int parse_ok, pass;
		const char *msg; /* expected failure message */
	} cases[] = {
		{ ".status=degraded", 1, 1, NULL },
		{ ".status=ok", 1, 0, "json .status is \"degraded\", expected \"ok\"" },
		{ ".status", 1, 1, NULL },
		{ ".db.up=true", 1, 1, NULL },
		{ ".db.up=false", 1, 0, "json .db.up is true, expected \"false\"" },
		{ ".db.n=1.0", 1, 1, NULL },
		{ ".db.n=1", 1, 0, "json .db.n is 1.0, expected \"1\"" },
		{ ".s=a\xc3\xa9", 1, 1, NULL },
		{ ".db.down", 1, 0, "json .db.down is missing" },
		{ ".missing=x", 1, 0, "json .missing is missing" },
		{ ".status=", 1, 0, "json .status is \"degraded\", expected \"\"" },
		{ ".[\"db\"].up=true", 1, 1, NULL },
		{ ".=x", 1, 0, "json . is {\"status\":\"degraded\",\"db\":{\"up\":true,\"n\"...," },
		{ "status=ok", 0, 0, NULL },
		{ ".a..b=1", 0, 0, NULL },
	};
	struct json_doc doc;
	size_t i;

	T_EXPECT(json_parse(&doc, body, strlen(body), NULL) == 0, "parse");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_json_expect e;
		char err[256] = "", msg[256] = "";
		int rc = http_json_expect_parse(cases[i].opt, &e, err, sizeof(err));

		T_EXPECT((rc == 0) == cases[i].parse_ok, "'%s': rc %d (%s)", cases[i].opt, rc, err);
		if (rc < 0) {
			T_EXPECT(strstr(err, cases[i].opt) != NULL, "'%s': names the option: %s",
				 cases[i].opt, err);
			continue;
		}
		rc = http_json_judge(&doc, &e, msg, sizeof(msg));
		T_EXPECT((rc == 0) == cases[i].pass, "'%s': rc %d (%s)", cases[i].opt, rc, msg);
		if (cases[i].msg)
			T_EXPECT(strncmp(msg, cases[i].msg, strlen(cases[i].msg)) == 0,
				 "'%s': \"%s\", want \"%s\"", cases[i].opt, msg, cases[i].msg);
	}
	json_free(&doc);
}

/* A check as words_parse would build it. */
struct fake_check {
	struct check c;
	struct check_opt opts[8];
};

static void fake_init(struct fake_check *f, const char *word, const char *const *kv)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->c.kind = &check_http;
	f->c.word = (char *)word;
	f->c.name = (char *)"the-check";
	f->c.scheme = strncasecmp(word, "https:", 6) == 0 ? (char *)"https" : (char *)"http";
	f->c.rest = strchr(word, ':') + 1;
	f->c.opts = f->opts;
	for (i = 0; kv && kv[2 * i] && i < 8; i++) {
		f->opts[i].key = (char *)kv[2 * i];
		f->opts[i].value = (char *)kv[2 * i + 1];
	}
	f->c.nopts = i;
}

static void test_parse(void)
{
	static const struct {
		const char *word;
		const char *kv[9];
		int code;          /* 0: parses */
		const char *msg;   /* a part of the message */
		const char *host;  /* c->ep when it parses */
		int port, local;
	} cases[] = {
		{ "http://127.0.0.1:8000/health", { NULL }, 0, NULL, "127.0.0.1", 8000, 1 },
		{ "https://db.internal/", { NULL }, 0, NULL, "db.internal", 443, 0 },
		{ "http://[::1]/", { NULL }, 0, NULL, "::1", 80, 1 },
		{ "http://localhost:3000/", { "status", "2xx,304", "body", "ok", "body~", "^o[k]$",
					      "json", ".a.b=1", NULL },
		  0, NULL, "localhost", 3000, 1 },
		{ "https://127.0.0.1:8443/", { "host", "app.test:8443", "header", "X-A:1",
					       "expect-header", "X-B", "method", "head", NULL },
		  0, NULL, "127.0.0.1", 8443, 1 },
		{ "http://h/", { "status", "abc", NULL },
		  EXIT_USAGE, "the-check: status='abc'", NULL, 0, 0 },
		{ "http://h/", { "body~", "(", NULL },
		  EXIT_USAGE, "the-check: body~=(: not a regular", NULL, 0, 0 },
		{ "http://h/", { "json", "status=ok", NULL },
		  EXIT_USAGE, "the-check: json='status=ok'", NULL, 0, 0 },
		{ "http://h/", { "header", "NoValue", NULL },
		  EXIT_USAGE, "the-check: header=", NULL, 0, 0 },
		{ "http://h/", { "expect-header", "Bad Name", NULL },
		  EXIT_USAGE, "expect-header=", NULL, 0, 0 },
		{ "http://h/", { "method", "G3T", NULL },
		  EXIT_USAGE, "the-check: method=G3T", NULL, 0, 0 },
		{ "http://h/", { "min-bytes", "-1", NULL },
		  EXIT_USAGE, "min-bytes=-1", NULL, 0, 0 },
		{ "http://h/", { "insecure", "maybe", NULL },
		  EXIT_USAGE, "insecure=maybe", NULL, 0, 0 },
		{ "http://h/", { "follow", "2", NULL }, EXIT_USAGE, "follow=2", NULL, 0, 0 },
		{ "http://h/", { "cacert", "", NULL }, EXIT_USAGE, "cacert= is empty", NULL, 0, 0 },
		{ "http://h/", { "host", "[::1", NULL }, EXIT_USAGE, "host=[::1", NULL, 0, 0 },
		{ "http://h/", { "host", "a", "header", "host:b", NULL },
		  EXIT_USAGE, "Host header once", NULL, 0, 0 },
		{ "http://h:0/", { NULL }, EXIT_USAGE, "the-check: port must be", NULL, 0, 0 },
		{ "http://h:65536/", { NULL }, EXIT_USAGE, "port must be", NULL, 0, 0 },
		{ "http://::1/", { NULL }, EXIT_USAGE, "brackets", NULL, 0, 0 },
		{ "http:///x", { NULL }, EXIT_USAGE, "no host", NULL, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake_check f;
		struct probe_err err = { 0 };
		int rc;

		fake_init(&f, cases[i].word, cases[i].kv);
		rc = check_http.parse(&f.c, &err);
		T_EXPECT((rc == 0) == (cases[i].code == 0), "%s: rc %d (%s)", cases[i].word, rc,
			 err.msg);
		if (rc == 0) {
			T_EXPECT(f.c.priv != NULL, "%s: no state", cases[i].word);
			T_STR(f.c.ep.host, cases[i].host);
			T_INT(f.c.ep.port, cases[i].port);
			T_INT(f.c.ep.local, cases[i].local);
		} else {
			T_INT(err.code, cases[i].code);
			T_EXPECT(strstr(err.msg, cases[i].msg) != NULL, "%s: \"%s\", want \"%s\"",
				 cases[i].word, err.msg, cases[i].msg);
			T_EXPECT(f.c.priv == NULL, "%s: state left behind", cases[i].word);
		}
		check_http.free(&f.c);
		T_EXPECT(f.c.priv == NULL, "%s: free leaves priv", cases[i].word);
	}
}

/* parse registers the URL password and credential header values. */
static void test_parse_secrets(void)
{
	static const char *const kv[] = {
		"header", "Authorization: Bearer TOKEN-abc-123", "header", "X-Api-Key:k3y-v4lue",
		"header", "X-Plain:visible-value", NULL,
	};
	struct fake_check f;
	struct probe_err err = { 0 };
	char out[512];

	fake_init(&f, "http://user:p%40ss-w0rd@127.0.0.1:9/", kv);
	T_EXPECT(check_http.parse(&f.c, &err) == 0, "parse: %s", err.msg);
	report_scrub(out, sizeof(out),
		     "a p%40ss-w0rd b p@ss-w0rd c TOKEN-abc-123 d k3y-v4lue e visible-value");
	T_STR(out, "a *** b *** c *** d *** e visible-value");
	check_http.free(&f.c);
	secret_clear();
}

/* Which hint an unexpected status gets. */
static void test_status_hints(void)
{
	static const struct {
		long code;
		enum hint_id hint;
	} cases[] = {
	    {400, HINT_HTTP_400},	  {401, HINT_HTTP_401},	     {403, HINT_HTTP_403},
	    {404, HINT_HTTP_404_ROUTE}, {429, HINT_HTTP_429},	     {500, HINT_HTTP_5XX},
	    {501, HINT_HTTP_5XX},	  {502, HINT_HTTP_GATEWAY}, {503, HINT_HTTP_503},
	    {504, HINT_HTTP_GATEWAY},	  {599, HINT_HTTP_5XX},	     {302, HINT_HTTP_REDIRECT},
	    {405, HINT_NONE},		  {418, HINT_NONE},	     {200, HINT_NONE},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT(http_status_hint(cases[i].code) == cases[i].hint, "status %ld: hint %d",
			 cases[i].code, (int)http_status_hint(cases[i].code));
}

int main(void)
{
	test_status();
	test_status_hints();
	test_url();
	test_url_with_host();
	test_url_libcurl_agrees();
	test_header_opts();
	test_secret_headers();
	test_header_lines();
	test_body();
	test_json_expect();
	test_parse();
	test_parse_secrets();
	return t_done("test_http");
}
