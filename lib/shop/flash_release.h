/* flash_release: a cancelled flash order gives its units back, exactly
 * once — to its sale while the sale sells, to normal stock once it has
 * ended; a returned one to normal stock. docs/FLASH.md "Cancelled
 * orders", "Returned orders". */
#ifndef SOUK_FLASH_RELEASE_H
#define SOUK_FLASH_RELEASE_H

#include <stdint.h>

#include "core/ctx.h"

/* Registers the module's SQL and installs its order hooks: a cancelled
 * flash order (ORDER_CANCELLED) gives its units back as below, a
 * returned one (ORDER_RETURNED) gives them to normal stock. shop_register
 * calls it, so every process that moves orders has them. */
void flash_release_register(void);

/* What one release gave back; qty 0: nothing (not a flash order, or
 * given back already). Strings in the arena. */
typedef struct flash_released {
	int64_t sale, qty;
	const char *customer; /* the cart_caller tag the units were counted for */
	const char *state;    /* the sale's: scheduled | paused | ended */
	int64_t prequeue_at, starts_at, ends_at; /* unix seconds */
} flash_released;

/* In the caller's transaction (the order's cancel): marks the order's
 * flash units released (flash_orders.released: once, whoever comes
 * second finds nothing), takes them off the sale's units_sold, and when
 * the sale has ended shrinks it and puts them back into the warehouses
 * they came from. *out says what was released (for flash_release_redis
 * after the commit). SOUK_ERR with the failure recorded. */
int flash_release_order(ctx *c, int64_t order_id, flash_released *out);

/* After the release's commit: the sale's pre-warmed units in Redis get
 * them back (keyed by the order, so a second give of the same order is a
 * no-op) and a sold-out sale that still runs says "running" again. Not
 * for an ended sale (its units went to stock). Best effort: a Redis that
 * lost the sale is re-warmed from PostgreSQL, which already has them
 * back; one that failed right then is repaired by flash_repair_gives.
 * The units given (flash_stock_give: 0 none, -1 Redis failed). */
int64_t flash_release_redis(ctx *c, int64_t order_id, const flash_released *r);

/* The repair of a lost give-back (Redis failed right after the release's
 * commit: the sale's Redis units stay short, it undersells): for the
 * `limit` newest released orders of every sale still selling, the keyed
 * give-back again — it counts once, so an order whose units came back
 * already changes nothing. Logs each one it repaired; *orders and *units
 * say how many. Idempotent; the worker's flash job runs it. SOUK_ERR
 * when PostgreSQL failed (Redis failures: nothing repaired). */
#define FLASH_REPAIR_LIMIT 5000
int flash_repair_gives(ctx *c, int limit, int64_t *orders, int64_t *units);

/* Gives qty units of a sale back to normal stock (the warehouses they
 * came from, in id order; flash_stock.returned counts them) with an
 * inventory.changed event per warehouse, in the caller's transaction,
 * which holds the sale row's lock: the end's unsold units, a cancel's
 * after the end, a return's. */
int flash_return_stock(ctx *c, int64_t sale, int64_t qty, int64_t sku_id);

/* A seller's partial return of a flash order (lib/shop/restock.c): qty
 * of its units to normal stock as flash_return_stock does, in the
 * caller's transaction (the order row locked, order_items.qty_restocked
 * raised by qty already), under the sale row's lock. The sale's
 * units_sold, the customer's count and Redis stay, as for a whole
 * return. 1 done, 0 not a flash order (nothing moved), SOUK_ERR. */
int flash_return_units(ctx *c, int64_t order_id, int64_t qty);

#endif
