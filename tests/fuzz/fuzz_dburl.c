/*
 * fuzz_dburl.c - libFuzzer entry point for database URLs, as they come from
 * check words, db= options and $DATABASE_URL: lib/dburl.c (dburl_parse,
 * dburl_decode), the redis kind's reading of one (redis_target_parse) and
 * the dependency key the SQL kinds derive from it (sql_dep_key).
 * Seeds: corpus/dburl/.
 */
#include "fuzz.h"

#include "checks/db/redis_reply.h"
#include "checks/db/sql.h"
#include "lib/dburl.h"
#include "lib/url.h"

/* Feeds data to the URL parsers as a string and to the decoder as bytes;
 * returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = fuzz_str(data, size), *raw = fuzz_bytes(data, size);
	struct probe_err err = { 0 };
	struct redis_target t;
	char dec[16], key[1600];
	struct dburl *u = malloc(sizeof(*u));

	if (!url || !raw || !u)
		goto out;
	if (dburl_parse(url, u, &err) == 0) {
		FUZZ_ASSERT(u->nparams <= DBURL_PARAMS);
		FUZZ_ASSERT(u->port >= 0 && u->port <= 65535);
		dburl_param(u, "sslmode");
		sql_dep_key(u, key, sizeof(key));
		sql_driver_for(u->scheme);
	} else {
		FUZZ_ASSERT(err.code != 0);
	}
	err.code = 0;
	redis_target_parse(url, &t, &err);
	url_decode(raw, size, dec, sizeof(dec), URL_DECODE_STRICT);
	url_decode(raw, size, key, sizeof(key), 0);
out:
	free(u);
	free(raw);
	free(url);
	return 0;
}
