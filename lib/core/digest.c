/* digest: SHA-256 through EVP_Digest, rendered as hex. */
#include "core/digest.h"

#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

char *digest_sha256_hex(arena *a, const void *data, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) || len != 32)
		return NULL;
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

int digest_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
                       unsigned char out[DIGEST_HMAC_LEN])
{
	unsigned int len = 0;
	if (klen > (size_t)INT32_MAX ||
	    !HMAC(EVP_sha256(), key, (int)klen, data, n, out, &len) || len != DIGEST_HMAC_LEN)
		return -1;
	return 0;
}

bool digest_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
