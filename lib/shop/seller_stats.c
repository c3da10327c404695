/* seller_stats: the dashboard's figures in one statement. */
#include "shop/seller_stats.h"

#include "store/db.h"

/* The Buy Box order is the catalog's (OFFER_JSON): in stock first, then
 * landed price, FBA, seller rating, older offer. */
static const db_stmt stats_sql[] = {
	{"seller_stats",
	 "WITH it AS (SELECT i.order_id, i.unit_price * i.qty AS gross, o.created_at, o.status"
	 "   FROM order_items i JOIN orders o ON o.id = i.order_id"
	 "   WHERE i.seller_id = $1 AND o.created_at > now() - interval '30 days'),"
	 " paid AS (SELECT * FROM it WHERE status NOT IN ('PENDING', 'CANCELLED')),"
	 " mine AS (SELECT id, variant_id FROM offers WHERE seller_id = $1 AND status = 'active'),"
	 " ranked AS (SELECT o.seller_id, row_number() OVER (PARTITION BY o.variant_id ORDER BY"
	 "   q.qty > 0 DESC, o.price + o.shipping, o.fulfillment = 'FBA' DESC, s.rating DESC, o.id) AS rn"
	 "   FROM offers o JOIN sellers s ON s.id = o.seller_id"
	 "   CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity_available), 0) AS qty FROM inventory"
	 "    WHERE sku_id = o.id) q"
	 "   WHERE o.variant_id IN (SELECT variant_id FROM mine) AND o.status = 'active'"
	 "   AND s.status = 'active' AND q.qty > 0),"
	 " sh AS (SELECT s.status, s.due_at, s.shipped_at, o.status AS ostatus FROM shipments s"
	 "   JOIN orders o ON o.id = s.order_id WHERE s.seller_id = $1"
	 "   AND s.created_at > now() - interval '30 days')"
	 " SELECT"
	 "  (SELECT count(DISTINCT order_id) FROM paid WHERE created_at >= date_trunc('day', now()))"
	 "   AS orders_today,"
	 "  (SELECT COALESCE(sum(gross), 0) FROM paid WHERE created_at >= date_trunc('day', now()))"
	 "   AS sales_today,"
	 "  (SELECT count(DISTINCT order_id) FROM paid WHERE created_at > now() - interval '7 days')"
	 "   AS orders_7d,"
	 "  (SELECT COALESCE(sum(gross), 0) FROM paid WHERE created_at > now() - interval '7 days')"
	 "   AS sales_7d,"
	 "  (SELECT COALESCE(sum(i.qty), 0) FROM shipments s JOIN order_items i ON i.shipment_id = s.id"
	 "   JOIN orders o ON o.id = s.order_id WHERE s.seller_id = $1 AND s.status = 'pending'"
	 "   AND o.status IN ('CONFIRMED', 'PROCESSING')) AS units_to_ship,"
	 "  (SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.seller_id = $1"
	 "   AND s.status = 'pending' AND s.due_at < now() AND o.status IN ('CONFIRMED', 'PROCESSING'))"
	 "   AS late_shipments,"
	 "  (SELECT count(*) FROM mine) AS offers,"
	 "  (SELECT count(*) FROM ranked WHERE rn = 1 AND seller_id = $1) AS buybox_wins,"
	 "  (SELECT count(DISTINCT order_id) FROM paid) AS orders_30d,"
	 "  (SELECT count(DISTINCT r.order_id) FROM returns r JOIN paid p ON p.order_id = r.order_id"
	 "   WHERE r.seller_id = $1 OR (r.seller_id IS NULL AND p.status = 'RETURNED')) AS defects,"
	 "  (SELECT count(*) FROM sh WHERE due_at < now() AND ostatus <> 'CANCELLED') AS due,"
	 "  (SELECT count(*) FROM sh WHERE ostatus <> 'CANCELLED' AND ((status = 'pending' AND"
	 "   due_at < now()) OR shipped_at > due_at)) AS late,"
	 "  (SELECT count(DISTINCT order_id) FROM it WHERE status = 'CANCELLED') AS cancels"},
	/* each active offer of the seller beside its variant's Buy Box winner */
	{"seller_stats_listings",
	 "WITH mine AS (SELECT id, variant_id FROM offers WHERE seller_id = $1 AND status = 'active'),"
	 " r AS (SELECT o.id, o.variant_id, o.price, o.shipping, o.fulfillment, (s.rating * 10)::int AS rating10,"
	 "   q.qty, row_number() OVER (PARTITION BY o.variant_id ORDER BY q.qty > 0 DESC,"
	 "   o.price + o.shipping, o.fulfillment = 'FBA' DESC, s.rating DESC, o.id) AS rn"
	 "   FROM offers o JOIN sellers s ON s.id = o.seller_id"
	 "   CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity_available), 0) AS qty FROM inventory"
	 "    WHERE sku_id = o.id) q"
	 "   WHERE o.variant_id IN (SELECT variant_id FROM mine) AND o.status = 'active'"
	 "   AND s.status = 'active')"
	 " SELECT me.id AS sku_id, p.title, me.price, me.shipping, me.fulfillment, me.rating10, me.qty,"
	 "  me.rn = 1 AND me.qty > 0 AS holds, w.id AS w_id, w.price AS w_price, w.shipping AS w_shipping,"
	 "  w.fulfillment AS w_fulfillment, w.rating10 AS w_rating10, w.qty AS w_qty"
	 " FROM r me JOIN mine m ON m.id = me.id JOIN r w ON w.variant_id = me.variant_id AND w.rn = 1"
	 " JOIN product_variants v ON v.id = me.variant_id JOIN products p ON p.id = v.product_id"
	 " ORDER BY me.rn = 1, me.id LIMIT $2"},
};

void seller_stats_register(void)
{
	db_register(stats_sql, sizeof(stats_sql) / sizeof(stats_sql[0]));
}

db_res *seller_stats_listings(ctx *c, int64_t seller_id, int64_t limit)
{
	const char *p[] = {db_param_i64(c, seller_id), db_param_i64(c, limit)};
	return db_exec(c, "seller_stats_listings", 2, p);
}

int seller_stats_get(ctx *c, int64_t seller_id, seller_stats *out)
{
	const char *p[] = {db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "seller_stats", 1, p);
	if (!r)
		return SOUK_ERR;
	*out = (seller_stats){
	    .orders_today = db_i64(r, 0, "orders_today"),
	    .sales_today = db_i64(r, 0, "sales_today"),
	    .orders_7d = db_i64(r, 0, "orders_7d"),
	    .sales_7d = db_i64(r, 0, "sales_7d"),
	    .units_to_ship = db_i64(r, 0, "units_to_ship"),
	    .late_shipments = db_i64(r, 0, "late_shipments"),
	    .offers = db_i64(r, 0, "offers"),
	    .buybox_wins = db_i64(r, 0, "buybox_wins"),
	    .perf = {db_i64(r, 0, "orders_30d"), db_i64(r, 0, "defects"), db_i64(r, 0, "due"),
	             db_i64(r, 0, "late"), db_i64(r, 0, "cancels")},
	};
	return SOUK_OK;
}
