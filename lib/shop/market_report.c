/* market_report: commission rates, revenue from the ledger, FBA queue. */
#include "shop/market_report.h"

static const db_stmt report_sql[] = {
	{"market_commissions",
	 "SELECT c.id, c.name, c.path, c.depth, c.commission_bps,"
	 " (SELECT count(*) FROM products p WHERE p.category_id = c.id) AS products"
	 " FROM categories c LEFT JOIN categories pc ON pc.id = c.parent_id"
	 " WHERE c.parent_id IS NULL OR c.commission_bps <> pc.commission_bps ORDER BY c.path"},
	{"market_commission_set",
	 "WITH c AS (SELECT path FROM categories WHERE id = $1)"
	 " UPDATE categories SET commission_bps = $2 FROM c"
	 " WHERE categories.path = c.path OR categories.path LIKE c.path || '.%' RETURNING categories.id"},
	{"market_revenue",
	 "SELECT date_trunc('day', e.created_at)::date::text AS day,"
	 " -COALESCE(sum(e.amount) FILTER (WHERE a.kind = 'commission'), 0) AS commission,"
	 " -COALESCE(sum(e.amount) FILTER (WHERE a.kind = 'shipping'), 0) AS shipping,"
	 " -COALESCE(sum(e.amount) FILTER (WHERE a.kind = 'tax'), 0) AS tax,"
	 " -COALESCE(sum(e.amount) FILTER (WHERE a.kind = 'refunds'), 0) AS refunds,"
	 " -COALESCE(sum(e.amount) FILTER (WHERE a.kind = 'payouts'), 0) AS payouts,"
	 " COALESCE(sum(e.amount) FILTER (WHERE a.kind = 'clearing'), 0) AS captured"
	 " FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id"
	 " WHERE e.created_at > now() - make_interval(days => $1) GROUP BY 1 ORDER BY 1 DESC"},
	{"market_fba_pending",
	 "SELECT s.id, o.public_id, o.status AS order_status, se.name AS seller, s.due_at,"
	 " (SELECT sum(qty) FROM order_items i WHERE i.shipment_id = s.id) AS units"
	 " FROM shipments s JOIN orders o ON o.id = s.order_id JOIN sellers se ON se.id = s.seller_id"
	 " WHERE s.fulfillment = 'FBA' AND s.status IN ('pending', 'shipped')"
	 " AND o.status IN ('CONFIRMED', 'PROCESSING', 'SHIPPED') ORDER BY s.id DESC LIMIT $1"},
};

void market_report_register(void)
{
	db_register(report_sql, sizeof(report_sql) / sizeof(report_sql[0]));
}

db_res *market_commissions(ctx *c)
{
	return db_exec(c, "market_commissions", 0, NULL);
}

int market_commission_set(ctx *c, int64_t category_id, int64_t bps)
{
	if (bps < 500 || bps > 2000)
		return ctx_fail_field(c, 400, "bad_request", "bps",
		                      "a commission rate is 500 to 2000 basis points (5-20 %%)");
	const char *p[] = {db_param_i64(c, category_id), db_param_i64(c, bps)};
	db_res *r = db_exec(c, "market_commission_set", 2, p);
	if (!r)
		return SOUK_ERR;
	return db_rows(r) ? SOUK_OK : ctx_fail(c, 404, "not_found", "no such category");
}

db_res *market_revenue(ctx *c, int64_t days)
{
	const char *p[] = {db_param_i64(c, days)};
	return db_exec(c, "market_revenue", 1, p);
}

db_res *market_fba_pending(ctx *c, int64_t limit)
{
	const char *p[] = {db_param_i64(c, limit)};
	return db_exec(c, "market_fba_pending", 1, p);
}
