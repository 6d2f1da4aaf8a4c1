/*
 * listen.c - listen://[ADDR]:PORT: a TCP socket of this network namespace
 * listens on PORT (and, with ADDR, accepts connections to ADDR), asked of
 * the kernel (netlink sock_diag, else /proc/net/tcp and tcp6: procnet.h)
 * rather than by connecting, so it sees every bound address and needs no
 * answer from the app.
 *
 * Loopback-only binding is the classic "works in the container, not from
 * outside" bug: it passes with a warning, or fails with public=yes.
 * 0.0.0.0, :: and any non-loopback address count as public.  A :: socket
 * takes IPv4 too unless IPV6_V6ONLY, which netlink shows and /proc does
 * not (there it counts as taking IPv4).  detail.bound lists every address
 * bound to PORT as inet_ntop prints it: an IPv4-mapped address stays
 * "::ffff:127.0.0.1" (it is an IPv6 socket) and counts as loopback.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "probe/check.h"
#include "checks/net/listen.h"
#include "checks/net/procnet.h"

#define LISTEN_BOUND_MAX 16  /* addresses kept for detail.bound */
#define LISTEN_OTHERS_MAX 16 /* ports kept for detail.listening */

static const char *const listen_names[] = { "listen", NULL };
static const char *const listen_keys[] = { "public", NULL };

struct listen_priv {
	int want_public;
	int nwant;                 /* 0: any address */
	int family[2];             /* localhost wants 127.0.0.1 or ::1 */
	unsigned char want[2][16];
	int want_loopback;         /* ADDR is a loopback address */
};

static int listen_parse(struct check *c, struct probe_err *err)
{
	struct listen_priv *p;
	const char *s = c->rest;
	const char *host;

	if (strncmp(s, "//", 2) == 0)
		s += 2;
	if (*s && strspn(s, "0123456789") == strlen(s))
		return probe_err_set(err, EXIT_USAGE,
				     "%s: write the port after a colon: listen://:%s", c->name, s);
	if (endpoint_parse(s, &c->ep, 1, err) < 0)
		return probe_err_prefix(err, EXIT_USAGE, "%s", c->name);
	p = calloc(1, sizeof(*p));
	if (!p)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = p;
	host = c->ep.host;
	if (strcasecmp(host, "localhost") == 0) {
		p->nwant = 2;
		p->family[0] = AF_INET;
		inet_pton(AF_INET, "127.0.0.1", p->want[0]);
		p->family[1] = AF_INET6;
		inet_pton(AF_INET6, "::1", p->want[1]);
		p->want_loopback = 1;
	} else if (*host) {
		struct procnet_entry e = { 0 };

		if (inet_pton(AF_INET, host, e.addr) == 1)
			e.family = AF_INET;
		else if (inet_pton(AF_INET6, host, e.addr) == 1)
			e.family = AF_INET6;
		else
			return probe_err_set(err, EXIT_USAGE,
					     "%s: the address must be numeric, like "
					     "listen://127.0.0.1:8000 or listen://[::1]:8000",
					     c->name);
		p->nwant = 1;
		p->family[0] = e.family;
		memcpy(p->want[0], e.addr, sizeof(e.addr));
		p->want_loopback = procnet_is_loopback(&e);
	}
	/* The runner pairs this check with http://127.0.0.1:PORT/ and the
	 * like through ep: whatever ADDR, the socket is in this container. */
	c->ep.local = 1;
	if (check_opt_bool(c, "public", 0, &p->want_public, err) < 0)
		return -1;
	if (p->want_public && p->want_loopback)
		return probe_err_set(err, EXIT_USAGE,
				     "%s: public=yes asks for an address reachable from outside, "
				     "but %s is loopback",
				     c->name, host);
	return 0;
}

/* What one scan of the listening sockets found about PORT. */
struct listen_scan {
	const struct listen_priv *p;
	int port;
	int on_port;        /* sockets listening on port, any address */
	int matched;        /* of those, ones that accept connections to ADDR */
	int non_loopback;   /* of those, ones not bound to loopback */
	char bound[LISTEN_BOUND_MAX][INET6_ADDRSTRLEN];
	size_t nbound;
	unsigned char others[65536 / 8]; /* other listening ports */
};

static int listen_visit(const struct procnet_entry *e, void *ctx)
{
	struct listen_scan *s = ctx;
	char addr[INET6_ADDRSTRLEN];
	int i, match;
	size_t j;

	if (e->port != s->port) {
		s->others[e->port >> 3] |= (unsigned char)(1u << (e->port & 7));
		return 0;
	}
	s->on_port++;
	if (!procnet_is_loopback(e))
		s->non_loopback++;
	match = s->p->nwant == 0;
	for (i = 0; i < s->p->nwant && !match; i++)
		match = procnet_covers(e, s->p->family[i], s->p->want[i]);
	s->matched += match;
	procnet_addr_str(e, addr, sizeof(addr));
	for (j = 0; j < s->nbound; j++)
		if (strcmp(s->bound[j], addr) == 0)
			return 0;
	if (s->nbound < LISTEN_BOUND_MAX)
		snprintf(s->bound[s->nbound++], sizeof(s->bound[0]), "%s", addr);
	return 0;
}

/* Joins the bound addresses as "a, b" into buf. */
static void listen_join_bound(const struct listen_scan *s, char *buf, size_t n)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nbound && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
					 s->bound[i]);
}

/* Reports the port nobody listens on, with the ports that are open. */
static void listen_nothing(const struct check *c, const struct listen_scan *s,
			   struct check_result *res)
{
	const char *env_port = getenv("PORT");
	char list[128], num[8], *stop = NULL;
	size_t used = 0, count = 0;
	int port;

	list[0] = '\0';
	detail_list_begin(res, "listening");
	for (port = 1; port < 65536 && count < LISTEN_OTHERS_MAX; port++) {
		if (!(s->others[port >> 3] & (1u << (port & 7))))
			continue;
		snprintf(num, sizeof(num), "%d", port);
		detail_list_add(res, num);
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 count ? ", " : "", num);
		count++;
	}
	/* The platform told the app its port in $PORT and the app listens
	 * elsewhere: the fix is in the app's start command. */
	if (env_port && strtol(env_port, &stop, 10) == c->ep.port && !*stop && count > 0)
		result_fail(res, HINT_PORT_IGNORED, "nothing listens on $PORT=%d; listening: %s",
			    c->ep.port, list);
	else
		result_fail(res, HINT_NOT_LISTENING, "nothing listens on port %d", c->ep.port);
}

static void listen_run(const struct check *c, const struct deadline *dl,
		       struct check_result *res)
{
	const struct listen_priv *p = c->priv;
	const char *dir = procnet_dir();
	struct listen_scan *s;
	char bound[256];
	size_t i;

	(void)dl; /* reading two kernel files */
	s = calloc(1, sizeof(*s));
	if (!s) {
		result_fail(res, HINT_NONE, "out of memory");
		return;
	}
	s->p = p;
	s->port = c->ep.port;
	if (procnet_scan(dir, listen_visit, s) < 0) {
		result_fail(res, HINT_NONE, "cannot read %s/tcp: %s", dir, strerror(errno));
		goto out;
	}
	if (s->on_port == 0) {
		listen_nothing(c, s, res);
		goto out;
	}
	detail_list_begin(res, "bound");
	for (i = 0; i < s->nbound; i++)
		detail_list_add(res, s->bound[i]);
	listen_join_bound(s, bound, sizeof(bound));
	if (!s->matched) {
		/* Loopback only while a public ADDR is asked: the classic bug. */
		result_fail(res, !s->non_loopback && !p->want_loopback ? HINT_BIND_ALL
								       : HINT_BIND_OTHER,
			    "port %d listens on %s, not on %s", c->ep.port, bound, c->ep.host);
		goto out;
	}
	if (p->nwant == 0 && s->non_loopback == 0) {
		if (p->want_public) {
			result_fail(res, HINT_BIND_ALL,
				    "bound to loopback only (%s): unreachable from outside the "
				    "container",
				    bound);
			goto out;
		}
		result_warn(res, "bound to loopback only: unreachable from outside the "
				 "container; bind 0.0.0.0");
	}
	result_pass(res);
out:
	free(s);
}

/* Nothing listening on the port makes every check that connects to it
 * here pointless.  Only that failure carries detail.listening: a port open
 * on another address (127.0.0.1 while public=yes asks for more) still
 * answers such a check, and an unreadable /proc/net proves nothing. */
static int listen_may_cover(const struct check *pre, const struct check *dep)
{
	return dep->ep.local && dep->ep.port == pre->ep.port;
}

static int listen_covers(const struct check *pre, const struct check *dep)
{
	size_t i;

	if (!listen_may_cover(pre, dep))
		return 0;
	for (i = 0; i < pre->res.nitems; i++)
		if (strcmp(pre->res.items[i].key, "listening") == 0)
			return 1;
	return 0;
}

static void listen_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct check_kind check_listen = {
	.names = listen_names,
	.keys = listen_keys,
	.layer = LAYER_SOCKET,
	.level = LEVEL_LIVE,
	.help = "listen://[ADDR]:PORT [live]  something listens (asked of the kernel);\n"
		"public=yes fails when bound to loopback only",
	.parse = listen_parse,
	.run = listen_run,
	.free = listen_free,
	.covers = listen_covers,
	.may_cover = listen_may_cover,
	.discover = listen_discover,
};
