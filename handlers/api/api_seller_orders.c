/* api_seller_orders: a seller's orders (their part only), shipments and
 * their confirmation, returns of their items, and their ledger. */
#include "api_seller_orders.h"

#include "api_buy.h"
#include "core/js.h"
#include "http/json_reply.h"
#include "http/query.h"
#include "shop/ledger.h"
#include "shop/seller.h"
#include "shop/seller_return.h"
#include "shop/shipment.h"

#define PER_PAGE 50
#define MAX_PER_PAGE 200

void api_seller_orders_register(void)
{
	ledger_register();
	seller_return_register();
	shipment_register();
}

int api_seller_orders(ctx *c)
{
	seller_who who;
	int64_t page, per;
	if (seller_api_guard(c, &who) < 0 || ctx_query_paging(c, PER_PAGE, MAX_PER_PAGE, &page, &per) < 0)
		return SOUK_ERR;
	db_res *r = shipment_seller_orders(c, who.id, per, (page - 1) * per);
	if (!r)
		return SOUK_ERR;
	json_object *o = js_obj(c), *arr = json_object_new_array();
	for (int i = 0; i < db_rows(r); i++) {
		json_object *e = json_object_new_object();
		js_str(e, "public_id", db_val(r, i, "public_id"));
		js_str(e, "status", db_val(r, i, "status"));
		js_str(e, "created_at", db_val(r, i, "created_at"));
		js_i64(e, "items", db_i64(r, i, "items"));
		js_i64(e, "amount", db_i64(r, i, "amount"));
		js_i64(e, "pending_shipments", db_i64(r, i, "pending"));
		json_object *ids = js_parse(c, str_c(db_val(r, i, "shipment_ids")));
		json_object_object_add(e, "shipment_ids", ids ? json_object_get(ids) : json_object_new_array());
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "orders", arr);
	js_i64(o, "page", page);
	js_i64(o, "per_page", per);
	return resp_json(c, 200, o);
}

static int reply_shipment(ctx *c, int64_t seller_id, int64_t id)
{
	json_object *s;
	if (shipment_json(c, id, seller_id, &s) < 0)
		return SOUK_ERR;
	json_object *o = js_obj(c);
	json_object_object_add(o, "shipment", json_object_get(s));
	return resp_json(c, 200, o);
}

int api_seller_shipment(ctx *c)
{
	seller_who who;
	int64_t id;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	return reply_shipment(c, who.id, id);
}

int api_seller_shipment_confirm(ctx *c)
{
	seller_who who;
	int64_t id;
	json_object *b;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	/* someone else's shipment is unknown, whatever the body says */
	if (!shipment_get(c, id, who.id) || !(b = api_body_object(c)))
		return SOUK_ERR;
	const char *carrier = NULL, *tracking = NULL;
	if (js_get_str(b, "carrier", &carrier) != 1)
		return ctx_fail_field(c, 400, "bad_request", "carrier", "carrier (a string) is required");
	if (js_get_str(b, "tracking", &tracking) != 1)
		return ctx_fail_field(c, 400, "bad_request", "tracking", "tracking (a string) is required");
	if (shipment_ship(c, id, who.id, seller_actor(c->a, who.id), carrier, tracking) < 0)
		return SOUK_ERR;
	return reply_shipment(c, who.id, id);
}

int api_seller_returns(ctx *c)
{
	seller_who who;
	int64_t page, per;
	if (seller_api_guard(c, &who) < 0 || ctx_query_paging(c, PER_PAGE, MAX_PER_PAGE, &page, &per) < 0)
		return SOUK_ERR;
	db_res *r = seller_return_list(c, who.id, per, (page - 1) * per);
	if (!r)
		return SOUK_ERR;
	json_object *o = js_obj(c), *arr = json_object_new_array();
	for (int i = 0; i < db_rows(r); i++) {
		json_object *e = json_object_new_object();
		js_i64(e, "id", db_i64(r, i, "id"));
		js_str(e, "order", db_val(r, i, "public_id"));
		js_str(e, "status", db_val(r, i, "status"));
		js_str(e, "reason", db_val(r, i, "reason"));
		js_i64(e, "items", db_i64(r, i, "items"));
		js_str(e, "created_at", db_val(r, i, "created_at"));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "returns", arr);
	return resp_json(c, 200, o);
}

static int decide(ctx *c, bool approve)
{
	seller_who who;
	int64_t id;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	if (seller_return_decide(c, id, who.id, approve, seller_actor(c->a, who.id)) < 0)
		return SOUK_ERR;
	json_object *o = js_obj(c);
	js_i64(o, "id", id);
	js_str(o, "status", approve ? "received" : "rejected");
	return resp_json(c, 200, o);
}

int api_seller_return_approve(ctx *c) { return decide(c, true); }
int api_seller_return_reject(ctx *c) { return decide(c, false); }

int api_seller_ledger(ctx *c)
{
	seller_who who;
	const char *from, *to;
	int64_t limit;
	if (seller_api_guard(c, &who) < 0 || ctx_query_date(c, "from", &from) < 0 ||
	    ctx_query_date(c, "to", &to) < 0 || ctx_query_int(c, "limit", 1, 10000, 1000, &limit) < 0)
		return SOUK_ERR;
	ledger_balance bal;
	db_res *r = ledger_statement(c, who.id, from, to, limit);
	if (!r || ledger_seller_balance(c, who.id, &bal) < 0)
		return SOUK_ERR;
	json_object *o = js_obj(c), *arr = json_object_new_array();
	for (int i = 0; i < db_rows(r); i++) {
		json_object *e = json_object_new_object();
		js_i64(e, "id", db_i64(r, i, "id"));
		js_str(e, "at", db_val(r, i, "at"));
		js_str(e, "kind", db_val(r, i, "kind"));
		js_i64(e, "amount", db_i64(r, i, "amount"));
		js_str(e, "order", db_val(r, i, "public_id"));
		js_i64(e, "balance", db_i64(r, i, "balance"));
		json_object_array_add(arr, e);
	}
	/* balance: what Souk owes the seller now (the entries' sum when the
	 * statement is whole), split into available and pending */
	json_object_object_add(o, "entries", arr);
	js_i64(o, "balance", bal.total);
	js_i64(o, "available", bal.available);
	js_i64(o, "pending", bal.pending);
	js_str(o, "currency", "USD");
	return resp_json(c, 200, o);
}
