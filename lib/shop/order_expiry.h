/* order_expiry: cancels PENDING orders whose reservations were held too long. */
#ifndef SOUK_ORDER_EXPIRY_H
#define SOUK_ORDER_EXPIRY_H

#include "core/ctx.h"

/* Registers the SQL of expiry and of the modules it uses (inventory,
 * order); call once before the connection opens. */
void order_expiry_register(void);

/* Runs its OWN transaction: picks up to `limit` PENDING orders having a
 * held reservation past expires_at (FOR UPDATE SKIP LOCKED, so it never
 * waits for a checkout confirming the same order), releases their held
 * reservations and moves them to CANCELLED (actor "worker", note
 * "reservation expired"); a flash order (no reservation) left PENDING
 * INV_HOLD_SECONDS after it was placed too, its units back to the sale.
 * A confirm that locked the order first wins; the
 * one that comes second sees the new status. *cancelled = orders cancelled
 * (may be NULL). Returns SOUK_OK or SOUK_ERR (failure recorded). */
int order_expire_batch(ctx *c, int limit, int *cancelled);

#endif
