/*
 * net.h - deadline-bounded name resolution and TCP connect, shared by the
 * socket-layer kinds.  Errors are classified so every kind reports
 * "refused", "timed out", "no route" the same way.
 */
#ifndef PROBE_NET_H
#define PROBE_NET_H

#include "probe/check.h"

enum net_cause {
	NET_OK,
	NET_RESOLVE,     /* the name does not resolve */
	NET_REFUSED,
	NET_UNREACHABLE, /* no route, network unreachable */
	NET_TIMEOUT,
	NET_RESET,
	NET_OTHER
};

struct net_error {
	enum net_cause cause;
	int err;           /* errno, or getaddrinfo's EAI_* for NET_RESOLVE */
	char msg[160];     /* strerror / gai_strerror text */
	char addr[64];     /* the address tried last (or connected to) */
};

/* Does net_connect reach host without a name lookup (the one step that
 * may outlast a deadline: getaddrinfo blocks)?  Yes for an IPv4 or IPv6
 * address, and for "" (127.0.0.1). */
int net_is_literal(const char *host);

/* Resolves host and connects to port before dl, trying each address.
 * Returns a connected blocking socket (caller closes with net_close), or
 * -1 with *ne filled. */
int net_connect(const char *host, int port, const struct deadline *dl,
		struct net_error *ne);
/* Closes a socket from net_connect. */
void net_close(int fd);
/* Fills res with the failure described by ne, its hint and detail. */
/* The detail.cause words net_fail reports: for the tables of the kinds
 * that call it. */
extern const enum probe_cause net_causes[];

void net_fail(struct check_result *res, const struct net_error *ne,
	      const char *host, int port);
/* Formats a numeric socket address into buf (IPv6 in brackets). */
void net_addr_str(const void *sa, char *buf, size_t n);

#endif
