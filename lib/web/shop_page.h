/* shop_page: what the buying pages of every HTML pool share (storefront
 * and admin): the personal page frame, form fields, POST guards, and the
 * order views. */
#ifndef SOUK_SHOP_H
#define SOUK_SHOP_H

#include "store/db.h"
#include "shop/session.h"
#include "web/views.h"

/* A personal page (never cached): view_page with the session's header. */
tmpl_dict *shop_page(ctx *c, const char *title);
/* Renders file with d as an HTML page with the given status. */
int shop_render(ctx *c, int status, const char *file, tmpl_dict *d);
/* 303 See Other to a local path (a personal, uncached answer). */
int shop_redirect(ctx *c, const char *path);
/* Takes back a failure recorded in c (the page shows it in a form) and
 * returns its message. */
const char *shop_take_failure(ctx *c, int *status);
/* A form field ("" when absent), bounded by the request parser. */
const char *shop_field(ctx *c, const char *name);
/* A form field that must be an integer in [min, max]: 400 naming it. */
int shop_field_int(ctx *c, const char *name, const char *label, int64_t min, int64_t max,
                   int64_t *out);

/* Guards of state-changing POSTs. shop_post: the session must exist and
 * the form's csrf field match (403), Redis down 503. shop_post_lazy (the
 * first cart add, from a cached page that had no session): with a session
 * the same check; without one a cross-site request is refused (Origin /
 * Sec-Fetch-Site) and a guest session is created. */
int shop_post(ctx *c);
session *shop_post_lazy(ctx *c);
/* The signed-in user's session, or a 303 to /login?next=<this page>
 * (returns NULL; the caller returns SOUK_OK). */
session *shop_signed_in(ctx *c, bool *redirected);
/* A local "next" path that is safe to redirect to, else "/". */
const char *shop_next(ctx *c, const char *next);

/* Checkout steps header: step 1..5 marked current. */
void shop_steps(tmpl_dict *d, int current);
/* A PostgreSQL timestamp shown to the minute ("2026-11-28 23:31"); "" for NULL. */
const char *shop_when(ctx *c, const char *ts);

/* order_view.c */
/* The order (order_find row) when this request may see it: its owner,
 * the session that placed it, the access token (form field, ?token= or
 * the order cookie), or an admin. Otherwise 404, as for an unknown order. */
db_res *shop_order_for(ctx *c, const str *public_id);
/* Adds one ORDER section per row of an order list (order_list_user,
 * admin_orders) to d, NONE when there is none: PUBLIC_ID, HREF
 * (href_prefix + public id), STATUS, STATUS_CLASS, PLACED, ITEMS ("2
 * items"), ITEM_COUNT, TOTAL, and OEMAIL when the rows carry the e-mail. */
void shop_order_rows(ctx *c, tmpl_dict *d, db_res *r, const char *href_prefix);
/* One ORDER section of row i (shop_order_rows' loop body), returned so a
 * caller can add its own columns to it. */
tmpl_dict *shop_order_row(ctx *c, tmpl_dict *d, db_res *r, int i, const char *href_prefix);
/* Adds the order's items, totals, address and timeline to d. */
int shop_order_details(ctx *c, tmpl_dict *d, db_res *o);
/* The access token the request brings (a form field, ?token=, else the
 * order cookie), or NULL. */
const str *shop_given_token(ctx *c);
/* The guest's order link /orders/{id}?token=... is exchanged for a cookie
 * so tokens leave URLs (and Referer headers): souk_order=<token>, Path=
 * /orders/{id}, HttpOnly, SameSite=Lax, Secure over HTTPS, 30 days. */
#define SHOP_ORDER_COOKIE "souk_order"
#define SHOP_ORDER_COOKIE_TTL (30 * 86400)
/* Sets that cookie when the request's form field or ?token= is order o's
 * token. true when the token came in the URL: the caller then redirects
 * (303) to the token-free page. */
bool shop_keep_order_token(ctx *c, db_res *o);
/* A status as the page's reader says it: "Pending", "Shipped" for
 * shoppers; the code itself ("SHIPPED") on the operators' /admin/ pages.
 * In the arena. */
const char *shop_status_text(ctx *c, const char *status);
/* The CSS class of an order status badge (st-on, st-done, st-off). */
const char *shop_status_class(const char *status);
#endif
