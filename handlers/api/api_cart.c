/* api_cart: /api/v1/carts — create, read, add, change, remove lines. */
#include "api_buy.h"
#include "shop/cart.h"
#include "core/js.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"

json_object *api_body_object(ctx *c)
{
	return json_body_object(c);
}

static const char *cart_param(ctx *c)
{
	const str *id = ctx_param(c, "id");
	if (!id || !cart_id_valid(*id))
		return ctx_fail(c, 404, "not_found", "no such cart"), NULL;
	return str_dup(c->a, *id);
}

/* 404 unless the cart exists and is the caller's (an API cart is whoever
 * holds its id; a storefront cart only its session's: cart.h). */
static const char *existing_cart(ctx *c)
{
	const char *id = cart_param(c);
	if (!id)
		return NULL;
	int e = cart_exists(c, id);
	if (e < 0)
		return NULL;
	if (e == 0)
		return ctx_fail(c, 404, "not_found", "no such cart (carts expire after a day)"), NULL;
	return id;
}

static int send_cart(ctx *c, int status, const char *id)
{
	cart k;
	if (cart_get(c, id, &k) < 0)
		return SOUK_ERR;
	json_object *o = js_obj(c), *lines = json_object_new_array();
	js_str(o, "cart_id", id);
	for (int i = 0; i < k.nlines; i++) {
		const cart_line *l = &k.lines[i];
		json_object *j = json_object_new_object();
		js_i64(j, "sku_id", l->sku_id);
		js_i64(j, "product_id", l->product_id);
		js_str(j, "sku", l->sku);
		js_str(j, "title", l->title);
		js_str(j, "variant", l->variant);
		js_str(j, "image", l->image);
		js_i64(j, "unit_price", l->unit_price);
		js_i64(j, "qty", l->qty);
		js_i64(j, "line_total", l->line_total);
		js_i64(j, "available", l->available);
		js_bool(j, "active", l->active);
		json_object_array_add(lines, j);
	}
	json_object_object_add(o, "lines", lines);
	js_i64(o, "count", k.count);
	js_i64(o, "subtotal", k.subtotal);
	js_str(o, "currency", "USD");
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	return resp_json(c, status, o);
}

int api_cart_create(ctx *c)
{
	const char *id;
	if (cart_create(c, &id) < 0)
		return SOUK_ERR;
	return send_cart(c, 201, id);
}

int api_cart_get(ctx *c)
{
	const char *id = existing_cart(c);
	return id ? send_cart(c, 200, id) : SOUK_ERR;
}

/* qty from the body: required integer (range checked by the cart). */
static int body_qty(ctx *c, json_object *b, int64_t *qty)
{
	int g = js_get_i64(b, "qty", qty);
	if (g == 0)
		return ctx_fail(c, 400, "bad_quantity", "qty is required");
	if (g < 0)
		return ctx_fail(c, 400, "bad_quantity", "qty must be an integer from 1 to %d",
		                CART_MAX_QTY);
	return SOUK_OK;
}

int api_cart_add(ctx *c)
{
	const char *id = existing_cart(c);
	json_object *b = id ? api_body_object(c) : NULL;
	if (!b)
		return SOUK_ERR;
	int64_t sku, qty;
	if (js_get_i64(b, "sku_id", &sku) != 1)
		return ctx_fail(c, 400, "bad_request", "sku_id must be an integer");
	if (body_qty(c, b, &qty) < 0 || cart_add(c, id, sku, qty) < 0)
		return SOUK_ERR;
	return send_cart(c, 200, id);
}

static int sku_param(ctx *c, int64_t *sku)
{
	const str *s = ctx_param(c, "sku_id");
	if (!s || str_to_i64(*s, 1, INT64_MAX, sku) < 0)
		return ctx_fail(c, 400, "bad_request", "sku_id must be a positive integer");
	return SOUK_OK;
}

int api_cart_set(ctx *c)
{
	const char *id = existing_cart(c);
	int64_t sku, qty;
	if (!id || sku_param(c, &sku) < 0)
		return SOUK_ERR;
	json_object *b = api_body_object(c);
	if (!b || body_qty(c, b, &qty) < 0 || cart_set(c, id, sku, qty) < 0)
		return SOUK_ERR;
	return send_cart(c, 200, id);
}

int api_cart_remove(ctx *c)
{
	const char *id = existing_cart(c);
	int64_t sku;
	if (!id || sku_param(c, &sku) < 0 || cart_remove(c, id, sku) < 0)
		return SOUK_ERR;
	return send_cart(c, 200, id);
}
