/* api: the JSON API v1 (catalog); errors are {"error":{code,message}}. */
#include "api_es.h"
#include "api_search.h"
#include "api_buy.h"
#include "api_seller.h"
#include "api_seller_orders.h"
#include "http/app.h"
#include "shop/catalog.h"
#include "shop/pay_choose.h"
#include "shop/seller.h"
#include "shop/shop.h"
#include "store/db.h"
#include "core/js.h"
#include "store/rds.h"
#include "search/search.h"
#include "http/json_reply.h"
#include "http/query.h"
#include "http/resp.h"

#define API_MAX_PER_PAGE 100

static int api_product(ctx *c)
{
	int64_t id;
	str doc;
	bool hit;
	if (ctx_param_id(c, "id", &id) < 0 || catalog_product_json(c, id, &doc, &hit) < 0)
		return SOUK_ERR;
	resp_header(c->rs, "X-Souk-Cache", hit ? STR("hit") : STR("miss"));
	return resp_json_text(c, 200, doc);
}

static json_object *category_json(const db_res *r, int i)
{
	json_object *o = json_object_new_object();
	js_i64(o, "id", db_i64(r, i, "id"));
	if (db_null(r, i, "parent_id"))
		js_str(o, "parent_id", NULL);
	else
		js_i64(o, "parent_id", db_i64(r, i, "parent_id"));
	js_str(o, "name", db_val(r, i, "name"));
	js_str(o, "slug", db_val(r, i, "slug"));
	js_i64(o, "depth", db_i64(r, i, "depth"));
	if (db_val(r, i, "product_count"))
		js_i64(o, "product_count", db_i64(r, i, "product_count"));
	return o;
}

static int api_categories(ctx *c)
{
	db_res *r = catalog_all_categories(c);
	if (!r)
		return SOUK_ERR;
	json_object *o = js_obj(c), *arr = json_object_new_array();
	for (int i = 0; i < db_rows(r); i++)
		json_object_array_add(arr, category_json(r, i));
	json_object_object_add(o, "categories", arr);
	return resp_json(c, 200, o);
}

/* A listing row as the API shows it: prices in cents, rating as text so
 * no float rounding creeps in. */
static json_object *product_summary_json(const db_res *r, int i)
{
	json_object *o = json_object_new_object();
	js_i64(o, "id", db_i64(r, i, "id"));
	js_str(o, "ref", db_val(r, i, "ref"));
	js_str(o, "title", db_val(r, i, "title"));
	js_str(o, "brand", db_val(r, i, "brand"));
	const char *rating = db_val(r, i, "rating");
	json_object_object_add(o, "rating", rating ? json_object_new_double_s(0, rating) : NULL);
	js_i64(o, "rating_count", db_i64(r, i, "rating_count"));
	if (db_null(r, i, "price_min"))
		js_str(o, "price", NULL);
	else
		js_i64(o, "price", db_i64(r, i, "price_min"));
	js_str(o, "currency", "USD");
	js_bool(o, "in_stock", db_bool(r, i, "in_stock"));
	js_str(o, "image", db_val(r, i, "image_url"));
	return o;
}

static int api_category_products(ctx *c)
{
	int64_t id, page, per_page;
	int sort;
	if (ctx_param_id(c, "id", &id) < 0 ||
	    ctx_query_paging(c, 24, API_MAX_PER_PAGE, &page, &per_page) < 0 ||
	    ctx_query_enum(c, "sort", catalog_sort_names, CATALOG_SORT_RANK, &sort) < 0)
		return SOUK_ERR;
	db_res *cat = catalog_category(c, id);
	if (!cat)
		return SOUK_ERR;
	const char *path = db_val(cat, 0, "path");
	db_res *r = catalog_list(c, path, (catalog_sort)sort, per_page, (page - 1) * per_page);
	if (!r)
		return SOUK_ERR;
	int64_t total = db_rows(r) ? db_i64(r, 0, "total") : catalog_count(c, path);
	if (total < 0)
		return SOUK_ERR;
	json_object *o = js_obj(c), *arr = json_object_new_array();
	json_object_object_add(o, "category", category_json(cat, 0));
	js_i64(o, "page", page);
	js_i64(o, "per_page", per_page);
	js_i64(o, "total", total);
	js_str(o, "sort", catalog_sort_names[sort]);
	for (int i = 0; i < db_rows(r); i++)
		json_object_array_add(arr, product_summary_json(r, i));
	json_object_object_add(o, "products", arr);
	return resp_json(c, 200, o);
}

static const route api_routes[] = {
	{"GET", "/api/v1/categories", api_categories, ROUTE_JSON},
	{"GET", "/api/v1/categories/{id}/products", api_category_products, ROUTE_JSON},
	{"GET", "/api/v1/products/{id}", api_product, ROUTE_JSON},
	{"POST", "/api/v1/products/_search", api_es_search, ROUTE_JSON},
	{"GET", "/api/v1/healthz", app_healthz, ROUTE_JSON},
	{"GET", "/api/v1/search", api_search, ROUTE_JSON},
	{"GET", "/api/v1/search/suggest", api_search_suggest, ROUTE_JSON},
	{"POST", "/api/v1/carts", api_cart_create, ROUTE_JSON},
	{"GET", "/api/v1/carts/{id}", api_cart_get, ROUTE_JSON},
	{"POST", "/api/v1/carts/{id}/items", api_cart_add, ROUTE_JSON},
	{"PATCH", "/api/v1/carts/{id}/items/{sku_id}", api_cart_set, ROUTE_JSON},
	{"DELETE", "/api/v1/carts/{id}/items/{sku_id}", api_cart_remove, ROUTE_JSON},
	{"POST", "/api/v1/checkout", api_checkout, ROUTE_JSON},
	{"GET", "/api/v1/orders/{public_id}", api_order_get, ROUTE_JSON},
	{"POST", "/api/v1/orders/{public_id}/cancel", api_order_cancel, ROUTE_JSON},
	{"GET", "/api/v1/seller/offers", api_seller_offers, ROUTE_JSON},
	{"POST", "/api/v1/seller/offers", api_seller_offer_create, ROUTE_JSON},
	{"GET", "/api/v1/seller/offers/{sku_id}", api_seller_offer, ROUTE_JSON},
	{"PATCH", "/api/v1/seller/offers/{sku_id}", api_seller_offer_patch, ROUTE_JSON},
	{"PUT", "/api/v1/seller/offers/{sku_id}/stock", api_seller_offer_stock, ROUTE_JSON},
	{"POST", "/api/v1/seller/inventory-file", api_seller_inventory_file, ROUTE_JSON},
	{"GET", "/api/v1/seller/products/{id}/photos", api_seller_photos, ROUTE_JSON},
	{"POST", "/api/v1/seller/products/{id}/photos", api_seller_photo_add, ROUTE_JSON | ROUTE_UPLOAD},
	{"DELETE", "/api/v1/seller/products/{id}/photos/{photo}", api_seller_photo_delete, ROUTE_JSON},
	{"POST", "/api/v1/seller/products/{id}/photos/{photo}/first", api_seller_photo_first, ROUTE_JSON},
	{"GET", "/api/v1/seller/orders", api_seller_orders, ROUTE_JSON},
	{"GET", "/api/v1/seller/shipments/{id}", api_seller_shipment, ROUTE_JSON},
	{"POST", "/api/v1/seller/shipments/{id}/confirm", api_seller_shipment_confirm, ROUTE_JSON},
	{"GET", "/api/v1/seller/returns", api_seller_returns, ROUTE_JSON},
	{"POST", "/api/v1/seller/returns/{id}/approve", api_seller_return_approve, ROUTE_JSON},
	{"POST", "/api/v1/seller/returns/{id}/reject", api_seller_return_reject, ROUTE_JSON},
	{"GET", "/api/v1/seller/ledger", api_seller_ledger, ROUTE_JSON},
};

int main(void)
{
	static const app api = {"api", api_routes, sizeof(api_routes) / sizeof(api_routes[0]), NULL};
	catalog_register();
	search_register();
	shop_register(); /* checkout, orders, the expiry, the order hooks */
	seller_register();
	api_seller_orders_register();
	if (pay_choose_configured() < 0) /* an unknown provider: refuse to start */
		return 2;
	return app_main(&api);
}
