/* inventory: reservations against (sku, warehouse) stock; commit, release
 * and restock exactly once; expiry of abandoned reservations. */
#ifndef SOUK_INVENTORY_H
#define SOUK_INVENTORY_H

#include <stdint.h>

#include "core/ctx.h"

#define INV_HOLD_SECONDS 1800 /* a reservation is held for 30 minutes */

/* Registers the module's SQL; call once before serving. */
void inv_register(void);

typedef struct inv_line {
	int64_t sku_id;
	int qty;
} inv_line;

/* Why a reservation failed: the first short sku in sku order. */
typedef struct inv_short {
	int64_t sku_id;
	int64_t wanted;
	int64_t available; /* units left over all warehouses */
} inv_short;

/* Reserves every line for order_id, all or nothing, INSIDE the caller's
 * transaction. Lines may repeat a sku (quantities add up) and come in any
 * order: rows are locked in (sku_id, warehouse_id) order, a line may be
 * split across warehouses, and each warehouse row is taken with the
 * conditional UPDATE (... AND quantity_available >= qty). Held
 * reservations expire after hold_seconds. Writes inventory.changed outbox
 * rows. On a short sku: 409 "out_of_stock" recorded, *sh filled (may be
 * NULL), SOUK_ERR: the caller must roll back. */
int inv_reserve(ctx *c, int64_t order_id, const inv_line *lines, int n, int hold_seconds,
                inv_short *sh);

/* INSIDE the caller's transaction, with the order row already locked:
 * held -> committed (reserved -> sold) for every reservation of the order.
 * *n = reservations committed. Returns SOUK_OK; the caller decides what a
 * count different from inv_held_count means (the expiry won). */
int inv_commit_order(ctx *c, int64_t order_id, int *n);

/* INSIDE the caller's transaction: held -> released (reserved ->
 * available). Exactly once: already committed/released rows are skipped. */
int inv_release_order(ctx *c, int64_t order_id, int *n);

/* INSIDE the caller's transaction: committed -> released with sold ->
 * available (cancel after confirm, received return). Exactly once. */
int inv_restock_order(ctx *c, int64_t order_id, int *n);

/* Number of reservations of the order still held (-1 on error). */
int inv_held_count(ctx *c, int64_t order_id);

/* Runs its OWN transaction: picks up to `limit` PENDING orders having a
 * held reservation past expires_at (FOR UPDATE SKIP LOCKED, so it never
 * waits for a checkout confirming the same order), releases their held
 * reservations and moves them to CANCELLED (actor "worker", note
 * "reservation expired"). A confirm that locked the order first wins; the
 * one that comes second sees the new status. *cancelled = orders cancelled
 * (may be NULL). Returns SOUK_OK or SOUK_ERR (failure recorded). */
int inv_expire_batch(ctx *c, int limit, int *cancelled);

/* INSIDE the caller's transaction: an outbox row on topic "inventory"
 * {"type":"inventory.changed","sku_id","warehouse_id","product_id"}. */
int inv_outbox_changed(ctx *c, int64_t sku_id, int64_t warehouse_id);

#endif
