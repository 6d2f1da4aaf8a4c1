/*
 * help.c - `probe --help`: the user's contract in one screen.  Keep it in
 * step with README.md.  The list of check kinds comes from the registry,
 * each kind's help line from its table, so a build lists the kinds it has.
 */
#include "probe/help.h"

#include <string.h>

#include "probe/check.h"
#include "probe/report.h"

/* Before the list of kinds. */
static const char help_head[] =
	"probe " PROBE_VERSION " - can this container serve?  Which layer broke, why, and the fix.\n"
	"\n"
	"usage: probe [OPTIONS] CHECK [key=value]... [CHECK [key=value]...]...\n"
	"       probe [OPTIONS] -f FILE\n"
	"       probe [OPTIONS]            no checks named: discover them, run, show the plan\n"
	"       probe wait [OPTIONS] [--interval DURATION] CHECK... [-- CMD ARGS...]\n"
	"       probe serve --listen ADDR [--cache DURATION] [OPTIONS] CHECK...\n"
	"       probe --help | --version\n"
	"\n"
	"A word that starts with a scheme (env:, http://, tcp://, ...) starts a check;\n"
	"key=value words after it are its options.  ${VAR} and ${VAR:-default} expand in\n"
	"every word, $$ is a literal $, and a word or value @VAR is VAR's whole value.\n"
	"Checks come from the command line, else -f FILE / $PROBE_FILE (one check a\n"
	"line, # comments; a file with no check is a usage error), else $PROBE_CHECKS.\n"
	"\n"
	"options:\n"
	"  -f, --file FILE     read check words from FILE (default $PROBE_FILE)\n"
	"  --timeout DURATION  hard bound on the whole run (default 5s, $PROBE_TIMEOUT);\n"
	"                      probe reports and exits before it\n"
	"  --level LEVEL       live: only live checks; ready (default), startup: all\n"
	"  --format FORMAT     json (default when stderr is not a terminal), text, logfmt;\n"
	"                      a report keeps to 4000 bytes in whole lines (Docker keeps\n"
	"                      4 KiB), a last line counting the checks left out\n"
	"  -q, --quiet         print nothing when healthy; only failures otherwise\n"
	"  --plan              print the plan on stdout as a -f file, secrets as ***;\n"
	"                      run nothing\n"
	"  -h, --help          this text;  -V, --version  the version\n"
	"\n"
	"probe wait: repeat until every check passes (exit 0, or exec CMD), or until\n"
	"  --timeout (default 60s) passes (exit 1).  --interval (default 1s) grows by\n"
	"  half each failing attempt, up to 5s, cut short so the last attempt comes\n"
	"  just before the bound; $PROBE_TIMEOUT and the time left bound each attempt.\n"
	"  SIGTERM, SIGINT, SIGHUP, SIGQUIT stop it at once (even as PID 1): exit\n"
	"  143, 130, 129, 131, a last line \"stopped\", CMD not run.\n"
	"probe serve: answer GET /livez (live checks), /readyz and /startupz (all) with\n"
	"  200 or 503 and the JSON report; --listen :8081; a verdict is reused for\n"
	"  --cache (default 1s); SIGTERM ends it.\n"
	"\n"
	"checks, in layer order (default level in brackets):\n";

/* After the list of kinds. */
static const char help_tail[] =
	"  Database URLs as the app holds them: the +driver part is ignored, ?sslmode=...\n"
	"  and the like are honoured.  Passwords, tokens (?token=, ?api_key=, ...) and\n"
	"  credential headers print as ***, in reports and errors alike.\n"
	"  Every check takes name=ID, timeout=DURATION and level=live|ready|startup.\n"
	"  Socket and app checks are live against this container, ready elsewhere.\n"
	"\n"
	"exit: 0 healthy, 1 unhealthy (a check failed or was skipped), 64 usage error,\n"
	"      78 configuration error (unset variable, unreadable file).  Never 2.\n"
	"      probe wait ... -- CMD: 126 CMD not runnable, 127 CMD not found.\n"
	"      probe wait stopped by a signal: 128 + its number (SIGTERM 143, SIGINT 130,\n"
	"      SIGHUP 129, SIGQUIT 131), as a shell reports it.\n"
	"\n"
	"example:\n"
	"  HEALTHCHECK CMD [\"probe\", \"http://127.0.0.1:${PORT:-8000}/health\", \"status=200\",\n"
	"                   \"listen://:${PORT:-8000}\", \"public=yes\", \"env:APP_KEY\"]\n";

/* Column of a kind's text, and of the lines that go on with it. */
#define HELP_INDENT 39

/* One kind: the layer's name when it is the layer's first kind, then its
 * help lines, the second and later from HELP_INDENT. */
static void help_kind(FILE *f, const struct check_kind *k, int first)
{
	const char *line = k->help;

	fprintf(f, "  %-11s", first ? report_layer_name(k->layer) : "");
	for (;;) {
		size_t n = strcspn(line, "\n");

		fprintf(f, "%.*s\n", (int)n, line);
		if (!line[n])
			break;
		line += n + 1;
		fprintf(f, "%*s", HELP_INDENT, "");
	}
}

void help_print(FILE *f)
{
	int layer;
	size_t i;

	fputs(help_head, f);
	for (layer = 0; layer < LAYER_COUNT; layer++) {
		int first = 1;

		for (i = 0; registry_kinds[i]; i++) {
			if ((int)registry_kinds[i]->layer != layer || !registry_kinds[i]->help)
				continue;
			help_kind(f, registry_kinds[i], first);
			first = 0;
		}
	}
	fputs(help_tail, f);
}
