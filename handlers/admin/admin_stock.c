/* admin_stock: warehouses, the stock of each sku per warehouse, and the
 * adjustment of what was received (available follows, so available +
 * reserved + sold = received always holds). */
#include "shop/admin_lists.h"
#include "shop/catalog_admin.h"
#include "admin.h"
#include "http/query.h"

#define STOCK_PER_PAGE 100

int page_admin_warehouses(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	db_res *r = admin_warehouses(c);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, "Warehouses and stock", "stock");
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *x = tmpl_section(d, "WH");
		tmpl_set(x, "WID", db_val(r, i, "id"));
		tmpl_set(x, "NAME", db_val(r, i, "name"));
		tmpl_set(x, "REGION", db_val(r, i, "region"));
		tmpl_set(x, "OWNER", db_val(r, i, "seller") ? db_val(r, i, "seller") : "Souk (FBA)");
		tmpl_set(x, "SKUS", view_count(c->a, db_i64(r, i, "skus")));
		tmpl_set(x, "AVAILABLE", view_count(c->a, db_i64(r, i, "available")));
		tmpl_set(x, "RESERVED", view_count(c->a, db_i64(r, i, "reserved")));
		tmpl_set(x, "SOLD", view_count(c->a, db_i64(r, i, "sold")));
	}
	return shop_render(c, 200, "admin_warehouses.tpl", d);
}

int page_admin_warehouse(ctx *c)
{
	int64_t id, page;
	const char *q;
	if (!admin_gate(c) || ctx_param_id(c, "id", &id) < 0 ||
	    ctx_query_page(c, &page) < 0 || admin_query_text(c, "q", 200, &q) < 0)
		return SOUK_ERR;
	db_res *w = admin_warehouse(c, id);
	db_res *r = w ? admin_stock(c, id, q, STOCK_PER_PAGE + 1, (page - 1) * STOCK_PER_PAGE) : NULL;
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, view_fmt(c->a, "Stock in %s", db_val(w, 0, "name")), "stock");
	tmpl_set(d, "WID", db_val(w, 0, "id"));
	tmpl_set(d, "WNAME", db_val(w, 0, "name"));
	tmpl_set(d, "REGION", db_val(w, 0, "region"));
	tmpl_set(d, "Q", q ? q : "");
	int n = db_rows(r) > STOCK_PER_PAGE ? STOCK_PER_PAGE : db_rows(r);
	if (n == 0)
		tmpl_show(d, "NONE");
	for (int i = 0; i < n; i++) {
		tmpl_dict *x = tmpl_section(d, "STOCK");
		tmpl_set(x, "SKU_ID", db_val(r, i, "sku_id"));
		tmpl_set(x, "SKU", db_val(r, i, "sku"));
		tmpl_set(x, "PID", db_val(r, i, "product_id"));
		tmpl_set(x, "TITLE", db_val(r, i, "title"));
		tmpl_set(x, "AVAILABLE", db_val(r, i, "available"));
		tmpl_set(x, "RESERVED", db_val(r, i, "reserved"));
		tmpl_set(x, "SOLD", db_val(r, i, "sold"));
		tmpl_set(x, "RECEIVED", db_val(r, i, "received"));
	}
	const char *kv[] = {"q", q, NULL};
	admin_pager(c, d, page, db_rows(r) > STOCK_PER_PAGE, admin_qs(c, kv));
	return shop_render(c, 200, "admin_warehouse.tpl", d);
}

/* POST /admin/stock: sku_id, warehouse_id, received; back to the page the
 * form came from (a local admin path), else the warehouse. */
int post_admin_stock(ctx *c)
{
	int64_t sku, wid, received;
	if (!admin_gate(c) || shop_post(c) < 0 ||
	    shop_field_int(c, "sku_id", "sku_id", 1, INT64_MAX, &sku) < 0 ||
	    shop_field_int(c, "warehouse_id", "warehouse_id", 1, INT64_MAX, &wid) < 0 ||
	    shop_field_int(c, "received", "Received", 0, 1000000, &received) < 0)
		return SOUK_ERR;
	if (catalog_set_received(c, sku, wid, received) < 0)
		return SOUK_ERR;
	const char *back = shop_next(c, shop_field(c, "back"));
	if (strncmp(back, "/admin/", 7))
		back = view_fmt(c->a, "/admin/warehouses/%lld", (long long)wid);
	return admin_done(c, back, "stock_saved");
}
