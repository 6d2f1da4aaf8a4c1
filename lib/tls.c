/*
 * tls.c - OpenSSL's start-up.  OpenSSL runs each of its init steps once per
 * process and the first request decides, so later requests (libcurl's
 * global init, mysql_init, libpq) change nothing.
 */
#include "lib/tls.h"

#include <openssl/crypto.h>

static int tls_needed = 1;

void tls_plan(int needed)
{
	tls_needed = needed;
}

void tls_start(void)
{
	uint64_t opts = OPENSSL_INIT_NO_LOAD_CONFIG;

	if (!tls_needed)
		opts |= OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
			OPENSSL_INIT_NO_ADD_ALL_DIGESTS;
	OPENSSL_init_crypto(opts, NULL);
}
