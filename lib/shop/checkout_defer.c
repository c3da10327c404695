/* checkout_defer: the worker's side of deferred authorization: ask the
 * provider again with the same key, then confirm or cancel the order. */
#include "shop/checkout_defer.h"

#include <string.h>

#include "core/log.h"
#include "shop/checkout.h"
#include "shop/payment.h"
#include "store/db.h"

void checkout_defer_register(void)
{
	checkout_register(); /* also payment, inventory and order */
}

/* One intent: provider first (no transaction), then the decision. */
static int run_one(ctx *c, int64_t op_id, int64_t order_id, int64_t amount, const char *token)
{
	pay_card card = {.token = token};
	pay_result pr;
	if (pay_authorize_order(c, order_id, amount, &card, &pr) < 0)
		return pay_op_postpone(c, op_id);
	const char *status = NULL;
	if (checkout_decide(c, order_id, NULL, "worker", &pr, op_id, &status) < 0)
		return SOUK_ERR;
	if (!status)
		return SOUK_OK; /* another runner decided it */
	log_msg(LOG_INFO, c->rid, "payments: deferred authorization of order %lld %s: order %s",
	        (long long)order_id, pr.approved ? "approved" : "declined", status);
	/* an order cancelled meanwhile: its void runs now (else the payments job) */
	if (pr.approved && strcmp(status, "CANCELLED") == 0 && pay_ops_run_order(c, order_id) < 0)
		ctx_clear(c);
	return SOUK_OK;
}

int checkout_defer_run_due(ctx *c, int max, int *ran)
{
	*ran = 0;
	db_res *r = pay_deferred_due(c, max);
	if (!r)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(r); i++) {
		int64_t op = db_i64(r, i, "id"), order = db_i64(r, i, "order_id");
		if (run_one(c, op, order, db_i64(r, i, "amount"), db_val(r, i, "payment_method")) < 0) {
			log_msg(LOG_INFO, c->rid, "payments: deferred authorization of order %lld not done "
			        "yet: %s", (long long)order, c->err_msg ? c->err_msg : "?");
			if (db_in_tx(c->db))
				db_rollback(c);
			ctx_clear(c);
		}
		(*ran)++;
	}
	return SOUK_OK;
}
