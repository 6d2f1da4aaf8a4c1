/*
 * fuzz_words.c - libFuzzer entry point for probe/words.c: the input as a
 * -f file (or $PROBE_CHECKS), split into words, each expanded and
 * classified, then the whole list turned into checks by words_parse, which
 * runs every kind's parse (no I/O) on them.  A few variables are set so
 * that ${VAR}, ${VAR:-default} and @VAR have something to expand to.
 * Seeds: corpus/words/.
 */
#include "fuzz.h"

#include "probe/report.h"
#include "probe/words.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Sets the variables the seeds name; returns 0 (libFuzzer's contract). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("PORT", "8000", 1);
	setenv("DATABASE_URL", "postgresql://app:s3cret@db:5432/app", 1);
	setenv("REDIS_URL", "redis://:pw@cache:6379/0", 1);
	setenv("EMPTY", "", 1);
	unsetenv("UNSET");
	return 0;
}

/* Splits, expands, classifies and parses the words of data; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wordlist wl = { 0 };
	struct probe_err err = { 0 };
	struct plan plan;
	char *text = fuzz_str(data, size), shown[256];
	size_t i, split;

	if (!text)
		return 0;
	if (words_split(text, "-f fuzz", &wl, &err) == 0) {
		for (i = 0; i < wl.n; i++) {
			struct probe_err werr = { 0 };
			char *w = words_expand(wl.v[i], &werr);

			FUZZ_ASSERT(w || werr.code);
			if (!w)
				continue;
			switch (words_classify(w, &split)) {
			case WORD_OPTION:
				FUZZ_ASSERT(split > 0 && w[split] == '=');
				break;
			case WORD_CHECK:
				FUZZ_ASSERT(split > 0 && w[split] == ':');
				break;
			case WORD_BAD:
				break;
			}
			report_scrub(shown, sizeof(shown), w);
			free(w);
		}
		err.code = 0;
		if (words_parse(wl.v, wl.n, &plan, &err) == 0)
			plan_free(&plan);
		else
			FUZZ_ASSERT(err.code != 0 && plan.n == 0);
	} else {
		FUZZ_ASSERT(err.code != 0);
	}
	wordlist_free(&wl);
	secret_clear();
	free(text);
	return 0;
}
