/* api_seller: the seller API's offers — list, create, change, set stock
 * (Bearer key; every id scoped to the key's seller, others answer 404). */
#include "api_seller.h"

#include <string.h>

#include "api_buy.h"
#include "core/js.h"
#include "http/json_reply.h"
#include "http/query.h"
#include "shop/seller.h"
#include "shop/seller_offer.h"

#define API_SELLER_PER_PAGE 50
#define API_SELLER_MAX_PER_PAGE 200

json_object *api_seller_offer_json(const db_res *r, int i)
{
	json_object *o = json_object_new_object();
	js_i64(o, "sku_id", db_i64(r, i, "sku_id"));
	js_str(o, "sku", db_val(r, i, "sku"));
	js_i64(o, "variant_id", db_i64(r, i, "variant_id"));
	js_i64(o, "product_id", db_i64(r, i, "product_id"));
	js_str(o, "product_ref", db_val(r, i, "ref"));
	js_str(o, "title", db_val(r, i, "title"));
	js_str(o, "size", db_val(r, i, "size"));
	js_str(o, "color", db_val(r, i, "color"));
	js_i64(o, "price", db_i64(r, i, "price"));
	js_i64(o, "shipping", db_i64(r, i, "shipping"));
	js_str(o, "condition", db_val(r, i, "condition"));
	js_str(o, "fulfillment", db_val(r, i, "fulfillment"));
	js_str(o, "status", db_val(r, i, "status"));
	js_i64(o, "quantity", db_i64(r, i, "quantity"));
	js_str(o, "currency", "USD");
	return o;
}

/* The offer as it now is, with status code st. */
static int reply_offer(ctx *c, const seller_who *who, int64_t sku_id, int st)
{
	db_res *r = soffer_get(c, who->id, sku_id);
	if (!r)
		return SOUK_ERR;
	json_object *o = js_obj(c);
	js_i64(o, "sku_id", sku_id);
	json_object_object_add(o, "offer", api_seller_offer_json(r, 0));
	return resp_json(c, st, o);
}

int api_seller_offers(ctx *c)
{
	static const char *const statuses[] = {"", "active", "withdrawn", NULL};
	static const char *const fuls[] = {"", "FBA", "FBM", NULL};
	seller_who who;
	int64_t page, per, total;
	int st, fu;
	if (seller_api_guard(c, &who) < 0 ||
	    ctx_query_paging(c, API_SELLER_PER_PAGE, API_SELLER_MAX_PER_PAGE, &page, &per) < 0 ||
	    ctx_query_enum(c, "status", statuses, 0, &st) < 0 ||
	    ctx_query_enum(c, "fulfillment", fuls, 0, &fu) < 0)
		return SOUK_ERR;
	const str *q = req_query(c->rq, "q");
	if (q && q->len > 100)
		return ctx_fail(c, 400, "bad_request", "q must be at most 100 characters");
	db_res *r = soffer_list(c, who.id, q ? str_dup(c->a, *q) : NULL, st ? statuses[st] : NULL,
	                        fu ? fuls[fu] : NULL, per, (page - 1) * per, &total);
	if (!r)
		return SOUK_ERR;
	json_object *o = js_obj(c), *arr = json_object_new_array();
	for (int i = 0; i < db_rows(r); i++)
		json_object_array_add(arr, api_seller_offer_json(r, i));
	json_object_object_add(o, "offers", arr);
	js_i64(o, "page", page);
	js_i64(o, "per_page", per);
	js_i64(o, "total", total);
	return resp_json(c, 200, o);
}

int api_seller_offer(ctx *c)
{
	seller_who who;
	int64_t id;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "sku_id", &id) < 0)
		return SOUK_ERR;
	return reply_offer(c, &who, id, 200);
}

/* An optional integer member: 400 naming it when it has another type. */
static int opt_i64(ctx *c, json_object *b, const char *key, int64_t *out)
{
	if (js_get_i64(b, key, out) < 0)
		return ctx_fail_field(c, 400, "bad_request", key, "%s must be an integer", key);
	return SOUK_OK;
}

static int opt_str(ctx *c, json_object *b, const char *key, const char **out)
{
	if (js_get_str(b, key, out) < 0)
		return ctx_fail_field(c, 400, "bad_request", key, "%s must be a string", key);
	return SOUK_OK;
}

int api_seller_offer_create(ctx *c)
{
	seller_who who;
	json_object *b;
	if (seller_api_guard(c, &who) < 0 || !(b = api_body_object(c)))
		return SOUK_ERR;
	soffer_in in = {.price = -1, .quantity = -1};
	if (opt_i64(c, b, "variant_id", &in.variant_id) < 0 ||
	    opt_str(c, b, "product_ref", &in.product_ref) < 0 || opt_str(c, b, "sku", &in.sku) < 0 ||
	    opt_i64(c, b, "price", &in.price) < 0 || opt_i64(c, b, "shipping", &in.shipping) < 0 ||
	    opt_str(c, b, "condition", &in.condition) < 0 ||
	    opt_str(c, b, "fulfillment", &in.fulfillment) < 0 ||
	    opt_i64(c, b, "quantity", &in.quantity) < 0 ||
	    opt_i64(c, b, "warehouse_id", &in.warehouse_id) < 0)
		return SOUK_ERR;
	if (!json_object_object_get_ex(b, "quantity", NULL))
		in.quantity = -1;
	if (!json_object_object_get_ex(b, "price", NULL))
		return ctx_fail_field(c, 400, "bad_request", "price", "price (cents) is required");
	if (json_object_object_get_ex(b, "quantity", NULL) && in.quantity < 0)
		return soffer_check_quantity(c, in.quantity);
	int64_t sku_id;
	if (soffer_create(c, who.id, who.suspended, &in, &sku_id) < 0)
		return SOUK_ERR;
	return reply_offer(c, &who, sku_id, 201);
}

int api_seller_offer_patch(ctx *c)
{
	seller_who who;
	json_object *b;
	int64_t id;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "sku_id", &id) < 0 ||
	    !(b = api_body_object(c)))
		return SOUK_ERR;
	soffer_patch p = SOFFER_PATCH_NONE;
	if (opt_i64(c, b, "price", &p.price) < 0 || opt_i64(c, b, "shipping", &p.shipping) < 0 ||
	    opt_str(c, b, "condition", &p.condition) < 0 ||
	    opt_str(c, b, "fulfillment", &p.fulfillment) < 0 || opt_str(c, b, "status", &p.status) < 0)
		return SOUK_ERR;
	json_object_object_foreach(b, k, v) {
		(void)v;
		if (strcmp(k, "price") && strcmp(k, "shipping") && strcmp(k, "condition") &&
		    strcmp(k, "fulfillment") && strcmp(k, "status"))
			return ctx_fail_field(c, 400, "bad_request", k,
			                      "%s cannot be changed (price, shipping, condition, fulfillment, status)", k);
	}
	if (soffer_update(c, who.id, who.suspended, id, &p) < 0)
		return SOUK_ERR;
	return reply_offer(c, &who, id, 200);
}

int api_seller_offer_stock(ctx *c)
{
	seller_who who;
	json_object *b;
	int64_t id, wh = 0, qty;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "sku_id", &id) < 0 ||
	    !(b = api_body_object(c)) || opt_i64(c, b, "warehouse_id", &wh) < 0)
		return SOUK_ERR;
	if (js_get_i64(b, "quantity", &qty) != 1)
		return ctx_fail_field(c, 400, "bad_request", "quantity", "quantity (an integer) is required");
	if (wh < 0)
		return ctx_fail_field(c, 404, "not_found", "warehouse_id", "no such warehouse");
	if (soffer_set_stock(c, who.id, id, wh, qty) < 0)
		return SOUK_ERR;
	return reply_offer(c, &who, id, 200);
}
