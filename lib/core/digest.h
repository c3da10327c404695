/* digest: SHA-256 (OpenSSL libcrypto) for request fingerprints and ids
 * that must not be stored in the clear. */
#ifndef SOUK_DIGEST_H
#define SOUK_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

#define DIGEST_SHA256_HEX 64 /* characters, lower-case hex */

/* SHA-256 of n bytes as 64 lower-case hex chars in the arena; NULL when
 * libcrypto fails (never in practice) or the arena is full. */
char *digest_sha256_hex(arena *a, const void *data, size_t n);

#define DIGEST_HMAC_LEN 32 /* bytes of an HMAC-SHA256 */

/* HMAC-SHA256 of n bytes under key (klen bytes) into out[32]; 0, or -1
 * when libcrypto fails. For tokens the server signs (flash passes). */
int digest_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
                       unsigned char out[DIGEST_HMAC_LEN]);

/* Constant-time equality of n bytes (CRYPTO_memcmp): a signature check
 * must not tell by its timing how many bytes matched. */
bool digest_equal(const void *a, const void *b, size_t n);

#endif
