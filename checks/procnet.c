/*
 * procnet.c - rows of /proc/net/tcp and tcp6, parsed without a socket.
 */
#include "procnet.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hex.h"

#define PROCNET_LINE 512 /* a tcp6 row is about 150 bytes */

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
		return e->family == AF_INET6 || family == AF_INET;
	if (family == AF_INET)
		return v4 && memcmp(v4, want, 4) == 0;
	return e->family == AF_INET6 && memcmp(e->addr, want, 16) == 0;
}

const char *procnet_dir(void)
{
	const char *d = getenv("PROBE_PROCNET_DIR");

	return d && *d ? d : "/proc/net";
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

int procnet_scan(const char *dir, procnet_fn fn, void *ctx)
{
	char path[512];
	int rc;

	snprintf(path, sizeof(path), "%s/tcp", dir);
	rc = procnet_scan_file(path, 0, fn, ctx);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return 0;
	snprintf(path, sizeof(path), "%s/tcp6", dir);
	procnet_scan_file(path, 1, fn, ctx); /* no tcp6: IPv6 is off */
	return 0;
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
