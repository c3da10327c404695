/* billing: the consumer group that queues the capture of confirmed orders
 * and the settling of cancelled and returned ones (payment intents in the
 * event's transaction, lib/shop/pay_ops.c; the worker's payments job makes
 * the provider calls, and a refund's record announces payment.refunded). */
#include <string.h>

#include "core/log.h"
#include "shop/payment.h"
#include "worker.h"

void billing_register(void)
{
	pay_register();
}

/* The provider calls happen here, before the event's transaction (no
 * lock held): each helper records its intent, calls, records the result.
 * A provider that is down leaves the operation to the payments job; one
 * that refuses a capture is a 502 (retried, then given up on like any
 * failing event). apply() below then finds the work done. */
static int prepare(ctx *c, const event *ev)
{
	int64_t order_id;
	if (event_id_field(ev, "order_id", &order_id) != 1)
		return SOUK_OK; /* apply decides */
	if (strcmp(ev->type, "order.confirmed") == 0)
		return pay_capture_order(c, order_id, NULL);
	if (strcmp(ev->type, "order.cancelled") == 0)
		return pay_settle_cancel(c, order_id);
	if (strcmp(ev->type, "order.returned") == 0)
		return pay_refund_order(c, order_id, 0, "return");
	return SOUK_OK;
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
	/* Usually already settled: order_cancel and order_return_receive
	 * record their intent with the move; the keys make these no-ops then.
	 * The ledger group books what they record (payment.captured,
	 * payment.refunded; workers/ledger.c), not this one. */
	if (cancelled)
		return pay_settle_cancel(c, order_id);
	if (returned)
		return pay_refund_order(c, order_id, 0, "return");
	bool done = false;
	if (pay_capture_order(c, order_id, &done) != SOUK_OK)
		return SOUK_ERR;
	if (!done) /* cancelled meanwhile, voided or failed: nothing to charge */
		log_msg(LOG_INFO, NULL, "billing: order %lld confirmed but not capturable (cancelled "
		        "or voided since)", (long long)order_id);
	return SOUK_OK;
}

static const char *const topics[] = {"orders", NULL};
const consumer_def billing_consumer = {.group = "billing", .topics = topics, .apply = apply,
                                      .prepare = prepare};
