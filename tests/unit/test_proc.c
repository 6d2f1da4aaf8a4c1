/*
 * test_proc.c - which processes go by a name (proc_match).
 */
#include "checks/sys/proc.h"
#include "t.h"

/* argv as /proc/PID/cmdline holds it: NUL-separated, sizeof - 1 bytes. */
#define ARGV(s) s, sizeof(s) - 1

static void test_match(void)
{
	static const struct {
		const char *name, *comm;
		const char *cmdline;
		size_t len;
		int match;
	} cases[] = {
		/* comm, with and without the kernel's newline */
		{ "nginx", "nginx\n", ARGV("nginx: master process /usr/sbin/nginx\0"), 1 },
		{ "sleep", "sleep", ARGV("sleep\0" "30\0"), 1 },
		{ "sleep", "sleepy\n", ARGV("/bin/sleepy\0"), 0 },
		/* comm is cut to 15 bytes: the name is cut the same way */
		{ "probetestwatcher", "probetestwatche\n", ARGV("/x/y\0"), 1 },
		{ "probetestwatche", "probetestwatche\n", ARGV("/x/y\0"), 1 },
		{ "probetestwatch", "probetestwatche\n", ARGV("/x/y\0"), 0 },
		/* argv[0] by basename (exec -a, a symlink, a wrapper) */
		{ "probetestwatch", "sleep\n", ARGV("probetestwatch\0" "30\0"), 1 },
		{ "uvicorn", "uvicorn\n", ARGV("/venv/bin/uvicorn\0app:app\0"), 1 },
		{ "gunicorn", "python3\n", ARGV("/usr/local/bin/gunicorn\0-w\0" "4\0"), 1 },
		{ "bin", "x\n", ARGV("/usr/local/bin/gunicorn\0"), 0 },
		/* setproctitle titles */
		{ "gunicorn", "gunicorn: maste\n", ARGV("gunicorn: master [app:app]\0"), 1 },
		{ "gunicorn", "gunicorn: worke\n", ARGV("gunicorn: worker [app:app]\0"), 1 },
		{ "nginx", "x\n", ARGV("nginx: worker process\0\0\0"), 1 },
		{ "master", "x\n", ARGV("gunicorn: master [app:app]\0"), 0 },
		/* interpreters and their scripts */
		{ "uvicorn", "python3\n", ARGV("python3\0/usr/bin/uvicorn\0main:app\0"), 1 },
		{ "uvicorn", "python3.12\n", ARGV("/usr/bin/python3.12\0/venv/bin/uvicorn\0"), 1 },
		{ "next", "node\n", ARGV("node\0/app/node_modules/.bin/next\0start\0"), 1 },
		{ "next", "node\n", ARGV("node\0/app/node_modules/next/dist/bin/next\0dev\0"), 1 },
		{ "worker", "python\n", ARGV("python\0worker.py\0"), 1 },
		{ "worker.py", "python\n", ARGV("python\0worker.py\0"), 1 },
		{ "server", "node\n", ARGV("node\0--enable-source-maps\0server.js\0"), 1 },
		{ "app", "python3\n", ARGV("python3\0-u\0app.py\0"), 1 },
		{ "entrypoint", "bash\n", ARGV("/bin/bash\0/entrypoint.sh\0"), 1 },
		{ "celery", "python\n", ARGV("python\0-m\0celery\0-A\0proj\0worker\0"), 1 },
		{ "uvicorn", "python\n", ARGV("python\0-muvicorn\0app:app\0"), 1 },
		{ "uvicorn", "python\n", ARGV("python\0-m\0uvicorn.main\0"), 1 },
		{ "main", "python\n", ARGV("python\0-m\0uvicorn.main\0"), 0 },
		{ "proj", "python\n", ARGV("python\0-m\0celery\0-A\0proj\0"), 0 },
		/* inline code has no script; only the first script counts */
		{ "uvicorn", "sh\n", ARGV("sh\0-c\0exec uvicorn app:app\0"), 0 },
		{ "uvicorn", "node\n", ARGV("node\0-e\0require('uvicorn')\0"), 0 },
		{ "start", "node\n", ARGV("node\0/app/node_modules/.bin/next\0start\0"), 0 },
		/* options that take a value, and combined short options */
		{ "entrypoint", "bash\n", ARGV("bash\0-e\0/entrypoint.sh\0"), 1 },
		{ "run", "sh\n", ARGV("/bin/sh\0-eu\0./run.sh\0"), 1 },
		{ "run", "sh\n", ARGV("/bin/sh\0-o\0pipefail\0run.sh\0"), 1 },
		{ "pipefail", "sh\n", ARGV("/bin/sh\0-o\0pipefail\0run.sh\0"), 0 },
		{ "uvicorn", "sh\n", ARGV("sh\0-ec\0uvicorn app:app\0"), 0 },
		{ "uvicorn", "bash\n", ARGV("bash\0-lc\0uvicorn\0"), 0 },
		{ "app", "python\n", ARGV("python\0-W\0ignore\0app.py\0"), 1 },
		{ "ignore", "python\n", ARGV("python\0-W\0ignore\0app.py\0"), 0 },
		{ "app", "python\n", ARGV("python\0-Wignore\0app.py\0"), 1 },
		{ "app", "python\n", ARGV("python\0-X\0importtime\0app.py\0"), 1 },
		{ "x", "python\n", ARGV("python\0-uc\0import x\0"), 0 },
		{ "celery", "python\n", ARGV("python\0-OOm\0celery\0"), 1 },
		{ "server", "node\n", ARGV("node\0-r\0dotenv/config\0server.js\0"), 1 },
		{ "config", "node\n", ARGV("node\0-r\0dotenv/config\0server.js\0"), 0 },
		{ "server", "node\n", ARGV("node\0--require\0./t.js\0server.mjs\0"), 1 },
		{ "server", "node\n", ARGV("node\0--\0server.js\0"), 1 },
		{ "x", "node\n", ARGV("node\0-p\0x\0"), 0 },
		{ "x", "perl\n", ARGV("perl\0-ne\0x\0"), 0 },
		{ "x", "perl\n", ARGV("perl\0-w\0x.pl\0"), 1 },
		{ "x", "ruby\n", ARGV("ruby\0-e\0x\0"), 0 },
		/* an option is no script; not an interpreter: argv[1] does not count */
		{ "reload", "python3\n", ARGV("python3\0--reload\0"), 0 },
		{ "uvicorn", "tini\n", ARGV("tini\0--\0uvicorn\0"), 0 },
		{ "python3", "python3\n", ARGV("python3\0/usr/bin/uvicorn\0"), 1 },
		/* no NUL at the end (a truncated read) */
		{ "uvicorn", "python3\n", "python3\0/usr/bin/uvicorn", 24, 1 },
		/* kernel threads and zombies: empty cmdline, matched by comm only */
		{ "kworker", "kworker/0:1\n", "", 0, 0 },
		{ "", "x\n", ARGV("x\0"), 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT(proc_match(cases[i].name, cases[i].comm, cases[i].cmdline,
				    cases[i].len) == cases[i].match,
			 "case %zu: %s", i, cases[i].name);
}

int main(void)
{
	test_match();
	return t_done("test_proc");
}
