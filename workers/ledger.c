/* ledger: the consumer group that books the ledger (lib/shop/ledger.c)
 * once the money moved: payment.captured and payment.refunded, each
 * written in the transaction that recorded the capture or the refund
 * (lib/shop/pay_ops.c). It runs beside billing rather than inside its
 * capture, so booking neither lengthens every order's capture nor waits
 * for it, and the events of one read are booked in one transaction
 * (consumer_def.batch: one claim, one commit, one XACK for up to 50).
 * Its statements are registered by pay_register (souk-worker.c). */
#include <string.h>

#include "core/buf.h"
#include "shop/ledger.h"
#include "worker.h"

static bool books(const event *ev)
{
	return strcmp(ev->type, "payment.captured") == 0 || strcmp(ev->type, "payment.refunded") == 0;
}

/* ledger_book_order books whatever of the order the books lack (its
 * capture, its refunds), once each by ref: a redelivered or a late event
 * finds nothing left to do. */
static int apply(ctx *c, const event *ev)
{
	if (!books(ev))
		return SOUK_OK; /* an event type this group does not book */
	int64_t order_id;
	if (event_id_field(ev, "order_id", &order_id) != 1)
		return ctx_fail(c, 400, "bad_event", "%s without an order_id", ev->type);
	return ledger_book_order(c, order_id);
}

/* The batch's orders locked up front, in id order (ledger_orders_lock):
 * booking one order while holding another's ledger_hours rows and waiting
 * for its lock could deadlock with a delivery (042's trigger takes the
 * order's lock, then those rows). */
static int lock_batch(ctx *c, const event *evs, size_t n)
{
	buf ids;
	buf_init(&ids, c->a, 24 * n + 8);
	buf_putc(&ids, '{');
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		int64_t order_id;
		if (!books(&evs[i]) || event_id_field(&evs[i], "order_id", &order_id) != 1)
			continue;
		buf_printf(&ids, "%s%lld", any ? "," : "", (long long)order_id);
		any = true;
	}
	buf_putc(&ids, '}');
	return any ? ledger_lock_orders(c, ids.p) : SOUK_OK;
}

static const char *const topics[] = {"payments", NULL};
const consumer_def ledger_consumer = {.group = "ledger", .topics = topics, .apply = apply,
                                     .batch = true, .batch_lock = lock_batch};
