/*
 * redis.c - redis://[user:password@]host[:port][/db]: PING answers PONG
 * (SPEC §2; a server still LOADING is not ready).
 *
 * The socket is probe's own (net_connect, bounded by the deadline) and so
 * is every read and write (poll on what is left of it); hiredis only
 * formats the commands and parses the replies (its redisReader, the pure
 * RESP parser).  hiredis' blocking calls would give each read the whole
 * timeout again, so a server that trickles one byte a second could hold a
 * check past the deadline.  The commands go out in one write - [AUTH],
 * [SELECT db], PING, INFO server - and the replies are judged in order
 * (redis_reply.c): one round trip, and INFO still answers while the server
 * is loading, so a failure can carry detail.server_version too.
 *
 * rediss:// (TLS) is accepted as a check word but fails at run time with a
 * clear message: hiredis 0.14 has no TLS.  A run-time failure rather than
 * a usage error, so that the other checks of the run still report.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <hiredis/hiredis.h>

#include "probe/check.h"
#include "checks/net/net.h"
#include "checks/db/redis_reader.h"
#include "checks/db/redis_reply.h"
#include "probe/report.h"

#define REDIS_DEFAULT_PORT 6379

static const char *const redis_names[] = { "redis", "rediss", NULL };
static const char *const redis_keys[] = { NULL };
/* net_fail's causes (connecting), then the server's and the reply's. */
static const enum probe_cause redis_causes[] = {
	CAUSE_DNS,     CAUSE_REFUSED,	 CAUSE_UNREACHABLE, CAUSE_TIMEOUT,    CAUSE_RESET,
	CAUSE_CLOSED,  CAUSE_TLS,	 CAUSE_PROTOCOL,    CAUSE_LOADING,    CAUSE_BUSY,
	CAUSE_MASTERDOWN, CAUSE_MISCONF, CAUSE_MAXCLIENTS,  CAUSE_AUTH,	      CAUSE_DENIED,
	CAUSE_DB,      CAUSE_ERROR,	 CAUSE_OTHER,	    CAUSE_NONE,
};

/* How one read or write ended. */
enum redis_io {
	RIO_OK,
	RIO_TIMEOUT,  /* the deadline passed first */
	RIO_EOF,      /* the server closed the connection */
	RIO_ERRNO,    /* a socket error, in errno */
	RIO_PROTOCOL, /* bytes that are not RESP */
	RIO_ENDLESS,  /* REDIS_PENDING_MAX bytes and still no whole reply */
};

/* The bytes read without a whole reply coming of them: a health check's
 * replies are small, and hiredis would buffer a reply that never ends
 * ("+AAAA..." without CRLF) for as long as the server sends it. */
#define REDIS_PENDING_MAX (1024 * 1024)

struct redis_conn {
	int fd;
	redisReader *reader;
	struct deadline dl;
	char first[64]; /* the first bytes received, quoted when not RESP */
	size_t nfirst;
	size_t pending; /* bytes read since the last whole reply */
	int err; /* errno of RIO_ERRNO */
};

static int redis_parse(struct check *c, struct probe_err *err)
{
	struct redis_target *t = calloc(1, sizeof(*t));
	char key[700];

	if (!t)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	c->priv = t;
	if (redis_target_parse(c->word, t, err) < 0)
		return probe_err_prefix(err, EXIT_USAGE, "%s", c->name);
	/* The decoded password; the URL itself is masked by position. */
	if (t->url.has_password)
		secret_add(t->url.password);
	/* redis-py and the redis CLIs default to this machine. */
	snprintf(c->ep.host, sizeof(c->ep.host), "%s",
		 t->url.host[0] ? t->url.host : "127.0.0.1");
	c->ep.port = t->url.port ? t->url.port : REDIS_DEFAULT_PORT;
	c->ep.local = host_is_local(c->ep.host);
	/* The identity of this database, whatever the scheme and password. */
	snprintf(key, sizeof(key), "redis://%s@%s:%d/%d", t->url.user, c->ep.host, c->ep.port,
		 t->db);
	c->dep_key = strdup(key);
	if (!c->dep_key)
		return probe_err_set(err, EXIT_CONFIG, "out of memory");
	return 0;
}

static void redis_free(struct check *c)
{
	free(c->priv);
	c->priv = NULL;
}

/* A failed redis check makes later checks on the same database pointless. */
static int redis_covers(const struct check *pre, const struct check *dep)
{
	return pre->dep_key && dep->dep_key && strcmp(pre->dep_key, dep->dep_key) == 0;
}

#if HIREDIS_MAJOR >= 1
redisReader *redis_reader_new(void)
{
	redisReader *r = redisReaderCreate();

	if (r)
		r->maxelements = REDIS_MAX_ELEMENTS;
	return r;
}
#else
/* hiredis 0.14 has no maxelements: its own reply functions, with arrays
 * counted first.  Every reader starts from the same table, copied once. */
static redisReplyObjectFunctions redis_fns;
static void *(*redis_hiredis_array)(const redisReadTask *task, int elements);
static pthread_once_t redis_fns_once = PTHREAD_ONCE_INIT;

/* hiredis' createArray for counts up to REDIS_MAX_ELEMENTS; NULL (which
 * the reader takes as out of memory) above. */
static void *redis_array(const redisReadTask *task, int elements)
{
	if (elements > REDIS_MAX_ELEMENTS)
		return NULL;
	return redis_hiredis_array(task, elements);
}

static void redis_fns_init(void)
{
	redisReader *r = redisReaderCreate();

	if (!r)
		return;
	redis_fns = *r->fn;
	redis_hiredis_array = redis_fns.createArray;
	redis_fns.createArray = redis_array;
	redisReaderFree(r);
}

redisReader *redis_reader_new(void)
{
	pthread_once(&redis_fns_once, redis_fns_init);
	if (!redis_hiredis_array)
		return NULL;
	return redisReaderCreateWithFunctions(&redis_fns);
}
#endif

/* Waits until fd is ready for events before rc->dl.  Returns RIO_OK or
 * RIO_TIMEOUT, or RIO_ERRNO. */
static enum redis_io redis_wait(struct redis_conn *rc, short events)
{
	struct pollfd pfd = { .fd = rc->fd, .events = events };
	int n;

	do {
		int64_t left = deadline_left_ms(&rc->dl);

		if (left <= 0)
			return RIO_TIMEOUT;
		n = poll(&pfd, 1, left > 0x7fffffff ? 0x7fffffff : (int)left);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		rc->err = errno;
		return RIO_ERRNO;
	}
	return n == 0 ? RIO_TIMEOUT : RIO_OK;
}

/* Sends all len bytes of buf before rc->dl. */
static enum redis_io redis_send(struct redis_conn *rc, const char *buf, size_t len)
{
	while (len > 0) {
		enum redis_io w = redis_wait(rc, POLLOUT);
		ssize_t n;

		if (w != RIO_OK)
			return w;
		n = send(rc->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			rc->err = errno;
			return RIO_ERRNO;
		}
		buf += n;
		len -= (size_t)n;
	}
	return RIO_OK;
}

/* Reads the next whole reply into *out (freed with freeReplyObject) before
 * rc->dl. */
static enum redis_io redis_recv(struct redis_conn *rc, redisReply **out)
{
	char buf[4096];

	*out = NULL;
	for (;;) {
		void *reply = NULL;
		enum redis_io w;
		ssize_t n;

		if (redisReaderGetReply(rc->reader, &reply) != REDIS_OK)
			return RIO_PROTOCOL;
		if (reply) {
			*out = reply;
			rc->pending = 0;
			return RIO_OK;
		}
		if (rc->pending >= REDIS_PENDING_MAX)
			return RIO_ENDLESS;
		w = redis_wait(rc, POLLIN);
		if (w != RIO_OK)
			return w;
		n = recv(rc->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			rc->err = errno;
			return RIO_ERRNO;
		}
		if (n == 0)
			return RIO_EOF;
		if (rc->nfirst < sizeof(rc->first)) {
			size_t k = sizeof(rc->first) - rc->nfirst;

			if (k > (size_t)n)
				k = (size_t)n;
			memcpy(rc->first + rc->nfirst, buf, k);
			rc->nfirst += k;
		}
		rc->pending += (size_t)n;
		if (redisReaderFeed(rc->reader, buf, (size_t)n) != REDIS_OK)
			return RIO_PROTOCOL;
	}
}

/* Appends one formatted command to *buf (length *len).  Returns 0 or -1
 * when out of memory. */
static int redis_append(char **buf, size_t *len, int argc, const char **argv)
{
	char *cmd = NULL, *grown;
	int n = redisFormatCommandArgv(&cmd, argc, argv, NULL);

	if (n < 0 || !cmd)
		return -1;
	grown = realloc(*buf, *len + (size_t)n);
	if (!grown) {
		redisFreeCommand(cmd);
		return -1;
	}
	memcpy(grown + *len, cmd, (size_t)n);
	*buf = grown;
	*len += (size_t)n;
	redisFreeCommand(cmd);
	return 0;
}

/* Formats the pipeline for t into *buf (malloc'd, caller frees) and the
 * steps it holds into steps[]; returns their count, or -1. */
static int redis_pipeline(const struct redis_target *t, char **buf, size_t *len,
			  enum redis_step *steps)
{
	const char *argv[3];
	char db[16];
	int n = 0;

	*buf = NULL;
	*len = 0;
	/* As redis-py does: AUTH only with a password; AUTH user pass (Redis
	 * 6 ACL) only with a user too. */
	if (t->url.password[0]) {
		int argc = 0;

		argv[argc++] = "AUTH";
		if (t->url.user[0])
			argv[argc++] = t->url.user;
		argv[argc++] = t->url.password;
		if (redis_append(buf, len, argc, argv) < 0)
			return -1;
		steps[n++] = REDIS_STEP_AUTH;
	}
	if (t->db != 0) {
		snprintf(db, sizeof(db), "%d", t->db);
		argv[0] = "SELECT";
		argv[1] = db;
		if (redis_append(buf, len, 2, argv) < 0)
			return -1;
		steps[n++] = REDIS_STEP_SELECT;
	}
	argv[0] = "PING";
	if (redis_append(buf, len, 1, argv) < 0)
		return -1;
	steps[n++] = REDIS_STEP_PING;
	argv[0] = "INFO";
	argv[1] = "server";
	if (redis_append(buf, len, 2, argv) < 0)
		return -1;
	steps[n++] = REDIS_STEP_INFO;
	return n;
}

enum redis_rtype redis_rtype_of(int type)
{
	switch (type) {
	case REDIS_REPLY_STATUS:
		return REDIS_RT_STATUS;
	case REDIS_REPLY_ERROR:
		return REDIS_RT_ERROR;
	case REDIS_REPLY_STRING:
		return REDIS_RT_STRING;
	case REDIS_REPLY_INTEGER:
		return REDIS_RT_INTEGER;
	case REDIS_REPLY_ARRAY:
		return REDIS_RT_ARRAY;
	default:
		return REDIS_RT_NIL;
	}
}

/* The first bytes, printable (others as '.'), at most 40 of them. */
static void redis_excerpt(const char *b, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n && i < 40 && k + 1 < cap; i++)
		out[k++] = isprint((unsigned char)b[i]) ? b[i] : '.';
	out[k] = '\0';
}

/* Reports a read or write that did not bring step's reply. */
static void redis_io_fail(struct check_result *res, struct redis_conn *rc,
			  enum redis_io io, enum redis_step step, int64_t budget_ms)
{
	struct redis_verdict v;

	switch (io) {
	case RIO_TIMEOUT:
		if (rc->pending > 0) {
			char shown[80];

			redis_excerpt(rc->first, rc->nfirst, shown, sizeof(shown));
			result_fail(res, HINT_REDIS_NOT_REDIS,
				    "the server sent %zu byte%s of a reply to %s and did not end "
				    "it within %lld ms (it begins: \"%s\")",
				    rc->pending, rc->pending == 1 ? "" : "s", redis_step_name(step),
				    (long long)budget_ms, shown);
			detail_cause(res, CAUSE_PROTOCOL);
			break;
		}
		result_fail(res, HINT_TIMEOUT,
			    "no reply to %s within %lld ms: the server accepted the connection "
			    "but does not answer",
			    redis_step_name(step), (long long)budget_ms);
		detail_cause(res, CAUSE_TIMEOUT);
		break;
	case RIO_ENDLESS: {
		char shown[80];

		redis_excerpt(rc->first, rc->nfirst, shown, sizeof(shown));
		result_fail(res, HINT_REDIS_NOT_REDIS,
			    "the server sent over %d KiB without ending a reply to %s (it begins: "
			    "\"%s\"): not a Redis server",
			    REDIS_PENDING_MAX / 1024, redis_step_name(step), shown);
		detail_cause(res, CAUSE_PROTOCOL);
		break;
	}
	case RIO_EOF:
		if (rc->nfirst > 0) {
			/* Bytes, then the end, and no whole reply: not Redis. */
			redis_judge_garbage(rc->first, rc->nfirst, &v);
			result_fail(res, v.hint, "%s", v.error);
			detail_cause(res, v.cause);
			break;
		}
		result_fail(res, HINT_REDIS_CLOSED,
			    "the server closed the connection without answering %s",
			    redis_step_name(step));
		detail_cause(res, CAUSE_CLOSED);
		break;
	case RIO_PROTOCOL:
		redis_judge_garbage(rc->first, rc->nfirst, &v);
		result_fail(res, v.hint, "%s", v.error);
		detail_cause(res, v.cause);
		break;
	case RIO_ERRNO:
	default:
		if (rc->err == ECONNRESET) {
			/* What a TLS-only Redis port does to plain text. */
			result_fail(res, HINT_REDIS_CLOSED,
				    "the server reset the connection without answering %s",
				    redis_step_name(step));
			detail_cause(res, CAUSE_RESET);
			break;
		}
		result_fail(res, HINT_NONE, "socket error: %s", strerror(rc->err));
		detail_cause(res, CAUSE_OTHER);
		break;
	}
}


static void redis_run(const struct check *c, const struct deadline *dl,
		      struct check_result *res)
{
	const struct redis_target *t = c->priv;
	struct redis_conn rc = { .fd = -1 };
	enum redis_step steps[4];
	redisReply *reply = NULL;
	struct net_error ne;
	char *cmds = NULL, version[64] = "";
	size_t len = 0;
	int64_t budget;
	int nsteps, i, ok = 1;
	enum redis_io io;

	if (t->tls) {
		result_fail(res, HINT_REDIS_NO_TLS,
			    "rediss:// (Redis over TLS) is not supported by this build of probe");
		detail_cause(res, CAUSE_TLS);
		return;
	}
	rc.dl = *dl;
	budget = deadline_left_ms(&rc.dl);
	nsteps = redis_pipeline(t, &cmds, &len, steps);
	rc.reader = redis_reader_new();
	if (nsteps < 0 || !rc.reader) {
		result_fail(res, HINT_NONE, "out of memory");
		goto out;
	}
	rc.fd = net_connect(c->ep.host, c->ep.port, &rc.dl, &ne);
	if (rc.fd < 0) {
		net_fail(res, &ne, c->ep.host, c->ep.port);
		goto out;
	}
	io = redis_send(&rc, cmds, len);
	/* A server that answers and hangs up at once (a full server, a
	 * non-Redis one) may close before all is sent: read what it said. */
	if (io == RIO_ERRNO && (rc.err == EPIPE || rc.err == ECONNRESET))
		io = RIO_OK;
	if (io != RIO_OK) {
		redis_io_fail(res, &rc, io, steps[0], budget);
		goto out;
	}
	for (i = 0; i < nsteps; i++) {
		struct redis_verdict v;

		io = redis_recv(&rc, &reply);
		if (io != RIO_OK) {
			/* INFO is only for the version: PING has passed. */
			if (ok && steps[i] != REDIS_STEP_INFO)
				redis_io_fail(res, &rc, io, steps[i], budget);
			break;
		}
		if (steps[i] == REDIS_STEP_INFO) {
			if (reply->type == REDIS_REPLY_STRING && reply->str)
				redis_info_version(reply->str, version, sizeof(version));
		} else if (ok) {
			redis_judge(steps[i], redis_rtype_of(reply->type), reply->str, &v);
			if (!v.ok) {
				result_fail(res, v.hint, "%s", v.error);
				detail_cause(res, v.cause);
				ok = 0;
				/* A loading server still answers INFO: read on
				 * for its version, briefly. */
				if (v.cause != CAUSE_LOADING)
					break;
				rc.dl = deadline_min(rc.dl, deadline_in(250));
			}
		}
		freeReplyObject(reply);
		reply = NULL;
	}
	if (version[0])
		detail_str(res, "server_version", version);
	if (ok && res->status != CHECK_FAIL)
		result_pass(res);
out:
	if (reply)
		freeReplyObject(reply);
	if (rc.reader)
		redisReaderFree(rc.reader);
	free(cmds);
	net_close(rc.fd);
}

const struct check_kind check_redis = {
	.names = redis_names,
	.keys = redis_keys,
	.layer = LAYER_DEPS,
	.level = LEVEL_READY,
	.flags = KIND_URL_TARGET | KIND_DB_URL,
	.defport = REDIS_DEFAULT_PORT,
	.title = "Redis",
	.help = "redis://... [ready]       AUTH, SELECT, PING answers PONG (LOADING: not ready)",
	.causes = redis_causes,
	.parse = redis_parse,
	.run = redis_run,
	.free = redis_free,
	.covers = redis_covers,
};
