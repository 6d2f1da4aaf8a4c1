/*
 * procnet.h - the TCP sockets of this network namespace, as the kernel
 * lists them in /proc/net/tcp and /proc/net/tcp6.  Used by listen: and by
 * auto-discovery; needs no privilege and no socket of its own.
 *
 * Test seam (STYLE habit 14): the folder holding tcp and tcp6 is
 * $PROBE_PROCNET_DIR when set, else /proc/net (procnet_dir()).
 */
#ifndef PROBE_PROCNET_H
#define PROBE_PROCNET_H

#include <stddef.h>

#define PROCNET_LISTEN 0x0A /* TCP_LISTEN in the st column */

struct procnet_entry {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char addr[16];  /* network byte order; 4 bytes for AF_INET */
	int port;
	int state;               /* the st column: 0x0A is LISTEN */
};

/*
 * Parses one row of /proc/net/tcp (v6 = 0) or /proc/net/tcp6 (v6 = 1):
 *   "   0: 0100007F:1F40 00000000:0000 0A ..."
 * The kernel prints each 32-bit word of the address as a host-order hex
 * number, so the bytes of that number as this machine stores it are the
 * address in network order; the port is a plain hex number.  Returns 0,
 * or -1 for the header line and anything malformed.
 */
int procnet_parse_row(const char *line, int v6, struct procnet_entry *out);

/* Prints e's address: "127.0.0.1", "::", "::1", "::ffff:127.0.0.1". */
void procnet_addr_str(const struct procnet_entry *e, char *buf, size_t n);

/* True for 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8. */
int procnet_is_loopback(const struct procnet_entry *e);
/* True for 0.0.0.0 and ::. */
int procnet_is_wildcard(const struct procnet_entry *e);

/*
 * Does a socket listening at e accept connections to address want (family
 * AF_INET or AF_INET6, 4 or 16 bytes)?  Yes when bound to it exactly, to
 * the wildcard of its family, to :: (which takes IPv4 too unless
 * IPV6_V6ONLY, which /proc does not show), or, for IPv4, to the same
 * address IPv4-mapped (and the reverse).
 */
int procnet_covers(const struct procnet_entry *e, int family, const unsigned char *want);

/* The folder holding tcp and tcp6: $PROBE_PROCNET_DIR or /proc/net. */
const char *procnet_dir(void);

/* Called for each listening socket; return non-zero to stop. */
typedef int (*procnet_fn)(const struct procnet_entry *e, void *ctx);

/* Calls fn for every LISTEN row of dir/tcp and dir/tcp6.  A missing tcp6
 * (IPv6 disabled) is fine.  Returns 0, or -1 with errno when dir/tcp
 * cannot be read. */
int procnet_scan(const char *dir, procnet_fn fn, void *ctx);

/* Fills ports with the listening TCP ports of dir, sorted, each once, at
 * most cap of them; *n gets the count.  Returns 0, or -1 with errno. */
int procnet_ports(const char *dir, int *ports, size_t cap, size_t *n);

#endif
