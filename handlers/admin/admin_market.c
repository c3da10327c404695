/* admin_market: the marketplace's money and FBA desk for admins:
 * commission rates per category, the platform revenue report, and the FBA
 * shipments the platform ships and delivers. */
#include "admin.h"

#include <stdio.h>
#include <string.h>

#include "http/query.h"
#include "shop/market_report.h"
#include "shop/shipment.h"

void admin_market_register(void)
{
	market_report_register();
	shipment_register();
}

static int commissions_page(ctx *c, const char *error)
{
	db_res *r = market_commissions(c);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Commission rates (admin)");
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *k = tmpl_section(d, "CATEGORY");
		tmpl_set_i64(k, "ID", db_i64(r, i, "id"));
		tmpl_set(k, "NAME", db_val(r, i, "name"));
		tmpl_set(k, "PATH", db_val(r, i, "path"));
		tmpl_set_i64(k, "BPS", db_i64(r, i, "commission_bps"));
		tmpl_set(k, "PCT", view_fmt(c->a, "%.2f", (double)db_i64(r, i, "commission_bps") / 100));
	}
	return shop_render(c, error ? 400 : 200, "admin_commissions.tpl", d);
}

int page_admin_commissions(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	return commissions_page(c, NULL);
}

int post_admin_commission(ctx *c)
{
	int64_t id, bps;
	if (!admin_gate(c))
		return SOUK_ERR;
	if (shop_post(c) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	if (shop_field_int(c, "bps", "Rate (basis points)", 500, 2000, &bps) < 0 ||
	    market_commission_set(c, id, bps) < 0) {
		if (c->err_status != 400)
			return SOUK_ERR;
		return commissions_page(c, shop_take_failure(c, NULL));
	}
	return shop_redirect(c, "/admin/commissions");
}

int page_admin_revenue(ctx *c)
{
	int64_t days;
	if (!admin_gate(c))
		return SOUK_ERR;
	if (ctx_query_int(c, "days", 1, 366, 30, &days) < 0)
		return SOUK_ERR;
	db_res *r = market_revenue(c, days);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Platform revenue (admin)");
	tmpl_set_i64(d, "DAYS", days);
	static const char *const cols[] = {"captured", "commission", "shipping", "tax", "refunds",
	                                   "payouts"};
	int64_t sum[6] = {0};
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *row = tmpl_section(d, "DAY");
		tmpl_set(row, "DAY", db_val(r, i, "day"));
		for (int k = 0; k < 6; k++) {
			int64_t v = db_i64(r, i, cols[k]);
			sum[k] += v;
			char key[16];
			snprintf(key, sizeof(key), "C%d", k);
			tmpl_set_money(row, key, v);
		}
	}
	for (int k = 0; k < 6; k++) {
		char key[16];
		snprintf(key, sizeof(key), "T%d", k);
		tmpl_set_money(d, key, sum[k]);
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return shop_render(c, 200, "admin_revenue.tpl", d);
}

static int fba_page(ctx *c, const char *error)
{
	db_res *r = market_fba_pending(c, 200);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "FBA shipments (admin)");
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *s = tmpl_section(d, "SHIPMENT");
		tmpl_set_i64(s, "ID", db_i64(r, i, "id"));
		tmpl_set(s, "ORDER", db_val(r, i, "public_id"));
		tmpl_set(s, "ORDER_STATUS", db_val(r, i, "order_status"));
		tmpl_set(s, "SELLER", db_val(r, i, "seller"));
		tmpl_set(s, "DUE", shop_when(c, db_val(r, i, "due_at")));
		tmpl_set_i64(s, "UNITS", db_i64(r, i, "units"));
		tmpl_set_i64(tmpl_section(s, strcmp(db_val(r, i, "order_status"), "SHIPPED") == 0
		                                   ? "DELIVER"
		                                   : "SHIP"),
		             "ID", db_i64(r, i, "id"));
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return shop_render(c, error ? 400 : 200, "admin_fba.tpl", d);
}

int page_admin_fba(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	return fba_page(c, NULL);
}

int post_admin_fba(ctx *c)
{
	int rc;
	int64_t id;
	session *s = admin_gate(c);
	if (!s || shop_post(c) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	const char *actor = admin_actor(c, s);
	const str *act = ctx_param(c, "action");
	if (act && str_eq_c(*act, "ship"))
		rc = shipment_ship(c, id, 0, actor, shop_field(c, "carrier"), shop_field(c, "tracking"));
	else if (act && str_eq_c(*act, "deliver"))
		rc = shipment_deliver(c, id, actor);
	else
		return ctx_fail(c, 404, "not_found", "no such action");
	if (rc < 0) {
		if (c->err_status != 400 && c->err_status != 409)
			return SOUK_ERR;
		return fba_page(c, shop_take_failure(c, NULL));
	}
	return shop_redirect(c, "/admin/fba");
}
