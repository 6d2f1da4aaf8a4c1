/*
 * sql_err.h - why a PostgreSQL or MySQL connection or query failed, judged
 * from what the client library said: an error text (libpq) or an error
 * number and text (MariaDB Connector/C).  Pure: no I/O and no client
 * library headers, so the tables are unit-tested with messages captured
 * from real servers (tests/unit/test_postgres_err.c, test_mysql_err.c).
 *
 * detail.cause (probe/cause.h) is one of the causes the SQL kinds list
 * in their tables (sql_causes, sql.h).  detail.code is
 * the SQLSTATE (PostgreSQL) or the error number (MySQL) when there is one.
 */
#ifndef PROBE_SQLERR_H
#define PROBE_SQLERR_H

#include "probe/check.h"

/* What a failure was, ready to report. */
struct sqlerr {
	enum probe_cause cause;
	enum hint_id hint;
	char code[12];    /* SQLSTATE "57P03" or MySQL "1045"; "" when none */
	char error[256];  /* the report's error line */
};

/* What the judging functions need to know about the attempt, to word the
 * error ("connection refused by 127.0.0.1:5432", "... for user \"app\""). */
struct sqlerr_ctx {
	const char *where; /* "127.0.0.1:5432", "[::1]:3306", or a socket path */
	const char *user;
	const char *database;
	/* The first bytes the server sent, peeked before the client library
	 * read them (MySQL), and how many; nfirst 0 when none came or none
	 * were looked at. */
	unsigned char first[8];
	size_t nfirst;
};

/* Fills res from e: FAIL, the error line, the hint, detail.cause and
 * detail.code. */
void sqlerr_report(struct check_result *res, const struct sqlerr *e);

/* Copies the text src into dst (size n) as one line: new lines, tabs and
 * runs of spaces become one space, trailing space goes.  Returns dst. */
char *sqlerr_oneline(char *dst, size_t n, const char *src);


/* Judges a failed PostgreSQL connection from PQerrorMessage(), which
 * libpq wrote with PQERRORS_VERBOSE verbosity (so a server's error
 * carries its SQLSTATE: "FATAL:  57P03: the database system is starting
 * up").  The text may hold one attempt per address and TLS mode; the most
 * telling one wins.  needs_password is PQconnectionNeedsPassword().
 * Fills *e; never fails. */
void pgerr_connect(const char *msg, int needs_password, const struct sqlerr_ctx *ctx,
		   struct sqlerr *e);

/* Judges a failed PostgreSQL query from the result's SQLSTATE, primary
 * message and detail (any may be NULL; no SQLSTATE with the connection
 * gone means the server closed it).  Fills *e. */
void pgerr_query(const char *sqlstate, const char *primary, const char *detail,
		 struct sqlerr *e);

/* Judges a failed MySQL/MariaDB connection from mysql_errno() and
 * mysql_error().  Fills *e. */
void myerr_connect(unsigned int code, const char *msg, const struct sqlerr_ctx *ctx,
		   struct sqlerr *e);

/* Judges a failed MySQL/MariaDB query from mysql_errno() and
 * mysql_error().  Fills *e. */
void myerr_query(unsigned int code, const char *msg, struct sqlerr *e);

#endif
