/* payment: the card-processor interface (authorize, capture, void, refund;
 * each idempotent by key), card checks, and the order-level helpers that
 * keep the payments/refunds tables in step with the provider. */
#ifndef SOUK_PAYMENT_H
#define SOUK_PAYMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "shop/pay_card.h"
#include "shop/pay_provider.h"
#include "store/db.h"

/* Registers the module's SQL (and the sandbox provider's); call once. */
void pay_register(void);

/* Sets the provider new payments use; pay_choose does it once at start
 * (the provider lives for the process). Also makes it known by name. */
void pay_use(const pay_provider *pv);
/* Makes a provider known by name without using it for new payments (a
 * payment made with it can still be captured, voided, refunded). */
void pay_know(const pay_provider *pv);

/* The provider for new payments; aborts when none was chosen (a bug). */
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
 * "auth:<order_id>" and the card's token (a raw card is tokenised first;
 * a sealed card is not sent: its row is written without a token and 503
 * returned, for the caller to defer it).
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

/* Deferred authorization (docs/BUYING.md, "Provider down: deferred
 * authorization"). pay_defer_authorization records an 'authorize' intent
 * (key "authorize:<payment>") for the order's payment while it is still
 * 'authorizing' (the provider did not answer the checkout); no-op when it
 * exists or the payment has an answer. Joins the caller's transaction if
 * any. The intent is run by checkout_defer, never by pay_ops_run_*: later
 * intents of the payment (a cancel's settle) wait until it is closed.
 * sealed (NULL: none): a card number sealed for the provider (pay_seal.h),
 * kept on the intent until the provider answers: closing the intent
 * (pay_op_done, any finish) or pay_sealed_tokenised erases it. */
int pay_defer_authorization(ctx *c, int64_t order_id, const char *sealed);
/* *pending: the order's authorization is deferred and not answered yet. */
int pay_authorization_deferred(ctx *c, int64_t order_id, bool *pending);
/* Up to `max` deferred authorizations due now: columns id (the intent),
 * order_id, amount, payment_method, sealed_card. Arena result; NULL on
 * failure. */
db_res *pay_deferred_due(ctx *c, int max);
/* The provider tokenised the intent's sealed card: the payment gets the
 * token and the sealed card is erased, in one statement. */
int pay_sealed_tokenised(ctx *c, int64_t op_id, const char *token);
/* The provider refused the intent's sealed card: the payment is 'failed'
 * with decline_code (the intent is closed by checkout_decide). */
int pay_sealed_refused(ctx *c, int64_t op_id, const char *decline_code);
/* Locks an intent in the caller's transaction; *pending: still open. */
int pay_op_lock_pending(ctx *c, int64_t op_id, bool *pending);
/* Closes a pending intent as done with `result` (caller's transaction). */
int pay_op_done(ctx *c, int64_t op_id, const char *result);
/* The provider failed this attempt (the failure recorded in c): the
 * intent stays pending with attempts, last_error and the next try after
 * a back-off (0.2 s doubling to 30 s). Returns SOUK_ERR, c unchanged. */
int pay_op_postpone(ctx *c, int64_t op_id);

/* The worker's job: runs up to `max` pending operations that are due;
 * *ran counts them. Failures are recorded on the operation (attempts,
 * last_error, next_at with back-off), not returned, except the database's. */
int pay_ops_run_due(ctx *c, int max, int *ran);

#endif
