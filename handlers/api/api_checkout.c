/* api_checkout: POST /api/v1/checkout — one cart to one order, keyed by the
 * Idempotency-Key header. */
#include "api_buy.h"
#include "shop/checkout.h"
#include "shop/checkout_json.h"
#include "core/js.h"
#include "shop/order.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"

int api_checkout(ctx *c)
{
	checkout_req rq;
	checkout_result res;
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	json_object *b = api_body_object(c);
	if (!b || checkout_from_json(c, b, true, &rq) < 0)
		return SOUK_ERR;
	return checkout_reply(c, checkout_place(c, &rq, &res), &res);
}
