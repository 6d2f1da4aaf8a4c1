/*
 * listen.h - what the listen kind's files share beyond its table.
 */
#ifndef PROBE_LISTEN_H
#define PROBE_LISTEN_H

struct disc;

/* The listen kind's discovery step (listen_discover.c; discover/context.h):
 * listen:// for $PORT and each listening port, and d->ports for the http
 * kind's step.  Returns 0, or -1 with d->err. */
int listen_discover(struct disc *d);

#endif
