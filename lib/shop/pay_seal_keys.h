/* pay_seal_keys: Souk's copy of souk-payd's public encryption key (table
 * pay_seal_keys; a public key is no secret), fetched while the provider
 * answers, so a card can be sealed for it while it does not. */
#ifndef SOUK_PAY_SEAL_KEYS_H
#define SOUK_PAY_SEAL_KEYS_H

#include <stdbool.h>

#include "core/ctx.h"
#include "shop/pay_card.h"
#include "shop/pay_provider.h"

/* Registers the module's SQL (pay_register does); call once. */
void pay_seal_keys_register(void);

/* Asks souk-payd for its current key (GET /v1/encryption_key) and keeps
 * it; no transaction may be open. 503 when payd cannot be reached. */
int pay_seal_keys_refresh(ctx *c);

/* pay_seal_keys_refresh at most once per `every_ms` in this process (the
 * checkout calls it after a tokenisation succeeded, the worker on each
 * round); its failure is logged and cleared, never the caller's. */
void pay_seal_keys_refresh_every(ctx *c, int64_t every_ms);

/* Seals `card` with the kept key: *sealed (arena). *sealed NULL (and
 * SOUK_OK) when no key is known: the caller keeps its 503. */
int pay_seal_keys_seal(ctx *c, const pay_card *card, const char **sealed);

/* The card a checkout goes on with (the API's and the storefront's
 * payment step): `card` tokenised by the provider (*out = {.token}, *pm
 * its answer: token, brand, last 4; then the kept key is refreshed at most
 * once a minute), or, when the provider cannot be reached (503), may_seal
 * (no flash hold), the provider is souk-payd and its key is known, the
 * card sealed with that key (*out = {.sealed}, the 503 cleared; a card
 * sealed already stays so), for a deferred authorization. Otherwise the
 * provider's failure stands: 400 bad_card, or the 503 with no key known
 * (nothing to keep the card in). */
int pay_seal_keys_tokenize(ctx *c, const pay_card *card, bool may_seal, pay_result *pm,
                           pay_card *out);

#endif
