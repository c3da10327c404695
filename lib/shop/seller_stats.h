/* seller_stats: the seller dashboard's figures (orders and sales, units to
 * ship, late shipments, Buy Box share, the 30-day performance metrics the
 * Buy Box rule reads), one query per seller. */
#ifndef SOUK_SELLER_STATS_H
#define SOUK_SELLER_STATS_H

#include <stdint.h>

#include "core/ctx.h"
#include "shop/buybox.h"
#include "store/db.h"

void seller_stats_register(void);

typedef struct seller_stats {
	int64_t orders_today, sales_today, orders_7d, sales_7d; /* sales: their items' gross */
	int64_t units_to_ship, late_shipments;
	int64_t offers, buybox_wins; /* active offers; of those, holding the Buy Box */
	buybox_perf perf;            /* last 30 days */
} seller_stats;

int seller_stats_get(ctx *c, int64_t seller_id, seller_stats *out);

/* The seller's active offers beside their variant's Buy Box winner (those
 * not holding it first): sku_id, title, price, shipping, fulfillment,
 * rating10, qty, holds, and the winner's w_id, w_price, w_shipping,
 * w_fulfillment, w_rating10, w_qty. buybox_price_to_win gives what an
 * offer needs. */
db_res *seller_stats_listings(ctx *c, int64_t seller_id, int64_t limit);

#endif
