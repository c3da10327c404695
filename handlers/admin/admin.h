/* admin: the admin pool's pages and their shared frame (admin.c has the
 * route table, admin_nav.c the navigation). */
#ifndef SOUK_ADMIN_H
#define SOUK_ADMIN_H

#include "web/shop_page.h"

/* admin_nav.c: the menu and the notices (NULL-ended) */
typedef struct admin_nav_item {
	const char *key, *href, *name;
} admin_nav_item;
typedef struct admin_notice {
	const char *code, *text;
} admin_notice;
extern const admin_nav_item admin_nav[];
extern const admin_notice admin_notices[];

/* admin_frame.c */
/* The admin's session. Anyone else (anonymous, shopper, seller) gets 404
 * recorded, as for a page that does not exist; Redis down 503. NULL: the
 * caller returns SOUK_ERR. */
session *admin_gate(ctx *c);
/* "admin:<user id>" for order_events. */
const char *admin_actor(ctx *c, const session *s);
/* An admin page (never cached): the shop frame, the admin menu with
 * `nav` current, and the notice named by ?notice= (unknown codes show
 * nothing). */
tmpl_dict *admin_page(ctx *c, const char *title, const char *nav);
/* 303 to path with ?notice=code (or &notice=). */
int admin_done(ctx *c, const char *path, const char *code);
/* A destructive POST asks first: with the form field confirm=yes it
 * returns 1 (go on); otherwise it renders a confirmation page (200) that
 * posts the same fields again with confirm=yes, or links back to `back`,
 * and returns 0 (the caller returns SOUK_OK, nothing changed). The page's
 * forms may do the same in a <dialog> (static/admin.js). -1 on failure. */
int admin_confirmed(ctx *c, const char *question, const char *back);
/* A trimmed text filter from the query string (at most max bytes: 400
 * naming it); NULL when absent or empty. */
int admin_query_text(ctx *c, const char *key, size_t max, const char **out);
/* A date filter "YYYY-MM-DD" from the query string (400 naming it);
 * NULL when absent or empty. */
int admin_query_date(ctx *c, const char *key, const char **out);
/* A list's count: FOUND ("12 orders", from column col of the first row:
 * every row carries the full count) and NONE when the page has no row.
 * Returns the count. */
int64_t admin_found(ctx *c, tmpl_dict *d, db_res *r, const char *col, const char *one,
                    const char *many);
/* Page links: PREV/NEXT sections with P, and QS (the other parameters,
 * already encoded) when the list has more. */
void admin_pager(ctx *c, tmpl_dict *d, int64_t page, bool more, const char *qs);
/* "a=1&b=x%20y" of the given NULL-ended key/value pairs (empty skipped). */
const char *admin_qs(ctx *c, const char *const *kv);

/* admin_dash.c */
int page_admin_dashboard(ctx *c);
/* admin_orders.c */
int page_admin_orders(ctx *c);
int page_admin_order(ctx *c);
int post_admin_order(ctx *c);
int post_admin_return(ctx *c);
/* admin_returns.c */
int page_admin_returns(ctx *c);
/* admin_products.c */
int page_admin_products(ctx *c);
int page_admin_product(ctx *c);
int post_admin_product(ctx *c);
/* admin_customers.c */
int page_admin_customers(ctx *c);
int page_admin_customer(ctx *c);
/* admin_stock.c */
int page_admin_warehouses(ctx *c);
int page_admin_warehouse(ctx *c);
int post_admin_stock(ctx *c);

/* admin_sellers.c */
int page_admin_sellers(ctx *c);
int page_admin_seller(ctx *c);
int post_admin_seller(ctx *c);

/* admin_market.c: commission rates, revenue report, FBA shipments */
void admin_market_register(void);
int page_admin_commissions(ctx *c);
int post_admin_commission(ctx *c);
int page_admin_revenue(ctx *c);
int page_admin_fba(ctx *c);
int post_admin_fba(ctx *c);

#endif
