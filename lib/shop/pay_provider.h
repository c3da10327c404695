/* pay_provider: the interface of a card processor (authorize, capture,
 * void, refund; each idempotent by key) that payment.c calls and each
 * provider implements. */
#ifndef SOUK_PAY_PROVIDER_H
#define SOUK_PAY_PROVIDER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "shop/pay_card.h"

/* The outcome of one provider call. Strings are arena-owned. */
typedef struct pay_result {
	bool approved;
	const char *provider_ref;   /* the charge/refund reference */
	const char *decline_code;   /* "card_declined", "insufficient_funds", ... */
	const char *message;        /* for the shopper: "Your card was declined." */
	const char *brand;
	char last4[5];
} pay_result;

/* A provider. Each call is idempotent by `key`: the same key always gives
 * the first call's result and never a second effect, also across
 * processes. SOUK_ERR (with a failure recorded) only when the provider
 * cannot be reached; a decline is SOUK_OK with approved=false. */
typedef struct pay_provider {
	const char *name;
	int (*authorize)(ctx *c, const char *key, int64_t amount, const char *currency,
	                 const pay_card *card, pay_result *out);
	int (*capture)(ctx *c, const char *key, const char *auth_ref, int64_t amount,
	               pay_result *out);
	int (*void_auth)(ctx *c, const char *key, const char *auth_ref, pay_result *out);
	int (*refund)(ctx *c, const char *key, const char *charge_ref, int64_t amount,
	              pay_result *out);
	/* Card -> payment method: out->provider_ref is the token (pm_…),
	 * brand and last4 filled. The only call that sees a card number. */
	int (*tokenize)(ctx *c, const pay_card *card, pay_result *out);
	/* Pays `amount` to a seller's account ("acct_…"); out->provider_ref
	 * is the payout reference. */
	int (*payout)(ctx *c, const char *key, const char *account, int64_t amount, pay_result *out);
} pay_provider;

#endif
