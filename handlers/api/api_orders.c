/* api_orders: GET /api/v1/orders/{public_id} and its cancel; the order's
 * access token (Authorization: Bearer, or ?token=) or the storefront
 * session that owns it (souk_session cookie) is the key. */
#include "api_buy.h"
#include "core/js.h"
#include "shop/order.h"
#include "shop/session.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"

/* The order when the caller holds its token (or, when by_session, owns
 * it by its storefront session); 404 otherwise (the same
 * answer as for an unknown id, so ids cannot be probed). */
static db_res *authorized_order(ctx *c, bool by_session)
{
	const str *pid = ctx_param(c, "public_id");
	if (!pid || pid->len == 0 || pid->len > 64)
		return ctx_fail(c, 404, "not_found", "no such order"), NULL;
	str token = {"", 0};
	const str *auth = req_header(c->rq, "authorization");
	const str *q = req_query(c->rq, "token");
	if (auth && str_starts(*auth, "Bearer "))
		token = (str){auth->p + 7, auth->len - 7};
	else if (q)
		token = *q;
	db_res *o = order_find(c, str_dup(c->a, *pid));
	if (!o)
		return NULL;
	if (!order_token_ok(db_val(o, 0, "access_token"), token) &&
	    !(by_session && session_may_see_order(c, db_val(o, 0, "public_id"), db_i64(o, 0, "user_id"))))
		return ctx_fail(c, 404, "not_found", "no such order"), NULL;
	return o;
}

static int send_order(ctx *c, int64_t id)
{
	json_object *doc, *o = js_obj(c);
	if (order_json(c, id, false, &doc) < 0)
		return SOUK_ERR;
	json_object_object_add(o, "order", json_object_get(doc));
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	return resp_json(c, 200, o);
}

int api_order_get(ctx *c)
{
	db_res *o = authorized_order(c, true);
	return o ? send_order(c, db_i64(o, 0, "id")) : SOUK_ERR;
}

/* Cancel needs the token: a cookie alone would let another site's form
 * cancel a signed-in shopper's order (the API carries no CSRF token). */
int api_order_cancel(ctx *c)
{
	db_res *o = authorized_order(c, false);
	if (!o)
		return SOUK_ERR;
	const char *reason = "cancelled by the shopper";
	json_object *b = c->rq->json;
	if (b && json_object_is_type(b, json_type_object) && js_get_str(b, "reason", &reason) < 0)
		return ctx_fail(c, 400, "bad_request", "reason must be a string");
	if (reason && strlen(reason) > 500)
		return ctx_fail(c, 400, "bad_request", "reason must be at most 500 characters");
	int64_t id = db_i64(o, 0, "id");
	if (order_cancel(c, id, "shopper", reason) < 0)
		return SOUK_ERR;
	return send_order(c, id);
}
