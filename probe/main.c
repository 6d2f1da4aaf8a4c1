/*
 * main.c - argv becomes config in one place; then words → plan → run →
 * report → exit code.  Only this file exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover/discover.h"
#include "probe/help.h"
#include "probe/report.h"
#include "probe/runner.h"
#include "lib/fileio.h"
#include "lib/tls.h"
#include "probe/serve.h"
#include "probe/wait.h"
#include "probe/words.h"

#define FILE_MAX (1 << 20)

enum probe_mode { MODE_RUN, MODE_WAIT, MODE_SERVE };

struct config {
	enum probe_mode mode;
	enum report_format format;
	int quiet;
	int64_t timeout_ms;
	enum probe_level level;
	const char *file;       /* -f FILE, else $PROBE_FILE */
	struct wordlist words;  /* check words from the command line */
	int help, version;
	int plan_only;          /* --plan: print the plan, run nothing */
	struct wordlist why;    /* discovered: one reason per check */
	int timeout_set;        /* --timeout given (wait: else 60s) */
	int64_t interval_ms;    /* wait: --interval */
	char **cmd;             /* wait: the command after "--", or NULL */
	struct serve_opts serve; /* serve: --listen, --cache */
};


static void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = FORMAT_AUTO;
	cfg->timeout_ms = 5000;
	cfg->level = LEVEL_READY;
	cfg->interval_ms = 1000;
	cfg->serve.cache_ms = 1000;
}

/* Reads a whole file of less than FILE_MAX bytes into a string the caller
 * frees, within timeout_ms (a FIFO may have no writer).  Returns NULL with
 * err: EXIT_CONFIG when it can't, EXIT_USAGE naming the line when it holds
 * a NUL byte (which would silently end the text there). */
static char *read_file(const char *path, int64_t timeout_ms, struct probe_err *err)
{
	size_t len;
	char *buf = file_read_all_until(path, FILE_MAX - 1, &len,
					deadline_in(timeout_ms).end_ns);

	if (!buf)
		probe_err_set(err, EXIT_CONFIG, "-f %s: %s", path,
			      errno == EFBIG	   ? "larger than 1 MiB"
			      : errno == ENOMEM	   ? "out of memory"
			      : errno == ETIMEDOUT ? "nothing to read within --timeout (a FIFO "
						     "no one writes to?)"
						   : strerror(errno));
	if (buf) {
		const char *nul = memchr(buf, '\0', len);

		if (nul) {
			const char *p;
			int line = 1;

			for (p = buf; p < nul; p++)
				line += *p == '\n';
			probe_err_set(err, EXIT_USAGE,
				      "-f %s, line %d: a NUL byte: the file must be text, one check "
				      "and its options a line",
				      path, line);
			free(buf);
			return NULL;
		}
	}
	return buf;
}

/* Takes the value of option `opt` from "--opt=value" or the next word. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt,
			     struct probe_err *err)
{
	const char *eq = strchr(argv[*i], '=');

	if (eq)
		return eq + 1;
	if (*i + 1 >= argc) {
		probe_err_set(err, EXIT_USAGE, "%s needs a value (see probe --help)", opt);
		return NULL;
	}
	return argv[++*i];
}

static int opt_is(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_format(const char *v, enum report_format *f)
{
	static const struct {
		const char *name;
		enum report_format f;
	} formats[] = {
		{ "json", FORMAT_JSON },
		{ "text", FORMAT_TEXT },
		{ "logfmt", FORMAT_LOGFMT },
		{ "auto", FORMAT_AUTO },
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(v, formats[i].name) == 0) {
			*f = formats[i].f;
			return 0;
		}
	}
	return -1;
}

/* argv → cfg.  Validates every option; does no I/O. */
static int config_parse(struct config *cfg, int argc, char **argv, struct probe_err *err)
{
	const char *env = getenv("PROBE_TIMEOUT");
	int i;

	if (env && *env && duration_parse(env, &cfg->timeout_ms) < 0)
		return probe_err_set(err, EXIT_CONFIG,
				     "PROBE_TIMEOUT=%s: not a duration (like 2s, 500ms)", env);
	cfg->file = getenv("PROBE_FILE");
	if (cfg->file && !*cfg->file)
		cfg->file = NULL;
	i = 1;
	if (argc > 1 && strcmp(argv[1], "wait") == 0) {
		cfg->mode = MODE_WAIT;
		i = 2;
	} else if (argc > 1 && strcmp(argv[1], "serve") == 0) {
		cfg->mode = MODE_SERVE;
		i = 2;
	}
	for (; i < argc; i++) {
		const char *a = argv[i], *v;

		if (strcmp(a, "--") == 0) {
			if (cfg->mode != MODE_WAIT)
				return probe_err_set(err, EXIT_USAGE,
						     "'--' starts a command only after probe wait");
			if (i + 1 >= argc)
				return probe_err_set(err, EXIT_USAGE,
						     "'--' needs a command after it");
			cfg->cmd = argv + i + 1;
			break;
		}
		if (a[0] != '-' || strcmp(a, "-") == 0) {
			if (wordlist_add(&cfg->words, a) < 0)
				return probe_err_set(err, EXIT_CONFIG, "out of memory");
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cfg->help = 1;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			cfg->version = 1;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			cfg->quiet = 1;
		} else if (strcmp(a, "--plan") == 0) {
			cfg->plan_only = 1;
		} else if (strcmp(a, "-f") == 0 || opt_is(a, "--file")) {
			if (!(cfg->file = opt_value(argc, argv, &i, "-f", err)))
				return -1;
		} else if (opt_is(a, "--format")) {
			if (!(v = opt_value(argc, argv, &i, "--format", err)))
				return -1;
			if (parse_format(v, &cfg->format) < 0)
				return probe_err_set(err, EXIT_USAGE,
						     "--format %s: expected json, text or logfmt", v);
		} else if (opt_is(a, "--timeout")) {
			if (!(v = opt_value(argc, argv, &i, "--timeout", err)))
				return -1;
			if (duration_parse(v, &cfg->timeout_ms) < 0 || cfg->timeout_ms < 10)
				return probe_err_set(err, EXIT_USAGE,
						     "--timeout %s: expected a duration of at "
						     "least 10ms (like 2s, 500ms)", v);
			cfg->timeout_set = 1;
		} else if (cfg->mode == MODE_SERVE && opt_is(a, "--listen")) {
			if (!(cfg->serve.listen = opt_value(argc, argv, &i, "--listen", err)))
				return -1;
		} else if (cfg->mode == MODE_SERVE && opt_is(a, "--cache")) {
			if (!(v = opt_value(argc, argv, &i, "--cache", err)))
				return -1;
			if (duration_parse(v, &cfg->serve.cache_ms) < 0)
				return probe_err_set(err, EXIT_USAGE,
						     "--cache %s: expected a duration (like 1s, 0s)", v);
		} else if (cfg->mode == MODE_WAIT && opt_is(a, "--interval")) {
			if (!(v = opt_value(argc, argv, &i, "--interval", err)))
				return -1;
			if (duration_parse(v, &cfg->interval_ms) < 0 || cfg->interval_ms < 10)
				return probe_err_set(err, EXIT_USAGE,
						     "--interval %s: expected a duration of at "
						     "least 10ms (like 1s, 250ms)", v);
		} else if (opt_is(a, "--level")) {
			if (!(v = opt_value(argc, argv, &i, "--level", err)))
				return -1;
			if (level_parse(v, &cfg->level) < 0)
				return probe_err_set(err, EXIT_USAGE,
						     "--level %s: expected live, ready or startup", v);
		} else {
			return probe_err_set(err, EXIT_USAGE,
					     "unknown option '%s' (see probe --help)", a);
		}
	}
	if (cfg->mode == MODE_SERVE && serve_check_opts(&cfg->serve, err) < 0)
		return -1;
	return 0;
}

/* The words to run: the command line's, else the file's, else
 * $PROBE_CHECKS's.  Returns 0, or -1 with err. */
static int config_words(struct config *cfg, struct wordlist *out, struct probe_err *err)
{
	const char *env = getenv("PROBE_CHECKS");
	size_t i;

	for (i = 0; i < cfg->words.n; i++)
		if (wordlist_add(out, cfg->words.v[i]) < 0)
			return probe_err_set(err, EXIT_CONFIG, "out of memory");
	if (out->n == 0 && cfg->file) {
		char *text = read_file(cfg->file, cfg->timeout_ms, err);
		char origin[300];
		int rc;

		if (!text)
			return -1;
		snprintf(origin, sizeof(origin), "-f %s", cfg->file);
		rc = words_split(text, origin, out, err);
		free(text);
		if (rc < 0)
			return -1;
		/* A file named but empty (all comments, a volume not mounted)
		 * must not fall back to discovery and pass on its own. */
		if (out->n == 0)
			return probe_err_set(err, EXIT_USAGE,
					     "no checks in %s: it holds only comments and blank "
					     "lines",
					     cfg->file);
	}
	if (out->n == 0 && env && words_split(env, "PROBE_CHECKS", out, err) < 0)
		return -1;
	/* No check named anywhere: what this container shows (SPEC §4). */
	if (out->n == 0 && discover_plan(out, &cfg->why, err) < 0)
		return -1;
	if (out->n == 0)
		return probe_err_set(err, EXIT_USAGE,
				     "no checks named, and nothing found to check here (no "
				     "listening port, no $PORT, no database URL, no alembic.ini, "
				     "no frontend build): give check words, -f FILE or "
				     "PROBE_CHECKS; see probe --help");
	return 0;
}

/* --plan: the words as a -f file on stdout, a reason above each check (for
 * named checks: where they came from). */
static int print_plan(struct config *cfg, const struct wordlist *words, struct probe_err *err)
{
	size_t i, split;

	if (cfg->why.n == 0) {
		const char *from = cfg->words.n ? "named on the command line"
				   : cfg->file	 ? "read from the -f file"
						 : "read from $PROBE_CHECKS";

		for (i = 0; i < words->n; i++)
			if ((words_classify(words->v[i], &split) == WORD_CHECK ||
			     words->v[i][0] == '@') &&
			    wordlist_add(&cfg->why, from) < 0)
				return probe_err_set(err, EXIT_CONFIG, "out of memory");
	}
	errno = 0;
	if (discover_print(words, &cfg->why, stdout) < 0 || fflush(stdout) != 0)
		return errno == EINVAL
			       ? probe_err_set(err, EXIT_USAGE,
					       "--plan: a word holds a control character or both "
					       "kinds of quote, or is over 1023 bytes: no -f file "
					       "can carry it")
			       : probe_err_set(err, EXIT_CONFIG, "cannot print the plan");
	return 0;
}

/* $PROBE_TIMEOUT in ms, else 5 s (validated by config_parse). */
static int64_t env_timeout_ms(void)
{
	const char *env = getenv("PROBE_TIMEOUT");
	int64_t ms = 5000;

	if (env && *env && duration_parse(env, &ms) < 0)
		ms = 5000;
	return ms;
}

/* probe wait ... -- CMD: becomes CMD.  Returns only when exec fails, with
 * 127 (not found) or 126 (found, not runnable), as shells do. */
static int exec_command(const struct config *cfg)
{
	char msg[600];
	int code;

	wait_handoff();
	signal(SIGPIPE, SIG_DFL);
	execvp(cfg->cmd[0], cfg->cmd);
	code = errno == ENOENT ? 127 : 126;
	snprintf(msg, sizeof(msg), "cannot run %s: %s", cfg->cmd[0], strerror(errno));
	report_error(cfg->format, code, msg);
	_exit(code);
}

/* True when some check of the plan may speak TLS. */
static int plan_uses_tls(const struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (plan->checks[i]->uses_tls)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static char report[64 * 1024];
	struct probe_err err = { 0 };
	struct wordlist words = { 0 };
	struct plan plan = { 0 };
	struct report_summary sum;
	struct run_opts ropts = { 0 };
	struct config cfg;
	int abandoned, code;
	size_t len;
	/* --timeout bounds the whole run, from here: reading -f, expanding
	 * and parsing the words are spent out of it. */
	int64_t t_start = deadline_now_ns();

	signal(SIGPIPE, SIG_IGN);
	config_init(&cfg);
	if (config_parse(&cfg, argc, argv, &err) < 0)
		goto error;
	if (cfg.help || cfg.version) {
		if (cfg.help)
			help_print(stdout);
		else
			printf("probe %s\n", PROBE_VERSION);
		code = EXIT_HEALTHY;
		goto done;
	}
	if (config_words(&cfg, &words, &err) < 0)
		goto error;
	if (cfg.plan_only) {
		if (print_plan(&cfg, &words, &err) < 0)
			goto error;
		code = EXIT_HEALTHY;
		goto done;
	}
	if (words_parse(words.v, words.n, &plan, &err) < 0)
		goto error;
	runner_select(&plan, cfg.level);
	tls_plan(plan_uses_tls(&plan));
	if (cfg.mode == MODE_SERVE) {
		cfg.serve.timeout_ms = cfg.timeout_ms;
		code = serve_run(&plan, &cfg.serve, &abandoned, &err);
		if (code < 0)
			goto error;
	} else if (cfg.mode == MODE_WAIT) {
		struct wait_opts wo = { cfg.timeout_set ? cfg.timeout_ms : 60000, cfg.interval_ms,
					cfg.timeout_ms, cfg.format, cfg.quiet };

		/* In wait, --timeout bounds the whole wait; $PROBE_TIMEOUT (or
		 * 5s) bounds each attempt. */
		if (cfg.timeout_set)
			wo.attempt_ms = env_timeout_ms();
		code = wait_run(&plan, &wo, &abandoned);
		if (code == EXIT_HEALTHY && cfg.cmd)
			return exec_command(&cfg);
	} else {
		ropts.timeout_ms = cfg.timeout_ms;
		ropts.start_ns = t_start;
		abandoned = runner_run(&plan, &ropts, &sum);
		len = report_render(report, sizeof(report), cfg.format, cfg.quiet, plan.checks,
				    plan.n, &sum);
		report_write(report, len);
		code = sum.failed || sum.skipped ? EXIT_UNHEALTHY : EXIT_HEALTHY;
		/* A discovered plan is shown after the verdict it led to. */
		if (cfg.why.n && !cfg.quiet) {
			len = report_plan(report, sizeof(report), cfg.format, &words, &cfg.why,
					  REPORT_BUDGET > len ? REPORT_BUDGET - len : 0);
			report_write(report, len);
		}
	}
	if (abandoned)
		_exit(code); /* a worker still runs; don't free under it */
	goto done;
error:
	report_error(cfg.format, err.code, err.msg);
	code = err.code ? err.code : EXIT_USAGE;
done:
	plan_free(&plan);
	wordlist_free(&words);
	wordlist_free(&cfg.why);
	wordlist_free(&cfg.words);
	secret_clear();
	return code;
}
