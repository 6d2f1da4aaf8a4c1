/*
 * dburl.h - database URLs as applications already hold them: SQLAlchemy's
 * dialect[+driver]://user:password@host:port/database?key=value, and
 * redis://[user:password@]host:port/db.  The authority is read as
 * lib/url.h reads every one.  Pure: no I/O.
 */
#ifndef PROBE_DBURL_H
#define PROBE_DBURL_H

#include <stddef.h>

#include "lib/err.h"

#define DBURL_PARAMS 16

struct dburl_param {
	char key[64];
	char value[512];
};

struct dburl {
	char scheme[32];    /* lower case, without "+driver" */
	char driver[32];    /* after '+', or "" (ignored by probe) */
	char user[128];     /* percent-decoded */
	char password[256]; /* percent-decoded */
	int has_password;
	char host[256];     /* without brackets; "" when absent */
	int port;           /* 0 when absent: the client's default */
	char database[1024]; /* decoded path after the first '/'; for sqlite the
			      * file path as SQLAlchemy reads it */
	struct dburl_param params[DBURL_PARAMS];
	size_t nparams;
};

/* Parses url into *u.  Returns 0, or -1 with err (EXIT_USAGE) naming what
 * is wrong; the message never holds the password. */
int dburl_parse(const char *url, struct dburl *u, struct probe_err *err);

/* Returns the value of query parameter key (the last one), or NULL. */
const char *dburl_param(const struct dburl *u, const char *key);

#endif
