/*
 * test_procnet.c - rows of /proc/net/tcp and tcp6 as the kernel prints
 * them, NETLINK_SOCK_DIAG answers built by hand, which addresses a
 * listening socket accepts, and real listeners found through both
 * sources.  The rows were captured on x86_64: the expectations about
 * address bytes hold on any little-endian machine, which is where these
 * rows come from.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/net/procnet.h"
#include "t.h"

static const char tcp_header[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	"timeout inode\n";
static const char tcp6_header[] =
	"  sl  local_address                         remote_address                        st "
	"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

static void test_rows(void)
{
	static const struct {
		const char *line;
		int v6;
		int ok;         /* 0: parses; -1: rejected */
		const char *addr;
		int port;
		int state;
		int loopback, wildcard;
	} cases[] = {
		{ "   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     "
		  "0        0 9198 1 000000005d94dde0 100 0 0 10 0\n",
		  0, 0, "127.0.0.1", 8000, 0x0A, 1, 0 },
		{ "   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     "
		  "0        0 1589 1 00000000a4926154 100 0 0 10 0\n",
		  0, 0, "0.0.0.0", 2024, 0x0A, 0, 1 },
		{ "  12: 0200A8C0:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 "
		  "0 77 1 0 100 0 0 10 0\n",
		  0, 0, "192.168.0.2", 80, 0x0A, 0, 0 },
		/* an established connection: parses, but is not LISTEN */
		{ "   2: 0100007F:1F40 0100007F:C350 01 00000000:00000000 00:00000000 00000000     "
		  "0        0 9300 1 0 20 4 30 10 -1\n",
		  0, 0, "127.0.0.1", 8000, 0x01, 1, 0 },
		{ "   0: 00000000000000000000000001000000:1FBD 00000000000000000000000000000000:0000 "
		  "0A 00000000:00000000 00:00000000 00000000     0        0 9200 1 0 100 0 0 10 0\n",
		  1, 0, "::1", 8125, 0x0A, 1, 0 },
		{ "   1: 0000000000000000FFFF00000100007F:1FBE 00000000000000000000000000000000:0000 "
		  "0A 00000000:00000000 00:00000000 00000000     0        0 9201 1 0 100 0 0 10 0\n",
		  1, 0, "::ffff:127.0.0.1", 8126, 0x0A, 1, 0 },
		{ "   2: 00000000000000000000000000000000:1FBC 00000000000000000000000000000000:0000 "
		  "0A 00000000:00000000 00:00000000 00000000     0        0 9199 1 0 100 0 0 10 0\n",
		  1, 0, "::", 8124, 0x0A, 0, 1 },
		{ "   3: 0000000000000000FFFF00000200A8C0:0050 00000000000000000000000000000000:0000 "
		  "0A 0 0 0 0 0 0\n",
		  1, 0, "::ffff:192.168.0.2", 80, 0x0A, 0, 0 },
		/* fe80::1 on a link: words 0xfe80 0 0 0x01000000 */
		{ "   4: 000080FE000000000000000001000000:0016 00000000000000000000000000000000:0000 "
		  "0A 0\n",
		  1, 0, "fe80::1", 22, 0x0A, 0, 0 },
		/* the last column may end the line */
		{ "   5: 0100007F:0016 00000000:0000 0A", 0, 0, "127.0.0.1", 22, 0x0A, 1, 0 },
		/* headers and malformed rows */
		{ tcp_header, 0, -1, NULL, 0, 0, 0, 0 },
		{ tcp6_header, 1, -1, NULL, 0, 0, 0, 0 },
		{ "", 0, -1, NULL, 0, 0, 0, 0 },
		{ "\n", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 0100007F:1F40", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 0100007F 00000000:0000 0A", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 0100007G:1F40 00000000:0000 0A", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 100007F:1F40 00000000:0000 0A", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 0100007F:1F4 00000000:0000 0A", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 0100007F:1F40 00000000:0000 0AB", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 0100007F:1F40 00000000:0000", 0, -1, NULL, 0, 0, 0, 0 },
		{ "   0 0100007F:1F40 00000000:0000 0A", 0, -1, NULL, 0, 0, 0, 0 },
		/* a v4 row read as v6, and the reverse */
		{ "   0: 0100007F:1F40 00000000:0000 0A", 1, -1, NULL, 0, 0, 0, 0 },
		{ "   0: 00000000000000000000000001000000:1FBD 00000000000000000000000000000000:0000 0A",
		  0, -1, NULL, 0, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct procnet_entry e;
		char addr[64];
		int rc = procnet_parse_row(cases[i].line, cases[i].v6, &e);

		T_EXPECT(rc == cases[i].ok, "row %zu: rc %d", i, rc);
		if (rc != 0 || cases[i].ok != 0)
			continue;
		procnet_addr_str(&e, addr, sizeof(addr));
		T_STR(addr, cases[i].addr);
		T_INT(e.port, cases[i].port);
		T_INT(e.state, cases[i].state);
		T_INT(e.family, cases[i].v6 ? AF_INET6 : AF_INET);
		T_EXPECT(procnet_is_loopback(&e) == cases[i].loopback, "row %zu loopback", i);
		T_EXPECT(procnet_is_wildcard(&e) == cases[i].wildcard, "row %zu wildcard", i);
	}
}

/* An entry for a textual address. */
static struct procnet_entry entry(const char *addr)
{
	struct procnet_entry e = { 0 };

	e.v6only = -1;
	if (strcmp(addr, "::v6only") == 0) {
		addr = "::";
		e.v6only = 1;
	}
	e.family = inet_pton(AF_INET, addr, e.addr) == 1 ? AF_INET : AF_INET6;
	if (e.family == AF_INET6)
		inet_pton(AF_INET6, addr, e.addr);
	e.state = PROCNET_LISTEN;
	return e;
}

static void test_covers(void)
{
	static const struct {
		const char *bound, *want;
		int covers;
	} cases[] = {
		{ "127.0.0.1", "127.0.0.1", 1 },
		{ "127.0.0.1", "10.0.0.5", 0 },
		{ "0.0.0.0", "10.0.0.5", 1 },
		{ "0.0.0.0", "127.0.0.1", 1 },
		{ "0.0.0.0", "0.0.0.0", 1 },
		{ "0.0.0.0", "::1", 0 },
		{ "0.0.0.0", "::", 0 },
		{ "::", "127.0.0.1", 1 },
		{ "::", "::1", 1 },
		{ "::", "0.0.0.0", 1 },
		{ "::", "::", 1 },
		{ "::1", "::1", 1 },
		{ "::1", "127.0.0.1", 0 },
		{ "::1", "::", 0 },
		{ "::v6only", "127.0.0.1", 0 },
		{ "::v6only", "0.0.0.0", 0 },
		{ "::v6only", "::ffff:127.0.0.1", 0 },
		{ "::v6only", "::1", 1 },
		{ "::v6only", "::", 1 },
		{ "::ffff:127.0.0.1", "127.0.0.1", 1 },
		{ "127.0.0.1", "::ffff:127.0.0.1", 1 },
		{ "::ffff:10.0.0.5", "10.0.0.5", 1 },
		{ "::ffff:10.0.0.5", "127.0.0.1", 0 },
		{ "10.0.0.5", "0.0.0.0", 0 },
		{ "fe80::1", "fe80::1", 1 },
		{ "fe80::1", "fe80::2", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct procnet_entry e = entry(cases[i].bound), w = entry(cases[i].want);

		T_EXPECT(procnet_covers(&e, w.family, w.addr) == cases[i].covers,
			 "%s covers %s", cases[i].bound, cases[i].want);
	}
}

/* procnet_scan and procnet_ports over a fixture folder. */
static void test_scan(void)
{
	char dir[] = "/tmp/test_procnet.XXXXXX", path[128];
	int ports[8];
	size_t n = 0;
	FILE *f;

	if (!mkdtemp(dir)) {
		T_EXPECT(0, "mkdtemp failed");
		return;
	}
	T_INT(procnet_ports(dir, ports, 8, &n), -1); /* no tcp file */
	snprintf(path, sizeof(path), "%s/tcp", dir);
	f = fopen(path, "w");
	fputs(tcp_header, f);
	fputs("   0: 0100007F:1F40 00000000:0000 0A 0\n", f);
	fputs("   1: 00000000:0050 00000000:0000 0A 0\n", f);
	fputs("   2: 0100007F:1F40 0100007F:C350 01 0\n", f); /* connection */
	fputs("   3: 0100007F:C350 0100007F:1F40 01 0\n", f); /* its peer */
	fclose(f);
	/* no tcp6 yet: IPv6 disabled is fine */
	T_INT(procnet_ports(dir, ports, 8, &n), 0);
	T_INT(n, 2);
	T_INT(ports[0], 80);
	T_INT(ports[1], 8000);
	snprintf(path, sizeof(path), "%s/tcp6", dir);
	f = fopen(path, "w");
	fputs(tcp6_header, f);
	fputs("   0: 00000000000000000000000000000000:0016 "
	      "00000000000000000000000000000000:0000 0A 0\n", f);
	fputs("   1: 00000000000000000000000000000000:0050 "
	      "00000000000000000000000000000000:0000 0A 0\n", f);
	fclose(f);
	T_INT(procnet_ports(dir, ports, 8, &n), 0);
	T_INT(n, 3);
	T_INT(ports[0], 22);
	T_INT(ports[1], 80);
	T_INT(ports[2], 8000);
	T_INT(procnet_ports(dir, ports, 2, &n), 0); /* capped */
	T_INT(n, 2);
	unlink(path);
	snprintf(path, sizeof(path), "%s/tcp", dir);
	unlink(path);
	rmdir(dir);
}

/* ---------------------------------------------- netlink answers by hand */

#define DIAG_SEQ 7
#define DIAG_PID 4242

/* A buffer of netlink messages as recv() would return it. */
struct diag_buf {
	union {
		struct nlmsghdr align;
		unsigned char b[4096];
	} u;
	size_t len;
};

/* Appends a message of type with payload p (n bytes), for seq/pid. */
static void diag_add(struct diag_buf *d, int type, uint32_t seq, uint32_t pid, const void *p,
		     size_t n)
{
	struct nlmsghdr h = { 0 };

	h.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + n);
	h.nlmsg_type = (uint16_t)type;
	h.nlmsg_flags = NLM_F_MULTI;
	h.nlmsg_seq = seq;
	h.nlmsg_pid = pid;
	memset(d->u.b + d->len, 0, NLMSG_ALIGN(h.nlmsg_len));
	memcpy(d->u.b + d->len, &h, sizeof(h));
	if (n)
		memcpy(d->u.b + d->len + NLMSG_HDRLEN, p, n);
	d->len += NLMSG_ALIGN(h.nlmsg_len);
}

/* Appends a SOCK_DIAG_BY_FAMILY message for addr:port in state, with an
 * INET_DIAG_SKV6ONLY attribute when v6only >= 0. */
static void diag_sock(struct diag_buf *d, const char *addr, int port, int state, int v6only)
{
	unsigned char p[sizeof(struct inet_diag_msg) + 8] = { 0 };
	struct inet_diag_msg m = { 0 };
	struct nlattr a = { .nla_len = NLA_HDRLEN + 1, .nla_type = INET_DIAG_SKV6ONLY };
	size_t n = sizeof(m);

	m.idiag_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	m.idiag_state = (uint8_t)state;
	m.id.idiag_sport = htons((uint16_t)port);
	inet_pton(m.idiag_family, addr, m.id.idiag_src);
	memcpy(p, &m, sizeof(m));
	if (v6only >= 0) {
		memcpy(p + n, &a, sizeof(a));
		p[n + NLA_HDRLEN] = (unsigned char)v6only;
		n += NLA_ALIGN(a.nla_len);
	}
	diag_add(d, SOCK_DIAG_BY_FAMILY, DIAG_SEQ, DIAG_PID, p, n);
}

/* What the callback saw. */
struct diag_seen {
	int n;
	int stop_after; /* 0: never stop */
	struct procnet_entry last;
};

static int diag_seen_fn(const struct procnet_entry *e, void *ctx)
{
	struct diag_seen *s = ctx;

	s->n++;
	s->last = *e;
	return s->stop_after && s->n >= s->stop_after;
}

static void test_diag_parse(void)
{
	struct diag_buf d = { .len = 0 };
	struct diag_seen seen = { 0 };
	struct nlmsgerr err = { .error = -EPERM };
	char addr[64];
	uint32_t bad_len;

	/* one IPv4 listener, a connection, one v6only listener, then DONE */
	diag_sock(&d, "127.0.0.1", 8000, PROCNET_LISTEN, -1);
	diag_sock(&d, "127.0.0.1", 8000, 1, -1);
	diag_sock(&d, "::1", 8001, PROCNET_LISTEN, 1);
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen),
	      PROCNET_DIAG_MORE);
	T_INT(seen.n, 2);
	procnet_addr_str(&seen.last, addr, sizeof(addr));
	T_STR(addr, "::1");
	T_INT(seen.last.port, 8001);
	T_INT(seen.last.family, AF_INET6);
	T_INT(seen.last.v6only, 1);
	diag_add(&d, NLMSG_DONE, DIAG_SEQ, DIAG_PID, "\0\0\0\0", 4);
	seen.n = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen),
	      PROCNET_DIAG_DONE);
	T_INT(seen.n, 2);

	/* fn stops the scan at the first socket */
	seen.n = 0;
	seen.stop_after = 1;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen),
	      PROCNET_DIAG_STOP);
	T_INT(seen.n, 1);
	procnet_addr_str(&seen.last, addr, sizeof(addr));
	T_STR(addr, "127.0.0.1");
	T_INT(seen.last.v6only, -1);
	seen.stop_after = 0;

	/* another request's messages are skipped */
	seen.n = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ + 1, DIAG_PID, diag_seen_fn, &seen),
	      PROCNET_DIAG_MORE);
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID + 1, diag_seen_fn, &seen),
	      PROCNET_DIAG_MORE);
	T_INT(seen.n, 0);

	/* the kernel's error becomes errno */
	d.len = 0;
	diag_add(&d, NLMSG_ERROR, DIAG_SEQ, DIAG_PID, &err, sizeof(err));
	errno = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	T_INT(errno, EPERM);
	d.len = 0;
	diag_add(&d, NLMSG_ERROR, DIAG_SEQ, DIAG_PID, &err, 2); /* too short */
	errno = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	T_INT(errno, EBADMSG);
	/* an error no kernel sends: INT_MIN has no negation (found by fuzzing) */
	d.len = 0;
	err.error = INT_MIN;
	diag_add(&d, NLMSG_ERROR, DIAG_SEQ, DIAG_PID, &err, sizeof(err));
	errno = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	T_INT(errno, EPROTO);
	err.error = -EPERM;

	/* lengths that do not fit the buffer */
	d.len = 0;
	diag_sock(&d, "127.0.0.1", 8000, PROCNET_LISTEN, -1);
	bad_len = (uint32_t)d.len + 4;
	memcpy(d.u.b, &bad_len, sizeof(bad_len));
	errno = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	T_INT(errno, EBADMSG);
	bad_len = NLMSG_HDRLEN - 1;
	memcpy(d.u.b, &bad_len, sizeof(bad_len));
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	T_INT(procnet_diag_parse(d.u.b, 8, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	/* a message too short for its inet_diag_msg */
	d.len = 0;
	diag_add(&d, SOCK_DIAG_BY_FAMILY, DIAG_SEQ, DIAG_PID, "\2\12\0\0", 4);
	errno = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	T_INT(errno, EBADMSG);
	/* an attribute longer than its message */
	d.len = 0;
	diag_sock(&d, "::", 8002, PROCNET_LISTEN, 0);
	d.u.b[NLMSG_HDRLEN + sizeof(struct inet_diag_msg)] = 64;
	errno = 0;
	T_INT(procnet_diag_parse(d.u.b, d.len, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen), -1);
	T_INT(errno, EBADMSG);
	T_INT(seen.n, 0);
	/* an empty buffer is no answer yet */
	T_INT(procnet_diag_parse(d.u.b, 0, DIAG_SEQ, DIAG_PID, diag_seen_fn, &seen),
	      PROCNET_DIAG_MORE);
}

/* -------------------------------------------------------- real listeners */

/* A socket listening on addr at an ephemeral port (*port), or -1. */
static int listener(const char *addr, int v6only, int *port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = sizeof(ss);
	int v6 = strchr(addr, ':') != NULL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (v6) {
		in6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &in6->sin6_addr);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
	} else {
		in->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &in->sin_addr);
	}
	if (bind(fd, (struct sockaddr *)&ss, v6 ? sizeof(*in6) : sizeof(*in)) < 0 ||
	    listen(fd, 4) < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(v6 ? in6->sin6_port : in->sin_port);
	return fd;
}

/* Looks for one socket among those procnet_scan lists. */
struct find {
	int port;
	int found;
	struct procnet_entry e;
};

static int find_fn(const struct procnet_entry *e, void *ctx)
{
	struct find *f = ctx;

	if (e->port != f->port)
		return 0;
	f->found++;
	f->e = *e;
	return 0;
}

/* Whether this kernel (or sandbox) lets us ask over NETLINK_SOCK_DIAG. */
static int have_netlink(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0) {
		fprintf(stderr, "no NETLINK_SOCK_DIAG here: netlink source skipped\n");
		return 0;
	}
	close(fd);
	return 1;
}

static void test_live(void)
{
	static const struct {
		const char *addr;
		int v6only;
	} socks[] = {
		{ "127.0.0.1", -1 },
		{ "::1", 1 },
		{ "::", 1 },
		{ "::", 0 },
	};
	static const char *const sources[] = { "netlink", "proc", NULL };
	size_t i, j, first = have_netlink() ? 0 : 1;

	for (i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
		struct find f = { 0 };
		int fd = listener(socks[i].addr, socks[i].v6only, &f.port);

		if (fd < 0) {
			fprintf(stderr, "test_live: no listener on %s, skipped\n", socks[i].addr);
			continue;
		}
		for (j = first; sources[j]; j++) {
			char addr[64];
			/* /proc cannot tell v6only; netlink can */
			int v6only = sources[j][0] == 'p' ? -1 : socks[i].v6only;

			f.found = 0;
			setenv("PROBE_PROCNET_SOURCE", sources[j], 1);
			T_INT(procnet_scan(procnet_dir(), find_fn, &f), 0);
			T_EXPECT(f.found == 1, "%s:%d via %s: found %d", socks[i].addr, f.port,
				 sources[j], f.found);
			if (f.found != 1)
				continue;
			procnet_addr_str(&f.e, addr, sizeof(addr));
			T_STR(addr, socks[i].addr);
			T_INT(f.e.family, strchr(socks[i].addr, ':') ? AF_INET6 : AF_INET);
			T_INT(f.e.state, PROCNET_LISTEN);
			T_EXPECT(f.e.v6only == v6only, "%s via %s: v6only %d, want %d",
				 socks[i].addr, sources[j], f.e.v6only, v6only);
		}
		/* the default finds it too, and stops where fn says */
		unsetenv("PROBE_PROCNET_SOURCE");
		f.found = 0;
		T_INT(procnet_scan(procnet_dir(), find_fn, &f), 0);
		T_INT(f.found, 1);
		close(fd);
	}
}

/* procnet_scan stops when fn asks, under every source. */
static int stop_fn(const struct procnet_entry *e, void *ctx)
{
	(void)e;
	return ++*(int *)ctx > 0;
}

static void test_live_stop(void)
{
	static const char *const sources[] = { "netlink", "proc", "", NULL };
	int port, fd = listener("127.0.0.1", -1, &port);
	size_t j;

	for (j = have_netlink() ? 0 : 1; fd >= 0 && sources[j]; j++) {
		int calls = 0;

		setenv("PROBE_PROCNET_SOURCE", sources[j], 1);
		T_INT(procnet_scan(procnet_dir(), stop_fn, &calls), 0);
		T_INT(calls, 1);
	}
	unsetenv("PROBE_PROCNET_SOURCE");
	if (fd >= 0)
		close(fd);
}

/* A fixture folder wins over the source seam. */
static void test_dir_wins(void)
{
	int n = 0;

	setenv("PROBE_PROCNET_SOURCE", "netlink", 1);
	errno = 0;
	T_INT(procnet_scan("/nonexistent/procnet", stop_fn, &n), -1);
	T_INT(errno, ENOENT);
	unsetenv("PROBE_PROCNET_SOURCE");
}

int main(void)
{
	test_rows();
	test_covers();
	test_scan();
	test_diag_parse();
	test_live();
	test_live_stop();
	test_dir_wins();
	return t_done("test_procnet");
}
