/*
 * discover_priv.h - what the files of auto-discovery share: discover.c
 * (ports, the working folder, processes, memory, the plan), discover_db.c
 * (database URLs in the environment) and discover_print.c (the plan as a
 * -f file).  Not for other modules: discover.h is the interface.
 */
#ifndef PROBE_DISCOVER_PRIV_H
#define PROBE_DISCOVER_PRIV_H

#include "discover/discover.h"
#include "checks/net/procnet.h"

#define DISC_PORTS_SEEN 64 /* distinct listening ports remembered */
#define DISC_DB_MAX 16	   /* database checks remembered */
#define DISC_CMDLINE_MAX 4096
#define DISC_ARGS_MAX 64
#define DISC_WORD_MAX 512

/* A status range any live app answers / with: a 404 is fine, a 5xx not. */
#define DISC_STATUS "status=200-499"

/* One listening port and whether loopback reaches it. */
struct disc_port {
	int port;
	int lo4, lo6;		    /* 127.0.0.1 / ::1 connect to it */
	struct procnet_entry first; /* the first socket seen on it */
};

struct disc_ports {
	struct disc_port v[DISC_PORTS_SEEN];
	size_t n;
	int more; /* ports beyond DISC_PORTS_SEEN were dropped */
};

/* A database check found in the environment. */
struct disc_db {
	char word[DISC_WORD_MAX]; /* @VAR or a URL of ${VAR} references */
	char why[256];
	char scheme[32];
	int port;	   /* its server's port, 0 when none (sqlite) */
	const char *value; /* the variable's value (getenv), or NULL */
};

struct disc {
	const struct discover_src *src;
	struct wordlist *out, *why;
	struct probe_err *err;
	struct disc_db db[DISC_DB_MAX];
	size_t ndb;
};

/* Appends one check: its words (NULL-terminated) and its reason.  Returns
 * 0, or -1 with d->err (out of memory). */
int disc_add(struct disc *d, const char *why, const char *const *words);
/* A non-empty variable, or NULL. */
const char *disc_env(const char *name);
/* Parses a port number 1-65535 (digits only).  Returns it, or 0. */
int disc_port_parse(const char *s);
/* True for a scheme whose check speaks SQL (alembic can use it). */
int disc_is_sql(const char *scheme);
/* Database URLs: @VAR for $DATABASE_URL and its kin (disc_url_vars), URLs
 * of ${VAR} references for PG*, POSTGRES_*, MYSQL_* (disc_styles), found
 * into d->db, then written as checks (disc_dbs_emit). */
void disc_url_vars(struct disc *d);
void disc_styles(struct disc *d);
int disc_dbs_emit(struct disc *d);

#endif
