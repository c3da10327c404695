/* digest: SHA-256 and HMAC-SHA-256 (OpenSSL libcrypto) for request
 * fingerprints, ids that must not be stored in the clear, signed links. */
#ifndef SOUK_DIGEST_H
#define SOUK_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

#define DIGEST_SHA256_HEX 64 /* characters, lower-case hex */

/* SHA-256 of n bytes as 64 lower-case hex chars in the arena; NULL when
 * libcrypto fails (never in practice) or the arena is full. */
char *digest_sha256_hex(arena *a, const void *data, size_t n);

/* HMAC-SHA-256 of n bytes under key (klen bytes, klen > 0) as 64
 * lower-case hex chars in the arena: a fingerprint nobody without the key
 * can recompute from a guess (a card number has few enough possibilities
 * to be found from a bare hash). NULL on failure or an empty key. */
char *digest_hmac_sha256_hex(arena *a, const void *key, size_t klen, const void *data, size_t n);

/* Equality of two n-byte strings in time independent of where they
 * differ (CRYPTO_memcmp), for comparing MACs. */
bool digest_equal(const void *x, const void *y, size_t n);

#define DIGEST_HMAC_LEN 32 /* bytes of an HMAC-SHA256 */

/* HMAC-SHA256 of n bytes under key (klen bytes) into out[32]; 0, or -1
 * when libcrypto fails. For tokens the server signs (flash passes). */
int digest_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
                       unsigned char out[DIGEST_HMAC_LEN]);


#endif
