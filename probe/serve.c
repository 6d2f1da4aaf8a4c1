/*
 * serve.c - a small HTTP/1.1 server in probe itself: one thread, poll, a
 * fixed table of connections, one request per connection (Connection:
 * close, as probes open a new connection each time anyway).
 */
#define _GNU_SOURCE
#include "probe/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/report.h"
#include "probe/runner.h"

struct serve_conn {
	int fd;               /* -1 when the slot is free */
	int64_t deadline_ns;  /* the request must be whole by then */
	size_t len;
	char buf[SERVE_REQUEST_MAX];
};

/* A cached verdict for one path. */
struct serve_verdict {
	int64_t at_ns;        /* 0: none yet */
	int healthy;
	char *body;           /* the JSON report; owned */
	size_t len;
};

static const struct {
	const char *path;
	enum probe_level level;
} serve_paths[] = {
	{ "/livez", LEVEL_LIVE },
	{ "/readyz", LEVEL_READY },
	{ "/startupz", LEVEL_STARTUP },
};
#define SERVE_NPATHS (sizeof(serve_paths) / sizeof(serve_paths[0]))

static volatile sig_atomic_t serve_stop;

static void serve_on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

int serve_check_opts(const struct serve_opts *o, struct probe_err *err)
{
	struct endpoint ep;

	if (!o->listen)
		return probe_err_set(err, EXIT_USAGE,
				     "probe serve needs --listen ADDR (like :8081)");
	if (endpoint_parse(o->listen, &ep, 1, err) < 0)
		return -1;
	return 0;
}

/* Binds and listens on o->listen (an empty host: every IPv4 address).
 * Returns the socket, or -1 with err. */
static int serve_listen(const struct serve_opts *o, struct probe_err *err)
{
	struct sockaddr_storage ss;
	struct endpoint ep;
	socklen_t len;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (endpoint_parse(o->listen, &ep, 1, err) < 0)
		return -1;
	if (strchr(ep.host, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)ep.port);
		if (inet_pton(AF_INET6, ep.host, &a->sin6_addr) != 1)
			return probe_err_set(err, EXIT_USAGE, "--listen %s: not an IPv6 address",
					     o->listen);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)ep.port);
		if (inet_pton(AF_INET, ep.host[0] ? ep.host : "0.0.0.0", &a->sin_addr) != 1)
			return probe_err_set(err, EXIT_USAGE,
					     "--listen %s: give an IP address (like 0.0.0.0:8081)",
					     o->listen);
		len = sizeof(*a);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return probe_err_set(err, EXIT_CONFIG, "--listen %s: %s", o->listen,
				     strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6) {
		int zero = 0;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0) {
		probe_err_set(err, EXIT_CONFIG, "--listen %s: %s", o->listen, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Runs the checks `level` selects, into v.  Returns 1 when a worker was
 * abandoned. */
static int serve_round(struct plan *plan, enum probe_level level, const struct serve_opts *o,
		       struct serve_verdict *v)
{
	static char report[64 * 1024];
	struct check **picked = calloc(plan->n ? plan->n : 1, sizeof(*picked));
	struct plan sub = { picked, 0 };
	struct run_opts ro = { .timeout_ms = o->timeout_ms };
	struct report_summary sum;
	int abandoned;
	size_t i, len;

	if (!picked)
		return 0;
	for (i = 0; i < plan->n; i++)
		if (level != LEVEL_LIVE || plan->checks[i]->level == LEVEL_LIVE)
			sub.checks[sub.n++] = plan->checks[i];
	abandoned = runner_run(&sub, &ro, &sum);
	len = report_render(report, sizeof(report), FORMAT_JSON, 0, sub.checks, sub.n, &sum);
	free(v->body);
	v->body = malloc(len + 1);
	v->len = v->body ? len : 0;
	if (v->body)
		memcpy(v->body, report, len);
	v->healthy = sum.failed == 0 && sum.skipped == 0;
	v->at_ns = deadline_now_ns();
	free(picked);
	return abandoned;
}

/* Writes the whole response; a client that does not read loses it. */
static void serve_send(int fd, int code, const char *reason, const char *type,
		       const char *body, size_t blen)
{
	char head[256];
	int hlen = snprintf(head, sizeof(head),
			    "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			    "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
			    code, reason, type, blen);
	struct timeval tv = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (hlen > 0 && send(fd, head, (size_t)hlen, MSG_NOSIGNAL) == hlen && blen)
		(void)!send(fd, body, blen, MSG_NOSIGNAL);
}

/* Answers one complete request held in c->buf. */
static int serve_answer(struct serve_conn *c, struct plan *plan, const struct serve_opts *o,
			struct serve_verdict *cache)
{
	char method[16], path[256];
	size_t i;
	char *q;
	int abandoned = 0;

	c->buf[c->len] = '\0';
	if (sscanf(c->buf, "%15s %255s HTTP/1.%*c", method, path) != 2) {
		serve_send(c->fd, 400, "Bad Request", "text/plain", "bad request\n", 12);
		return 0;
	}
	q = strchr(path, '?');
	if (q)
		*q = '\0';
	for (i = 0; i < SERVE_NPATHS; i++)
		if (strcmp(path, serve_paths[i].path) == 0)
			break;
	if (i == SERVE_NPATHS) {
		static const char body[] = "not found: try /livez, /readyz or /startupz\n";

		serve_send(c->fd, 404, "Not Found", "text/plain", body, sizeof(body) - 1);
		return 0;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		serve_send(c->fd, 405, "Method Not Allowed", "text/plain", "GET only\n", 9);
		return 0;
	}
	if (!cache[i].at_ns || deadline_now_ns() - cache[i].at_ns >= o->cache_ms * 1000000)
		abandoned = serve_round(plan, serve_paths[i].level, o, &cache[i]);
	serve_send(c->fd, cache[i].healthy ? 200 : 503,
		   cache[i].healthy ? "OK" : "Service Unavailable", "application/x-ndjson",
		   cache[i].body, strcmp(method, "HEAD") == 0 ? 0 : cache[i].len);
	return abandoned;
}

static void serve_close(struct serve_conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = 0;
}

/* Takes a new connection into a free slot, evicting the oldest when
 * every slot is taken. */
static void serve_accept(int lfd, struct serve_conn *conns)
{
	size_t i, slot = 0;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < SERVE_MAX_CONNS; i++) {
			if (conns[i].fd < 0) {
				slot = i;
				break;
			}
			if (conns[i].deadline_ns < conns[slot].deadline_ns)
				slot = i;
		}
		if (conns[slot].fd >= 0)
			serve_close(&conns[slot]);
		conns[slot].fd = fd;
		conns[slot].len = 0;
		conns[slot].deadline_ns = deadline_now_ns() + (int64_t)SERVE_READ_MS * 1000000;
	}
}

/* Reads what c has sent; answers once the request is whole.  Returns 1
 * when a round abandoned a worker. */
static int serve_read(struct serve_conn *c, struct plan *plan, const struct serve_opts *o,
		      struct serve_verdict *cache)
{
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
	int abandoned = 0;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		serve_close(c);
		return 0;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (strstr(c->buf, "\r\n\r\n") || strstr(c->buf, "\n\n")) {
		abandoned = serve_answer(c, plan, o, cache);
		serve_close(c);
	} else if (c->len >= sizeof(c->buf) - 1) {
		serve_send(c->fd, 431, "Request Header Fields Too Large", "text/plain",
			   "request too large\n", 18);
		serve_close(c);
	}
	return abandoned;
}

int serve_run(struct plan *plan, const struct serve_opts *o, int *abandoned,
	      struct probe_err *err)
{
	struct serve_verdict cache[SERVE_NPATHS];
	struct serve_conn *conns = calloc(SERVE_MAX_CONNS, sizeof(*conns));
	struct pollfd pfds[SERVE_MAX_CONNS + 1];
	struct sigaction sa;
	char line[300];
	size_t i;
	int lfd;

	*abandoned = 0;
	if (!conns)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	lfd = serve_listen(o, err);
	if (lfd < 0) {
		free(conns);
		return -1;
	}
	memset(cache, 0, sizeof(cache));
	for (i = 0; i < SERVE_MAX_CONNS; i++)
		conns[i].fd = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = serve_on_signal; /* no SA_RESTART: poll returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	snprintf(line, sizeof(line), "{\"serve\":\"listening\",\"address\":\"%s\"}\n", o->listen);
	report_write(line, strlen(line));
	while (!serve_stop) {
		int64_t now = deadline_now_ns(), wait_ms = SERVE_READ_MS;
		nfds_t n = 1;

		pfds[0].fd = lfd;
		pfds[0].events = POLLIN;
		for (i = 0; i < SERVE_MAX_CONNS; i++) {
			if (conns[i].fd < 0)
				continue;
			if (conns[i].deadline_ns <= now) {
				serve_close(&conns[i]); /* too slow: a slow client's loss */
				continue;
			}
			if ((conns[i].deadline_ns - now) / 1000000 < wait_ms)
				wait_ms = (conns[i].deadline_ns - now) / 1000000 + 1;
			pfds[n].fd = conns[i].fd;
			pfds[n].events = POLLIN;
			n++;
		}
		if (poll(pfds, n, (int)wait_ms) <= 0)
			continue;
		if (pfds[0].revents & POLLIN)
			serve_accept(lfd, conns);
		for (i = 0; i < SERVE_MAX_CONNS; i++) {
			nfds_t k;

			if (conns[i].fd < 0)
				continue;
			for (k = 1; k < n && pfds[k].fd != conns[i].fd; k++)
				;
			if (k < n && pfds[k].revents)
				*abandoned |= serve_read(&conns[i], plan, o, cache);
		}
	}
	for (i = 0; i < SERVE_MAX_CONNS; i++)
		if (conns[i].fd >= 0)
			serve_close(&conns[i]);
	for (i = 0; i < SERVE_NPATHS; i++)
		free(cache[i].body);
	free(conns);
	close(lfd);
	return EXIT_HEALTHY;
}
