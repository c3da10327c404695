/* seller_orders: the seller center's shipments (with the confirm form),
 * returns, ledger statement (date filter, CSV) and dashboard. Every row is
 * the signed-in seller's: another seller's id answers 404. */
#include <string.h>

#include "http/query.h"
#include "http/resp.h"
#include "seller.h"
#include "shop/ledger.h"
#include "shop/seller_return.h"
#include "shop/seller_stats.h"
#include "shop/shipment.h"
#include "shop/shop.h"

void seller_orders_register(void)
{
	shop_register(); /* shipping moves the order: its statements, stock's, payments', hooks */
	ledger_register();
	seller_return_register();
	seller_stats_register();
	shipment_register();
}

static int shipments_page(ctx *c, const seller_who *who, int64_t err_id, const char *error)
{
	db_res *r = shipment_seller_list(c, who->id, NULL, 200, 0);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, who, "Orders and shipments");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *s = tmpl_section(d, "SHIPMENT");
		int64_t id = db_i64(r, i, "id");
		tmpl_set_i64(s, "ID", id);
		tmpl_set(s, "ORDER", db_val(r, i, "public_id"));
		tmpl_set(s, "ORDER_STATUS", db_val(r, i, "order_status"));
		tmpl_set(s, "FULFILLMENT", db_val(r, i, "fulfillment"));
		tmpl_set(s, "SSTATUS", db_val(r, i, "status"));
		tmpl_set_i64(s, "UNITS", db_i64(r, i, "units"));
		tmpl_set(s, "DUE", shop_when(c, db_val(r, i, "due_at")));
		if (db_bool(r, i, "late"))
			tmpl_show(s, "LATE");
		if (!db_null(r, i, "tracking")) {
			tmpl_dict *t = tmpl_section(s, "TRACKED");
			tmpl_set(t, "CARRIER", db_val(r, i, "carrier"));
			tmpl_set(t, "TRACKING", db_val(r, i, "tracking"));
		} else if (strcmp(db_val(r, i, "fulfillment"), "FBM") == 0 &&
		           strcmp(db_val(r, i, "status"), "pending") == 0) {
			tmpl_dict *f = tmpl_section(s, "CONFIRM");
			tmpl_set_i64(f, "ID", id);
			if (id == err_id)
				tmpl_set(tmpl_section(f, "ERROR"), "MESSAGE", error);
		}
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return shop_render(c, error ? 400 : 200, "seller_orders.tpl", d);
}

int page_seller_orders(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	return shipments_page(c, &who, 0, NULL);
}

int post_seller_shipment_confirm(ctx *c)
{
	seller_who who;
	int rc;
	int64_t id;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "id", &id) < 0 || !shipment_get(c, id, who.id))
		return SOUK_ERR;
	if (shipment_ship(c, id, who.id, seller_actor(c->a, who.id), shop_field(c, "carrier"),
	                  shop_field(c, "tracking")) < 0) {
		if (c->err_status != 400 && c->err_status != 409)
			return SOUK_ERR;
		return shipments_page(c, &who, id, shop_take_failure(c, NULL));
	}
	return shop_redirect(c, "/seller/orders");
}

int page_seller_returns(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	db_res *r = seller_return_list(c, who.id, 200, 0);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, &who, "Returns");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *s = tmpl_section(d, "RETURN");
		tmpl_set_i64(s, "ID", db_i64(r, i, "id"));
		tmpl_set(s, "ORDER", db_val(r, i, "public_id"));
		tmpl_set(s, "RSTATUS", db_val(r, i, "status"));
		tmpl_set(s, "REASON", db_val(r, i, "reason"));
		tmpl_set_i64(s, "UNITS", db_i64(r, i, "items"));
		tmpl_set(s, "AT", shop_when(c, db_val(r, i, "created_at")));
		if (strcmp(db_val(r, i, "status"), "requested") == 0)
			tmpl_set_i64(tmpl_section(s, "DECIDE"), "ID", db_i64(r, i, "id"));
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return shop_render(c, 200, "seller_returns.tpl", d);
}

static int decide(ctx *c, bool approve)
{
	seller_who who;
	int rc;
	int64_t id;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "id", &id) < 0 ||
	    seller_return_decide(c, id, who.id, approve, seller_actor(c->a, who.id)) < 0)
		return SOUK_ERR;
	return shop_redirect(c, "/seller/returns");
}

int post_seller_return_approve(ctx *c) { return decide(c, true); }
int post_seller_return_reject(ctx *c) { return decide(c, false); }

static int ledger_csv(ctx *c, db_res *r)
{
	resp_csv(c->rs, "ledger.csv");
	buf *b = &c->rs->body;
	buf_puts(b, "id,at,kind,order,amount_cents,balance_cents\r\n");
	for (int i = 0; i < db_rows(r); i++) /* every field is ours: digits, [a-z_], ids, a timestamp */
		buf_printf(b, "%s,%s,%s,%s,%s,%s\r\n", db_val(r, i, "id"), db_val(r, i, "at"),
		           db_val(r, i, "kind"), db_val(r, i, "public_id"), db_val(r, i, "amount"),
		           db_val(r, i, "balance"));
	return SOUK_OK;
}

int page_seller_ledger(ctx *c)
{
	seller_who who;
	int rc;
	const char *from, *to;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	if (ctx_query_date(c, "from", &from) < 0 || ctx_query_date(c, "to", &to) < 0)
		return SOUK_ERR;
	db_res *r = ledger_statement(c, who.id, from, to, 10000);
	ledger_balance bal;
	if (!r || ledger_seller_balance(c, who.id, &bal) < 0)
		return SOUK_ERR;
	const str *fmt = req_query(c->rq, "format");
	if (fmt && str_eq(*fmt, str_c("csv")))
		return ledger_csv(c, r);
	tmpl_dict *d = seller_page(c, &who, "Ledger");
	tmpl_set(d, "FROM", from ? from : "");
	tmpl_set(d, "TO", to ? to : "");
	tmpl_set_money(d, "TOTAL", bal.total);
	tmpl_set_money(d, "AVAILABLE", bal.available);
	tmpl_set_money(d, "PENDING", bal.pending);
	buf q;
	buf_init(&q, c->a, 64);
	buf_printf(&q, "from=%s&to=%s", from ? from : "", to ? to : "");
	tmpl_set(d, "QUERY", q.p);
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *e = tmpl_section(d, "ENTRY");
		tmpl_set(e, "AT", shop_when(c, db_val(r, i, "at")));
		tmpl_set(e, "KIND", db_val(r, i, "kind"));
		tmpl_set(e, "ORDER", db_val(r, i, "public_id"));
		tmpl_set(e, "AMOUNT", view_dollars(c->a, db_i64(r, i, "amount")));
		tmpl_set(e, "BALANCE", view_dollars(c->a, db_i64(r, i, "balance")));
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return shop_render(c, 200, "seller_ledger.tpl", d);
}

/* rate as a percentage with one decimal, "-" without a base */
static const char *pct(ctx *c, int64_t part, int64_t whole)
{
	return whole > 0 ? view_fmt(c->a, "%.1f %%", 100.0 * (double)part / (double)whole) : "-";
}

int page_seller_dashboard(ctx *c)
{
	seller_who who;
	int rc;
	seller_stats st;
	ledger_balance bal;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	if (seller_stats_get(c, who.id, &st) < 0 || ledger_seller_balance(c, who.id, &bal) < 0)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, &who, "Dashboard");
	tmpl_set_i64(d, "ORDERS_TODAY", st.orders_today);
	tmpl_set_money(d, "SALES_TODAY", st.sales_today);
	tmpl_set_i64(d, "ORDERS_7D", st.orders_7d);
	tmpl_set_money(d, "SALES_7D", st.sales_7d);
	tmpl_set_i64(d, "UNITS_TO_SHIP", st.units_to_ship);
	tmpl_set_i64(d, "LATE", st.late_shipments);
	tmpl_set_money(d, "AVAILABLE", bal.available);
	tmpl_set_money(d, "PENDING", bal.pending);
	tmpl_set(d, "BUYBOX_SHARE", pct(c, st.buybox_wins, st.offers));
	tmpl_set_i64(d, "BUYBOX_WINS", st.buybox_wins);
	tmpl_set_i64(d, "OFFERS", st.offers);
	tmpl_set(d, "DEFECT_RATE", pct(c, st.perf.defects, st.perf.orders));
	tmpl_set(d, "LATE_RATE", pct(c, st.perf.late, st.perf.shipments));
	tmpl_set(d, "CANCEL_RATE", pct(c, st.perf.cancels, st.perf.orders));
	tmpl_set(d, "ELIGIBLE", buybox_perf_ok(&st.perf) ? "meets" : "does not meet");
	/* the rates' counts too, so a test can compare them exactly */
	tmpl_set_i64(d, "DEFECTS", st.perf.defects);
	tmpl_set_i64(d, "ORDERS_30D", st.perf.orders);
	tmpl_set_i64(d, "LATE_30D", st.perf.late);
	tmpl_set_i64(d, "SHIPMENTS_DUE", st.perf.shipments);
	tmpl_set_i64(d, "CANCELS", st.perf.cancels);
	db_res *l = seller_stats_listings(c, who.id, 50);
	if (!l)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(l); i++) {
		tmpl_dict *row = tmpl_section(d, "LISTING");
		tmpl_set_i64(row, "SKU_ID", db_i64(l, i, "sku_id"));
		tmpl_set(row, "TITLE", db_val(l, i, "title"));
		tmpl_set_money(row, "LANDED", db_i64(l, i, "price") + db_i64(l, i, "shipping"));
		if (db_bool(l, i, "holds")) {
			tmpl_show(row, "HOLDS");
			continue;
		}
		/* the rule's own tie-breaks decide the price that wins */
		buybox_offer me = {.sku_id = db_i64(l, i, "sku_id"), .price = db_i64(l, i, "price"),
		                   .shipping = db_i64(l, i, "shipping"),
		                   .fba = strcmp(db_val(l, i, "fulfillment"), "FBA") == 0,
		                   .seller_rating10 = (int)db_i64(l, i, "rating10"),
		                   .created = db_i64(l, i, "sku_id")};
		buybox_offer w = {.sku_id = db_i64(l, i, "w_id"), .price = db_i64(l, i, "w_price"),
		                  .shipping = db_i64(l, i, "w_shipping"),
		                  .fba = strcmp(db_val(l, i, "w_fulfillment"), "FBA") == 0,
		                  .seller_rating10 = (int)db_i64(l, i, "w_rating10"),
		                  .created = db_i64(l, i, "w_id")};
		tmpl_dict *lose = tmpl_section(row, "LOSES");
		if (db_i64(l, i, "qty") <= 0)
			tmpl_show(lose, "NO_STOCK");
		else
			tmpl_set_money(tmpl_section(lose, "TO_WIN"), "PRICE", buybox_price_to_win(&me, &w));
	}
	return shop_render(c, 200, "seller_dashboard.tpl", d);
}
