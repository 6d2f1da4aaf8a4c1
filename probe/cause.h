/*
 * cause.h - the words of `detail.cause`: why a check failed, in one word a
 * script can branch on.  A public contract like the exit codes: a word is
 * never renamed or given a new meaning; new ones are added.  Every word is
 * documented in README.md ("Why a check failed"), which a unit test checks.
 *
 * A kind's table lists the causes it may report (check_kind.causes); the
 * kind reports one with detail_cause().
 */
#ifndef PROBE_CAUSE_H
#define PROBE_CAUSE_H

enum probe_cause {
	CAUSE_NONE,		/* no cause: the end of a kind's list */
	CAUSE_OTHER,		/* none of the below */
	/* reaching the server */
	CAUSE_DNS,		/* the name does not resolve */
	CAUSE_REFUSED,		/* nothing listens there */
	CAUSE_UNREACHABLE,	/* no route to the host */
	CAUSE_TIMEOUT,		/* no answer within the time left */
	CAUSE_RESET,		/* the peer reset the connection */
	CAUSE_CLOSED,		/* the peer hung up without a word */
	CAUSE_TLS,		/* TLS required, refused, or not verified */
	CAUSE_PROTOCOL,		/* something else answers on the port */
	CAUSE_NOT_SQL,		/* a server answers, but not this database's protocol */
	/* the server's state */
	CAUSE_STARTING,		/* starting up, recovering, not taking clients yet */
	CAUSE_STOPPING,		/* shutting down */
	CAUSE_LOADING,		/* Redis is loading its dataset */
	CAUSE_BUSY,		/* Redis is running a script */
	CAUSE_MASTERDOWN,	/* a Redis replica lost its primary */
	CAUSE_MISCONF,		/* Redis cannot write its snapshot */
	CAUSE_TOO_MANY,		/* no connection slot left (SQL) */
	CAUSE_MAXCLIENTS,	/* no connection slot left (Redis) */
	/* who may do what */
	CAUSE_AUTH,		/* wrong or missing password, unknown user */
	CAUSE_DENIED,		/* not allowed: user, address, database or file mode */
	CAUSE_NO_DATABASE,	/* the database named does not exist */
	CAUSE_DB,		/* Redis: the database number is out of range */
	/* the query */
	CAUSE_NO_TABLE,		/* the query names a table that does not exist */
	CAUSE_QUERY,		/* the query failed otherwise */
	CAUSE_ERROR,		/* Redis answered a step with another error */
	/* a database file (SQLite) */
	CAUSE_MISSING,		/* no such file */
	CAUSE_IS_DIR,		/* a folder, not a file */
	CAUSE_OPEN,		/* cannot be opened otherwise */
	CAUSE_NOTADB,		/* not a database file */
	CAUSE_LOCKED,		/* locked by a writer past the time left */
	CAUSE_CORRUPT,		/* the file is damaged */
	CAUSE_READONLY,		/* a hot journal only a writer may roll back */
	CAUSE_IO,		/* a read error */
	CAUSE_COUNT
};

/* The word of a cause ("refused"); "other" for one out of range.  Static
 * storage: never freed. */
const char *cause_name(enum probe_cause cause);

/* Is cause in list (CAUSE_NONE last; NULL: an empty list)? */
int cause_in(const enum probe_cause *list, enum probe_cause cause);

#endif
