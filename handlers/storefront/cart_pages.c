/* cart_pages: the cart page and its forms (add, change quantity, remove). */
#include "shop/cart.h"
#include "shop/cart_stock.h"
#include "shop/checkout.h"
#include "storefront.h"
#include "http/req.h"

int shop_cart_page(ctx *c, int status, const char *error)
{
	session *s = session_load(c);
	const char *id = cart_of_session(c);
	cart k = {0};
	if (s && s->down)
		return ctx_fail(c, 503, "unavailable", "your cart cannot be reached right now; please try again");
	if (id && cart_get(c, id, &k) < 0)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Your cart");
	/* what a change of the cart had to say, once (shop_cart_fit) */
	const char *flash = session_get(c, CART_FLASH);
	if (*flash) {
		if (!error)
			error = flash;
		session_del(c, CART_FLASH, NULL);
	}
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	const str *added = req_query(c->rq, "added");
	if (added && !error)
		tmpl_show(d, "ADDED");
	if (k.nlines == 0) {
		tmpl_show(d, "EMPTY");
		return shop_render(c, status, "cart.tpl", d);
	}
	tmpl_dict *f = tmpl_section(d, "FULL");
	for (int i = 0; i < k.nlines; i++) {
		const cart_line *l = &k.lines[i];
		tmpl_dict *r = tmpl_section(f, "LINE");
		tmpl_set_i64(r, "SKU_ID", l->sku_id);
		tmpl_set(r, "TITLE", l->title ? view_title(c->a, l->title) : "Item");
		tmpl_set(r, "HREF", view_product_href(c->a, l->product_id, l->title));
		tmpl_set(r, "IMG", view_img(c->a, l->image, "thumb"));
		if (l->seller && *l->seller)
			tmpl_set(tmpl_section(r, "SELLER"), "NAME", l->seller);
		if (l->variant && *l->variant)
			tmpl_set(tmpl_section(r, "VARIANT"), "TEXT", l->variant);
		tmpl_set_money(r, "UNIT", l->unit_price);
		tmpl_set_i64(r, "QTY", l->qty);
		tmpl_set_money(r, "LINE_TOTAL", l->line_total);
		if (!l->active)
			tmpl_show(r, "GONE");
		else if (l->available < l->qty)
			tmpl_set_i64(tmpl_section(r, "SHORT"), "LEFT", l->available);
		else if (l->available <= CART_FEW_LEFT)
			tmpl_set_i64(tmpl_section(r, "FEW"), "LEFT", l->available);
		else
			tmpl_show(r, "IN_STOCK");
	}
	tmpl_set_i64(f, "COUNT", k.count);
	tmpl_set(f, "ITEMS", view_plural(c->a, k.count, "item", "items"));
	tmpl_set_money(f, "SUBTOTAL", k.subtotal);
	if (k.has_inactive)
		tmpl_show(f, "BLOCKED");
	else
		tmpl_show(f, "CAN_CHECKOUT");
	return shop_render(c, status, "cart.tpl", d);
}

int shop_cart_fit(ctx *c, const char *cart_id, int *changed)
{
	cart k;
	cart_fit f;
	*changed = 0;
	if (cart_get(c, cart_id, &k) < 0 || cart_fit_stock(c, cart_id, &k, &f) < 0)
		return SOUK_ERR;
	const char *msg = cart_fit_message(c, &f);
	*changed = f.changed;
	return msg ? session_set(c, CART_FLASH, msg, NULL) : SOUK_OK;
}

/* A quantity or sku the form could not have sent (edited by hand): the
 * cart page again with what is wrong, nothing changed. */
static int back_to_cart(ctx *c)
{
	int status;
	const char *msg = shop_take_failure(c, &status);
	if (status != 400)
		return ctx_fail(c, status, "bad_request", "%s", msg);
	return shop_cart_page(c, 400, msg);
}

int page_cart(ctx *c)
{
	return shop_cart_page(c, 200, NULL);
}

/* sku_id and qty fields: 400 naming the bad one, before anything is stored. */
static int line_fields(ctx *c, int64_t qmin, int64_t *sku, int64_t *qty)
{
	if (shop_field_int(c, "sku_id", "sku_id", 1, INT64_MAX, sku) < 0)
		return SOUK_ERR;
	if (qty && shop_field_int(c, "qty", "The quantity", qmin, CART_MAX_QTY, qty) < 0)
		return SOUK_ERR;
	return SOUK_OK;
}

int post_cart_add(ctx *c)
{
	int64_t sku, qty;
	/* check the input first: a bad request starts no session */
	if (line_fields(c, 1, &sku, &qty) < 0)
		return back_to_cart(c);
	if (!shop_post_lazy(c))
		return SOUK_ERR;
	const char *id = cart_for_session(c);
	int changed;
	if (!id)
		return SOUK_ERR;
	/* a refused add answers with the error page: a page rendered here
	 * would keep the session this request may just have started */
	if (cart_add(c, id, sku, qty) < 0 || shop_cart_fit(c, id, &changed) < 0)
		return SOUK_ERR;
	return shop_redirect(c, changed ? "/cart" : "/cart?added=1");
}

int post_cart_update(ctx *c)
{
	int64_t sku, qty;
	if (shop_post(c) < 0)
		return SOUK_ERR;
	if (line_fields(c, 0, &sku, &qty) < 0)
		return back_to_cart(c);
	const char *id = cart_of_session(c);
	if (!id) /* no cart yet: no line to change */
		return qty == 0 ? shop_redirect(c, "/cart")
		                : ctx_fail(c, 404, "not_found", "sku %lld is not in the cart", (long long)sku);
	int changed;
	if ((qty == 0 ? cart_remove(c, id, sku) : cart_set(c, id, sku, qty)) < 0 ||
	    (qty > 0 && shop_cart_fit(c, id, &changed) < 0))
		return SOUK_ERR;
	return shop_redirect(c, "/cart");
}

int post_cart_remove(ctx *c)
{
	int64_t sku;
	if (shop_post(c) < 0 || line_fields(c, 0, &sku, NULL) < 0)
		return SOUK_ERR;
	const char *id = cart_of_session(c);
	if (id && cart_remove(c, id, sku) < 0)
		return SOUK_ERR;
	return shop_redirect(c, "/cart");
}
