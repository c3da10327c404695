/* buy_stub: the buy-core calls the worker makes (lib/payment.h,
 * lib/inventory.h per /work/buy-contract.md), declared here until those
 * headers are merged; then this file and buy_stub.c go. */
#ifndef SOUK_BUY_STUB_H
#define SOUK_BUY_STUB_H

#include <stdint.h>

#include "ctx.h"

void buy_stub_register(void);
/* Captures the order's authorized payment; idempotent. SOUK_OK/SOUK_ERR. */
int pay_capture_order(ctx *c, int64_t order_id);
/* Refunds amount cents of the order's captured payment; idempotent. */
int pay_refund_order(ctx *c, int64_t order_id, int64_t amount, const char *reason);
/* Releases up to limit expired held reservations and cancels their orders
 * (in its own transaction); returns how many were released, -1 on error. */
int inv_expire_batch(ctx *c, int limit);

#endif
