/*
 * net.c - resolution and non-blocking connect under one deadline.
 */
#define _GNU_SOURCE
#include "checks/net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/url.h"

void net_addr_str(const void *sa, char *buf, size_t n)
{
	const struct sockaddr *s = sa;
	char ip[INET6_ADDRSTRLEN] = "?";

	if (s->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip,
			  sizeof(ip));
		url_hostport(buf, n, ip, ntohs(((const struct sockaddr_in6 *)sa)->sin6_port));
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof(ip));
		url_hostport(buf, n, ip, ntohs(((const struct sockaddr_in *)sa)->sin_port));
	}
}

static enum net_cause net_classify(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return NET_REFUSED;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case EADDRNOTAVAIL:
		return NET_UNREACHABLE;
	case ETIMEDOUT:
		return NET_TIMEOUT;
	case ECONNRESET:
		return NET_RESET;
	default:
		return NET_OTHER;
	}
}

static void net_set(struct net_error *ne, enum net_cause cause, int e)
{
	ne->cause = cause;
	ne->err = e;
	snprintf(ne->msg, sizeof(ne->msg), "%s",
		 cause == NET_TIMEOUT && e == 0 ? "timed out" : strerror(e));
}

/* Connects fd to ai within dl.  Returns 0, or -1 with *ne filled. */
static int net_try(int fd, const struct addrinfo *ai, const struct deadline *dl,
		   struct net_error *ne)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int soerr = 0, rc;

	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS) {
		net_set(ne, net_classify(errno), errno);
		return -1;
	}
	do {
		int64_t left = deadline_left_ms(dl);

		if (left <= 0) {
			net_set(ne, NET_TIMEOUT, 0);
			return -1;
		}
		rc = poll(&pfd, 1, left > 0x7fffffff ? 0x7fffffff : (int)left);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		net_set(ne, NET_TIMEOUT, 0);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (soerr) {
		net_set(ne, net_classify(soerr), soerr);
		return -1;
	}
	return 0;
}

/* Tries each address of list in turn until one connects before dl.
 * Returns a blocking socket, or -1 with *ne filled. */
static int net_connect_list(const struct addrinfo *list, const struct deadline *dl,
			    struct net_error *ne)
{
	const struct addrinfo *ai;
	int fd = -1;

	for (ai = list; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			net_set(ne, NET_OTHER, errno);
			continue;
		}
		net_addr_str(ai->ai_addr, ne->addr, sizeof(ne->addr));
		if (net_try(fd, ai, dl, ne) == 0) {
			int flags = fcntl(fd, F_GETFL);

			if (flags >= 0)
				fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
			ne->cause = NET_OK;
			break;
		}
		close(fd);
		fd = -1;
		if (ne->cause == NET_TIMEOUT)
			break;
	}
	return fd;
}

int net_is_literal(const char *host)
{
	struct in6_addr a;

	return !host[0] || inet_pton(AF_INET, host, &a) == 1 || inet_pton(AF_INET6, host, &a) == 1;
}

int net_connect(const char *host, int port, const struct deadline *dl,
		struct net_error *ne)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	char service[8];
	int rc, fd = -1;

	memset(ne, 0, sizeof(*ne));
	if (!host[0])
		host = "127.0.0.1";
	/* A numeric address needs no resolver (most health checks name one). */
	{
		struct sockaddr_in6 a6 = { 0 };
		struct sockaddr_in a4 = { 0 };
		struct addrinfo lit = { 0 };

		if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
			a4.sin_family = AF_INET;
			a4.sin_port = htons((uint16_t)port);
			lit.ai_addr = (struct sockaddr *)&a4;
			lit.ai_addrlen = sizeof(a4);
		} else if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
			a6.sin6_family = AF_INET6;
			a6.sin6_port = htons((uint16_t)port);
			lit.ai_addr = (struct sockaddr *)&a6;
			lit.ai_addrlen = sizeof(a6);
		}
		if (lit.ai_addr) {
			lit.ai_family = lit.ai_addr->sa_family;
			lit.ai_socktype = SOCK_STREAM;
			return net_connect_list(&lit, dl, ne);
		}
	}
	snprintf(service, sizeof(service), "%d", port);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc == EAI_NONAME || rc == EAI_FAMILY) {
		/* AI_ADDRCONFIG hides ::1 in a namespace with only loopback. */
		hints.ai_flags = AI_NUMERICSERV;
		rc = getaddrinfo(host, service, &hints, &res);
	}
	if (rc != 0) {
		ne->cause = NET_RESOLVE;
		ne->err = rc;
		snprintf(ne->msg, sizeof(ne->msg), "%s",
			 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	fd = net_connect_list(res, dl, ne);
	freeaddrinfo(res);
	return fd;
}

void net_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

const enum probe_cause net_causes[] = {
	CAUSE_DNS, CAUSE_REFUSED, CAUSE_UNREACHABLE, CAUSE_TIMEOUT, CAUSE_RESET, CAUSE_OTHER,
	CAUSE_NONE,
};

void net_fail(struct check_result *res, const struct net_error *ne,
	      const char *host, int port)
{
	static const struct {
		enum net_cause cause;
		const char *what;
		enum hint_id hint;
	} causes[] = {
		{ NET_RESOLVE, "cannot resolve", HINT_DNS },
		{ NET_REFUSED, "connection refused", HINT_REFUSED },
		{ NET_UNREACHABLE, "unreachable", HINT_UNREACHABLE },
		{ NET_TIMEOUT, "connect timed out", HINT_TIMEOUT },
		{ NET_RESET, "connection reset", HINT_REFUSED },
		{ NET_OTHER, "connect failed", HINT_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
		if (causes[i].cause != ne->cause)
			continue;
		if (ne->cause == NET_RESOLVE)
			result_fail(res, causes[i].hint, "cannot resolve %s: %s", host, ne->msg);
		else if (ne->cause == NET_REFUSED || ne->cause == NET_RESET ||
			 ne->cause == NET_TIMEOUT)
			result_fail(res, causes[i].hint, "%s %s %s", causes[i].what,
				    ne->cause == NET_TIMEOUT ? "to" : "by",
				    ne->addr[0] ? ne->addr : host);
		else
			result_fail(res, causes[i].hint, "%s: %s (%s)", causes[i].what,
				    ne->addr[0] ? ne->addr : host, ne->msg);
		break;
	}
	if (ne->cause == NET_RESOLVE && strcmp(host, "localhost") == 0 &&
	    access("/etc/hosts", F_OK) != 0)
		result_hint(res, HINT_DNS_NO_HOSTS);
	detail_cause(res, ne->cause == NET_RESOLVE ? CAUSE_DNS
			  : ne->cause == NET_REFUSED ? CAUSE_REFUSED
			  : ne->cause == NET_TIMEOUT ? CAUSE_TIMEOUT
			  : ne->cause == NET_UNREACHABLE ? CAUSE_UNREACHABLE
			  : ne->cause == NET_RESET ? CAUSE_RESET : CAUSE_OTHER);
	(void)port;
}
