/* seller_stats: the dashboard's figures in one statement, read from the
 * per-seller rollup of sql/043 rather than joined over every order. */
#include "shop/seller_stats.h"

#include "store/db.h"

/* The Buy Box order is the catalog's (OFFER_JSON): in stock first, then
 * landed price, FBA, seller rating, older offer. */
static const db_stmt stats_sql[] = {
	/* The 30-day figures come from the rollup sql/043 keeps (seller_hours:
	 * whole hours inside each window; the facts: the window's first,
	 * partial hour, and what depends on the clock, due_at < now()). Each
	 * figure equals the join over all the seller's orders it replaces
	 * (tests/integration/94-seller-dashboard.sh compares them). */
	{"seller_stats",
	 "WITH e AS (SELECT s0, s7, s30, seller_hour_of(s0) + interval '1 hour' AS h0,"
	 "   seller_hour_of(s7) + interval '1 hour' AS h7, seller_hour_of(s30) + interval '1 hour' AS h30"
	 "   FROM (SELECT date_trunc('day', now()) AS s0, now() - interval '7 days' AS s7,"
	 "   now() - interval '30 days' AS s30) w),"
	 " hs AS (SELECT COALESCE(sum(h.paid) FILTER (WHERE h.hour >= e.h0), 0) AS paid0,"
	 "   COALESCE(sum(h.gross) FILTER (WHERE h.hour >= e.h0), 0) AS gross0,"
	 "   COALESCE(sum(h.paid) FILTER (WHERE h.hour >= e.h7), 0) AS paid7,"
	 "   COALESCE(sum(h.gross) FILTER (WHERE h.hour >= e.h7), 0) AS gross7,"
	 "   COALESCE(sum(h.paid), 0) AS paid30, COALESCE(sum(h.cancelled), 0) AS cancelled30,"
	 "   COALESCE(sum(h.defects), 0) AS defects30, COALESCE(sum(h.ship_due), 0) AS due30,"
	 "   COALESCE(sum(h.ship_late), 0) AS late30"
	 "   FROM e LEFT JOIN seller_hours h ON h.seller_id = $1 AND h.hour >= e.h30 GROUP BY e.h30),"
	 /* the windows' first hours, partly inside: facts by their own time */
	 " oe AS (SELECT 0 AS w, f.* FROM e JOIN seller_order_facts f ON f.seller_id = $1"
	 "   AND f.created_at >= e.s0 AND f.created_at < e.h0"
	 "   UNION ALL SELECT 7, f.* FROM e JOIN seller_order_facts f ON f.seller_id = $1"
	 "   AND f.created_at > e.s7 AND f.created_at < e.h7"
	 "   UNION ALL SELECT 30, f.* FROM e JOIN seller_order_facts f ON f.seller_id = $1"
	 "   AND f.created_at > e.s30 AND f.created_at < e.h30),"
	 " os AS (SELECT count(*) FILTER (WHERE w = 0 AND paid) AS paid0,"
	 "   COALESCE(sum(gross) FILTER (WHERE w = 0 AND paid), 0) AS gross0,"
	 "   count(*) FILTER (WHERE w = 7 AND paid) AS paid7,"
	 "   COALESCE(sum(gross) FILTER (WHERE w = 7 AND paid), 0) AS gross7,"
	 "   count(*) FILTER (WHERE w = 30 AND paid) AS paid30,"
	 "   count(*) FILTER (WHERE w = 30 AND cancelled) AS cancelled30,"
	 "   count(*) FILTER (WHERE w = 30 AND defect) AS defects30 FROM oe),"
	 " ss AS (SELECT count(*) FILTER (WHERE f.counted AND f.due_at IS NOT NULL) AS due30,"
	 "   count(*) FILTER (WHERE f.counted AND f.late_done) AS late30"
	 "   FROM e JOIN seller_ship_facts f ON f.seller_id = $1"
	 "   AND f.created_at > e.s30 AND f.created_at < e.h30),"
	 " mine AS (SELECT id, variant_id FROM offers WHERE seller_id = $1 AND status = 'active'),"
	 " ranked AS (SELECT o.seller_id, row_number() OVER (PARTITION BY o.variant_id ORDER BY"
	 "   q.qty > 0 DESC, o.price + o.shipping, o.fulfillment = 'FBA' DESC, s.rating DESC, o.id) AS rn"
	 "   FROM offers o JOIN sellers s ON s.id = o.seller_id"
	 "   CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity_available), 0) AS qty FROM inventory"
	 "    WHERE sku_id = o.id) q"
	 "   WHERE o.variant_id IN (SELECT variant_id FROM mine) AND o.status = 'active'"
	 "   AND s.status = 'active' AND q.qty > 0)"
	 " SELECT hs.paid0 + os.paid0 AS orders_today, hs.gross0 + os.gross0 AS sales_today,"
	 "  hs.paid7 + os.paid7 AS orders_7d, hs.gross7 + os.gross7 AS sales_7d,"
	 "  (SELECT COALESCE(sum(units), 0) FROM seller_ship_facts WHERE seller_id = $1 AND open)"
	 "   AS units_to_ship,"
	 "  (SELECT count(*) FROM seller_ship_facts WHERE seller_id = $1 AND open AND due_at < now())"
	 "   AS late_shipments,"
	 "  (SELECT count(*) FROM mine) AS offers,"
	 "  (SELECT count(*) FROM ranked WHERE rn = 1 AND seller_id = $1) AS buybox_wins,"
	 "  hs.paid30 + os.paid30 AS orders_30d, hs.defects30 + os.defects30 AS defects,"
	 /* counted with a due date, less those not due yet */
	 "  hs.due30 + ss.due30 - (SELECT count(*) FROM e, seller_ship_facts f WHERE f.seller_id = $1"
	 "   AND f.counted AND f.due_at >= now() AND f.created_at > e.s30) AS due,"
	 /* late whatever the clock, plus the pending ones past due */
	 "  hs.late30 + ss.late30 + (SELECT count(*) FROM e, seller_ship_facts f WHERE f.seller_id = $1"
	 "   AND f.counted AND f.pending AND NOT f.late_done AND f.due_at < now()"
	 "   AND f.created_at > e.s30) AS late,"
	 "  hs.cancelled30 + os.cancelled30 AS cancels"
	 " FROM hs, os, ss"},
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
