/* payment: the card-processor interface (authorize, capture, void, refund;
 * each idempotent by key), card checks, and the order-level helpers that
 * keep the payments/refunds tables in step with the provider. */
#ifndef SOUK_PAYMENT_H
#define SOUK_PAYMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

/* Registers the module's SQL (and the sandbox provider's); call once. */
void pay_register(void);

/* A card as the shopper typed it. Lives only for the request: never
 * stored, never logged; only brand and last 4 reach the database. */
typedef struct pay_card {
	const char *number;  /* digits, spaces and dashes allowed */
	int exp_month;       /* 1..12 */
	int exp_year;        /* four digits */
	const char *cvc;     /* 3 or 4 digits */
} pay_card;

/* Luhn checksum over a string of 12..19 digits (no separators). */
bool pay_luhn_ok(const char *digits);

/* "visa", "mastercard", "amex", "discover" or "card". */
const char *pay_card_brand(const char *digits);

/* Validates a card as of (now_year, now_month): number 12..19 digits after
 * removing spaces/dashes and Luhn-valid, expiry not in the past, month
 * 1..12, cvc 3-4 digits. 400 "bad_card" naming the field otherwise. On
 * success *digits is the normalised number (arena) and last4 is filled. */
int pay_card_check(ctx *c, const pay_card *card, int now_year, int now_month,
                   const char **digits, char last4[5]);

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
} pay_provider;

/* The built-in sandbox, a card processor's test mode with its state in
 * PostgreSQL (tables pay_sandbox_*): 4242 4242 4242 4242 approves,
 * 4000 0000 0000 0002 declines (card_declined), 4000 0000 0000 9995
 * declines (insufficient_funds), 4000 0000 0000 0069 (expired_card); any
 * other Luhn-valid number approves. */
extern const pay_provider pay_sandbox;

/* The provider in use (the sandbox; one place to switch). */
const pay_provider *pay_provider_get(void);

/* Order-level helpers. Each is atomic: called outside a transaction it
 * runs its own; called inside one (a consumer recording consumer_applied
 * in the same transaction) it joins the caller's, which then owns commit
 * and rollback. Each is idempotent and safe to call again after a crash or
 * from a redelivered event. They lock the payments row FOR UPDATE, so a
 * capture and a cancel of the same order serialise.
 *
 * pay_authorize_order: authorizes `amount` for the order with provider key
 * "auth:<order_id>" and records one payments row (status authorized or
 * failed, brand, last4, decline_code). A second call returns the first
 * result. */
int pay_authorize_order(ctx *c, int64_t order_id, int64_t amount, const pay_card *card,
                        pay_result *out);

/* Captures the order's authorized payment (authorized -> captured). No-op
 * (SOUK_OK) when already captured, or when the order is CANCELLED or the
 * payment voided/failed (*done=false then). `done` may be NULL. */
int pay_capture_order(ctx *c, int64_t order_id, bool *done);

/* Voids the order's authorization (authorized -> voided); no-op when
 * there is none or it is already voided. */
int pay_void_order(ctx *c, int64_t order_id);

/* Refunds `amount` cents (0 = everything not yet refunded) of the order's
 * captured payment, once per (order, reason): `reason` is the idempotency
 * discriminator ("cancel", "return:<return_id>"), so the same reason twice
 * is one refund. Writes a refunds row; payment -> refunded when the whole
 * amount is back. No-op when nothing is captured. */
int pay_refund_order(ctx *c, int64_t order_id, int64_t amount, const char *reason);

/* Voids or refunds ("cancel"), whichever the payment's state needs: the
 * cancel path (order_cancel calls it inside its transaction). */
int pay_settle_cancel(ctx *c, int64_t order_id);

#endif
