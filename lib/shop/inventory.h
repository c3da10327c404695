/* inventory: reservations against (sku, warehouse) stock; commit, release
 * and restock exactly once (expiry is an order rule: shop/order_expiry.h). */
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

/* INSIDE the caller's transaction, with the order row locked: committed
 * -> released with sold -> available (cancel after confirm, received
 * return), less the units returns restocked already
 * (order_items.qty_restocked, counted as inv_restock_units counts them).
 * Exactly once. *n = reservations released. */
int inv_restock_order(ctx *c, int64_t order_id, int *n);

/* Units [from, from + qty) of an order's sku, numbered 0.. over the
 * order's committed reservations of it in (warehouse_id, id) order. */
typedef struct inv_units {
	int64_t sku_id;
	int from, qty;
} inv_units;

/* INSIDE the caller's transaction, with the order row locked: the units
 * u[0..n) (one entry per sku) go from sold back to available in the
 * warehouses they were taken from; the reservations stay committed. A
 * return's restock: the caller counts what earlier returns put back
 * (order_items.qty_restocked) and passes it as `from`, so no unit goes
 * back twice. Writes inventory.changed rows. *moved = units moved (fewer
 * than asked only for units no reservation holds, e.g. a flash order's). */
int inv_restock_units(ctx *c, int64_t order_id, const inv_units *u, int n, int64_t *moved);

/* Number of reservations of the order still held (-1 on error). */
int inv_held_count(ctx *c, int64_t order_id);

/* INSIDE the caller's transaction: inv_release_order for the k orders of
 * order_ids at once (their rows locked in one sorted statement). *n =
 * reservations released (may be NULL). */
int inv_release_orders(ctx *c, const int64_t *order_ids, int k, int *n);

/* INSIDE the caller's transaction: an outbox row on topic "inventory"
 * {"type":"inventory.changed","sku_id","warehouse_id","product_id"}. */
int inv_outbox_changed(ctx *c, int64_t sku_id, int64_t warehouse_id);

#endif
