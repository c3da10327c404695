/* checkout_json: the JSON shape of a checkout (POST /api/v1/checkout and
 * the flash sale's orders): the request read from a body, the outcome
 * written as the answer. */
#include "shop/checkout_json.h"

#include <string.h>

#include "core/js.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"
#include "shop/order.h"

/* A string member of o: NULL and 400 naming it when missing or not a
 * string (unless optional). */
static int field(ctx *c, json_object *o, const char *obj, const char *key, bool optional,
                 const char **out)
{
	*out = NULL;
	int g = js_get_str(o, key, out);
	if (g == 1 || (g == 0 && optional))
		return SOUK_OK;
	return ctx_fail(c, 400, "bad_request", "%s%s%s must be a string", obj ? obj : "",
	                obj ? "." : "", key);
}

static int int_field(ctx *c, json_object *o, const char *obj, const char *key, int64_t min,
                     int64_t max, int *out)
{
	int64_t v;
	if (js_get_i64(o, key, &v) != 1 || v < min || v > max)
		return ctx_fail(c, 400, "bad_card", "%s.%s must be an integer from %lld to %lld", obj, key,
		                (long long)min, (long long)max);
	*out = (int)v;
	return SOUK_OK;
}

static json_object *sub_object(ctx *c, json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_object))
		return ctx_fail(c, 400, "bad_request", "%s must be an object", key), NULL;
	return v;
}

int checkout_from_json(ctx *c, json_object *b, bool want_cart, checkout_req *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->actor = "shopper";
	const str *key = req_header(c->rq, "idempotency-key");
	if (!key || key->len == 0)
		return ctx_fail(c, 400, "bad_request", "the Idempotency-Key header is required");
	rq->idempotency_key = str_dup(c->a, *key);
	json_object *addr = NULL, *pay = NULL;
	if ((want_cart && field(c, b, NULL, "cart_id", false, &rq->cart_id) < 0) ||
	    field(c, b, NULL, "email", false, &rq->email) < 0 ||
	    field(c, b, NULL, "shipping_method", true, &rq->shipping_method) < 0 ||
	    !(addr = sub_object(c, b, "shipping_address")) ||
	    field(c, addr, "shipping_address", "name", false, &rq->addr.name) < 0 ||
	    field(c, addr, "shipping_address", "line1", false, &rq->addr.line1) < 0 ||
	    field(c, addr, "shipping_address", "line2", true, &rq->addr.line2) < 0 ||
	    field(c, addr, "shipping_address", "city", false, &rq->addr.city) < 0 ||
	    field(c, addr, "shipping_address", "postal_code", false, &rq->addr.postal_code) < 0 ||
	    field(c, addr, "shipping_address", "country", false, &rq->addr.country) < 0 ||
	    !(pay = sub_object(c, b, "payment")) ||
	    field(c, pay, "payment", "payment_method", true, &rq->card.token) < 0)
		return SOUK_ERR;
	if (rq->card.token) /* tokenised before (souk-payd's POST /v1/payment_methods) */
		return SOUK_OK;
	/* a card: tokenised by checkout_place before anything is stored */
	if (field(c, pay, "payment", "card_number", false, &rq->card.number) < 0 ||
	    int_field(c, pay, "payment", "exp_month", 1, 12, &rq->card.exp_month) < 0 ||
	    int_field(c, pay, "payment", "exp_year", 2000, 2100, &rq->card.exp_year) < 0 ||
	    field(c, pay, "payment", "cvc", false, &rq->card.cvc) < 0)
		return SOUK_ERR;
	return SOUK_OK;
}

/* Records the failure with details for the "error" object and, when
 * there is one, the order beside it; the dispatcher renders it. */
static int fail_with(ctx *c, int status, const char *code, const char *msg,
                     json_object *details, int64_t order_id)
{
	json_object *extra = NULL;
	if (order_id) {
		json_object *doc;
		if (order_json(c, order_id, true, &doc) < 0)
			return SOUK_ERR;
		extra = js_obj(c);
		json_object_object_add(extra, "order", json_object_get(doc));
	}
	return ctx_fail_json(c, status, code, details, extra, "%s", msg ? msg : "");
}

int checkout_reply(ctx *c, int rc, const checkout_result *rs)
{
	checkout_result res = *rs;
	if (res.outcome == CHECKOUT_REPLAYED)
		resp_header(c->rs, "Idempotent-Replayed", STR("true"));
	resp_keep_headers(c->rs); /* an error answer is not cached or replayed either */
	const char *msg = c->err_msg;
	switch (res.outcome) {
	case CHECKOUT_OUT_OF_STOCK: {
		ctx_clear(c);
		json_object *e = js_obj(c);
		js_i64(e, "sku_id", res.short_sku);
		js_i64(e, "wanted", res.short_wanted);
		js_i64(e, "available", res.short_available);
		return fail_with(c, 409, "out_of_stock", msg, e, 0);
	}
	case CHECKOUT_DECLINED: {
		ctx_clear(c);
		json_object *e = js_obj(c);
		js_str(e, "decline_code", res.decline_code);
		return fail_with(c, 402, "payment_declined", res.decline_message, e, res.order_id);
	}
	case CHECKOUT_EXPIRED:
		ctx_clear(c);
		return fail_with(c, 409, "reservation_expired", msg, NULL, res.order_id);
	case CHECKOUT_FAILED:
		return SOUK_ERR;
	case CHECKOUT_REPLAYED:
		if (rc < 0)
			return SOUK_ERR;
		if (res.decline_code && strcmp(res.status, "CANCELLED") == 0) {
			json_object *e = js_obj(c);
			js_str(e, "decline_code", res.decline_code);
			return fail_with(c, 402, "payment_declined", res.decline_message, e, res.order_id);
		}
		if (strcmp(res.status, "CANCELLED") == 0) {
			bool expired = res.cancel_note && strcmp(res.cancel_note, "reservation expired") == 0;
			return fail_with(c, 409, expired ? "reservation_expired" : "order_cancelled",
			                 expired ? "the reservation expired before the payment completed"
			                         : "the order of this checkout was cancelled",
			                 NULL, res.order_id);
		}
		break;
	case CHECKOUT_CONFIRMED:
	case CHECKOUT_PENDING:
		if (rc < 0)
			return SOUK_ERR;
		break;
	}
	json_object *doc, *o = js_obj(c);
	if (order_json(c, res.order_id, true, &doc) < 0)
		return SOUK_ERR;
	json_object_object_add(o, "order", json_object_get(doc));
	/* 202: the order is taken but its payment is not confirmed yet (the
	 * provider did not answer; order.status PENDING, payment.status
	 * "authorizing", payment.authorization_pending true) */
	bool pending = res.status && strcmp(res.status, "PENDING") == 0;
	return resp_json(c, pending ? 202 : 201, o);
}
