/*
 * procnet.c - the listening TCP sockets: asked of the kernel over
 * NETLINK_SOCK_DIAG, or read from the rows of /proc/net/tcp and tcp6.
 */
#include "checks/net/procnet.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/hex.h"

#define PROCNET_LINE 512 /* a tcp6 row is about 150 bytes */
#define PROCNET_DEFAULT_DIR "/proc/net"
/* The kernel sizes dump messages to the reader's buffer, up to 32 KiB. */
#define PROCNET_DIAG_BUF 32768
#define PROCNET_DIAG_TIMEOUT_S 1 /* a dump answers at once; never hang */

/* Reads exactly n hex digits at *p into *out, advancing *p.  0 or -1. */
static int procnet_hex(const char **p, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = hex_digit((*p)[i]);

		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*p += n;
	*out = v;
	return 0;
}

/* Reads "ADDR:PORT" at *p: the address as host-order 32-bit words, the
 * port as 4 hex digits.  addr may be NULL to skip it.  0 or -1. */
static int procnet_endpoint(const char **p, int v6, unsigned char *addr, int *port)
{
	size_t words = v6 ? 4 : 1, i;
	uint32_t w;

	for (i = 0; i < words; i++) {
		if (procnet_hex(p, 8, &w) < 0)
			return -1;
		/* The kernel printed the in-memory word as a number: storing
		 * that number back in this machine's order restores the
		 * bytes, on little- and big-endian machines alike. */
		if (addr)
			memcpy(addr + 4 * i, &w, 4);
	}
	if (**p != ':')
		return -1;
	(*p)++;
	if (procnet_hex(p, 4, &w) < 0)
		return -1;
	if (port)
		*port = (int)w;
	return 0;
}

int procnet_parse_row(const char *line, int v6, struct procnet_entry *out)
{
	const char *p = line;
	uint32_t st;

	memset(out, 0, sizeof(*out));
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1; /* the header line starts with "sl" */
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return -1;
	while (*p == ' ')
		p++;
	if (procnet_endpoint(&p, v6, out->addr, &out->port) < 0 || *p++ != ' ')
		return -1;
	while (*p == ' ')
		p++;
	if (procnet_endpoint(&p, v6, NULL, NULL) < 0 || *p++ != ' ')
		return -1;
	while (*p == ' ')
		p++;
	if (procnet_hex(&p, 2, &st) < 0 || (*p && !isspace((unsigned char)*p)))
		return -1;
	out->family = v6 ? AF_INET6 : AF_INET;
	out->state = (int)st;
	out->v6only = -1; /* /proc does not show it */
	return 0;
}

static const unsigned char procnet_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0,
							 0, 0, 0, 0, 0xff, 0xff };

/* The IPv4 address inside e (plain or IPv4-mapped), or NULL. */
static const unsigned char *procnet_v4(const struct procnet_entry *e)
{
	if (e->family == AF_INET)
		return e->addr;
	if (memcmp(e->addr, procnet_mapped_prefix, 12) == 0)
		return e->addr + 12;
	return NULL;
}

void procnet_addr_str(const struct procnet_entry *e, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(e->family, e->addr, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	snprintf(buf, n, "%s", ip);
}

int procnet_is_loopback(const struct procnet_entry *e)
{
	static const unsigned char v6_loopback[16] = { [15] = 1 };
	const unsigned char *v4 = procnet_v4(e);

	if (v4)
		return v4[0] == 127;
	return memcmp(e->addr, v6_loopback, 16) == 0;
}

int procnet_is_wildcard(const struct procnet_entry *e)
{
	static const unsigned char zero[16];

	return memcmp(e->addr, zero, e->family == AF_INET ? 4 : 16) == 0;
}

int procnet_covers(const struct procnet_entry *e, int family, const unsigned char *want)
{
	const unsigned char *v4 = procnet_v4(e);

	if (family == AF_INET6 && memcmp(want, procnet_mapped_prefix, 12) == 0) {
		want += 12;
		family = AF_INET;
	}
	if (procnet_is_wildcard(e))
		return family == AF_INET ? e->family == AF_INET || e->v6only != 1
					 : e->family == AF_INET6;
	if (family == AF_INET)
		return v4 && memcmp(v4, want, 4) == 0;
	return e->family == AF_INET6 && memcmp(e->addr, want, 16) == 0;
}

const char *procnet_dir(void)
{
	const char *d = getenv("PROBE_PROCNET_DIR");

	return d && *d ? d : PROCNET_DEFAULT_DIR;
}

/* Calls fn for the LISTEN rows of one file.  Returns 1 when fn stopped
 * the scan, 0 at the end, -1 with errno when the file cannot be opened. */
static int procnet_scan_file(const char *path, int v6, procnet_fn fn, void *ctx)
{
	char line[PROCNET_LINE];
	struct procnet_entry e;
	FILE *f = fopen(path, "re");
	int stop = 0;

	if (!f)
		return -1;
	while (!stop && fgets(line, sizeof(line), f)) {
		if (!strchr(line, '\n') && !feof(f)) {
			int ch;

			/* Longer than any real row: skip the rest of it. */
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		if (procnet_parse_row(line, v6, &e) == 0 && e.state == PROCNET_LISTEN)
			stop = fn(&e, ctx) != 0;
	}
	fclose(f);
	return stop;
}

/* Calls fn for the LISTEN rows of dir/tcp (v6 = 0) or dir/tcp6.  A
 * missing tcp6 (IPv6 is off) is fine.  1 when fn stopped, 0, or -1. */
static int procnet_scan_proc(const char *dir, int v6, procnet_fn fn, void *ctx)
{
	char path[512];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, v6 ? "tcp6" : "tcp");
	rc = procnet_scan_file(path, v6, fn, ctx);
	return rc < 0 && v6 ? 0 : rc;
}

/* Copies the payload of one SOCK_DIAG_BY_FAMILY message into *out.
 * 0, or -1 with EBADMSG when it is too short or its attributes overrun. */
static int procnet_diag_entry(const unsigned char *p, size_t len, struct procnet_entry *out)
{
	struct inet_diag_msg m;
	size_t off = NLMSG_ALIGN(sizeof(m));

	if (len < sizeof(m)) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&m, p, sizeof(m)); /* p need not be aligned */
	memset(out, 0, sizeof(*out));
	out->family = m.idiag_family;
	out->state = m.idiag_state;
	out->port = ntohs(m.id.idiag_sport);
	out->v6only = -1;
	memcpy(out->addr, m.id.idiag_src, m.idiag_family == AF_INET6 ? 16 : 4);
	while (off + NLA_HDRLEN <= len) {
		struct nlattr a;

		memcpy(&a, p + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len - off) {
			errno = EBADMSG;
			return -1;
		}
		if ((a.nla_type & NLA_TYPE_MASK) == INET_DIAG_SKV6ONLY && a.nla_len > NLA_HDRLEN)
			out->v6only = p[off + NLA_HDRLEN] != 0;
		off += NLA_ALIGN(a.nla_len);
	}
	return 0;
}

/* The answer to one message: PROCNET_DIAG_MORE to go on, or what
 * procnet_diag_parse returns. */
static int procnet_diag_msg(const struct nlmsghdr *h, const unsigned char *p, procnet_fn fn,
			    void *ctx)
{
	size_t len = h->nlmsg_len - NLMSG_HDRLEN;
	struct procnet_entry e;
	struct nlmsgerr err;

	switch (h->nlmsg_type) {
	case NLMSG_DONE:
		return PROCNET_DIAG_DONE;
	case NLMSG_ERROR:
		if (len < sizeof(err)) {
			errno = EBADMSG;
			return -1;
		}
		memcpy(&err, p, sizeof(err));
		/* error 0 is an ack, which a dump never sends; a kernel's
		 * errno is small: INT_MIN has no negation */
		errno = err.error < 0 && err.error > -4096 ? -err.error : EPROTO;
		return -1;
	case SOCK_DIAG_BY_FAMILY:
		if (procnet_diag_entry(p, len, &e) < 0)
			return -1;
		if ((e.family != AF_INET && e.family != AF_INET6) || e.state != PROCNET_LISTEN)
			return PROCNET_DIAG_MORE;
		return fn(&e, ctx) ? PROCNET_DIAG_STOP : PROCNET_DIAG_MORE;
	default:
		return PROCNET_DIAG_MORE; /* NLMSG_NOOP and the like */
	}
}

int procnet_diag_parse(const void *buf, size_t len, uint32_t seq, uint32_t pid, procnet_fn fn,
		       void *ctx)
{
	const unsigned char *p = buf;

	while (len > 0) {
		struct nlmsghdr h;
		size_t step;
		int rc;

		if (len < sizeof(h))
			goto bad;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len)
			goto bad;
		/* Another request's leftovers are not ours to judge. */
		if (h.nlmsg_seq == seq && h.nlmsg_pid == pid) {
			rc = procnet_diag_msg(&h, p + NLMSG_HDRLEN, fn, ctx);
			if (rc != PROCNET_DIAG_MORE)
				return rc;
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		step = step < len ? step : len;
		p += step;
		len -= step;
	}
	return PROCNET_DIAG_MORE;
bad:
	errno = EBADMSG;
	return -1;
}

/* A NETLINK_SOCK_DIAG socket that gives up after a second.  -1 with
 * errno: EPROTONOSUPPORT, EAFNOSUPPORT, EPERM... where there is none. */
static int procnet_diag_open(void)
{
	struct timeval tv = {.tv_sec = PROCNET_DIAG_TIMEOUT_S};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Asks for a dump of the listening TCP sockets of one family; *pid gets
 * the port the kernel bound fd to, which its answers carry.  0 or -1. */
static int procnet_diag_request(int fd, int v6, uint32_t seq, uint32_t *pid)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	struct sockaddr_nl self;
	socklen_t slen = sizeof(self);

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = seq;
	req.r.sdiag_family = v6 ? AF_INET6 : AF_INET;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = 1u << PROCNET_LISTEN;
	/* No idiag_ext: INET_DIAG_SKV6ONLY comes unasked for AF_INET6. */
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -1;
	if (getsockname(fd, (struct sockaddr *)&self, &slen) < 0)
		return -1;
	*pid = self.nl_pid;
	return 0;
}

/* Reads the answers to dump seq until NLMSG_DONE into buf (PROCNET_DIAG_BUF
 * bytes).  1 when fn stopped, 0 at the end, -1 with errno. */
static int procnet_diag_recv(int fd, uint32_t seq, uint32_t pid, unsigned char *buf, procnet_fn fn,
			     void *ctx)
{
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = {.iov_base = buf, .iov_len = PROCNET_DIAG_BUF};
		struct msghdr msg = {.msg_name = &from,
				     .msg_namelen = sizeof(from),
				     .msg_iov = &iov,
				     .msg_iovlen = 1};
		ssize_t n = recvmsg(fd, &msg, 0);
		int rc;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			errno = ETIMEDOUT; /* SO_RCVTIMEO */
		if (n < 0)
			return -1;
		if (msg.msg_flags & MSG_TRUNC) {
			errno = EMSGSIZE;
			return -1;
		}
		if (n == 0) {
			errno = EPROTO;
			return -1;
		}
		if (from.nl_pid != 0)
			continue; /* only the kernel speaks for the kernel */
		rc = procnet_diag_parse(buf, (size_t)n, seq, pid, fn, ctx);
		if (rc < 0)
			return -1;
		if (rc != PROCNET_DIAG_MORE)
			return rc == PROCNET_DIAG_STOP;
	}
}

/* Calls fn for the listening sockets of one family over fd.  1 when fn
 * stopped, 0, or -1 with errno. */
static int procnet_diag_family(int fd, int v6, unsigned char *buf, procnet_fn fn, void *ctx)
{
	uint32_t seq = v6 ? 2 : 1, pid = 0; /* fd is new: no older dump on it */

	if (procnet_diag_request(fd, v6, seq, &pid) < 0)
		return -1;
	return procnet_diag_recv(fd, seq, pid, buf, fn, ctx);
}

/* Where procnet_scan looks. */
enum procnet_source {
	PROCNET_FROM_ANY,     /* netlink, else dir */
	PROCNET_FROM_NETLINK, /* netlink only */
	PROCNET_FROM_FILES,   /* dir only */
};

static enum procnet_source procnet_source(const char *dir)
{
	const char *src = getenv("PROBE_PROCNET_SOURCE");
	const char *env_dir = getenv("PROBE_PROCNET_DIR");

	/* A folder of fixtures means its files, whatever the source. */
	if ((env_dir && *env_dir) || strcmp(dir, PROCNET_DEFAULT_DIR) != 0)
		return PROCNET_FROM_FILES;
	if (src && strcmp(src, "proc") == 0)
		return PROCNET_FROM_FILES;
	if (src && strcmp(src, "netlink") == 0)
		return PROCNET_FROM_NETLINK;
	return PROCNET_FROM_ANY;
}

int procnet_from_files(const char *dir)
{
	return procnet_source(dir) == PROCNET_FROM_FILES;
}

int procnet_scan(const char *dir, procnet_fn fn, void *ctx)
{
	enum procnet_source src = procnet_source(dir);
	unsigned char *buf = NULL;
	int fd = -1, rc = 0, v6, e;

	if (src != PROCNET_FROM_FILES) {
		buf = malloc(PROCNET_DIAG_BUF);
		fd = buf ? procnet_diag_open() : -1;
		if (!buf)
			errno = ENOMEM;
	}
	for (v6 = 0; v6 <= 1 && rc == 0; v6++) {
		rc = fd >= 0 ? procnet_diag_family(fd, v6, buf, fn, ctx) : -1;
		if (rc >= 0 || src == PROCNET_FROM_NETLINK)
			continue;
		/* No netlink, or a dump cut short, which leaves fd busy: the
		 * files from here on, where fn may see again what it saw. */
		if (fd >= 0) {
			e = errno;
			close(fd);
			errno = e;
			fd = -1;
		}
		rc = procnet_scan_proc(dir, v6, fn, ctx);
	}
	e = errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	errno = e;
	return rc < 0 ? -1 : 0;
}

/* A bitmap of ports 0..65535 seen listening. */
struct procnet_portset {
	unsigned char bits[65536 / 8];
};

static int procnet_port_add(const struct procnet_entry *e, void *ctx)
{
	struct procnet_portset *s = ctx;

	s->bits[e->port >> 3] |= (unsigned char)(1u << (e->port & 7));
	return 0;
}

int procnet_ports(const char *dir, int *ports, size_t cap, size_t *n)
{
	struct procnet_portset *s = calloc(1, sizeof(*s));
	int port;

	*n = 0;
	if (!s) {
		errno = ENOMEM;
		return -1;
	}
	if (procnet_scan(dir, procnet_port_add, s) < 0) {
		int e = errno;

		free(s);
		errno = e;
		return -1;
	}
	for (port = 1; port < 65536 && *n < cap; port++)
		if (s->bits[port >> 3] & (1u << (port & 7)))
			ports[(*n)++] = port;
	free(s);
	return 0;
}
