/* checkout_defer: the worker's side of deferred authorization: ask the
 * provider again with the same key, then confirm or cancel the order. */
#include "shop/checkout_defer.h"

#include <string.h>

#include "core/log.h"
#include "shop/checkout.h"
#include "shop/payment.h"
#include "store/db.h"

/* the decline code of a sealed card the provider would not open */
#define SEALED_REFUSED "invalid_card"

void checkout_defer_register(void)
{
	checkout_register(); /* also payment, inventory and order */
}

/* A card the checkout sealed: the provider tokenises it (only it can
 * open it) and the token replaces it, the sealed card erased at once.
 * The provider refusing it (it does not open: tampered, or a key it does
 * not have) is its answer: *token NULL and *pr a decline. SOUK_ERR when
 * the provider cannot be reached (the intent waits) or the database fails. */
static int open_sealed(ctx *c, int64_t op_id, const char *sealed, const char **token,
                       pay_result *pr)
{
	*token = NULL;
	pay_result t;
	if (pay_provider_get()->tokenize(c, &(pay_card){.sealed = sealed}, &t) == SOUK_OK) {
		*token = t.provider_ref;
		return pay_sealed_tokenised(c, op_id, *token);
	}
	if (c->err_status != 400)
		return SOUK_ERR;
	log_msg(LOG_WARN, c->rid, "payments: the provider refused a sealed card (intent %lld): %s",
	        (long long)op_id, c->err_msg ? c->err_msg : "?");
	ctx_clear(c);
	*pr = (pay_result){.approved = false, .decline_code = SEALED_REFUSED};
	return pay_sealed_refused(c, op_id, SEALED_REFUSED);
}

/* One intent: provider first (no transaction), then the decision. */
static int run_one(ctx *c, int64_t op_id, int64_t order_id, int64_t amount, const char *token,
                   const char *sealed)
{
	pay_card card = {.token = token};
	pay_result pr;
	if (!token && sealed && open_sealed(c, op_id, sealed, &card.token, &pr) < 0)
		return pay_op_postpone(c, op_id);
	if (card.token && pay_authorize_order(c, order_id, amount, &card, &pr) < 0)
		return pay_op_postpone(c, op_id);
	if (!card.token && !sealed) /* cannot happen: an intent has one or the other */
		pr = (pay_result){.approved = false, .decline_code = SEALED_REFUSED};
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
		if (run_one(c, op, order, db_i64(r, i, "amount"), db_val(r, i, "payment_method"),
		            db_val(r, i, "sealed_card")) < 0) {
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
