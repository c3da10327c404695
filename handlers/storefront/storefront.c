/* storefront: server-rendered shop pages (catalog, accounts, cart, checkout,
 * orders) and their route table. */
#include "http/app.h"
#include "shop/auth.h"
#include "shop/checkout.h"
#include "shop/flash.h"
#include "shop/pay_choose.h"
#include "shop/seller.h"
#include "shop/catalog.h"
#include "shop/maillink.h"
#include "shop/product_image.h"
#include "shop/shop.h"
#include "core/js.h"
#include "core/log.h"
#include "storefront.h"
#include "http/query.h"
#include "http/req.h"
#include "http/resp.h"
#include "search/search_zero.h"

/* GET / : top-level categories and best sellers. */
static int page_home(ctx *c)
{
	db_res *roots = catalog_roots(c);
	db_res *featured = roots ? catalog_featured(c, VIEW_FEATURED) : NULL;
	if (!featured)
		return SOUK_ERR;
	return view_home(c, roots, featured);
}

/* GET /c : every category. */
static int page_categories(ctx *c)
{
	db_res *all = catalog_all_categories(c);
	if (!all)
		return SOUK_ERR;
	return view_categories(c, all);
}

/* GET /c/{id}[/{slug}] : one page of the category's whole subtree. The
 * slug is decoration: any slug serves the page, rel=canonical names the
 * real one. */
static int page_category(ctx *c)
{
	view_listing l = {0};
	int64_t id;
	if (ctx_param_id(c, "id", &id) < 0 ||
	    ctx_query_int(c, "page", 1, VIEW_MAX_PAGE, 1, &l.page) < 0 ||
	    ctx_query_int(c, "per_page", 1, VIEW_MAX_PER_PAGE, VIEW_PER_PAGE, &l.per_page) < 0 ||
	    ctx_query_enum(c, "sort", catalog_sort_names, CATALOG_SORT_RANK, &l.sort) < 0)
		return SOUK_ERR;
	if (!(l.cat = catalog_category(c, id)))
		return SOUK_ERR;
	const char *path = db_val(l.cat, 0, "path");
	if (!(l.crumbs = catalog_breadcrumbs(c, path)) || !(l.children = catalog_children(c, id, path)) ||
	    !(l.products = catalog_list(c, path, (catalog_sort)l.sort, l.per_page,
	                                (l.page - 1) * l.per_page)))
		return SOUK_ERR;
	l.total = db_rows(l.products) ? db_i64(l.products, 0, "total") : catalog_count(c, path);
	if (l.total < 0)
		return SOUK_ERR;
	return view_category(c, &l);
}

/* GET /products/{id}[/{slug}][?variant=N] */
static int page_product(ctx *c)
{
	int64_t id, variant;
	str text;
	bool hit;
	if (ctx_param_id(c, "id", &id) < 0 ||
	    ctx_query_id(c, "variant", &variant) < 0 ||
	    catalog_product_json(c, id, &text, &hit) < 0)
		return SOUK_ERR;
	json_object *doc = js_parse(c, text);
	if (!doc || !json_object_is_type(doc, json_type_object)) {
		ctx_log(c, LOG_ERROR, "storefront: product %lld: document is not a JSON object (cache %s)",
		        (long long)id, hit ? "hit" : "miss");
		return ctx_fail(c, 500, "internal", "product %lld could not be shown", (long long)id);
	}
	return view_product(c, doc, variant);
}

/* GET /search?q=&category=&brand=&color=&size=&min=&max=&in_stock=&rating_min=&sort=&page=
 * : one page of results with the facet sidebar. A form submission with
 * empty or out-of-order parameters is redirected to the search's one
 * clean address, so what the address bar shows can be shared. */
static int page_search(ctx *c)
{
	view_search_page s;
	if (view_search_params(c, &s) < 0)
		return SOUK_ERR;
	const char *href = view_search_href(c, &s.q, s.page, s.per_page);
	const char *query = strchr(href, '?');
	if (!str_eq_c(c->rq->raw_query, query ? query + 1 : ""))
		return resp_redirect(c->rs, 302, str_c(href)) < 0
		           ? ctx_fail(c, 500, "internal", "redirect failed") : SOUK_OK;
	if (s.q.category_id && !(s.cat = catalog_category(c, s.q.category_id)))
		return SOUK_ERR;
	if (search_query_from_headers(c, &s.q) < 0 || search_run(c, &s.q, &s.res) < 0)
		return SOUK_ERR;
	search_engine_header(c, &s.res);
	search_zero_note(c, &s.q, &s.res);
	return view_search(c, &s);
}

static const route storefront_routes[] = {
	{"GET", "/", page_home, 0},
	{"GET", "/c", page_categories, 0},
	{"GET", "/c/{id}", page_category, 0},
	{"GET", "/c/{id}/{slug}", page_category, 0},
	{"GET", "/products/{id}", page_product, 0},
	{"GET", "/products/{id}/{slug}", page_product, 0},
	{"GET", "/search", page_search, 0},
	{"GET", "/img/p/{name}", page_img, 0},
	/* buying (storefront.h): accounts, cart, checkout, orders */
	{"GET", "/login", page_login, 0},
	{"POST", "/login", post_login, 0},
	{"GET", "/register", page_register, 0},
	{"POST", "/register", post_register, 0},
	{"POST", "/logout", post_logout, 0},
	{"GET", "/cart", page_cart, 0},
	{"POST", "/cart/add", post_cart_add, 0},
	{"POST", "/cart/update", post_cart_update, 0},
	{"POST", "/cart/remove", post_cart_remove, 0},
	{"GET", "/checkout", page_checkout, 0},
	{"POST", "/checkout/address", post_checkout_address, 0},
	{"GET", "/checkout/shipping", page_checkout_shipping, 0},
	{"POST", "/checkout/shipping", post_checkout_shipping, 0},
	{"GET", "/checkout/payment", page_checkout_payment, 0},
	{"POST", "/checkout/payment", post_checkout_payment, 0},
	{"POST", "/checkout/place", post_checkout_place, 0},
	{"GET", "/checkout/done/{public_id}", page_checkout_done, 0},
	{"GET", "/orders", page_orders, 0},
	{"GET", "/orders/{public_id}", page_order, 0},
	{"GET", "/orders/{public_id}/open", page_order_open, 0},
	{"POST", "/orders/{public_id}/cancel", post_order_cancel, 0},
	{"POST", "/orders/{public_id}/return", post_order_return, 0},
	{"GET", "/sell", page_sell, 0},
	{"POST", "/sell", post_sell, 0},
	{"GET", "/healthz", app_healthz, ROUTE_JSON},
};

int main(void)
{
	static const app storefront = {"storefront", storefront_routes,
	                               sizeof(storefront_routes) / sizeof(storefront_routes[0]),
	                               view_error};
	catalog_register();
	product_image_register();
	maillink_register();
	shop_register(); /* checkout, orders, the expiry, the order hooks */
	if (pay_choose_configured() < 0) /* an unknown provider: refuse to start */
		return 2;
	auth_register_sql();
	search_register();
	flash_register(); /* the product page's flash deal */
	seller_register();
	return app_main(&storefront);
}
