/*
 * context.h - what a discovery step may use: the plan being written, the
 * facts found so far (database URLs, listening ports) and a few helpers.
 * discover.c runs the steps; the kinds' discover hooks (check_kind.
 * discover: listen, http, proc, mem, frontend, alembic) and discover_db.c
 * (database URLs in the environment) are the steps.  context.c has the
 * helpers; it calls no step, so no step's file depends on another's.
 */
#ifndef PROBE_DISCOVER_CONTEXT_H
#define PROBE_DISCOVER_CONTEXT_H

#include "discover/discover.h"

#define DISC_DB_MAX 16	  /* database checks remembered */
#define DISC_WORD_MAX 512

/* A status range any live app answers / with: a 404 is fine, a 5xx not. */
#define DISC_STATUS "status=200-499"

/* A listening port the listen kind found and wrote a check for. */
struct disc_port {
	int port;
	char host[80];	    /* where an http check reaches it (no brackets): loopback when it can */
	char not_http[128]; /* why it gets no http check ("PostgreSQL's usual port"), or "" */
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
	struct disc_db db[DISC_DB_MAX]; /* found before any step writes a check */
	size_t ndb;
	struct disc_port ports[DISCOVER_MAX_PORTS]; /* by the listen kind, lowest first */
	size_t nports;
};

/* Appends one check: its words (NULL-terminated) and its reason.  Returns
 * 0, or -1 with d->err (out of memory). */
int disc_add(struct disc *d, const char *why, const char *const *words);
/* A non-empty variable, or NULL. */
const char *disc_env(const char *name);
/* Parses a port number 1-65535 (digits only).  Returns it, or 0. */
int disc_port_parse(const char *s);
/* The working folder (src->cwd, else ".") joined with rel, into buf. */
void disc_path(const struct disc *d, const char *rel, char *buf, size_t n);
/* 'd' for a folder, 'f' for a regular file, 0 otherwise (rel is relative
 * to the working folder). */
int disc_stat(const struct disc *d, const char *rel);
/* Why port gets no http check ("PostgreSQL's usual port", "the port of
 * @DATABASE_URL"), written into buf; NULL when it may get one. */
const char *disc_not_http(const struct disc *d, int port, char *buf, size_t n);
/* True for a scheme whose kind speaks SQL (alembic can use it). */
int disc_is_sql(const char *scheme);

/* Database URLs (discover_db.c): @VAR for $DATABASE_URL and its kin
 * (disc_url_vars), URLs of ${VAR} references for PG*, POSTGRES_*, MYSQL_*
 * (disc_styles), found into d->db, then written as checks (disc_dbs_emit). */
void disc_url_vars(struct disc *d);
void disc_styles(struct disc *d);
int disc_dbs_emit(struct disc *d);

#endif
