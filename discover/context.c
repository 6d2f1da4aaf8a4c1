/*
 * context.c - the helpers of discovery's steps (context.h): the plan,
 * the environment, the working folder, and which ports are not HTTP.
 */
#include "discover/context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/url.h"
#include "probe/check.h"

/* Ports that don't speak HTTP: a listener on one gets no http check.
 * Besides these, the usual port of each kind with a server of its own
 * (check_kind.defport: PostgreSQL, MySQL, Redis). */
static const struct {
	int port;
	const char *what;
} disc_services[] = {
    {22, "SSH"},    {25, "SMTP"},	  {53, "DNS"},
    {5672, "AMQP"}, {11211, "memcached"}, {27017, "MongoDB"},
};

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

void disc_path(const struct disc *d, const char *rel, char *buf, size_t n)
{
	const char *cwd = d->src->cwd ? d->src->cwd : ".";

	snprintf(buf, n, "%s/%s", cwd, rel);
}

int disc_stat(const struct disc *d, const char *rel)
{
	char path[4096];
	struct stat st;

	disc_path(d, rel, path, sizeof(path));
	if (stat(path, &st) < 0)
		return 0;
	return S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : 0;
}

const char *disc_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int disc_port_parse(const char *s)
{
	return url_port(s);
}

const char *disc_not_http(const struct disc *d, int port, char *buf, size_t n)
{
	const struct check_kind *k = registry_find_port(port);
	size_t i;

	if (k && k->title) {
		snprintf(buf, n, "%s's usual port", k->title);
		return buf;
	}
	for (i = 0; i < sizeof(disc_services) / sizeof(disc_services[0]); i++) {
		if (disc_services[i].port == port) {
			snprintf(buf, n, "%s's usual port", disc_services[i].what);
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


int disc_is_sql(const char *scheme)
{
	const struct check_kind *k = registry_find(scheme);

	return k && k->sql;
}
