/* pay_seal: seal/unseal a card with RSA-OAEP-SHA256 (OpenSSL EVP). */
#include "shop/pay_seal.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "core/js.h"
#include "core/rnd.h"

#define SEAL_PREFIX "sk1."
#define SEAL_MAX_PLAIN 256 /* well under OAEP-SHA256's 318 bytes at 3072 bits */
#define SEAL_MAX_CIPHER 1024

bool pay_seal_key_id_ok(const char *key_id)
{
	size_t n = key_id ? strlen(key_id) : 0;
	if (n < 3 || n > 42 || strncmp(key_id, "k_", 2) != 0)
		return false;
	for (size_t i = 2; i < n; i++)
		if (!((key_id[i] >= '0' && key_id[i] <= '9') || (key_id[i] >= 'a' && key_id[i] <= 'f')))
			return false;
	return true;
}

static const char *pem_of(ctx *c, EVP_PKEY *k, bool private_key)
{
	BIO *b = BIO_new(BIO_s_mem());
	if (!b)
		return NULL;
	int ok = private_key ? PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL)
	                     : PEM_write_bio_PUBKEY(b, k);
	char *p = NULL;
	long n = ok ? BIO_get_mem_data(b, &p) : 0;
	const char *s = n > 0 ? arena_strndup(c->a, p, (size_t)n) : NULL;
	BIO_free(b);
	return s;
}

static EVP_PKEY *key_from_pem(const char *pem, bool private_key)
{
	BIO *b = pem ? BIO_new_mem_buf(pem, -1) : NULL;
	if (!b)
		return NULL;
	EVP_PKEY *k = private_key ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)
	                          : PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	return k;
}

int pay_seal_keygen(ctx *c, const char **key_id, const char **private_pem,
                    const char **public_pem)
{
	char *hex = rnd_hex(c->a, 8);
	EVP_PKEY *k = EVP_RSA_gen(PAY_SEAL_BITS);
	if (!hex || !k) {
		EVP_PKEY_free(k);
		return ctx_fail(c, 500, "internal", "cannot make a key pair");
	}
	buf id;
	buf_init(&id, c->a, 64);
	buf_printf(&id, "k_%s", hex);
	*key_id = id.p;
	*private_pem = pem_of(c, k, true);
	*public_pem = pem_of(c, k, false);
	EVP_PKEY_free(k);
	if (!*private_pem || !*public_pem)
		return ctx_fail(c, 500, "internal", "cannot write the key pair");
	return SOUK_OK;
}

/* OAEP with SHA-256 (also for MGF1), the key id as label. */
static EVP_PKEY_CTX *oaep_ctx(EVP_PKEY *k, const char *key_id, bool encrypt)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(k, NULL);
	unsigned char *label = (unsigned char *)OPENSSL_strdup(key_id);
	bool ok = pc && label && (encrypt ? EVP_PKEY_encrypt_init(pc) : EVP_PKEY_decrypt_init(pc)) > 0 &&
	          EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_OAEP_PADDING) > 0 &&
	          EVP_PKEY_CTX_set_rsa_oaep_md(pc, EVP_sha256()) > 0 &&
	          EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha256()) > 0 &&
	          EVP_PKEY_CTX_set0_rsa_oaep_label(pc, label, (int)strlen(key_id)) > 0;
	if (ok)
		return pc; /* the label is pc's now */
	OPENSSL_free(label);
	EVP_PKEY_CTX_free(pc);
	return NULL;
}

int pay_seal_card(ctx *c, const char *key_id, const char *public_pem, const pay_card *card,
                  const char **sealed)
{
	if (!pay_seal_key_id_ok(key_id))
		return ctx_fail(c, 500, "internal", "the provider's key id is malformed");
	/* the number as the provider checks it: digits only */
	char digits[32];
	size_t nd = 0;
	for (const char *p = card->number ? card->number : ""; *p && nd + 1 < sizeof(digits); p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	digits[nd] = '\0';
	json_object *o = js_obj(c);
	js_str(o, "card_number", digits);
	js_i64(o, "exp_month", card->exp_month);
	js_i64(o, "exp_year", card->exp_year);
	js_str(o, "cvc", card->cvc ? card->cvc : "");
	const char *plain = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	size_t np = strlen(plain);
	EVP_PKEY *k = key_from_pem(public_pem, false);
	EVP_PKEY_CTX *pc = k ? oaep_ctx(k, key_id, true) : NULL;
	unsigned char ct[SEAL_MAX_CIPHER];
	size_t nct = sizeof(ct);
	bool ok = pc && np <= SEAL_MAX_PLAIN &&
	          EVP_PKEY_encrypt(pc, ct, &nct, (const unsigned char *)plain, np) > 0;
	/* the card's text leaves no copy behind in the arena or on the stack */
	OPENSSL_cleanse((void *)plain, np);
	OPENSSL_cleanse(digits, sizeof(digits));
	EVP_PKEY_CTX_free(pc);
	EVP_PKEY_free(k);
	if (!ok)
		return ctx_fail(c, 500, "internal", "the card could not be sealed");
	size_t cap = strlen(SEAL_PREFIX) + strlen(key_id) + 1 + 4 * ((nct + 2) / 3) + 1;
	char *s = arena_alloc(c->a, cap);
	if (!s)
		return ctx_fail(c, 500, "internal", "out of memory");
	int n = snprintf(s, cap, SEAL_PREFIX "%s.", key_id);
	EVP_EncodeBlock((unsigned char *)s + n, ct, (int)nct);
	*sealed = s;
	return SOUK_OK;
}

/* Splits "sk1.<key_id>.<b64>": the key id (arena) and where b64 starts. */
static const char *split(ctx *c, const char *sealed, const char **b64)
{
	size_t np = strlen(SEAL_PREFIX);
	if (!sealed || strncmp(sealed, SEAL_PREFIX, np) != 0)
		return NULL;
	const char *dot = strchr(sealed + np, '.');
	if (!dot)
		return NULL;
	const char *id = arena_strndup(c->a, sealed + np, (size_t)(dot - sealed - (ptrdiff_t)np));
	if (!id || !pay_seal_key_id_ok(id))
		return NULL;
	*b64 = dot + 1;
	return id;
}

const char *pay_seal_key_of(ctx *c, const char *sealed)
{
	const char *b64;
	return split(c, sealed, &b64);
}

static int unreadable(ctx *c)
{
	return ctx_fail(c, 400, "bad_card", "the sealed card cannot be opened");
}

int pay_unseal_card(ctx *c, const char *sealed, const char *key_id, const char *private_pem,
                    pay_card *out)
{
	const char *b64 = NULL;
	const char *id = split(c, sealed, &b64);
	size_t nb = b64 ? strlen(b64) : 0;
	if (!id || !key_id || strcmp(id, key_id) != 0 || nb == 0 || nb % 4 != 0 ||
	    nb > 4 * (SEAL_MAX_CIPHER / 3))
		return unreadable(c);
	unsigned char ct[SEAL_MAX_CIPHER];
	int nct = EVP_DecodeBlock(ct, (const unsigned char *)b64, (int)nb);
	if (nct <= 0)
		return unreadable(c);
	/* EVP_DecodeBlock counts the '=' padding as zero bytes */
	for (size_t i = nb; i > 0 && b64[i - 1] == '='; i--)
		nct--;
	EVP_PKEY *k = key_from_pem(private_pem, true);
	EVP_PKEY_CTX *pc = k ? oaep_ctx(k, key_id, false) : NULL;
	unsigned char plain[SEAL_MAX_CIPHER];
	size_t np = sizeof(plain) - 1;
	bool ok = pc && EVP_PKEY_decrypt(pc, plain, &np, ct, (size_t)nct) > 0;
	EVP_PKEY_CTX_free(pc);
	EVP_PKEY_free(k);
	if (!ok)
		return unreadable(c);
	plain[np] = '\0';
	json_object *o = js_parse(c, (str){(const char *)plain, np});
	OPENSSL_cleanse(plain, sizeof(plain));
	int64_t m = 0, y = 0;
	memset(out, 0, sizeof(*out));
	if (!o || js_get_str(o, "card_number", &out->number) != 1 ||
	    js_get_str(o, "cvc", &out->cvc) != 1 || js_get_i64(o, "exp_month", &m) != 1 ||
	    js_get_i64(o, "exp_year", &y) != 1)
		return unreadable(c);
	out->exp_month = m >= 1 && m <= 12 ? (int)m : 0;
	out->exp_year = y >= 2000 && y <= 2100 ? (int)y : 0;
	return SOUK_OK;
}
