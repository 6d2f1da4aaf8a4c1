/*
 * procnet.h - the listening TCP sockets of this network namespace.  Used
 * by listen: and by auto-discovery; needs no privilege.  The kernel is
 * asked over NETLINK_SOCK_DIAG for the listening sockets alone; where
 * that socket is refused (seccomp, gVisor) or the dump fails, the rows of
 * /proc/net/tcp and /proc/net/tcp6 are read instead, which also walks
 * every connection and TIME_WAIT socket and so costs milliseconds.
 *
 * Test seams (STYLE habit 14): the folder holding tcp and tcp6 is
 * $PROBE_PROCNET_DIR when set, else /proc/net (procnet_dir()); a folder
 * other than /proc/net is always read as files.  $PROBE_PROCNET_SOURCE
 * picks the source for /proc/net: "netlink" (no fallback), "proc" (the
 * files only); unset or anything else, netlink then the files.
 */
#ifndef PROBE_PROCNET_H
#define PROBE_PROCNET_H

#include <stddef.h>
#include <stdint.h>

#define PROCNET_LISTEN 0x0A /* TCP_LISTEN in the st column */

struct procnet_entry {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char addr[16];  /* network byte order; 4 bytes for AF_INET */
	int port;
	int state;               /* st column / idiag_state: 0x0A is LISTEN */
	int v6only;              /* IPV6_V6ONLY: 1, 0, or -1 unknown (/proc) */
};

/*
 * Parses one row of /proc/net/tcp (v6 = 0) or /proc/net/tcp6 (v6 = 1):
 *   "   0: 0100007F:1F40 00000000:0000 0A ..."
 * The kernel prints each 32-bit word of the address as a host-order hex
 * number, so the bytes of that number as this machine stores it are the
 * address in network order; the port is a plain hex number.  v6only is
 * -1: /proc does not show it.  Returns 0, or -1 for the header line and
 * anything malformed.
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
 * e->v6only is 1; unknown counts as not), or, for IPv4, to the same
 * address IPv4-mapped (and the reverse).
 */
int procnet_covers(const struct procnet_entry *e, int family, const unsigned char *want);

/* The folder holding tcp and tcp6: $PROBE_PROCNET_DIR or /proc/net. */
const char *procnet_dir(void);

/* Does procnet_scan(dir, ...) read dir's files only (fixtures, or
 * PROBE_PROCNET_SOURCE=proc), rather than ask the kernel over netlink? */
int procnet_from_files(const char *dir);

/* Called for each listening socket; return non-zero to stop. */
typedef int (*procnet_fn)(const struct procnet_entry *e, void *ctx);

/* What procnet_diag_parse found at the end of a buffer. */
enum procnet_diag {
	PROCNET_DIAG_MORE = 0, /* the dump goes on in the next buffer */
	PROCNET_DIAG_DONE = 1, /* NLMSG_DONE: the dump is over */
	PROCNET_DIAG_STOP = 2, /* fn asked to stop */
};

/*
 * Parses one buffer of a NETLINK_SOCK_DIAG dump of TCP sockets, as recv()
 * returned it, and calls fn for each LISTEN socket of the answer to
 * request seq from netlink port pid; other messages are skipped.  Reads
 * INET_DIAG_SKV6ONLY into v6only when present.  Returns an enum
 * procnet_diag, or -1 with errno: the kernel's for NLMSG_ERROR, EBADMSG
 * for a message whose length does not fit.
 */
int procnet_diag_parse(const void *buf, size_t len, uint32_t seq, uint32_t pid, procnet_fn fn,
		       void *ctx);

/* Calls fn for every listening TCP socket: from netlink when dir is
 * /proc/net (see the source seam above), else from the LISTEN rows of
 * dir/tcp and dir/tcp6, where a missing tcp6 (IPv6 disabled) is fine.  A
 * netlink dump that breaks off halfway is redone from the files, so fn
 * may then see a socket twice.  Returns 0, or -1 with errno when no source
 * answered: for /proc/net, netlink and dir/tcp both failed (errno is
 * dir/tcp's, or netlink's when the seam forces netlink). */
int procnet_scan(const char *dir, procnet_fn fn, void *ctx);

/* Fills ports with the listening TCP ports of dir, sorted, each once, at
 * most cap of them; *n gets the count.  Returns 0, or -1 with errno. */
int procnet_ports(const char *dir, int *ports, size_t cap, size_t *n);

#endif
