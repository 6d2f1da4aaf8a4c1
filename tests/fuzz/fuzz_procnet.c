/*
 * fuzz_procnet.c - libFuzzer entry point for checks/net/procnet.c, which
 * reads what the kernel says about listening sockets: each line of the
 * input as a row of /proc/net/tcp and of /proc/net/tcp6
 * (procnet_parse_row), and the whole input as one buffer of a
 * NETLINK_SOCK_DIAG dump (procnet_diag_parse) answering request
 * FUZZ_DIAG_SEQ of netlink port FUZZ_DIAG_PID, the numbers the seeds
 * carry.  Every socket found goes through the address helpers.
 * Seeds: corpus/procnet/.
 */
#include "fuzz.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include "checks/net/procnet.h"

#define FUZZ_DIAG_SEQ 1
#define FUZZ_DIAG_PID 4242

/* What listen: and discovery ask of a socket. */
static int fuzz_procnet_entry(const struct procnet_entry *e, void *ctx)
{
	static const unsigned char v4[4] = { 127, 0, 0, 1 };
	static const unsigned char v6[16] = { [15] = 1 };
	size_t *count = ctx;
	char buf[64];

	FUZZ_ASSERT(e->family == AF_INET || e->family == AF_INET6);
	FUZZ_ASSERT(e->port >= 0 && e->port <= 65535);
	procnet_addr_str(e, buf, sizeof(buf));
	procnet_is_loopback(e);
	procnet_is_wildcard(e);
	procnet_covers(e, AF_INET, v4);
	procnet_covers(e, AF_INET6, v6);
	procnet_covers(e, AF_INET6, e->addr);
	return ++*count >= 1000;
}

/* Feeds data as /proc rows and as a netlink dump; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t left = size, count = 0;
	struct procnet_entry e;
	char *line, *buf;
	int v6, rc;

	while ((line = fuzz_line(&p, &left)) != NULL) {
		for (v6 = 0; v6 <= 1; v6++)
			if (procnet_parse_row(line, v6, &e) == 0)
				fuzz_procnet_entry(&e, &count);
		free(line);
	}
	/* recv() hands the parser a buffer of exactly the bytes received. */
	buf = fuzz_bytes(data, size);
	if (!buf)
		return 0;
	count = 0;
	rc =
	    procnet_diag_parse(buf, size, FUZZ_DIAG_SEQ, FUZZ_DIAG_PID, fuzz_procnet_entry, &count);
	FUZZ_ASSERT(rc >= -1 && rc <= PROCNET_DIAG_STOP);
	free(buf);
	return 0;
}
