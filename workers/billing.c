/* billing: the consumer group that captures confirmed orders and refunds
 * cancelled-after-capture and returned ones (buy-core's pay_* helpers). */
#include <string.h>

#include "buy_stub.h"
#include "db.h"
#include "js.h"
#include "outbox.h"
#include "worker.h"

static const db_stmt billing_sql[] = {
	/* what was captured and not yet refunded */
	{"billing_refundable",
	 "SELECT o.public_id, COALESCE(sum(p.amount - p.refunded_amount)"
	 "  FILTER (WHERE p.status IN ('captured', 'refunded')), 0) AS refundable"
	 " FROM orders o LEFT JOIN payments p ON p.order_id = o.id"
	 " WHERE o.id = $1 GROUP BY o.id"},
};

void billing_register(void)
{
	db_register(billing_sql, sizeof(billing_sql) / sizeof(billing_sql[0]));
	buy_stub_register();
}

/* Refunds whatever is captured and unrefunded, and announces it
 * (order.refunded, for the notification mail) in the same transaction. */
static int refund(ctx *c, int64_t order_id, const char *reason)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "billing_refundable", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no order %lld", (long long)order_id);
	int64_t amount = db_i64(r, 0, "refundable");
	if (amount <= 0)
		return SOUK_OK; /* never captured (voided instead), or already refunded */
	if (pay_refund_order(c, order_id, amount, reason) != SOUK_OK)
		return SOUK_ERR;
	json_object *ev = js_obj(c);
	js_str(ev, "type", "order.refunded");
	js_i64(ev, "order_id", order_id);
	js_str(ev, "public_id", db_val(r, 0, "public_id"));
	js_i64(ev, "amount", amount);
	js_str(ev, "reason", reason);
	return outbox_add(c, "orders", db_val(r, 0, "public_id"), ev);
}

static int apply(ctx *c, const event *ev)
{
	bool confirmed = strcmp(ev->type, "order.confirmed") == 0;
	bool cancelled = strcmp(ev->type, "order.cancelled") == 0;
	bool returned = strcmp(ev->type, "order.returned") == 0;
	if (!confirmed && !cancelled && !returned)
		return SOUK_OK;
	int64_t order_id;
	if (event_id_field(ev, "order_id", &order_id) != 1)
		return ctx_fail(c, 400, "bad_event", "%s without an order_id", ev->type);
	if (confirmed)
		return pay_capture_order(c, order_id);
	return refund(c, order_id, cancelled ? "cancelled" : "returned");
}

static const char *const topics[] = {"orders", NULL};
const consumer_def billing_consumer = {"billing", topics, apply, NULL};
