/* digest: SHA-256 (EVP_Digest) and HMAC-SHA-256, rendered as hex. */
#include "core/digest.h"

#include <limits.h>
#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

static char *hex_of(arena *a, const unsigned char *md, unsigned int len)
{
	char *out = arena_alloc(a, 2 * len + 1);
	if (!out)
		return NULL;
	static const char hex[] = "0123456789abcdef";
	for (unsigned int i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * len] = '\0';
	return out;
}

char *digest_sha256_hex(arena *a, const void *data, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) || len != 32)
		return NULL;
	return hex_of(a, md, len);
}

char *digest_hmac_sha256_hex(arena *a, const void *key, size_t klen, const void *data, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!key || klen == 0 || klen > INT_MAX || !HMAC(EVP_sha256(), key, (int)klen, data, n, md, &len) || len != 32)
		return NULL;
	return hex_of(a, md, len);
}

bool digest_equal(const void *x, const void *y, size_t n)
{
	return CRYPTO_memcmp(x, y, n) == 0;
}

int digest_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
                       unsigned char out[DIGEST_HMAC_LEN])
{
	unsigned int len = 0;
	if (klen > (size_t)INT32_MAX ||
	    !HMAC(EVP_sha256(), key, (int)klen, data, n, out, &len) || len != DIGEST_HMAC_LEN)
		return -1;
	return 0;
}
