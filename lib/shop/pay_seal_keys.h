/* pay_seal_keys: Souk's copy of souk-payd's public encryption key (table
 * pay_seal_keys; a public key is no secret), fetched while the provider
 * answers, so a card can be sealed for it while it does not. */
#ifndef SOUK_PAY_SEAL_KEYS_H
#define SOUK_PAY_SEAL_KEYS_H

#include <stdbool.h>

#include "core/ctx.h"
#include "shop/pay_card.h"

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

#endif
