/*
 * test_procnet.c - rows of /proc/net/tcp and tcp6 as the kernel prints
 * them, and which addresses a listening socket accepts.  The rows were
 * captured on x86_64: the expectations about address bytes hold on any
 * little-endian machine, which is where these rows come from.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procnet.h"
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

int main(void)
{
	test_rows();
	test_covers();
	test_scan();
	return t_done("test_procnet");
}
