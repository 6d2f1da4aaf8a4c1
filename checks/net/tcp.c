/*
 * tcp.c - tcp://HOST:PORT: a TCP connect succeeds within the deadline.
 * Non-blocking connect to each resolved address in turn, poll, SO_ERROR
 * (as OpenBSD nc does).
 */
#include <errno.h>
#include <string.h>

#include "probe/check.h"
#include "checks/net/net.h"

static const char *const tcp_names[] = { "tcp", NULL };
static const char *const tcp_keys[] = { NULL };

static int tcp_parse(struct check *c, struct probe_err *err)
{
	const char *s = c->rest;

	if (strncmp(s, "//", 2) == 0)
		s += 2;
	if (endpoint_parse(s, &c->ep, 1, err) < 0)
		return probe_err_prefix(err, EXIT_USAGE, "%s", c->name);
	if (!c->ep.host[0])
		return probe_err_set(err, EXIT_USAGE, "%s: a host is required (tcp://HOST:PORT)",
				     c->name);
	return 0;
}

static void tcp_run(const struct check *c, const struct deadline *dl,
		    struct check_result *res)
{
	struct net_error ne;
	int fd = net_connect(c->ep.host, c->ep.port, dl, &ne);

	if (fd < 0) {
		net_fail(res, &ne, c->ep.host, c->ep.port);
		return;
	}
	net_close(fd);
	detail_str(res, "address", ne.addr);
	result_pass(res);
}

/* A failed connect makes every later check on the same host and port
 * pointless. */
static int tcp_covers(const struct check *pre, const struct check *dep)
{
	return dep->ep.port == pre->ep.port && strcmp(dep->ep.host, pre->ep.host) == 0;
}

/* Without a name lookup, net_connect keeps to the deadline. */
static int tcp_bounded(const struct check *c)
{
	return net_is_literal(c->ep.host);
}

const struct check_kind check_tcp = {
	.names = tcp_names,
	.keys = tcp_keys,
	.layer = LAYER_SOCKET,
	.level = LEVEL_LIVE,
	.help = "tcp://HOST:PORT           a TCP connect succeeds",
	.causes = net_causes,
	.parse = tcp_parse,
	.run = tcp_run,
	.covers = tcp_covers,
	.bounded = tcp_bounded,
};
