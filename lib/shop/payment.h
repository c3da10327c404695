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
	const char *token;   /* the provider's payment method (pm_…); when set the
	                      * fields above are unused: the card was tokenised */
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
	/* Card -> payment method: out->provider_ref is the token (pm_…),
	 * brand and last4 filled. The only call that sees a card number. */
	int (*tokenize)(ctx *c, const pay_card *card, pay_result *out);
} pay_provider;

/* The built-in sandbox, a card processor's test mode with its state in
 * PostgreSQL (tables pay_sandbox_*): 4242 4242 4242 4242 approves,
 * 4000 0000 0000 0002 declines (card_declined), 4000 0000 0000 9995
 * declines (insufficient_funds), 4000 0000 0000 0069 (expired_card); any
 * other Luhn-valid number approves. */
extern const pay_provider pay_sandbox;

/* The provider in use: SOUK_PAY_PROVIDER=payd is souk-payd
 * (pay_remote.h), anything else the in-database sandbox (unit tests). */
const pay_provider *pay_provider_get(void);

/* The provider that made a payment (payments.provider): the one that
 * must capture, void or refund it. Unknown names: pay_provider_get(). */
const pay_provider *pay_provider_named(const char *name);

/* A token is "pm_" and 1..60 of [A-Za-z0-9_]. */
bool pay_token_ok(const char *token);

/* Order-level helpers (pay_ops.c). No provider call is ever made inside
 * a transaction: capture, void and refund are recorded as intents
 * (payment_ops rows, keyed like the provider call) in the caller's
 * transaction, made after it committed, and their result recorded in a
 * transaction of its own; the worker's `payments` job retries pending
 * intents with the same key, so the provider's first result is what
 * counts, also after a crash between call and record. Each helper is
 * idempotent and safe to call again from a redelivered event.
 *
 * pay_authorize_order: authorizes `amount` for the order with provider key
 * "auth:<order_id>" and the card's token (a raw card is tokenised first).
 * The payments row is written first ('authorizing', with the token), the
 * provider called, then the result recorded (authorized or failed, brand,
 * last4, decline_code). A second call returns the first result, or
 * finishes an 'authorizing' one with the same key. No transaction may be
 * open (500 otherwise). 503 when the provider cannot be reached. */
int pay_authorize_order(ctx *c, int64_t order_id, int64_t amount, const pay_card *card,
                        pay_result *out);

/* Records the capture of the order's authorized payment when the order
 * is confirmed or later (not PENDING, not CANCELLED); joins the caller's
 * transaction if any. Outside one it then runs the order's pending
 * operations at once. *done: captured, or (inside a caller's transaction)
 * the capture is queued; false when there is nothing to capture. */
int pay_capture_order(ctx *c, int64_t order_id, bool *done);

/* Voids the order's authorization (a settle intent: void, or refund when
 * it was captured meanwhile); no-op when there is none. */
int pay_void_order(ctx *c, int64_t order_id);

/* Refunds `amount` cents (0 = everything not yet refunded when it runs)
 * of the order's captured payment, once per (order, reason): `reason` is
 * the idempotency discriminator ("cancel", "return:<return_id>"). The
 * result writes a refunds row, payments.refunded_amount (-> refunded when
 * all is back) and a payment.refunded event, in one transaction. */
int pay_refund_order(ctx *c, int64_t order_id, int64_t amount, const char *reason);

/* The cancel path's intent (order_cancel calls it inside its
 * transaction): when it runs, whatever the payment then needs: finish an
 * unknown authorization ('authorizing'), void an authorized one, refund a
 * captured one ("cancel"). Runs at once when no transaction is open. */
int pay_settle_cancel(ctx *c, int64_t order_id);

/* Runs the order's pending operations now, in order; no transaction may
 * be open. SOUK_ERR (503) when the provider cannot be reached: they stay
 * pending for the worker. Callers after a commit may ignore the failure. */
int pay_ops_run_order(ctx *c, int64_t order_id);

/* The worker's job: runs up to `max` pending operations that are due;
 * *ran counts them. Failures are recorded on the operation (attempts,
 * last_error, next_at with back-off), not returned, except the database's. */
int pay_ops_run_due(ctx *c, int max, int *ran);

#endif
