/*
 * http_discover.c - the http kind's part of auto-discovery: an http
 * check on / for $PORT and for each port the listen kind found (d->ports)
 * that is no database's or other non-HTTP service's port.  status=200-499,
 * because a 404 on / still proves a live app; a 5xx or silence does not.
 */
#include <stdio.h>

#include "checks/http/http_priv.h"
#include "discover/context.h"
#include "lib/url.h"

int http_discover(struct disc *d)
{
	int want = disc_port_parse(disc_env("PORT"));
	char why[512], url[128], hostport[112];
	const char *http[] = {url, DISC_STATUS, NULL};
	size_t i;

	if (want) {
		const char *w[] = {"http://127.0.0.1:${PORT}/", DISC_STATUS, NULL};

		snprintf(why, sizeof(why),
			 "$PORT=%d: the app should answer HTTP there; status=200-499 "
			 "because a 404 on / still proves a live app, a 5xx or silence does not",
			 want);
		if (disc_add(d, why, w) < 0)
			return -1;
	}
	for (i = 0; i < d->nports; i++) {
		const struct disc_port *p = &d->ports[i];

		if (p->not_http[0])
			continue;
		url_hostport(hostport, sizeof(hostport), p->host, p->port);
		snprintf(url, sizeof(url), "http://%s/", hostport);
		snprintf(why, sizeof(why),
			 "port %d listens and is no database's usual port: an app should "
			 "answer HTTP there; status=200-499 because a 404 on / still proves "
			 "a live app",
			 p->port);
		if (disc_add(d, why, http) < 0)
			return -1;
	}
	return 0;
}
