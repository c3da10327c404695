/* billing: the consumer group that captures confirmed orders and settles
 * cancelled and returned ones (lib/shop/payment.c's order-level helpers). */
#include <string.h>

#include "store/db.h"
#include "core/js.h"
#include "core/log.h"
#include "shop/outbox.h"
#include "shop/payment.h"
#include "worker.h"

static const db_stmt billing_sql[] = {
	{"billing_refunded",
	 "SELECT o.public_id, COALESCE(sum(p.refunded_amount), 0) AS refunded"
	 " FROM orders o LEFT JOIN payments p ON p.order_id = o.id"
	 " WHERE o.id = $1 GROUP BY o.id"},
};

void billing_register(void)
{
	db_register(billing_sql, sizeof(billing_sql) / sizeof(billing_sql[0]));
	pay_register();
}

/* A cancelled or returned order: refund what is still captured (usually
 * nothing: order_cancel and order_return_receive settle in their own
 * transaction; the "cancel" discriminator is the one pay_settle_cancel
 * uses, so both together are one refund), then announce what the order
 * got back (payment.refunded on topic payments, for the notification
 * mail) in the same transaction. An order is cancelled or returned once,
 * so one announcement and one mail. */
static int settle(ctx *c, int64_t order_id, const char *reason)
{
	if (pay_refund_order(c, order_id, 0, reason) != SOUK_OK)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "billing_refunded", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no order %lld", (long long)order_id);
	int64_t amount = db_i64(r, 0, "refunded");
	if (amount <= 0)
		return SOUK_OK; /* never captured: the authorization was voided */
	json_object *ev = js_obj(c);
	js_str(ev, "type", "payment.refunded");
	js_i64(ev, "order_id", order_id);
	js_str(ev, "public_id", db_val(r, 0, "public_id"));
	js_i64(ev, "amount", amount);
	js_str(ev, "reason", reason);
	return outbox_add(c, "payments", db_val(r, 0, "public_id"), ev);
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
	if (!confirmed)
		return settle(c, order_id, cancelled ? "cancel" : "return");
	bool done = false;
	if (pay_capture_order(c, order_id, &done) != SOUK_OK)
		return SOUK_ERR;
	if (!done) /* cancelled meanwhile, voided or failed: nothing to charge */
		log_msg(LOG_INFO, NULL, "billing: order %lld confirmed but not capturable (cancelled "
		        "or voided since)", (long long)order_id);
	return SOUK_OK;
}

static const char *const topics[] = {"orders", NULL};
const consumer_def billing_consumer = {"billing", topics, apply, NULL};
