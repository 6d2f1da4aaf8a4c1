/*
 * dns.c - dns:HOST: the name resolves, through the same getaddrinfo (and
 * so the same /etc/hosts, resolv.conf and search domains) the app uses.
 * getaddrinfo cannot be cancelled: a resolver that never answers is cut
 * off by the runner's deadline, not here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "probe/check.h"
#include "checks/net/net.h"

#define DNS_ADDRS_MAX 8 /* addresses kept for detail.addresses */

static const char *const dns_names[] = { "dns", NULL };
static const char *const dns_keys[] = { NULL };

static int dns_parse(struct check *c, struct probe_err *err)
{
	const char *s = c->rest;
	size_t len;

	if (strncmp(s, "//", 2) == 0)
		s += 2;
	len = strlen(s);
	if (len > 0 && s[len - 1] == '/')
		len--; /* dns://db/ */
	if (len == 0 || len >= sizeof(c->ep.host) || strcspn(s, " \t/:@") < len)
		return probe_err_set(err, EXIT_USAGE,
				     "%s: name a host, without port or path (like dns:db)", c->name);
	memcpy(c->ep.host, s, len);
	c->ep.host[len] = '\0';
	c->ep.local = host_is_local(c->ep.host);
	return 0;
}

static void dns_run(const struct check *c, const struct deadline *dl,
		    struct check_result *res)
{
	struct addrinfo hints = { 0 }, *ai = NULL, *it;
	char seen[DNS_ADDRS_MAX][INET6_ADDRSTRLEN];
	size_t nseen = 0, i;
	struct net_error ne;
	int rc;

	(void)dl;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM; /* one entry per address, not per protocol */
	rc = getaddrinfo(c->ep.host, NULL, &hints, &ai);
	if (rc != 0) {
		memset(&ne, 0, sizeof(ne));
		ne.cause = NET_RESOLVE;
		ne.err = rc;
		snprintf(ne.msg, sizeof(ne.msg), "%s",
			 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		net_fail(res, &ne, c->ep.host, 0);
		return;
	}
	detail_list_begin(res, "addresses");
	for (it = ai; it && nseen < DNS_ADDRS_MAX; it = it->ai_next) {
		const void *addr;
		char ip[INET6_ADDRSTRLEN];

		if (it->ai_family == AF_INET)
			addr = &((const struct sockaddr_in *)(const void *)it->ai_addr)->sin_addr;
		else if (it->ai_family == AF_INET6)
			addr = &((const struct sockaddr_in6 *)(const void *)it->ai_addr)->sin6_addr;
		else
			continue;
		if (!inet_ntop(it->ai_family, addr, ip, sizeof(ip)))
			continue;
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], ip) == 0)
				break;
		if (i < nseen)
			continue;
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", ip);
		detail_list_add(res, ip);
	}
	freeaddrinfo(ai);
	result_pass(res);
}

/* A name that does not resolve makes every later check on it pointless:
 * the connect would fail the same way. */
static int dns_covers(const struct check *pre, const struct check *dep)
{
	return dep->ep.host[0] && strcasecmp(dep->ep.host, pre->ep.host) == 0;
}

const struct check_kind check_dns = {
	.names = dns_names,
	.keys = dns_keys,
	.layer = LAYER_SOCKET,
	.level = LEVEL_READY,
	.help = "dns:HOST [ready]          the name resolves",
	.causes = net_causes,
	.parse = dns_parse,
	.run = dns_run,
	.covers = dns_covers,
};
