/*
 * report.h - the one path to stderr (and, for --plan and serve, stdout).
 * Formats: json lines, aligned text, logfmt.  Every string that leaves
 * probe passes through report_scrub() (mask.c), the one place secrets are
 * masked.
 */
#ifndef PROBE_REPORT_H
#define PROBE_REPORT_H

#include <stddef.h>

#include "probe/check.h"

enum report_format { FORMAT_AUTO, FORMAT_JSON, FORMAT_TEXT, FORMAT_LOGFMT };

/* Docker keeps the first 4096 bytes of a health check's output: a report
 * and the plan after it keep within this many. */
#define REPORT_BUDGET 4000

/* Registers a secret (a password, a token, an env value) to be masked as
 * *** wherever it would be printed.  Copies s; values shorter than 3 bytes
 * are not registered (they would mask ordinary text) - URL passwords are
 * masked by position anyway.  Call from the main thread only. */
void secret_add(const char *s);
/* Frees the registered secrets. */
void secret_clear(void);
/* Registers the parts of one word (a check word or an option, expanded or
 * as written) that report_scrub would mask by position, so that a parser's
 * message quoting a piece of the word is masked too: the password of a
 * URL up to its last '@', the values of secret-named keys and headers.
 * `rejected`: the word failed to parse, and the run ends; also registers
 * what only may be secret: an option's value after its first ':' or space,
 * a URL's bare user name, what follows the host's ':' when it is no port
 * number, and app:PW@host without "//".  ${NAME} references are kept. */
void secret_add_word(const char *word, int rejected);
/* True when a key or header name (not NUL-terminated, n bytes) says its
 * value is secret: it holds password, secret, token, api_key, cookie,
 * authorization and their kin, or ends in key, pwd, sig, auth, session. */
int secret_key_name(const char *name, size_t n);

/* Copies src to dst (size n), masking by position the password of every
 * scheme://user:PW@ (up to the token's last '@'), the values of
 * secret-named keys (password=, ?token=, ?api_key=, "secret":"...") and of
 * Authorization/Cookie and other credential headers (the scheme word of
 * "Bearer ..." stays), then every registered secret.  A ${NAME} reference
 * is not a value and stays. */
void report_scrub(char *dst, size_t n, const char *src);

/* Appends s to buf as a JSON string body (no quotes), escaped. */
void json_escape(char *buf, size_t n, const char *s);

/* Resolves FORMAT_AUTO: text when stderr is a terminal, else json. */
enum report_format report_resolve(enum report_format f);

struct report_summary {
	int passed, failed, skipped;
	double ms;
};

/* Renders the whole report of checks[0..n) into buf (size cap) in at most
 * REPORT_BUDGET bytes: summary first, failures before skips before
 * passes, shrinking fields (down to each check's kind, id and result)
 * until every failure and skip fits.  What still does not fit is left out
 * in whole lines, passes first, and a last line counts what was left out:
 * every line stays valid.  quiet: print nothing when healthy, and only
 * failures otherwise.  Returns the length written. */
size_t report_render(char *buf, size_t cap, enum report_format f, int quiet,
		     struct check *const *checks, size_t n,
		     const struct report_summary *sum);
/* Renders the one line `probe wait` writes for a failing attempt: its
 * number, the counts, the first failure (masked) and the pause before the
 * next attempt.  Returns the length written. */
size_t report_attempt(char *buf, size_t cap, enum report_format f, int attempt,
		      struct check *const *checks, size_t n,
		      const struct report_summary *sum, int64_t next_ms);
/* Renders the line `probe wait` ends with when a signal stops it: the
 * signal's name ("SIGTERM"), the exit code, the attempts started and the
 * time waited.  Returns the length written. */
size_t report_stopped(char *buf, size_t cap, enum report_format f, const char *signame,
		      int code, int attempts, double ms);
struct wordlist;
/* Renders a discovered plan (SPEC §4), shown after the report it led to:
 * each check's words and the reason it was chosen, in at most `budget`
 * bytes (what the report left of REPORT_BUDGET): checks that do not fit
 * are left out whole and counted, and when not even that fits, nothing is
 * rendered.  The words hold no secret values (discovery writes @VAR and
 * ${VAR}).  Returns the length. */
size_t report_plan(char *buf, size_t cap, enum report_format f, const struct wordlist *words,
		   const struct wordlist *why, size_t budget);
/* Writes a rendered report to stderr. */
void report_write(const char *buf, size_t len);

/* Prints a usage or configuration error in the chosen format. */
void report_error(enum report_format f, int code, const char *msg);

/* The name of a layer, as the text report and --help print it ("deps"). */
const char *report_layer_name(enum probe_layer layer);

#endif
