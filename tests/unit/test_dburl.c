/*
 * test_dburl.c - SQLAlchemy-style and redis URLs as applications hold them.
 */
#include "lib/dburl.h"
#include "t.h"

static void test_good(void)
{
	static const struct {
		const char *url, *scheme, *driver, *user, *password, *host;
		int port;
		const char *database, *pkey, *pval;
	} cases[] = {
		{ "postgresql+asyncpg://u:p@db:5432/app?sslmode=require", "postgresql", "asyncpg",
		  "u", "p", "db", 5432, "app", "sslmode", "require" },
		{ "postgres://app@127.0.0.1/app", "postgres", "", "app", "", "127.0.0.1", 0, "app",
		  NULL, NULL },
		{ "mysql+aiomysql://a%40b:p%3Aw%2F@[::1]:3307/shop", "mysql", "aiomysql", "a@b",
		  "p:w/", "::1", 3307, "shop", NULL, NULL },
		{ "mysql+pymysql://u:pw@localhost/app?unix_socket=/run/mysqld/mysqld.sock", "mysql",
		  "pymysql", "u", "pw", "localhost", 0, "app", "unix_socket",
		  "/run/mysqld/mysqld.sock" },
		{ "postgresql://u:pw@/app?host=/var/run/postgresql", "postgresql", "", "u", "pw", "",
		  0, "app", "host", "/var/run/postgresql" },
		{ "redis://:p@cache:6379/2", "redis", "", "", "p", "cache", 6379, "2", NULL, NULL },
		{ "rediss://default:s%20p@cache", "rediss", "", "default", "s p", "cache", 0, "",
		  NULL, NULL },
		{ "sqlite+aiosqlite:///./data/app.db", "sqlite", "aiosqlite", "", "", "", 0,
		  "./data/app.db", NULL, NULL },
		{ "sqlite:////var/lib/app.db?mode=ro", "sqlite", "", "", "", "", 0, "/var/lib/app.db",
		  "mode", "ro" },
		{ "sqlite://", "sqlite", "", "", "", "", 0, "", NULL, NULL },
		{ "postgresql://u:p@w@d@h:1/x", "postgresql", "", "u", "p@w@d", "h", 1, "x", NULL,
		  NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_err err = { 0 };
		struct dburl u;

		T_EXPECT(dburl_parse(cases[i].url, &u, &err) == 0, "%s: %s", cases[i].url,
			 err.msg);
		T_STR(u.scheme, cases[i].scheme);
		T_STR(u.driver, cases[i].driver);
		T_STR(u.user, cases[i].user);
		T_STR(u.password, cases[i].password);
		T_STR(u.host, cases[i].host);
		T_INT(u.port, cases[i].port);
		T_STR(u.database, cases[i].database);
		if (cases[i].pkey) {
			const char *v = dburl_param(&u, cases[i].pkey);

			T_EXPECT(v != NULL, "%s: no %s", cases[i].url, cases[i].pkey);
			if (v)
				T_STR(v, cases[i].pval);
		}
	}
}

static void test_bad(void)
{
	static const struct {
		const char *url, *msg;
	} cases[] = {
		{ "postgresql:/nope", "scheme://" },
		{ "postgresql://u:p@h:0/x", "port" },
		{ "postgresql://u:p@h:70000/x", "port" },
		{ "postgresql://u:p@h:12ab/x", "port" },
		{ "postgresql://u:p@h:/x", "without a port" },
		{ "postgresql://u:p%zz@h/x", "password" },
		{ "mysql://u@[::1/x", "']'" },
		{ "mysql://u@::1:3306/x", "brackets" },
		{ "sqlite://relative.db", "sqlite:///" },
		{ "://x", "scheme" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_err err = { 0 };
		struct dburl u;

		T_EXPECT(dburl_parse(cases[i].url, &u, &err) < 0, "%s parsed", cases[i].url);
		T_INT(err.code, EXIT_USAGE);
		T_EXPECT(strstr(err.msg, cases[i].msg) != NULL, "%s: \"%s\" lacks \"%s\"",
			 cases[i].url, err.msg, cases[i].msg);
		T_EXPECT(strstr(err.msg, "p%zz") == NULL, "%s", err.msg);
	}
}

int main(void)
{
	test_good();
	test_bad();
	return t_done("test_dburl");
}
