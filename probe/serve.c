/*
 * serve.c - a small HTTP/1.1 server in probe itself.
 *
 * The main thread holds every connection (poll, a fixed table, one request
 * a connection, Connection: close, as probes open a new connection each
 * time anyway) and never runs a check.  Each path has a thread of its own
 * that runs that path's rounds on its own copies of the checks and hands
 * each verdict back through a pipe.  So a /livez answer never waits behind
 * a /readyz round, an answer waits at most for the one round it asked for,
 * and no client, however slow, holds up another.
 */
#define _GNU_SOURCE
#include "probe/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "probe/report.h"
#include "probe/runner.h"

/* The largest report a round renders. */
#define SERVE_REPORT_MAX (64 * 1024)

static const struct {
	const char *path;
	enum probe_level level;
} serve_paths[] = {
	{ "/livez", LEVEL_LIVE },
	{ "/readyz", LEVEL_READY },
	{ "/startupz", LEVEL_STARTUP },
};
#define SERVE_NPATHS (sizeof(serve_paths) / sizeof(serve_paths[0]))

/* A round's verdict: the status and the JSON report.  Made by a path's
 * thread, then the main thread's alone: shared by the cache and every
 * connection sending it, freed with the last of them (serve_verdict_put). */
struct serve_verdict {
	int refs;
	int healthy;
	int64_t at_ns; /* when its round ended */
	size_t len;
	char body[];
};

enum serve_state {
	CONN_FREE,
	CONN_READ,  /* reading the request */
	CONN_WAIT,  /* a whole request, waiting for its path's round */
	CONN_WRITE, /* sending the answer */
};

struct serve_conn {
	int fd;
	enum serve_state state;
	int64_t since_ns;    /* accepted */
	int64_t deadline_ns; /* READ: the request whole by then; WRITE: sent */
	size_t path;         /* WAIT: the path it waits for */
	int head_only;       /* HEAD: the answer's head alone */
	size_t len;          /* READ: bytes of request; WRITE: of head in buf */
	size_t off;          /* WRITE: bytes sent, head and body */
	struct serve_verdict *body; /* WRITE: the body after the head, or NULL */
	char buf[SERVE_REQUEST_MAX];
};

/* One path and the thread that runs its rounds. */
struct serve_path {
	struct serve *s;
	struct plan plan;      /* copies of the checks it runs, with their own res */
	struct check *copies;  /* their storage (the words and priv are shared) */
	char *report;          /* its thread's render buffer */
	pthread_t thread;
	int started;           /* the thread was created */
	int cond_made;         /* cond was initialised */
	pthread_cond_t cond;   /* signalled when asked or when serving stops */
	/* Under serve_lock: */
	int asked;             /* a round is wanted */
	int running;           /* a round is under way */
	int reported;          /* a round ended; done holds its verdict */
	struct serve_verdict *done; /* NULL when out of memory */
	int abandoned;         /* some round abandoned a worker */
	/* The main thread's: */
	int pending;           /* asked, and not yet reported */
	struct serve_verdict *verdict; /* the cached one, or NULL */
};

/* What the threads share. */
struct serve {
	const struct serve_opts *o;
	struct serve_path paths[SERVE_NPATHS];
	struct serve_conn *conns;
	int wake[2];           /* a path's thread writes a byte when a round ends */
	int quit;              /* under serve_lock: the threads end */
};

static pthread_mutex_t serve_lock = PTHREAD_MUTEX_INITIALIZER;
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
		return probe_err_prefix(err, EXIT_USAGE, "--listen %s", o->listen);
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
		return probe_err_prefix(err, EXIT_USAGE, "--listen %s", o->listen);
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
	/* A long backlog: a burst of connections waits there rather than
	 * having its SYNs dropped (a second's retry for a prober among them). */
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, SOMAXCONN) < 0) {
		probe_err_set(err, EXIT_CONFIG, "--listen %s: %s", o->listen, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void serve_verdict_put(struct serve_verdict *v)
{
	if (v && --v->refs == 0)
		free(v);
}

/* Runs one round of p's checks.  Returns the verdict (refs 1; the caller
 * owns it), or NULL when out of memory; sets *abandoned when the round
 * abandoned a worker. */
static struct serve_verdict *serve_round(struct serve_path *p, const struct serve_opts *o,
					 int *abandoned)
{
	struct run_opts ro = { .timeout_ms = o->timeout_ms };
	struct report_summary sum;
	struct serve_verdict *v;
	size_t len;

	*abandoned = runner_run(&p->plan, &ro, &sum);
	len = report_render(p->report, SERVE_REPORT_MAX, FORMAT_JSON, 0, p->plan.checks,
			    p->plan.n, &sum);
	v = malloc(sizeof(*v) + len);
	if (!v)
		return NULL;
	v->refs = 1;
	v->healthy = sum.failed == 0 && sum.skipped == 0;
	v->at_ns = deadline_now_ns();
	v->len = len;
	memcpy(v->body, p->report, len);
	return v;
}

/* A path's thread: runs a round each time the main thread asks, until
 * serving stops. */
static void *serve_path_thread(void *arg)
{
	struct serve_path *p = arg;
	struct serve *s = p->s;

	pthread_mutex_lock(&serve_lock);
	for (;;) {
		struct serve_verdict *v;
		int abandoned;

		while (!p->asked && !s->quit)
			pthread_cond_wait(&p->cond, &serve_lock);
		if (s->quit)
			break;
		p->asked = 0;
		p->running = 1;
		pthread_mutex_unlock(&serve_lock);
		v = serve_round(p, s->o, &abandoned);
		pthread_mutex_lock(&serve_lock);
		p->running = 0;
		p->done = v;
		p->reported = 1;
		p->abandoned |= abandoned;
		/* Non-blocking: a full pipe already holds a wake-up. */
		(void)!write(s->wake[1], "", 1);
	}
	pthread_mutex_unlock(&serve_lock);
	return NULL;
}

/* Sets up path i: copies of the checks its level runs, each with a result
 * of its own, as paths' rounds overlap.  Returns 0, or -1 out of memory. */
static int serve_path_init(struct serve *s, size_t i, const struct plan *plan)
{
	struct serve_path *p = &s->paths[i];
	size_t k, n = plan->n ? plan->n : 1;

	p->s = s;
	if (pthread_cond_init(&p->cond, NULL) != 0)
		return -1;
	p->cond_made = 1;
	p->copies = calloc(n, sizeof(*p->copies));
	p->plan.checks = calloc(n, sizeof(*p->plan.checks));
	p->report = malloc(SERVE_REPORT_MAX);
	if (!p->copies || !p->plan.checks || !p->report)
		return -1;
	for (k = 0; k < plan->n; k++) {
		struct check *c = &p->copies[p->plan.n];

		if (serve_paths[i].level == LEVEL_LIVE && plan->checks[k]->level != LEVEL_LIVE)
			continue;
		*c = *plan->checks[k];
		memset(&c->res, 0, sizeof(c->res));
		c->busy = 0;
		p->plan.checks[p->plan.n++] = c;
	}
	return 0;
}

/* Frees what serve_path_init made; the copies share the plan's words and
 * kinds' state, which stay the plan's. */
static void serve_path_free(struct serve_path *p)
{
	free(p->copies);
	free(p->plan.checks);
	free(p->report);
	serve_verdict_put(p->verdict);
	serve_verdict_put(p->done);
	if (p->cond_made)
		pthread_cond_destroy(&p->cond);
}

static void serve_close(struct serve_conn *c)
{
	close(c->fd);
	serve_verdict_put(c->body);
	c->fd = -1;
	c->state = CONN_FREE;
	c->body = NULL;
	c->len = c->off = 0;
}

/* Sends what c has left to send; closes it once sent or when the client is
 * gone.  Leaves it open when the socket is full: poll says when to go on. */
static void serve_write(struct serve_conn *c)
{
	for (;;) {
		size_t blen = c->body && !c->head_only ? c->body->len : 0, n = 0;
		struct iovec iov[2];
		struct msghdr m;
		ssize_t w;

		if (c->off < c->len) {
			iov[n].iov_base = c->buf + c->off;
			iov[n++].iov_len = c->len - c->off;
		}
		if (blen && c->off < c->len + blen) {
			size_t sent = c->off > c->len ? c->off - c->len : 0;

			iov[n].iov_base = c->body->body + sent;
			iov[n++].iov_len = blen - sent;
		}
		if (n == 0) {
			serve_close(c);
			return;
		}
		memset(&m, 0, sizeof(m));
		m.msg_iov = iov;
		m.msg_iovlen = n;
		w = sendmsg(c->fd, &m, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (w <= 0) {
			serve_close(c);
			return;
		}
		c->off += (size_t)w;
	}
}

/* Starts the answer: the head (and a short text body) in c->buf, then the
 * verdict v when not NULL (c takes a reference). */
static void serve_respond(struct serve_conn *c, int code, const char *reason, const char *type,
			  const char *text, struct serve_verdict *v)
{
	size_t blen = v ? v->len : strlen(text);
	int n = snprintf(c->buf, sizeof(c->buf),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Cache-Control: no-store\r\nConnection: close\r\n\r\n%s",
			 code, reason, type, blen, v || c->head_only ? "" : text);

	c->state = CONN_WRITE;
	c->len = n > 0 && (size_t)n < sizeof(c->buf) ? (size_t)n : 0;
	c->off = 0;
	c->body = v;
	if (v)
		v->refs++;
	c->deadline_ns = deadline_now_ns() + (int64_t)SERVE_WRITE_MS * 1000000;
	serve_write(c);
}

/* Answers c with path p's verdict: 200 or 503 and the report. */
static void serve_respond_verdict(struct serve_conn *c, struct serve_path *p)
{
	if (!p->verdict) {
		serve_respond(c, 503, "Service Unavailable", "text/plain", "out of memory\n",
			      NULL);
		return;
	}
	serve_respond(c, p->verdict->healthy ? 200 : 503,
		      p->verdict->healthy ? "OK" : "Service Unavailable", "application/x-ndjson",
		      NULL, p->verdict);
}

/* Asks p's thread for a round, unless one is already on its way. */
static void serve_ask(struct serve_path *p)
{
	if (p->pending)
		return;
	p->pending = 1;
	pthread_mutex_lock(&serve_lock);
	p->asked = 1;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&serve_lock);
}

/* Answers the request whole in c->buf: at once from a fresh verdict, or
 * once the path's round (running, or asked for now) ends. */
static void serve_answer(struct serve *s, struct serve_conn *c)
{
	char method[16], path[256];
	struct serve_path *p;
	size_t i;
	char *q;

	if (sscanf(c->buf, "%15s %255s HTTP/1.%*c", method, path) != 2) {
		serve_respond(c, 400, "Bad Request", "text/plain", "bad request\n", NULL);
		return;
	}
	q = strchr(path, '?');
	if (q)
		*q = '\0';
	c->head_only = strcmp(method, "HEAD") == 0;
	for (i = 0; i < SERVE_NPATHS; i++)
		if (strcmp(path, serve_paths[i].path) == 0)
			break;
	if (i == SERVE_NPATHS) {
		serve_respond(c, 404, "Not Found", "text/plain",
			      "not found: try /livez, /readyz or /startupz\n", NULL);
		return;
	}
	if (strcmp(method, "GET") != 0 && !c->head_only) {
		serve_respond(c, 405, "Method Not Allowed", "text/plain", "GET only\n", NULL);
		return;
	}
	p = &s->paths[i];
	if (p->verdict && deadline_now_ns() - p->verdict->at_ns < s->o->cache_ms * 1000000) {
		serve_respond_verdict(c, p);
		return;
	}
	c->state = CONN_WAIT;
	c->path = i;
	serve_ask(p);
}

/* Reads what c has sent; answers once the request is whole. */
static void serve_read(struct serve *s, struct serve_conn *c)
{
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		serve_close(c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (strstr(c->buf, "\r\n\r\n") || strstr(c->buf, "\n\n"))
		serve_answer(s, c);
	else if (c->len >= sizeof(c->buf) - 1)
		serve_respond(c, 431, "Request Header Fields Too Large", "text/plain",
			      "request too large\n", NULL);
}

/*
 * The slot for a new connection: a free one, else the one whose loss costs
 * least - the oldest of those still without a whole request (a prober
 * sends its request as it connects: one that has not, long after, is idle
 * or dribbling, whether it sent a few bytes or none), then the oldest
 * waiting on the path most are waiting on (a flood of whole requests for
 * one path does not lock out the others).  One sending its answer is never
 * taken: it is about to be done.  Returns the slot, or -1 when every one
 * is sending.
 */
static int serve_slot(struct serve *s)
{
	size_t i, waiting[SERVE_NPATHS] = { 0 };
	int best = -1, best_rank = 0;

	for (i = 0; i < SERVE_MAX_CONNS; i++)
		if (s->conns[i].state == CONN_WAIT)
			waiting[s->conns[i].path]++;
	for (i = 0; i < SERVE_MAX_CONNS; i++) {
		const struct serve_conn *c = &s->conns[i];
		int rank;

		switch (c->state) {
		case CONN_FREE:
			return (int)i;
		case CONN_READ:
			rank = 1;
			break;
		case CONN_WAIT:
			rank = 2 + (int)(SERVE_MAX_CONNS - waiting[c->path]);
			break;
		default:
			continue;
		}
		if (best < 0 || rank < best_rank ||
		    (rank == best_rank && c->since_ns < s->conns[best].since_ns)) {
			best = (int)i;
			best_rank = rank;
		}
	}
	return best;
}

/* Takes every new connection into a slot and reads at once what it has
 * sent: a prober's request, already there, is answered or waits for its
 * round, so later connections cannot push it out. */
static void serve_accept(struct serve *s, int lfd)
{
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct serve_conn *c;
		int slot;

		/* Read the one to be pushed out first: a request that has just
		 * come is no loss. */
		while ((slot = serve_slot(s)) >= 0 && s->conns[slot].state == CONN_READ) {
			size_t had = s->conns[slot].len;

			serve_read(s, &s->conns[slot]);
			if (s->conns[slot].state == CONN_READ && s->conns[slot].len == had)
				break;
		}
		if (slot < 0) {
			close(fd);
			continue;
		}
		c = &s->conns[slot];
		if (c->state == CONN_WAIT) {
			serve_respond(c, 503, "Service Unavailable", "text/plain",
				      "too many clients waiting\n", NULL);
			if (c->state != CONN_FREE)
				serve_close(c); /* its loss: no room to finish */
		} else if (c->state != CONN_FREE) {
			serve_close(c);
		}
		c->fd = fd;
		c->state = CONN_READ;
		c->head_only = 0;
		c->len = 0;
		c->since_ns = deadline_now_ns();
		c->deadline_ns = c->since_ns + (int64_t)SERVE_READ_MS * 1000000;
		serve_read(s, c);
	}
}

/* Takes the verdicts of the rounds that ended and answers the connections
 * waiting for them. */
static void serve_collect(struct serve *s)
{
	char drain[64];
	size_t i, k;

	while (read(s->wake[0], drain, sizeof(drain)) > 0)
		;
	for (i = 0; i < SERVE_NPATHS; i++) {
		struct serve_path *p = &s->paths[i];
		struct serve_verdict *v;
		int reported;

		pthread_mutex_lock(&serve_lock);
		reported = p->reported;
		v = p->done;
		p->reported = 0;
		p->done = NULL;
		pthread_mutex_unlock(&serve_lock);
		if (!reported)
			continue;
		p->pending = 0;
		serve_verdict_put(p->verdict);
		p->verdict = v;
		for (k = 0; k < SERVE_MAX_CONNS; k++)
			if (s->conns[k].state == CONN_WAIT && s->conns[k].path == i)
				serve_respond_verdict(&s->conns[k], p);
	}
}

/* Closes the connections past their deadline; returns the milliseconds
 * until the next deadline (at most a second). */
static int serve_expire(struct serve *s)
{
	int64_t now = deadline_now_ns(), wait_ms = 1000;
	size_t i;

	for (i = 0; i < SERVE_MAX_CONNS; i++) {
		struct serve_conn *c = &s->conns[i];

		if (c->state != CONN_READ && c->state != CONN_WRITE)
			continue;
		if (c->deadline_ns <= now) {
			serve_close(c); /* too slow: a slow client's loss */
			continue;
		}
		if ((c->deadline_ns - now) / 1000000 + 1 < wait_ms)
			wait_ms = (c->deadline_ns - now) / 1000000 + 1;
	}
	return (int)wait_ms;
}

/* Serves until SIGTERM or SIGINT (blocked but in ppoll, so the paths'
 * threads and the checks' never take them). */
static void serve_loop(struct serve *s, int lfd, const sigset_t *unblocked)
{
	struct pollfd pfds[SERVE_MAX_CONNS + 2];
	struct serve_conn *polled[SERVE_MAX_CONNS + 2];

	while (!serve_stop) {
		struct timespec ts;
		nfds_t n = 2, k;
		size_t i;
		int wait_ms = serve_expire(s);

		pfds[0].fd = s->wake[0];
		pfds[0].events = POLLIN;
		pfds[1].fd = lfd;
		pfds[1].events = POLLIN;
		for (i = 0; i < SERVE_MAX_CONNS; i++) {
			struct serve_conn *c = &s->conns[i];

			if (c->state != CONN_READ && c->state != CONN_WRITE)
				continue;
			pfds[n].fd = c->fd;
			pfds[n].events = c->state == CONN_READ ? POLLIN : POLLOUT;
			polled[n++] = c;
		}
		ts.tv_sec = wait_ms / 1000;
		ts.tv_nsec = (long)(wait_ms % 1000) * 1000000L;
		if (ppoll(pfds, n, &ts, unblocked) <= 0)
			continue;
		if (pfds[0].revents)
			serve_collect(s);
		/* Connections before new ones: a slot accept() reuses is not
		 * the connection poll spoke of. */
		for (k = 2; k < n; k++) {
			struct serve_conn *c = polled[k];

			if (!pfds[k].revents || c->fd != pfds[k].fd)
				continue;
			if (c->state == CONN_READ)
				serve_read(s, c);
			else if (c->state == CONN_WRITE)
				serve_write(c);
		}
		if (pfds[1].revents)
			serve_accept(s, lfd);
	}
}

/* Starts each path's thread with SIGTERM and SIGINT blocked (the mask
 * passes on to the checks' threads).  Returns 0, or -1. */
static int serve_start_threads(struct serve *s)
{
	size_t i;

	for (i = 0; i < SERVE_NPATHS; i++) {
		if (pthread_create(&s->paths[i].thread, NULL, serve_path_thread, &s->paths[i]) != 0)
			return -1;
		s->paths[i].started = 1;
	}
	return 0;
}

/* Ends the paths' threads.  Returns 1 when a round still runs or some
 * round abandoned a worker: then nothing may be freed (the caller leaves
 * with _exit), else 0 with every thread joined. */
static int serve_end_threads(struct serve *s)
{
	size_t i;
	int busy = 0;

	pthread_mutex_lock(&serve_lock);
	s->quit = 1;
	for (i = 0; i < SERVE_NPATHS; i++) {
		busy |= s->paths[i].running || s->paths[i].abandoned;
		if (s->paths[i].cond_made)
			pthread_cond_signal(&s->paths[i].cond);
	}
	pthread_mutex_unlock(&serve_lock);
	if (busy)
		return 1;
	for (i = 0; i < SERVE_NPATHS; i++)
		if (s->paths[i].started)
			pthread_join(s->paths[i].thread, NULL);
	return 0;
}

int serve_run(struct plan *plan, const struct serve_opts *o, int *abandoned,
	      struct probe_err *err)
{
	/* static: when a round still runs at the end, its thread outlives
	 * this call, up to the caller's _exit. */
	static struct serve s;
	struct sigaction sa;
	sigset_t block, old;
	char line[300];
	size_t i;
	int lfd, ok;

	*abandoned = 0;
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.wake[0] = s.wake[1] = -1;
	lfd = serve_listen(o, err);
	if (lfd < 0)
		return -1;
	s.conns = calloc(SERVE_MAX_CONNS, sizeof(*s.conns));
	ok = s.conns && pipe2(s.wake, O_NONBLOCK | O_CLOEXEC) == 0;
	for (i = 0; ok && i < SERVE_NPATHS; i++)
		ok = serve_path_init(&s, i, plan) == 0;
	for (i = 0; s.conns && i < SERVE_MAX_CONNS; i++)
		s.conns[i].fd = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = serve_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	if (!ok) {
		probe_err_set(err, EXIT_CONFIG, "probe serve: out of memory");
	} else if (serve_start_threads(&s) < 0) {
		probe_err_set(err, EXIT_CONFIG, "probe serve: cannot start a thread");
		ok = 0;
	} else {
		sigset_t unblocked = old;

		sigdelset(&unblocked, SIGTERM);
		sigdelset(&unblocked, SIGINT);
		snprintf(line, sizeof(line), "{\"serve\":\"listening\",\"address\":\"%s\"}\n",
			 o->listen);
		report_write(line, strlen(line));
		serve_loop(&s, lfd, &unblocked);
	}
	for (i = 0; s.conns && i < SERVE_MAX_CONNS; i++)
		if (s.conns[i].state != CONN_FREE)
			serve_close(&s.conns[i]);
	close(lfd);
	if (serve_end_threads(&s)) {
		*abandoned = 1; /* a round's threads still use the plan and s */
		return ok ? EXIT_HEALTHY : -1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < SERVE_NPATHS; i++)
		serve_path_free(&s.paths[i]);
	free(s.conns);
	if (s.wake[0] >= 0) {
		close(s.wake[0]);
		close(s.wake[1]);
	}
	return ok ? EXIT_HEALTHY : -1;
}
