/*
 * fuzz_alembic.c - libFuzzer entry point for the pure parsers of
 * alembic:DIR: a migration file, alembic.ini and pyproject.toml.  The
 * input need not be NUL-terminated; each parser gets (bytes, len).
 * Seeds: corpus/alembic/; long runs: bash tests/fuzz/run.sh 600 alembic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/alembic/alembic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds data to every parser; returns 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any read past it. */
	char *buf = malloc(size ? size : 1);
	struct alembic_script s;
	struct alembic_ini ini;
	char err[256];
	char *v;

	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	alembic_script_parse(buf, size, &s);
	alembic_script_free(&s);
	if (alembic_ini_parse(buf, size, &ini, err, sizeof(err)) == 0) {
		v = alembic_ini_get(&ini, "alembic", "script_location", "/here", err, sizeof(err));
		free(v);
		v = alembic_ini_get(&ini, "alembic", "version_locations", "/here", err,
				    sizeof(err));
		free(v);
		alembic_ini_free(&ini);
	}
	v = alembic_toml_get(buf, size, "script_location", "/here");
	free(v);
	v = alembic_toml_get(buf, size, "version_locations", "/here");
	free(v);
	free(buf);
	return 0;
}
