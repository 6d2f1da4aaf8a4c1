/*
 * frontend_discover.c - the frontend kind's part of auto-discovery:
 * frontend:. with the kind its folder shows (.next/, .web/,
 * dist/index.html in the working folder).
 */
#include "checks/frontend/frontend_scan.h"
#include "discover/context.h"

int frontend_discover(struct disc *d)
{
	static const struct {
		const char *marker;
		int type;
		const char *kind, *why;
	} marks[] = {
	    {".next", 'd', "kind=next", ".next/ in the working directory: a Next.js build"},
	    {".web", 'd', "kind=reflex", ".web/ in the working directory: a Reflex app"},
	    {"dist/index.html", 'f', "kind=vite",
	     "dist/index.html in the working directory: a Vite build"},
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (disc_stat(d, marks[i].marker) == marks[i].type) {
			const char *w[] = {"frontend:.", marks[i].kind, NULL};

			return disc_add(d, marks[i].why, w);
		}
	}
	return 0;
}
