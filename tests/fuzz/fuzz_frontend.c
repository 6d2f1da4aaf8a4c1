/*
 * fuzz_frontend.c - libFuzzer entry point for checks/frontend/frontend_scan.c,
 * which reads what a build wrote: the input as each kind of manifest (Next's
 * pages-/app-paths-manifest, build-manifest, Vite's manifest), as an
 * index.html (its references then cleaned as frontend.c cleans them), as
 * a path, and as the tail of a zip archive.
 * Seeds: corpus/frontend/.
 */
#include "fuzz.h"

#include "checks/frontend/frontend_scan.h"

/* What frontend.c does with the references of an index.html. */
static void fuzz_frontend_html(const char *text, size_t len)
{
	struct fe_refs refs = { 0 };
	char base[256], clean[FE_PATH_MAX];
	size_t i, blen;

	fe_html_refs(text, len, &refs);
	blen = fe_html_base(&refs, base, sizeof(base));
	FUZZ_ASSERT(blen < sizeof(base));
	fe_html_base(&refs, base, 2);
	for (i = 0; i < refs.n; i++) {
		FUZZ_ASSERT(strlen(refs.v[i]) > 0 && strlen(refs.v[i]) < FE_PATH_MAX);
		if (fe_path_clean(refs.v[i], strlen(refs.v[i]), 1, clean, sizeof(clean)) == 0)
			FUZZ_ASSERT(clean[0] != '/' && !strstr(clean, "//"));
	}
	fe_refs_free(&refs);
}

/* Feeds data to every scanner; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum fe_manifest_kind kinds[] = { FE_MANIFEST_PATHS, FE_MANIFEST_BUILD,
						       FE_MANIFEST_VITE };
	char *text = fuzz_bytes(data, size), why[200], clean[64];
	unsigned long entries;
	size_t i;

	if (!text)
		return 0;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct fe_refs refs = { 0 };

		fe_manifest_refs(kinds[i], text, size, &refs, why, sizeof(why));
		fe_refs_free(&refs);
	}
	fuzz_frontend_html(text, size);
	fe_path_clean(text, size, 0, clean, sizeof(clean));
	fe_path_clean(text, size, 1, clean, sizeof(clean));
	fe_zip_tail_ok((const unsigned char *)text, size, &entries);
	free(text);
	return 0;
}
