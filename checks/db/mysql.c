/*
 * mysql.c - mysql[+driver]://, mariadb://: connect with MariaDB
 * Connector/C and run the check's query (SELECT 1 unless query=), all
 * under one deadline.
 *
 * The client's own timeouts are whole seconds, so the connection runs in
 * the library's non-blocking mode (MYSQL_OPT_NONBLOCK, *_start/_cont) and
 * probe polls mysql_get_socket() against the deadline itself.  Failures
 * are judged by myerr_connect / myerr_query (mysql_err.c, pure and
 * unit-tested).
 */
#include <errno.h>
#include <mysql.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "probe/check.h"
#include "checks/db/sql.h"
#include "checks/db/sql_err.h"
#include "lib/tls.h"
#include "lib/url.h"

struct sql_conn {
	MYSQL *m;
};

extern const struct check_kind check_mysql;

/* The largest packet read from a server (MYSQL_OPT_MAX_ALLOWED_PACKET). */
#define MY_PACKET_MAX (1024UL * 1024)

static const char *const my_names[] = { "mysql", "mariadb", NULL };
static const char *const my_keys[] = { "query", NULL };

/* How much TLS the URL asks for. */
enum my_tls { MY_TLS_OFF, MY_TLS_PREFERRED, MY_TLS_REQUIRED, MY_TLS_VERIFY };

static int my_yes(const char *v)
{
	return v && (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
		     strcasecmp(v, "yes") == 0);
}

/* Reads the TLS wish from the parameters the Python drivers take:
 * ssl_mode= (mysqlclient, MySQL's names), ssl=true, ssl_disabled=,
 * ssl_verify_cert= / ssl_verify_identity= / ssl_check_hostname=
 * (PyMySQL), and ssl_ca= (a CA means: verify).  Returns -1 for an
 * ssl_mode= it does not know. */
static int my_tls_mode(const struct dburl *u, enum my_tls *out)
{
	const char *mode = dburl_param(u, "ssl_mode"), *ssl = dburl_param(u, "ssl");

	*out = MY_TLS_OFF;
	if (mode) {
		if (strcasecmp(mode, "disabled") == 0)
			return 0;
		if (strcasecmp(mode, "preferred") == 0)
			*out = MY_TLS_PREFERRED;
		else if (strcasecmp(mode, "required") == 0)
			*out = MY_TLS_REQUIRED;
		else if (strcasecmp(mode, "verify_ca") == 0 ||
			 strcasecmp(mode, "verify_identity") == 0)
			*out = MY_TLS_VERIFY;
		else
			return -1;
	}
	if (my_yes(dburl_param(u, "ssl_disabled")) ||
	    (ssl && (strcasecmp(ssl, "false") == 0 || strcmp(ssl, "0") == 0))) {
		*out = MY_TLS_OFF;
		return 0;
	}
	if (*out == MY_TLS_OFF && (my_yes(ssl) || dburl_param(u, "ssl_cert") ||
				   dburl_param(u, "ssl_key")))
		*out = MY_TLS_REQUIRED;
	if ((!mode && (dburl_param(u, "ssl_ca") || dburl_param(u, "ssl_capath"))) ||
	    my_yes(dburl_param(u, "ssl_verify_cert")) ||
	    my_yes(dburl_param(u, "ssl_verify_identity")) ||
	    my_yes(dburl_param(u, "ssl_check_hostname")))
		*out = MY_TLS_VERIFY;
	return 0;
}

static int my_parse(struct check *c, struct probe_err *err)
{
	const struct sql_check *s;
	enum my_tls tls;

	if (sql_check_parse(c, err) < 0)
		return -1;
	s = c->priv;
	if (my_tls_mode(&s->url, &tls) < 0)
		return probe_err_set(err, EXIT_USAGE,
				     "%s: ssl_mode=%s: expected DISABLED, PREFERRED, REQUIRED, "
				     "VERIFY_CA or VERIFY_IDENTITY",
				     c->name, dburl_param(&s->url, "ssl_mode"));
	/* Connector/C speaks TLS only when asked to (unlike libpq). */
	c->uses_tls = tls != MY_TLS_OFF;
	/* unix_socket=: no TCP endpoint to depend on. */
	if (dburl_param(&s->url, "unix_socket"))
		memset(&c->ep, 0, sizeof(c->ep));
	return 0;
}

static pthread_once_t my_once = PTHREAD_ONCE_INIT;

/* mysql_library_init is not safe to race; checks run side by side.  The
 * alembic check reaches this driver without a mysql check in the plan, so
 * the first connect does it, whichever check makes it.  OpenSSL first: its
 * start-up is probe's to decide (lib/tls.h). */
static void my_library_init(void)
{
	tls_start();
	mysql_library_init(0, NULL, NULL);
}

/* Waits for what the library asked for (MYSQL_WAIT_* in status) or the
 * deadline.  Returns the MYSQL_WAIT_* bits that happened, 0 when the
 * deadline passed first, -1 on a poll error. */
static int my_wait(MYSQL *m, int status, const struct deadline *dl, struct sqlerr_ctx *peek)
{
	struct pollfd pfd = { .fd = mysql_get_socket(m) };
	int64_t left;
	int timeout, rc, lib = 0, ready = 0;

	if (status & MYSQL_WAIT_READ)
		pfd.events |= POLLIN;
	if (status & MYSQL_WAIT_WRITE)
		pfd.events |= POLLOUT;
	if (status & MYSQL_WAIT_EXCEPT)
		pfd.events |= POLLPRI;
	do {
		left = deadline_left_ms(dl);
		if (left <= 0)
			return 0;
		timeout = left > 0x7fffffff ? 0x7fffffff : (int)left;
		if ((status & MYSQL_WAIT_TIMEOUT) &&
		    (int64_t)mysql_get_timeout_value_ms(m) < left) {
			timeout = (int)mysql_get_timeout_value_ms(m);
			lib = 1;
		}
		rc = poll(&pfd, 1, timeout);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return lib ? MYSQL_WAIT_TIMEOUT : 0;
	/* The server's first bytes, before the library reads them: a stream
	 * that is no MySQL greeting is named so (mysql_err.c), not "closed". */
	/* Never on POLLERR: a recv would take the connect's error (ECONNREFUSED)
	 * from the socket before the library reads it. */
	if (peek && peek->nfirst == 0 && (pfd.revents & (POLLIN | POLLOUT)) &&
	    !(pfd.revents & (POLLERR | POLLNVAL))) {
		ssize_t r = recv(pfd.fd, peek->first, sizeof(peek->first), MSG_PEEK | MSG_DONTWAIT);

		if (r > 0)
			peek->nfirst = (size_t)r;
	}
	if (pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
		ready |= MYSQL_WAIT_READ;
	if (pfd.revents & (POLLOUT | POLLHUP | POLLERR | POLLNVAL))
		ready |= MYSQL_WAIT_WRITE;
	if (pfd.revents & POLLPRI)
		ready |= MYSQL_WAIT_EXCEPT;
	return ready & (status | MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);
}

/* Ends an operation cut short: the socket is shut so that mysql_close
 * cannot wait on it to say goodbye. */
static void my_abandon(MYSQL *m)
{
	int fd = mysql_get_socket(m);

	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

static void my_close(struct sql_conn *conn)
{
	if (!conn)
		return;
	if (conn->m)
		mysql_close(conn->m);
	free(conn);
}

/* "127.0.0.1:3306", "[::1]:3306", or the socket path. */
static void my_where(const struct dburl *u, const char *host, char *buf, size_t n)
{
	const char *sock = dburl_param(u, "unix_socket");
	int port = u->port ? u->port : check_mysql.defport;

	if (sock)
		snprintf(buf, n, "%s", sock);
	else
		url_hostport(buf, n, host, port);
}

/* Sets the client's options from the URL and the time left. */
static void my_options(MYSQL *m, const struct dburl *u, enum my_tls tls, int64_t left)
{
	static const struct {
		const char *param;
		enum mysql_option opt;
	} files[] = {
		{ "ssl_ca", MYSQL_OPT_SSL_CA },     { "ssl_capath", MYSQL_OPT_SSL_CAPATH },
		{ "ssl_cert", MYSQL_OPT_SSL_CERT }, { "ssl_key", MYSQL_OPT_SSL_KEY },
		{ "ssl_cipher", MYSQL_OPT_SSL_CIPHER }, { "ssl_crl", MYSQL_OPT_SSL_CRL },
	};
	/* Whole seconds, rounded up: the deadline, not these, ends the wait. */
	unsigned int secs = (unsigned int)(left > 1000 ? (left + 999) / 1000 : 1);
	unsigned int proto = dburl_param(u, "unix_socket") ? MYSQL_PROTOCOL_SOCKET
							   : MYSQL_PROTOCOL_TCP;
	const char *charset = dburl_param(u, "charset");
	my_bool on = 1, verify = tls == MY_TLS_VERIFY;
	unsigned int off = 0;
	unsigned long max_packet = MY_PACKET_MAX;
	size_t i;

	mysql_options(m, MYSQL_OPT_NONBLOCK, 0);
	mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
	mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &secs);
	mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &secs);
	/* "localhost" would otherwise mean a socket whose path differs
	 * between builds and images. */
	mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &proto);
	mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, charset && *charset ? charset : "utf8mb4");
	/* A health check never sends files, whatever a server asks. */
	mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &off);
	/* No packet a health check reads comes near 1 MiB; a stream that
	 * claims more (or never ends one) is refused, not buffered: without
	 * this, a peer sending 16 MiB packet headers grew probe to 900 MB. */
	mysql_optionsv(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
	mysql_optionsv(m, MYSQL_OPT_CONNECT_ATTR_ADD, "program_name", "probe");
	if (tls == MY_TLS_OFF)
		return;
	mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
	mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *v = dburl_param(u, files[i].param);

		if (v && *v)
			mysql_optionsv(m, files[i].opt, v);
	}
}

/* Reports a connection that the deadline cut short. */
static void my_timed_out(MYSQL *m, const char *where, int64_t t0, struct check_result *res)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd = mysql_get_socket(m);
	struct sqlerr e;

	memset(&e, 0, sizeof(e));
	e.cause = CAUSE_TIMEOUT;
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&peer, &len) < 0) {
		e.hint = HINT_TIMEOUT;
		snprintf(e.error, sizeof(e.error), "connect timed out to %.200s", where);
	} else {
		e.hint = HINT_SQL_SILENT;
		snprintf(e.error, sizeof(e.error),
			 "no answer from the server at %.120s within %lld ms: it accepted the "
			 "connection but did not finish the handshake",
			 where, (long long)((deadline_now_ns() - t0) / 1000000));
	}
	sqlerr_report(res, &e);
}

static struct sql_conn *my_connect(const struct dburl *u, const struct deadline *dl,
				   struct check_result *res)
{
	const char *host = u->host[0] ? u->host : "localhost";
	const char *user = u->user[0] ? u->user : "root";
	char where[300];
	struct sqlerr_ctx ctx = { .where = where, .user = user, .database = u->database };
	int64_t t0 = deadline_now_ns();
	struct sql_conn *conn = calloc(1, sizeof(*conn));
	MYSQL *ret = NULL;
	enum my_tls tls;
	struct sqlerr e;
	int status;

	pthread_once(&my_once, my_library_init);
	if (conn)
		conn->m = mysql_init(NULL);
	if (!conn || !conn->m) {
		result_fail(res, HINT_NONE, "out of memory");
		free(conn);
		return NULL;
	}
	my_where(u, host, where, sizeof(where));
	my_tls_mode(u, &tls); /* validated by my_parse */
	my_options(conn->m, u, tls, deadline_left_ms(dl));
	status = mysql_real_connect_start(&ret, conn->m, host, user,
					  u->has_password ? u->password : NULL,
					  u->database[0] ? u->database : NULL,
					  (unsigned int)(u->port ? u->port : check_mysql.defport),
					  dburl_param(u, "unix_socket"), 0);
	while (status) {
		int ready = my_wait(conn->m, status, dl, &ctx);

		if (ready <= 0) {
			if (ready == 0)
				my_timed_out(conn->m, where, t0, res);
			else
				result_fail(res, HINT_NONE, "waiting for %s: %s", where,
					    strerror(errno));
			my_abandon(conn->m);
			my_close(conn);
			return NULL;
		}
		status = mysql_real_connect_cont(&ret, conn->m, ready);
	}
	if (!ret) {
		myerr_connect(mysql_errno(conn->m), mysql_error(conn->m), &ctx, &e);
		sqlerr_report(res, &e);
		my_close(conn);
		return NULL;
	}
	/* Connector/C 3.3 goes on in plain text when a server without TLS is
	 * not to be verified; ssl_mode=REQUIRED must not. */
	if (tls >= MY_TLS_REQUIRED && !mysql_get_ssl_cipher(conn->m)) {
		myerr_connect(2026, "SSL connection error: the server does not support TLS",
			      &ctx, &e);
		sqlerr_report(res, &e);
		my_close(conn);
		return NULL;
	}
	return conn;
}

/* Reports a query cut short by the deadline. */
static int my_slow(MYSQL *m, int64_t t0, struct check_result *res)
{
	my_abandon(m);
	result_fail(res, HINT_SQL_SLOW_QUERY, "the query did not finish within %lld ms",
		    (long long)((deadline_now_ns() - t0) / 1000000));
	detail_cause(res, CAUSE_TIMEOUT);
	return -1;
}

/* Reports the failure the library holds. */
static int my_query_failed(MYSQL *m, struct check_result *res, enum sql_failure *why)
{
	struct sqlerr e;

	myerr_query(mysql_errno(m), mysql_error(m), &e);
	*why = e.cause == CAUSE_NO_TABLE ? SQL_FAIL_NO_TABLE : SQL_FAIL_OTHER;
	sqlerr_report(res, &e);
	return -1;
}

/* Drives a non-blocking call to its end: while the library waits on the
 * socket, wait with it and call cont_call, the matching _cont function,
 * which may name the events as ready_.  Returns from my_query when the
 * deadline passes. */
#define MY_DRIVE(status, cont_call)                                   \
	while (status) {                                              \
		int ready_ = my_wait(m, status, dl, NULL);                \
		if (ready_ <= 0)                                      \
			return my_slow(m, t0, res);                   \
		status = (cont_call);                                 \
	}

static int my_query(struct sql_conn *conn, const char *sql, const struct deadline *dl,
		    sql_row_fn row, void *arg, struct check_result *res, enum sql_failure *why)
{
	MYSQL *m = conn->m;
	int64_t t0 = deadline_now_ns();
	int err = 0, more = 0, stop = 0, status;
	MYSQL_RES *result;
	MYSQL_ROW r;

	*why = SQL_FAIL_OTHER;
	status = mysql_real_query_start(&err, m, sql, (unsigned long)strlen(sql));
	MY_DRIVE(status, mysql_real_query_cont(&err, m, ready_));
	if (err)
		return my_query_failed(m, res, why);
	do {
		result = NULL;
		status = mysql_store_result_start(&result, m);
		MY_DRIVE(status, mysql_store_result_cont(&result, m, ready_));
		if (!result && mysql_field_count(m) > 0)
			return my_query_failed(m, res, why);
		if (result) {
			unsigned int ncols = mysql_num_fields(result);

			/* stored: fetching reads no more from the server */
			while (!stop && (r = mysql_fetch_row(result)) != NULL)
				stop = row(arg, ncols, (const char *const *)r) != 0;
			mysql_free_result(result);
		}
		if (!mysql_more_results(m))
			break;
		status = mysql_next_result_start(&more, m);
		MY_DRIVE(status, mysql_next_result_cont(&more, m, ready_));
		if (more > 0)
			return my_query_failed(m, res, why);
	} while (more == 0);
	return 0;
}
#undef MY_DRIVE

static const char *my_version(struct sql_conn *conn)
{
	return mysql_get_server_info(conn->m);
}

/* The driver behind sql_driver_for("mysql"/"mariadb") and alembic's db=. */
static const struct sql_driver sql_mysql = {
	.name = "mysql",
	.connect = my_connect,
	.query = my_query,
	.version = my_version,
	.close = my_close,
};

static void my_run(const struct check *c, const struct deadline *dl, struct check_result *res)
{
	sql_check_run(&sql_mysql, c, dl, res);
}

/* mysql[+driver]:// and mariadb:// checks. */
const struct check_kind check_mysql = {
	.names = my_names,
	.keys = my_keys,
	.layer = LAYER_DEPS,
	.level = LEVEL_READY,
	.flags = KIND_URL_TARGET | KIND_DB_URL,
	.defport = 3306,
	.title = "MySQL",
	.help = "mysql[+DRIVER]://... mariadb://...      connects, SELECT 1; query=SQL",
	.causes = sql_causes,
	.sql = &sql_mysql,
	.parse = my_parse,
	.run = my_run,
	.free = sql_check_free,
	.covers = sql_check_covers,
};
