/* payment: the order-level helpers that keep the payments/refunds tables
 * in step with the provider in use (interface: shop/pay_provider.h; card
 * checks: shop/pay_card.h; which provider: shop/pay_choose.h). */
#ifndef SOUK_PAYMENT_H
#define SOUK_PAYMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "shop/pay_card.h"
#include "shop/pay_provider.h"

/* Registers the module's SQL; call once (the provider's: pay_choose). */
void pay_register(void);

/* Sets the provider every helper below calls; pay_choose does it once at
 * start (the provider lives for the process). */
void pay_use(const pay_provider *pv);

/* The provider in use; aborts when none was chosen (a program bug). */
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
