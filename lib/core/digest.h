/* digest: SHA-256 (OpenSSL libcrypto) for request fingerprints and ids
 * that must not be stored in the clear. */
#ifndef SOUK_DIGEST_H
#define SOUK_DIGEST_H

#include <stddef.h>

#include "core/arena.h"

#define DIGEST_SHA256_HEX 64 /* characters, lower-case hex */

/* SHA-256 of n bytes as 64 lower-case hex chars in the arena; NULL when
 * libcrypto fails (never in practice) or the arena is full. */
char *digest_sha256_hex(arena *a, const void *data, size_t n);

#endif
