/* pay_seal: a card sealed with the payment provider's public key
 * (RSA-OAEP-SHA256, 3072-bit, OpenSSL EVP), the way processors let
 * merchants encrypt cards client-side: Souk holds only a blob it cannot
 * read; the provider opens it with the private key named in the blob.
 *
 * A sealed card is "sk1.<key_id>.<base64 ciphertext>"; the plaintext is
 * the JSON {"card_number","exp_month","exp_year","cvc"} and the OAEP
 * label is the key id, so a blob presented under another key id does
 * not open. */
#ifndef SOUK_PAY_SEAL_H
#define SOUK_PAY_SEAL_H

#include <stdbool.h>

#include "core/ctx.h"
#include "shop/pay_card.h"

#define PAY_SEAL_BITS 3072

/* A key id is "k_" and 1..40 of [0-9a-f]. */
bool pay_seal_key_id_ok(const char *key_id);

/* A new key pair (PEM, arena strings) and a fresh key id. 500 on failure. */
int pay_seal_keygen(ctx *c, const char **key_id, const char **private_pem,
                    const char **public_pem);

/* Seals `card` (number normalised to its digits, expiry, cvc) for the
 * holder of key_id's private key. 500 when the public key is unusable. */
int pay_seal_card(ctx *c, const char *key_id, const char *public_pem, const pay_card *card,
                  const char **sealed);

/* The key id a sealed card names (arena), or NULL when it is not one. */
const char *pay_seal_key_of(ctx *c, const char *sealed);

/* Opens a sealed card with private_pem (the key named by its key id):
 * out's number, exp_month, exp_year and cvc (arena). 400 bad_card when
 * the blob is malformed, names another key, or does not decrypt (a
 * tampered byte). */
int pay_unseal_card(ctx *c, const char *sealed, const char *key_id, const char *private_pem,
                    pay_card *out);

#endif
