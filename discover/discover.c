/*
 * discover.c - auto-discovery: the plan `probe` runs when no check is
 * named, and `probe --plan` prints.  What it finds, in this order:
 *
 *   $PORT          listen://:${PORT} public=yes, http://127.0.0.1:${PORT}/
 *                  status=200-499 (a 404 on / still proves a live app)
 *   listeners      listen://:P for each listening TCP port (at most
 *                  DISCOVER_MAX_PORTS, lowest first), and an http check
 *                  unless P is a database's or another non-HTTP service's
 *                  usual port, or the port of a database URL found below
 *   database URLs  @VAR for $DATABASE_URL and its kin; a URL of ${VAR}
 *                  references for libpq's PG*, POSTGRES_* and MYSQL_*
 *   alembic        alembic:. (alembic.ini) or alembic:migrations (env.py)
 *   frontend       frontend:. kind=next|reflex|vite (.next/, .web/,
 *                  dist/index.html)
 *   dev watchers   proc:NAME max=1 (next dev, uvicorn --reload, ...)
 *   mem:           when a cgroup memory limit is set
 *
 * Values of variables are read (to judge a scheme, to find a database's
 * port, to prove a ${VAR} URL reads back as the variables say) but never
 * copied into a word or a reason.
 */
#include "discover/discover_priv.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/check.h"
#include "lib/dburl.h"
#include "lib/fileio.h"
#include "lib/url.h"
#include "checks/sys/mem.h"
#include "checks/sys/proc.h"
#include "checks/net/procnet.h"
#include "checks/sys/resource.h"

/* Ports that don't speak HTTP: a listener on one gets no http check. */
static const struct {
	int port;
	const char *what;
} disc_not_http[] = {
    {22, "SSH"},    {25, "SMTP"},    {53, "DNS"},	   {3306, "MySQL"},    {5432, "PostgreSQL"},
    {5672, "AMQP"}, {6379, "Redis"}, {11211, "memcached"}, {27017, "MongoDB"},
};

/* ------------------------------------------------------------- words */

/* Appends one check: its words (NULL-terminated) and its reason. */
int disc_add(struct disc *d, const char *why, const char *const *words)
{
	size_t i;

	for (i = 0; words[i]; i++)
		if (wordlist_add(d->out, words[i]) < 0)
			return probe_err_set(d->err, EXIT_CONFIG, "out of memory");
	if (wordlist_add(d->why, why) < 0)
		return probe_err_set(d->err, EXIT_CONFIG, "out of memory");
	return 0;
}

/* src->cwd joined with rel. */
static void disc_path(const struct disc *d, const char *rel, char *buf, size_t n)
{
	const char *cwd = d->src->cwd ? d->src->cwd : ".";

	snprintf(buf, n, "%s/%s", cwd, rel);
}

/* 'd' for a folder, 'f' for a regular file, 0 otherwise. */
static int disc_stat(const struct disc *d, const char *rel)
{
	char path[4096];
	struct stat st;

	disc_path(d, rel, path, sizeof(path));
	if (stat(path, &st) < 0)
		return 0;
	return S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : 0;
}

/* A non-empty variable, or NULL. */
const char *disc_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* Parses a port number 1-65535 (digits only).  Returns it, or 0. */
int disc_port_parse(const char *s)
{
	return url_port(s);
}

/* ------------------------------------------------------------- ports */

static int disc_port_cmp(const void *a, const void *b)
{
	return ((const struct disc_port *)a)->port - ((const struct disc_port *)b)->port;
}

static int disc_port_seen(const struct procnet_entry *e, void *ctx)
{
	static const unsigned char lo4[4] = {127, 0, 0, 1};
	static const unsigned char lo6[16] = {[15] = 1};
	struct disc_ports *ps = ctx;
	struct disc_port *p = NULL;
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].port == e->port)
			p = &ps->v[i];
	if (!p) {
		if (ps->n == DISC_PORTS_SEEN) {
			ps->more = 1;
			return 0;
		}
		p = &ps->v[ps->n++];
		memset(p, 0, sizeof(*p));
		p->port = e->port;
		p->first = *e;
	}
	p->lo4 |= procnet_covers(e, AF_INET, lo4);
	p->lo6 |= procnet_covers(e, AF_INET6, lo6);
	return 0;
}

static const struct disc_port *disc_port_find(const struct disc_ports *ps, int port)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].port == port)
			return &ps->v[i];
	return NULL;
}

/* Where a listener came from, for reasons: "the kernel's IPv6 sockets",
 * or "/proc/net/tcp6" when probe reads the files only. */
static void disc_port_source(const struct disc *d, const struct disc_port *p, char *buf, size_t n)
{
	const char *dir = d->src->procnet_dir ? d->src->procnet_dir : procnet_dir();
	int v6 = p->first.family == AF_INET6;

	if (procnet_from_files(dir))
		snprintf(buf, n, "%s/%s", dir, v6 ? "tcp6" : "tcp");
	else
		snprintf(buf, n, "the kernel's %s sockets", v6 ? "IPv6" : "IPv4");
}

/* The host an http check reaches port p at: loopback when it can. */
static void disc_port_host(const struct disc_port *p, char *buf, size_t n)
{
	char addr[64];

	if (p->lo4) {
		snprintf(buf, n, "127.0.0.1");
		return;
	}
	if (p->lo6) {
		snprintf(buf, n, "::1");
		return;
	}
	procnet_addr_str(&p->first, addr, sizeof(addr));
	if (strncmp(addr, "::ffff:", 7) == 0 && strchr(addr, '.'))
		snprintf(buf, n, "%s", addr + 7);
	else
		snprintf(buf, n, "%s", addr);
}

/* Why port gets no http check ("PostgreSQL's usual port"), or NULL. */
static const char *disc_not_http_why(const struct disc *d, int port, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(disc_not_http) / sizeof(disc_not_http[0]); i++) {
		if (disc_not_http[i].port == port) {
			snprintf(buf, n, "%s's usual port", disc_not_http[i].what);
			return buf;
		}
	}
	for (i = 0; i < d->ndb; i++) {
		if (d->db[i].port == port) {
			snprintf(buf, n, "the port of %s", d->db[i].word);
			return buf;
		}
	}
	return NULL;
}

/* $PORT, then the other listeners. */
static int disc_ports(struct disc *d)
{
	const char *dir = d->src->procnet_dir ? d->src->procnet_dir : procnet_dir();
	struct disc_ports *ps = calloc(1, sizeof(*ps));
	int want = disc_port_parse(disc_env("PORT"));
	char why[512], src[300], word[128], host[80], hostport[96], nh[128];
	size_t i, shown = 0;
	int rc = -1;

	if (!ps)
		return probe_err_set(d->err, EXIT_CONFIG, "out of memory");
	if (procnet_scan(dir, disc_port_seen, ps) < 0)
		ps->n = 0; /* neither netlink nor /proc/net/tcp: none to report */
	qsort(ps->v, ps->n, sizeof(ps->v[0]), disc_port_cmp);

	if (want) {
		const struct disc_port *p = disc_port_find(ps, want);
		const char *listen[] = {"listen://:${PORT}", "public=yes", NULL};
		const char *http[] = {"http://127.0.0.1:${PORT}/", DISC_STATUS, NULL};

		if (p) {
			disc_port_source(d, p, src, sizeof(src));
			snprintf(why, sizeof(why),
				 "$PORT=%d and port %d listens (from %s): the platform sends "
				 "traffic there, so it must be bound to a public address",
				 want, want, src);
		} else {
			size_t off;

			off = (size_t)snprintf(why, sizeof(why),
					       "$PORT=%d but nothing listens on it", want);
			for (i = 0; i < ps->n && off < sizeof(why); i++)
				off += (size_t)snprintf(why + off, sizeof(why) - off, "%s%d",
							i ? ", " : " (listening: ", ps->v[i].port);
			if (off < sizeof(why))
				snprintf(why + off, sizeof(why) - off, "%s%s", ps->n ? ")" : "",
					 ": the platform sends traffic to $PORT");
		}
		if (disc_add(d, why, listen) < 0)
			goto out;
		snprintf(why, sizeof(why),
			 "$PORT=%d: the app should answer HTTP there; status=200-499 "
			 "because a 404 on / still proves a live app, a 5xx or silence does not",
			 want);
		if (disc_add(d, why, http) < 0)
			goto out;
	}
	for (i = 0; i < ps->n && shown < DISCOVER_MAX_PORTS; i++) {
		const struct disc_port *p = &ps->v[i];
		const char *listen[] = {word, NULL};
		const char *not_http;
		char url[128];
		const char *http[] = {url, DISC_STATUS, NULL};

		if (p->port == want)
			continue;
		shown++;
		disc_port_source(d, p, src, sizeof(src));
		snprintf(word, sizeof(word), "listen://:%d", p->port);
		not_http = disc_not_http_why(d, p->port, nh, sizeof(nh));
		snprintf(why, sizeof(why), "port %d listens (from %s)%s%s%s", p->port, src,
			 not_http ? "; " : "", not_http ? not_http : "",
			 not_http ? ", so no http check" : "");
		if (disc_add(d, why, listen) < 0)
			goto out;
		if (not_http)
			continue;
		disc_port_host(p, host, sizeof(host));
		url_hostport(hostport, sizeof(hostport), host, p->port);
		snprintf(url, sizeof(url), "http://%s/", hostport);
		snprintf(why, sizeof(why),
			 "port %d listens and is no database's usual port: an app should "
			 "answer HTTP there; status=200-499 because a 404 on / still proves "
			 "a live app",
			 p->port);
		if (disc_add(d, why, http) < 0)
			goto out;
	}
	rc = 0;
out:
	free(ps);
	return rc;
}

/* ---------------------------------------------------- working directory */

static int disc_alembic(struct disc *d)
{
	const char *dir = NULL, *why = NULL;
	char dbopt[DISC_WORD_MAX + 4], reason[512];
	const char *w[] = {NULL, NULL, NULL};
	size_t i;

	if (disc_stat(d, "alembic.ini") == 'f') {
		dir = "alembic:.";
		why = "alembic.ini in the working directory";
	} else if (disc_stat(d, "migrations/env.py") == 'f') {
		dir = "alembic:migrations";
		why = "migrations/env.py in the working directory";
	} else {
		return 0;
	}
	w[0] = dir;
	snprintf(reason, sizeof(reason), "%s: the database should be at the scripts' heads", why);
	/* alembic: falls back to $DATABASE_URL itself; a SQL URL found
	 * under another name is the next best guess. */
	if (!(disc_env("DATABASE_URL") && discover_url_known(getenv("DATABASE_URL"), NULL, 0))) {
		for (i = 0; i < d->ndb; i++) {
			if (disc_is_sql(d->db[i].scheme)) {
				snprintf(dbopt, sizeof(dbopt), "db=%s", d->db[i].word);
				w[1] = dbopt;
				snprintf(reason, sizeof(reason),
					 "%.120s: the database (%.200s) should be at the scripts' heads",
					 why, d->db[i].word);
				break;
			}
		}
	}
	return disc_add(d, reason, w);
}

static int disc_frontend(struct disc *d)
{
	static const struct {
		const char *marker;
		int type;
		const char *kind, *why;
	} marks[] = {
	    {".next", 'd', "kind=next", ".next/ in the working directory: a Next.js build"},
	    {".web", 'd', "kind=reflex", ".web/ in the working directory: a Reflex app"},
	    {"dist/index.html", 'f', "kind=vite",
	     "dist/index.html in the working directory: a Vite build"},
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (disc_stat(d, marks[i].marker) == marks[i].type) {
			const char *w[] = {"frontend:.", marks[i].kind, NULL};

			return disc_add(d, marks[i].why, w);
		}
	}
	return 0;
}

/* -------------------------------------------------------- dev watchers */

/* The dev watchers, in the order their checks are written. */
static const struct {
	const char *name;
	const char *shown; /* how the reason names it */
	int max;
} disc_watchers[] = {
    {"next", "next dev", 1},	       {"uvicorn", "uvicorn --reload", 1},
    {"flask", "flask run --debug", 2}, {"nodemon", "nodemon", 1},
    {"vite", "vite (dev server)", 1},  {"reflex", "reflex run", 1},
};

static int disc_has_arg(char *const *argv, size_t argc, const char *a)
{
	size_t i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], a) == 0)
			return 1;
	return 0;
}

/* reflex run --env prod (or --env=prod, production). */
static int disc_reflex_prod(char *const *argv, size_t argc)
{
	size_t i;

	for (i = 1; i < argc; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--env") == 0 && i + 1 < argc)
			v = argv[i + 1];
		else if (strncmp(argv[i], "--env=", 6) == 0)
			v = argv[i] + 6;
		if (v && (strcmp(v, "prod") == 0 || strcmp(v, "production") == 0))
			return 1;
	}
	return 0;
}

const char *discover_watcher(const char *comm, const char *cmdline, size_t len, int *max)
{
	char buf[DISC_CMDLINE_MAX + 1], *argv[DISC_ARGS_MAX];
	size_t argc = 0, i, start = 0;

	if (len == 0)
		return NULL;
	if (len > DISC_CMDLINE_MAX)
		len = DISC_CMDLINE_MAX;
	memcpy(buf, cmdline, len);
	buf[len] = '\0';
	for (i = 0; i <= len && argc < DISC_ARGS_MAX; i++) {
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
			if (i + 1 == len)
				break; /* the trailing NUL */
		}
	}
	for (i = 0; i < sizeof(disc_watchers) / sizeof(disc_watchers[0]); i++) {
		const char *name = disc_watchers[i].name;
		int dev;

		if (!proc_match(name, comm, cmdline, len))
			continue;
		if (strcmp(name, "next") == 0)
			dev = disc_has_arg(argv, argc, "dev");
		else if (strcmp(name, "uvicorn") == 0)
			dev = disc_has_arg(argv, argc, "--reload");
		else if (strcmp(name, "flask") == 0)
			dev = disc_has_arg(argv, argc, "run") &&
			      (disc_has_arg(argv, argc, "--debug") ||
			       disc_has_arg(argv, argc, "--reload"));
		else if (strcmp(name, "vite") == 0)
			dev = !disc_has_arg(argv, argc, "build") &&
			      !disc_has_arg(argv, argc, "preview") &&
			      !disc_has_arg(argv, argc, "optimize");
		else if (strcmp(name, "reflex") == 0)
			dev = disc_has_arg(argv, argc, "run") && !disc_reflex_prod(argv, argc);
		else
			dev = 1; /* nodemon is a watcher by trade */
		if (dev) {
			*max = disc_watchers[i].max;
			return name;
		}
	}
	return NULL;
}

static int disc_procs(struct disc *d)
{
	enum { NW = sizeof(disc_watchers) / sizeof(disc_watchers[0]) };
	const char *root = d->src->proc_root ? d->src->proc_root : "/proc";
	long count[NW] = {0}, first[NW] = {0}, self = (long)getpid();
	char path[4200], comm[64], why[256], word[64], maxw[16];
	size_t i, looked = 0;
	struct dirent *de;
	char *cmdline;
	DIR *dir;

	dir = opendir(root);
	if (!dir)
		return 0; /* no process table to read: nothing found */
	cmdline = malloc(DISC_CMDLINE_MAX);
	if (!cmdline) {
		closedir(dir);
		return probe_err_set(d->err, EXIT_CONFIG, "out of memory");
	}
	while ((de = readdir(dir)) != NULL && looked < DISCOVER_MAX_PIDS) {
		const char *name;
		ssize_t clen;
		char *stop;
		long pid;
		int max;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = strtol(de->d_name, &stop, 10);
		if (*stop || pid == self)
			continue;
		looked++;
		snprintf(path, sizeof(path), "%s/%ld/cmdline", root, pid);
		clen = file_read_small(path, cmdline, DISC_CMDLINE_MAX);
		if (clen <= 0)
			continue; /* gone, a kernel thread or a zombie */
		snprintf(path, sizeof(path), "%s/%ld/comm", root, pid);
		if (file_read_small(path, comm, sizeof(comm)) < 0)
			continue;
		name = discover_watcher(comm, cmdline, (size_t)clen, &max);
		for (i = 0; name && i < NW; i++) {
			if (strcmp(disc_watchers[i].name, name) == 0) {
				if (!count[i]++ || pid < first[i])
					first[i] = pid;
			}
		}
	}
	closedir(dir);
	free(cmdline);
	for (i = 0; i < NW; i++) {
		const char *w[] = {word, maxw, NULL};

		if (!count[i])
			continue;
		snprintf(word, sizeof(word), "proc:%s", disc_watchers[i].name);
		snprintf(maxw, sizeof(maxw), "max=%d", disc_watchers[i].max);
		if (count[i] > disc_watchers[i].max)
			snprintf(why, sizeof(why),
				 "a development watcher runs (%s, pid %ld) and %ld of them run "
				 "now: a duplicate fights the first over its port and files",
				 disc_watchers[i].shown, first[i], count[i]);
		else
			snprintf(why, sizeof(why),
				 "a development watcher runs (%s, pid %ld): %s catches a "
				 "duplicate, which fights the first over its port and files",
				 disc_watchers[i].shown, first[i], maxw);
		if (disc_add(d, why, w) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ memory */

/* MemTotal of /proc/meminfo in bytes, or 0 when unknown. */
static unsigned long long disc_mem_total(void)
{
	unsigned long long kib = 0;
	char buf[4096];
	const char *p;

	if (file_read_small("/proc/meminfo", buf, sizeof(buf)) < 0 ||
	    !(p = strstr(buf, "MemTotal:")))
		return 0;
	for (p += strlen("MemTotal:"); *p == ' '; p++)
		;
	while (isdigit((unsigned char)*p) && kib < (1ULL << 50))
		kib = kib * 10 + (unsigned)(*p++ - '0');
	return kib * 1024;
}

/* mem: when a cgroup memory limit is set, read as mem: itself reads it. */
static int disc_mem(struct disc *d)
{
	const char *root = d->src->cgroup_root;
	const char *w[] = {"mem:", NULL};
	char self[4096], why[768], limit[32];
	const char *self_cgroup = NULL;
	unsigned long long total = 0;
	struct mem_usage u;

	if (!root && (root = getenv("PROBE_CGROUP_ROOT")) && !*root)
		root = NULL;
	if (!root) {
		root = "/sys/fs/cgroup";
		if (file_read_small("/proc/self/cgroup", self, sizeof(self)) >= 0)
			self_cgroup = self;
		total = disc_mem_total();
	}
	if (mem_read(root, self_cgroup, total, &u, why, sizeof(why)) < 0 || !u.has_limit)
		return 0;
	resource_format_bytes(limit, sizeof(limit), u.limit);
	snprintf(why, sizeof(why),
		 "a cgroup memory limit of %s is set (%s): mem: fails above 90%% of it, "
		 "before the kernel's OOM killer acts",
		 limit, u.dir);
	return disc_add(d, why, w);
}

/* ------------------------------------------------------------- plan */

int discover_plan_from(const struct discover_src *src, struct wordlist *out, struct wordlist *why,
		       struct probe_err *err)
{
	static const struct discover_src defaults = {0};
	struct disc *d = calloc(1, sizeof(*d));
	int rc = -1;

	if (!d)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	d->src = src ? src : &defaults;
	d->out = out;
	d->why = why;
	d->err = err;
	/* Databases first, so that their ports get no http check. */
	disc_url_vars(d);
	disc_styles(d);
	if (disc_ports(d) < 0 || disc_dbs_emit(d) < 0 || disc_alembic(d) < 0 ||
	    disc_frontend(d) < 0 || disc_procs(d) < 0 || disc_mem(d) < 0)
		goto out;
	rc = 0;
out:
	free(d);
	return rc;
}

int discover_plan(struct wordlist *out, struct wordlist *why, struct probe_err *err)
{
	return discover_plan_from(NULL, out, why, err);
}
