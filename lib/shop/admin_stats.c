/* admin_stats: the admin dashboard's aggregate queries. */
#include "shop/admin_stats.h"

/* The window is read by orders_created_idx (created_at INCLUDE status,
 * total): an index-only range scan of 30 days, whatever the table's size. */
#define WINDOW_START "date_trunc('day', now()) - interval '29 days'"

static const db_stmt admin_stats_sql[] = {
	{"admin_stats_windows",
	 "WITH o AS (SELECT id, total, created_at FROM orders"
	 "           WHERE created_at >= " WINDOW_START " AND " ADMIN_STATS_COUNTED "),"
	 " u AS (SELECT i.order_id, sum(i.qty) AS q FROM order_items i"
	 "       WHERE i.order_id IN (SELECT id FROM o) GROUP BY i.order_id),"
	 " ou AS (SELECT o.total, o.created_at >= date_trunc('day', now()) AS d1,"
	 "        o.created_at >= date_trunc('day', now()) - interval '6 days' AS d7,"
	 "        COALESCE(u.q, 0) AS q FROM o LEFT JOIN u ON u.order_id = o.id)"
	 " SELECT count(*) FILTER (WHERE d1) AS orders_1,"
	 "  COALESCE(sum(total) FILTER (WHERE d1), 0) AS revenue_1,"
	 "  COALESCE(sum(q) FILTER (WHERE d1), 0) AS units_1,"
	 "  count(*) FILTER (WHERE d7) AS orders_7,"
	 "  COALESCE(sum(total) FILTER (WHERE d7), 0) AS revenue_7,"
	 "  COALESCE(sum(q) FILTER (WHERE d7), 0) AS units_7,"
	 "  count(*) AS orders_30, COALESCE(sum(total), 0) AS revenue_30,"
	 "  COALESCE(sum(q), 0) AS units_30 FROM ou"},
	{"admin_stats_daily",
	 "SELECT to_char(d, 'YYYY-MM-DD') AS day, count(o.total) AS orders,"
	 " COALESCE(sum(o.total), 0) AS revenue"
	 " FROM generate_series(date_trunc('day', now()) - ($1::int - 1) * interval '1 day',"
	 "                      date_trunc('day', now()), interval '1 day') AS d"
	 " LEFT JOIN orders o ON o.created_at >= d AND o.created_at < d + interval '1 day'"
	 "  AND o." ADMIN_STATS_COUNTED
	 " GROUP BY d ORDER BY d"},
	{"admin_stats_top_products",
	 "SELECT i.product_id, max(i.title) AS title, sum(i.qty) AS units,"
	 " sum(i.unit_price * i.qty) AS revenue"
	 " FROM orders o JOIN order_items i ON i.order_id = o.id"
	 " WHERE o.created_at >= date_trunc('day', now()) - ($1::int - 1) * interval '1 day'"
	 "  AND o." ADMIN_STATS_COUNTED
	 " GROUP BY i.product_id ORDER BY units DESC, revenue DESC, i.product_id LIMIT $2"},
	/* candidates from the partial index inventory_low_idx, then their
	 * totals over every warehouse */
	{"admin_stats_low_stock",
	 "SELECT o.id AS sku_id, o.sku, p.id AS product_id, p.title, s.name AS seller,"
	 " sum(i.quantity_available) AS available"
	 " FROM (SELECT DISTINCT sku_id FROM inventory WHERE quantity_available <= 5) c"
	 " JOIN inventory i ON i.sku_id = c.sku_id JOIN offers o ON o.id = c.sku_id"
	 " JOIN product_variants v ON v.id = o.variant_id JOIN products p ON p.id = v.product_id"
	 " JOIN sellers s ON s.id = o.seller_id"
	 " WHERE o.status = 'active' AND p.status = 'active'"
	 " GROUP BY o.id, o.sku, p.id, p.title, s.name HAVING sum(i.quantity_available) <= $1"
	 " ORDER BY available, o.id LIMIT $2"},
};

void admin_stats_register(void)
{
	db_register(admin_stats_sql, sizeof(admin_stats_sql) / sizeof(admin_stats_sql[0]));
}

db_res *admin_stats_windows(ctx *c)
{
	return db_exec(c, "admin_stats_windows", 0, NULL);
}

db_res *admin_stats_daily(ctx *c, int days)
{
	const char *p[] = {db_param_i64(c, days < 1 ? 1 : days > 90 ? 90 : days)};
	return db_exec(c, "admin_stats_daily", 1, p);
}

db_res *admin_stats_top_products(ctx *c, int days, int limit)
{
	const char *p[] = {db_param_i64(c, days), db_param_i64(c, limit)};
	return db_exec(c, "admin_stats_top_products", 2, p);
}

db_res *admin_stats_low_stock(ctx *c, int threshold, int limit)
{
	const char *p[] = {db_param_i64(c, threshold > 5 ? 5 : threshold), db_param_i64(c, limit)};
	return db_exec(c, "admin_stats_low_stock", 2, p);
}
