/*
 * listen_discover.c - the listen kind's part of auto-discovery: a
 * listen:// check for $PORT (public=yes: the platform sends traffic
 * there) and for each listening TCP port of this network namespace, at
 * most DISCOVER_MAX_PORTS, lowest first.  The ports it writes a check for
 * become facts (d->ports) for the http kind's step, with the host an
 * http check reaches each at and why a port gets none.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checks/net/listen.h"
#include "checks/net/procnet.h"
#include "discover/context.h"

#define LISTEN_PORTS_SEEN 64 /* distinct listening ports remembered */

/* One listening port and whether loopback reaches it. */
struct seen_port {
	int port;
	int lo4, lo6;		    /* 127.0.0.1 / ::1 connect to it */
	struct procnet_entry first; /* the first socket seen on it */
};

struct seen_ports {
	struct seen_port v[LISTEN_PORTS_SEEN];
	size_t n;
	int more; /* ports beyond LISTEN_PORTS_SEEN were dropped */
};

static int seen_cmp(const void *a, const void *b)
{
	return ((const struct seen_port *)a)->port - ((const struct seen_port *)b)->port;
}

static int seen_add(const struct procnet_entry *e, void *ctx)
{
	static const unsigned char lo4[4] = {127, 0, 0, 1};
	static const unsigned char lo6[16] = {[15] = 1};
	struct seen_ports *ps = ctx;
	struct seen_port *p = NULL;
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].port == e->port)
			p = &ps->v[i];
	if (!p) {
		if (ps->n == LISTEN_PORTS_SEEN) {
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

static const struct seen_port *seen_find(const struct seen_ports *ps, int port)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].port == port)
			return &ps->v[i];
	return NULL;
}

/* Where a listener came from, for reasons: "the kernel's IPv6 sockets",
 * or "/proc/net/tcp6" when probe reads the files only. */
static void seen_source(const struct disc *d, const struct seen_port *p, char *buf, size_t n)
{
	const char *dir = d->src->procnet_dir ? d->src->procnet_dir : procnet_dir();
	int v6 = p->first.family == AF_INET6;

	if (procnet_from_files(dir))
		snprintf(buf, n, "%s/%s", dir, v6 ? "tcp6" : "tcp");
	else
		snprintf(buf, n, "the kernel's %s sockets", v6 ? "IPv6" : "IPv4");
}

/* The host an http check reaches port p at: loopback when it can (an
 * IPv6 address without brackets: url_hostport adds them). */
static void seen_host(const struct seen_port *p, char *buf, size_t n)
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

/* listen://:${PORT} public=yes, and why. */
static int listen_discover_want(struct disc *d, const struct seen_ports *ps, int want)
{
	const struct seen_port *p = seen_find(ps, want);
	const char *listen[] = {"listen://:${PORT}", "public=yes", NULL};
	char why[512];

	if (p) {
		char src[300];

		seen_source(d, p, src, sizeof(src));
		snprintf(why, sizeof(why),
			 "$PORT=%d and port %d listens (from %s): the platform sends "
			 "traffic there, so it must be bound to a public address",
			 want, want, src);
	} else {
		size_t off, i;

		off = (size_t)snprintf(why, sizeof(why), "$PORT=%d but nothing listens on it",
				       want);
		for (i = 0; i < ps->n && off < sizeof(why); i++)
			off += (size_t)snprintf(why + off, sizeof(why) - off, "%s%d",
						i ? ", " : " (listening: ", ps->v[i].port);
		if (off < sizeof(why))
			snprintf(why + off, sizeof(why) - off, "%s%s", ps->n ? ")" : "",
				 ": the platform sends traffic to $PORT");
	}
	return disc_add(d, why, listen);
}

int listen_discover(struct disc *d)
{
	const char *dir = d->src->procnet_dir ? d->src->procnet_dir : procnet_dir();
	struct seen_ports *ps = calloc(1, sizeof(*ps));
	int want = disc_port_parse(disc_env("PORT"));
	char why[512], src[300], word[128], nh[128];
	size_t i;
	int rc = -1;

	if (!ps)
		return probe_err_set(d->err, EXIT_CONFIG, "out of memory");
	if (procnet_scan(dir, seen_add, ps) < 0)
		ps->n = 0; /* neither netlink nor /proc/net/tcp: none to report */
	qsort(ps->v, ps->n, sizeof(ps->v[0]), seen_cmp);
	if (want && listen_discover_want(d, ps, want) < 0)
		goto out;
	for (i = 0; i < ps->n && d->nports < DISCOVER_MAX_PORTS; i++) {
		const struct seen_port *p = &ps->v[i];
		struct disc_port *dp = &d->ports[d->nports];
		const char *listen[] = {word, NULL};
		const char *not_http;

		if (p->port == want)
			continue;
		seen_source(d, p, src, sizeof(src));
		snprintf(word, sizeof(word), "listen://:%d", p->port);
		not_http = disc_not_http(d, p->port, nh, sizeof(nh));
		snprintf(why, sizeof(why), "port %d listens (from %s)%s%s%s", p->port, src,
			 not_http ? "; " : "", not_http ? not_http : "",
			 not_http ? ", so no http check" : "");
		if (disc_add(d, why, listen) < 0)
			goto out;
		memset(dp, 0, sizeof(*dp));
		dp->port = p->port;
		seen_host(p, dp->host, sizeof(dp->host));
		snprintf(dp->not_http, sizeof(dp->not_http), "%s", not_http ? not_http : "");
		d->nports++;
	}
	rc = 0;
out:
	free(ps);
	return rc;
}
