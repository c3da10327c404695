/* admin_products: find products (ref or title), one product with its
 * offers and stock, and its edits: title, an offer's price, withdraw
 * (asks first) and restore. Writes go through the catalog's write path,
 * which invalidates the Redis cache; search follows by search_xid. */
#include "shop/admin_lists.h"
#include "shop/catalog.h"
#include "shop/catalog_admin.h"
#include "admin.h"
#include "http/query.h"
#include "web/admin_form.h"

#define PRODUCTS_PER_PAGE 50

int page_admin_products(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	const char *q;
	int64_t page;
	if (admin_query_text(c, "q", 200, &q) < 0 || ctx_query_page(c, &page) < 0)
		return SOUK_ERR;
	/* one more row than shown says whether there is a next page */
	db_res *r = admin_products(c, q, PRODUCTS_PER_PAGE + 1, (page - 1) * PRODUCTS_PER_PAGE);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, "Products", "products");
	tmpl_set(d, "Q", q ? q : "");
	int n = db_rows(r) > PRODUCTS_PER_PAGE ? PRODUCTS_PER_PAGE : db_rows(r);
	if (n == 0)
		tmpl_show(d, "NONE");
	for (int i = 0; i < n; i++) {
		tmpl_dict *x = tmpl_section(d, "PRODUCT");
		tmpl_set(x, "PID", db_val(r, i, "id"));
		tmpl_set(x, "REF", db_val(r, i, "ref"));
		tmpl_set(x, "TITLE", db_val(r, i, "title"));
		tmpl_set(x, "PSTATUS", db_val(r, i, "status"));
		tmpl_set_money(x, "PRICE", db_i64(r, i, "price_min"));
		tmpl_set(x, "AVAILABLE", view_count(c->a, db_i64(r, i, "available")));
	}
	const char *kv[] = {"q", q, NULL};
	admin_pager(c, d, page, db_rows(r) > PRODUCTS_PER_PAGE, admin_qs(c, kv));
	return shop_render(c, 200, "admin_products.tpl", d);
}

int page_admin_product(ctx *c)
{
	int64_t id;
	if (!admin_gate(c) || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	db_res *p = admin_product(c, id);
	db_res *offers = p ? admin_product_offers(c, id) : NULL;
	db_res *stock = offers ? admin_product_stock(c, id) : NULL;
	if (!stock)
		return SOUK_ERR;
	const char *title = db_val(p, 0, "title");
	tmpl_dict *d = admin_page(c, view_fmt(c->a, "Product %lld", (long long)id), "products");
	tmpl_set(d, "PID", db_val(p, 0, "id"));
	tmpl_set(d, "REF", db_val(p, 0, "ref"));
	tmpl_set(d, "PTITLE", title);
	tmpl_set(d, "PSTATUS", db_val(p, 0, "status"));
	tmpl_set(d, "SHOP_HREF", view_product_href(c->a, id, title));
	tmpl_show(d, strcmp(db_val(p, 0, "status"), "active") ? "WITHDRAWN" : "ACTIVE");
	for (int i = 0; i < db_rows(offers); i++) {
		tmpl_dict *x = tmpl_section(d, "OFFER");
		tmpl_set(x, "SKU_ID", db_val(offers, i, "sku_id"));
		tmpl_set(x, "SKU", db_val(offers, i, "sku"));
		tmpl_set(x, "VARIANT", db_val(offers, i, "variant"));
		tmpl_set(x, "SELLER", db_val(offers, i, "seller"));
		tmpl_set(x, "OSTATUS", db_val(offers, i, "status"));
		tmpl_set_money(x, "PRICE", db_i64(offers, i, "price"));
		tmpl_set(x, "AVAILABLE", db_val(offers, i, "available"));
		tmpl_set(x, "RESERVED", db_val(offers, i, "reserved"));
		tmpl_set(x, "SOLD", db_val(offers, i, "sold"));
	}
	for (int i = 0; i < db_rows(stock); i++) {
		tmpl_dict *x = tmpl_section(d, "STOCK");
		tmpl_set(x, "SKU_ID", db_val(stock, i, "sku_id"));
		tmpl_set(x, "SKU", db_val(stock, i, "sku"));
		tmpl_set(x, "WID", db_val(stock, i, "warehouse_id"));
		tmpl_set(x, "WAREHOUSE", db_val(stock, i, "warehouse"));
		tmpl_set(x, "AVAILABLE", db_val(stock, i, "available"));
		tmpl_set(x, "RESERVED", db_val(stock, i, "reserved"));
		tmpl_set(x, "SOLD", db_val(stock, i, "sold"));
		tmpl_set(x, "RECEIVED", db_val(stock, i, "received"));
	}
	return shop_render(c, 200, "admin_product.tpl", d);
}

/* The offer named by the form's sku_id must be one of the product's (404
 * otherwise, as for an unknown one). */
static int own_offer(ctx *c, int64_t product_id, int64_t *sku)
{
	if (shop_field_int(c, "sku_id", "sku_id", 1, INT64_MAX, sku) < 0)
		return SOUK_ERR;
	db_res *o = admin_product_offers(c, product_id);
	if (!o)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(o); i++)
		if (db_i64(o, i, "sku_id") == *sku)
			return SOUK_OK;
	return ctx_fail(c, 404, "not_found", "product %lld has no offer %lld", (long long)product_id,
	                (long long)*sku);
}

int post_admin_product(ctx *c)
{
	int64_t id;
	if (!admin_gate(c) || shop_post(c) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	db_res *p = admin_product(c, id);
	if (!p)
		return SOUK_ERR;
	const char *back = view_fmt(c->a, "/admin/products/%lld", (long long)id);
	const str *act = ctx_param(c, "action");
	int rc;
	const char *done;
	if (str_eq_c(*act, "title")) {
		const char *t = shop_field(c, "title");
		if (admin_title_ok(str_c(t)) < 0)
			return ctx_fail(c, 400, "bad_request",
			                "the title must be 1 to 300 characters, without line breaks");
		rc = catalog_set_title(c, id, t);
		done = "title_saved";
	} else if (str_eq_c(*act, "price")) {
		int64_t sku, cents;
		if (own_offer(c, id, &sku) < 0)
			return SOUK_ERR;
		if (admin_price_parse(str_c(shop_field(c, "price")), 100000000, &cents) < 0)
			return ctx_fail(c, 400, "bad_request",
			                "the price must be in dollars, like 19.99, from 0.01 to 1,000,000");
		rc = catalog_set_offer_price(c, sku, cents);
		done = "price_saved";
	} else if (str_eq_c(*act, "withdraw")) {
		if (strcmp(db_val(p, 0, "status"), "active"))
			return ctx_fail(c, 409, "conflict", "product %lld is already withdrawn", (long long)id);
		int k = admin_confirmed(
		    c, view_fmt(c->a, "Withdraw product %lld (%s)? It leaves the shop and search at once; "
		                      "you can put it back on sale later.", (long long)id,
		                db_val(p, 0, "title")),
		    back);
		if (k <= 0)
			return k < 0 ? SOUK_ERR : SOUK_OK;
		rc = catalog_set_status(c, id, "withdrawn");
		done = "withdrawn";
	} else if (str_eq_c(*act, "restore")) {
		if (!strcmp(db_val(p, 0, "status"), "active"))
			return ctx_fail(c, 409, "conflict", "product %lld is already on sale", (long long)id);
		rc = catalog_set_status(c, id, "active");
		done = "restored";
	} else {
		return ctx_fail(c, 404, "not_found", "there is no such product action");
	}
	if (rc < 0)
		return SOUK_ERR;
	return admin_done(c, back, done);
}
