/* order: stub: compiles, refuses every call with 501. */
#include "order.h"

void order_register(void)
{
}

const char *order_status_name(order_status s)
{
	(void)s;
	return NULL;
}

int order_status_parse(const char *s, order_status *out)
{
	(void)s;
	(void)out;
	return -1;
}

bool order_can_transition(order_status from, order_status to)
{
	(void)from;
	(void)to;
	return false;
}

int order_transition(ctx *c, int64_t order_id, order_status to, const char *actor, const char *note)
{
	(void)c;
	(void)order_id;
	(void)to;
	(void)actor;
	(void)note;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_record_created(ctx *c, int64_t order_id, const char *actor)
{
	(void)c;
	(void)order_id;
	(void)actor;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

db_res *order_find(ctx *c, const char *public_id)
{
	(void)c;
	(void)public_id;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_by_id(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_items(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_events(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_payment(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_returns(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_shipments(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_list_user(ctx *c, int64_t user_id, int64_t limit, int64_t offset)
{
	(void)c;
	(void)user_id;
	(void)limit;
	(void)offset;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

db_res *order_list_admin(ctx *c, const char *status, const char *email, int64_t limit, int64_t offset)
{
	(void)c;
	(void)status;
	(void)email;
	(void)limit;
	(void)offset;
	ctx_fail(c, 501, "not_implemented", "not implemented yet");
	return NULL;
}

bool order_token_ok(const char *token, str given)
{
	(void)token;
	(void)given;
	return false;
}

int order_json(ctx *c, int64_t order_id, bool with_token, json_object **out)
{
	(void)c;
	(void)order_id;
	(void)with_token;
	(void)out;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_cancel(ctx *c, int64_t order_id, const char *actor, const char *reason)
{
	(void)c;
	(void)order_id;
	(void)actor;
	(void)reason;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_process(ctx *c, int64_t order_id, const char *actor)
{
	(void)c;
	(void)order_id;
	(void)actor;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_ship(ctx *c, int64_t order_id, const char *actor, const char *carrier, const char *tracking)
{
	(void)c;
	(void)order_id;
	(void)actor;
	(void)carrier;
	(void)tracking;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_deliver(ctx *c, int64_t order_id, const char *actor)
{
	(void)c;
	(void)order_id;
	(void)actor;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_return_request(ctx *c, int64_t order_id, const char *actor, const char *reason, int64_t *return_id)
{
	(void)c;
	(void)order_id;
	(void)actor;
	(void)reason;
	(void)return_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_return_approve(ctx *c, int64_t return_id, const char *actor)
{
	(void)c;
	(void)return_id;
	(void)actor;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_return_reject(ctx *c, int64_t return_id, const char *actor)
{
	(void)c;
	(void)return_id;
	(void)actor;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_return_receive(ctx *c, int64_t return_id, const char *actor)
{
	(void)c;
	(void)return_id;
	(void)actor;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int order_outbox(ctx *c, const char *topic, const char *key, json_object *payload)
{
	(void)c;
	(void)topic;
	(void)key;
	(void)payload;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}
