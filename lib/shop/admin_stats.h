/* admin_stats: the dashboard's figures, each one indexed aggregate query.
 * An order counts when it was paid and still stands: CONFIRMED,
 * PROCESSING, SHIPPED or DELIVERED (not PENDING, CANCELLED - declined
 * payments included - or RETURNED); revenue is its total in cents, units
 * the sum of its items' quantities. Days are calendar days in the
 * database's time zone; "7 days" is today and the 6 days before. */
#ifndef SOUK_ADMIN_STATS_H
#define SOUK_ADMIN_STATS_H

#include "core/ctx.h"
#include "store/db.h"

/* Registers the module's SQL; call once before serving. */
void admin_stats_register(void);

/* The SQL condition of a counted order, for tests that compute the truth. */
#define ADMIN_STATS_COUNTED "status IN ('CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED')"

/* One row: orders_N, revenue_N, units_N for N = 1 (today), 7, 30. */
db_res *admin_stats_windows(ctx *c);
/* One row per day of the last `days` (1..90), oldest first, days without
 * orders included: day (YYYY-MM-DD), orders, revenue. */
db_res *admin_stats_daily(ctx *c, int days);
/* The best-selling products of the last `days` by units: product_id,
 * title, units, revenue; at most limit rows. */
db_res *admin_stats_top_products(ctx *c, int days, int limit);
/* Active offers whose stock over all warehouses is at most `threshold`
 * (<= 5, the partial index): sku_id, sku, product_id, title, seller,
 * available; fewest first, at most limit rows. */
db_res *admin_stats_low_stock(ctx *c, int threshold, int limit);

#endif
