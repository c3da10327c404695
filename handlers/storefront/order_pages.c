/* order_pages: the shopper's order history, one order with its timeline,
 * cancel and return requests. */
#include "core/js.h"
#include "shop/order.h"
#include "storefront.h"

#define ORDERS_PER_PAGE 50

/* true when the order has a return still requested or approved. */
static bool open_return(ctx *c, int64_t id)
{
	db_res *r = order_returns(c, id);
	for (int i = 0; r && i < db_rows(r); i++) {
		const char *st = db_val(r, i, "status");
		if (!strcmp(st, "requested") || !strcmp(st, "approved"))
			return true;
	}
	return false;
}

int page_orders(ctx *c)
{
	bool redirected;
	session *s = shop_signed_in(c, &redirected);
	if (!s)
		return redirected ? SOUK_OK : SOUK_ERR;
	db_res *r = order_list_user(c, s->user_id, ORDERS_PER_PAGE, 0);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Your orders");
	tmpl_set(d, "EMAIL", s->email);
	shop_order_rows(c, d, r, "/orders/");
	return shop_render(c, 200, "orders.tpl", d);
}

int page_order(ctx *c)
{
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	/* the page's forms need a CSRF token, also when opened from a link */
	if (!o || !session_ensure(c))
		return SOUK_ERR;
	const char *pid = db_val(o, 0, "public_id");
	if (shop_keep_order_token(c, o)) /* the token leaves the address bar and the logs */
		return shop_redirect(c, view_fmt(c->a, "/orders/%s", pid));
	tmpl_dict *d = shop_page(c, view_fmt(c->a, "Order %s", pid));
	tmpl_set(d, "PUBLIC_ID", pid);
	session *s = session_load(c);
	if (s->user_id && s->user_id == db_i64(o, 0, "user_id"))
		tmpl_show(d, "MINE");
	order_status st;
	if (order_status_parse(db_val(o, 0, "status"), &st) == 0) {
		if (order_can_transition(st, ORDER_CANCELLED))
			tmpl_show(d, "CAN_CANCEL");
		if (st == ORDER_DELIVERED && !open_return(c, db_i64(o, 0, "id")))
			tmpl_show(d, "CAN_RETURN");
	}
	if (shop_order_details(c, d, o) < 0)
		return SOUK_ERR;
	return shop_render(c, 200, "order.tpl", d);
}

/* Back to the order page after an action; a token that came in the form
 * is kept in the order cookie, never put in the redirect's URL. */
static int back_to_order(ctx *c, db_res *o)
{
	shop_keep_order_token(c, o);
	return shop_redirect(c, view_fmt(c->a, "/orders/%s", db_val(o, 0, "public_id")));
}

int post_order_cancel(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	if (!o || order_cancel(c, db_i64(o, 0, "id"), "shopper", "cancelled by the shopper") < 0)
		return SOUK_ERR;
	return back_to_order(c, o);
}

int post_order_return(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	if (!o)
		return SOUK_ERR;
	const char *reason = shop_field(c, "reason");
	if (strlen(reason) > 500)
		return ctx_fail(c, 400, "bad_request", "the reason is too long (at most 500 characters)");
	if (order_return_request(c, db_i64(o, 0, "id"), "shopper", reason, NULL) < 0)
		return SOUK_ERR;
	return back_to_order(c, o);
}
