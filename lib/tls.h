/*
 * tls.h - how OpenSSL starts in this run, decided once for the whole plan.
 */
#ifndef PROBE_TLS_H
#define PROBE_TLS_H

/* Records whether any check of the run may speak TLS.  Call on the main
 * thread after parsing, before the runner starts any check. */
void tls_plan(int needed);

/*
 * Initialises OpenSSL before the library a kind uses does (libcurl's
 * global init, mysql_init, libpq), once per process; kinds whose library
 * links OpenSSL call it first thing in their library's own once-only init
 * (http.c, mysql.c), so a run without them never pays for it.  Thread-safe
 * and cheap after the first call (OpenSSL runs its init once), so a driver
 * may also call it before each connect (postgres.c).  It never reads the
 * host's openssl.cnf (a static binary cannot dlopen the providers or
 * engines it may name, and reading it is most of TLS's start-up).  When no
 * check of the run may speak TLS it also skips loading error strings and
 * the legacy cipher and digest tables, which libcurl's init would
 * otherwise pay for on every plain http:// check.
 */
void tls_start(void);

#endif
