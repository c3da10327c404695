/* storefront: the storefront pool's pages (storefront.c has the route table). */
#ifndef SOUK_STOREFRONT_H
#define SOUK_STOREFRONT_H

#include "web/shop_page.h"
#include "web/views.h"

/* Pages. Each renders into c->rs and returns SOUK_OK, or records the
 * failure in c and returns SOUK_ERR. The results belong to the request. */

/* Home: top-level categories (catalog_roots) and best sellers
 * (catalog_featured). */
int view_home(ctx *c, const db_res *roots, const db_res *featured);

/* Every category as an indented tree (catalog_all_categories). */
int view_categories(ctx *c, const db_res *all);

typedef struct view_listing {
	const db_res *cat;      /* catalog_category: row 0 */
	const db_res *crumbs;   /* catalog_breadcrumbs of its path */
	const db_res *children; /* catalog_children */
	const db_res *products; /* catalog_list: one page */
	int64_t total;          /* products in the whole subtree */
	int64_t page, per_page;
	int sort;               /* index into catalog_sort_names */
} view_listing;

/* Category page: breadcrumbs, sub-categories, sort form, product grid,
 * pagination. A page past the end renders an empty state. */
int view_category(ctx *c, const view_listing *l);

/* Product page from the catalog document (catalog_product_json, parsed).
 * variant_id 0 picks the default variant (the first one in stock, else
 * the first); an id the product does not have records a 404. */
int view_product(ctx *c, json_object *doc, int64_t variant_id);
/* The GALLERY include of the product page: the document's "images"
 * (product_images stems) as a large picture and thumbnails. */
void view_gallery(ctx *c, tmpl_dict *d, json_object *doc, const char *title);
/* view_flash.c: the flash deal of the first offer (of `offers`, Buy Box
 * order) in an upcoming or running sale, as section FLASH of d; true when
 * shown (it replaces the Buy Box). */
bool view_flash(ctx *c, tmpl_dict *d, json_object *offers);

/* The search page: the query as asked, one page of results, and the
 * current category (catalog_category, NULL when none). */
typedef struct view_search_page {
	search_query q;
	int64_t page, per_page;
	const db_res *cat;
	search_result res;
} view_search_page;

/* Fills s->q from the query string: search_query_from_params plus the
 * page's own parameters: min / max (dollars, "49.99"), exact=1 (no typo
 * correction), per_page defaulting to VIEW_PER_PAGE. 400 on bad input. */
int view_search_params(ctx *c, view_search_page *s);
/* The canonical address of a search page (fixed parameter order, no
 * defaults), in the arena. */
const char *view_search_href(ctx *c, const search_query *q, int64_t page, int64_t per_page);
/* Renders the page: facet sidebar, chips, sort, cards, pager, typo banner. */
int view_search(ctx *c, const view_search_page *s);

/* account.c */
int page_login(ctx *c);
int post_login(ctx *c);
int page_register(ctx *c);
int post_register(ctx *c);
int post_logout(ctx *c);
/* cart_pages.c */
int page_cart(ctx *c);
int post_cart_add(ctx *c);
int post_cart_update(ctx *c);
int post_cart_remove(ctx *c);
/* The cart page with a message and status (out of stock at checkout). */
int shop_cart_page(ctx *c, int status, const char *error);
/* The session field holding a message for the next cart page. */
#define CART_FLASH "cart_flash"
/* Stock shown as "Only N left" on a cart line from this many down. */
#define CART_FEW_LEFT 10
/* Brings the cart's quantities within stock (cart_fit_stock) and, when
 * that changed something, leaves its message for the next cart page;
 * *changed: lines changed. After add and update, and at every checkout
 * step (which then sends the shopper to the cart). */
int shop_cart_fit(ctx *c, const char *cart_id, int *changed);
/* checkout_pages.c */
int page_checkout(ctx *c);
int post_checkout_address(ctx *c);
int page_checkout_shipping(ctx *c);
int post_checkout_shipping(ctx *c);
int page_checkout_payment(ctx *c);
int post_checkout_payment(ctx *c);
int post_checkout_place(ctx *c);
int page_checkout_done(ctx *c);
/* maillink_pages.c */
int page_order_open(ctx *c);
/* img_pages.c */
int page_img(ctx *c);
/* order_pages.c */
int page_orders(ctx *c);
int page_order(ctx *c);
int post_order_cancel(ctx *c);
int post_order_return(ctx *c);
/* sell_pages.c: /sell, applying to become a seller */
int page_sell(ctx *c);
int post_sell(ctx *c);

#endif
