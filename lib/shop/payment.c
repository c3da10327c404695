/* payment: the order-level payment helpers over the chosen provider. */
#include "shop/payment.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/db.h"

static const db_stmt pay_sql[] = {
	{"pay_record",
	 "INSERT INTO payments (order_id, provider, status, amount, provider_ref, decline_code,"
	 " brand, last4, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	 " ON CONFLICT (idempotency_key) DO NOTHING"},
	{"pay_lock",
	 "SELECT p.id, p.status, p.amount, p.refunded_amount, p.provider_ref,"
	 " o.status AS order_status FROM payments p JOIN orders o ON o.id = p.order_id"
	 " WHERE p.order_id = $1 AND p.status <> 'failed' ORDER BY p.id DESC LIMIT 1"
	 " FOR UPDATE OF p"},
	{"pay_set_status",
	 "UPDATE payments SET status = $2, updated_at = now() WHERE id = $1"},
	{"pay_refund_seen", "SELECT 1 FROM refunds WHERE idempotency_key = $1"},
	{"pay_refund_rec",
	 "WITH r AS (INSERT INTO refunds (payment_id, order_id, amount, reason, provider_ref,"
	 "           idempotency_key) VALUES ($1, $2, $3, $4, $5, $6))"
	 " UPDATE payments SET refunded_amount = refunded_amount + $3, updated_at = now(),"
	 " status = CASE WHEN refunded_amount + $3 = amount THEN 'refunded' ELSE status END"
	 " WHERE id = $1"},
};

void pay_register(void)
{
	db_register(pay_sql, sizeof(pay_sql) / sizeof(pay_sql[0]));
}

static const pay_provider *provider; /* set once at start (pay_choose) */

void pay_use(const pay_provider *pv)
{
	provider = pv;
}

const pay_provider *pay_provider_get(void)
{
	if (!provider) { /* a program that never chose one: a bug, not an outage */
		log_msg(LOG_ERROR, NULL, "payment: no provider chosen (pay_choose at start)");
		abort();
	}
	return provider;
}

static const char *key_for(ctx *c, const char *what, int64_t id, const char *suffix)
{
	buf b;
	buf_init(&b, c->a, 256);
	buf_printf(&b, "%s:%lld%s%s", what, (long long)id, suffix ? ":" : "", suffix ? suffix : "");
	return b.p;
}

int pay_authorize_order(ctx *c, int64_t order_id, int64_t amount, const pay_card *card,
                        pay_result *out)
{
	const pay_provider *pv = pay_provider_get();
	const char *key = key_for(c, "auth", order_id, NULL);
	if (pv->authorize(c, key, amount, "USD", card, out) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, order_id), pv->name,
	                   out->approved ? "authorized" : "failed", db_param_i64(c, amount),
	                   out->provider_ref, out->decline_code, out->brand ? out->brand : "",
	                   out->last4[0] ? out->last4 : NULL, key};
	return db_exec(c, "pay_record", 9, p) ? SOUK_OK : SOUK_ERR;
}

/* Locks the order's live payment; *p NULL when there is none. */
static int lock_payment(ctx *c, int64_t order_id, db_res **p)
{
	const char *a[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "pay_lock", 1, a);
	if (!r)
		return SOUK_ERR;
	*p = db_rows(r) ? r : NULL;
	return SOUK_OK;
}

static int set_status(ctx *c, db_res *p, const char *status)
{
	const char *a[] = {db_val(p, 0, "id"), status};
	return db_exec(c, "pay_set_status", 2, a) ? SOUK_OK : SOUK_ERR;
}

/* authorized -> voided through the provider; the payment row is locked. */
static int do_void(ctx *c, db_res *p)
{
	pay_result r;
	const char *key = key_for(c, "void", db_i64(p, 0, "id"), NULL);
	if (pay_provider_get()->void_auth(c, key, db_val(p, 0, "provider_ref"), &r) < 0)
		return SOUK_ERR;
	if (!r.approved)
		return ctx_fail(c, 502, "payment_error", "the payment provider refused the void");
	return set_status(c, p, "voided");
}

static int do_refund(ctx *c, int64_t order_id, db_res *p, int64_t amount, const char *reason)
{
	int64_t remaining = db_i64(p, 0, "amount") - db_i64(p, 0, "refunded_amount");
	int64_t amt = amount == 0 ? remaining : amount;
	if (amt <= 0)
		return SOUK_OK; /* everything is back already */
	if (amt > remaining)
		return ctx_fail(c, 409, "conflict", "refund exceeds what was captured");
	const char *key = key_for(c, "refund", db_i64(p, 0, "id"), reason);
	const char *s[] = {key};
	db_res *seen = db_exec(c, "pay_refund_seen", 1, s);
	if (!seen)
		return SOUK_ERR;
	if (db_rows(seen))
		return SOUK_OK; /* this (order, reason) was refunded before */
	pay_result r;
	if (pay_provider_get()->refund(c, key, db_val(p, 0, "provider_ref"), amt, &r) < 0)
		return SOUK_ERR;
	if (!r.approved)
		return ctx_fail(c, 502, "payment_error", "the payment provider refused the refund");
	const char *a[] = {db_val(p, 0, "id"), db_param_i64(c, order_id), db_param_i64(c, amt),
	                   reason ? reason : "", r.provider_ref, key};
	return db_exec(c, "pay_refund_rec", 6, a) ? SOUK_OK : SOUK_ERR;
}

static bool is(db_res *p, const char *col, const char *v)
{
	const char *s = db_val(p, 0, col);
	return s && strcmp(s, v) == 0;
}

int pay_capture_order(ctx *c, int64_t order_id, bool *done)
{
	if (done)
		*done = false;
	bool own;
	db_res *p;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int rc = lock_payment(c, order_id, &p);
	if (rc == SOUK_OK && p && is(p, "status", "captured") && done)
		*done = true;
	/* Only a confirmed (or later, not cancelled) order is charged. */
	bool capturable = rc == SOUK_OK && p && is(p, "status", "authorized") &&
	                  !is(p, "order_status", "PENDING") && !is(p, "order_status", "CANCELLED");
	if (capturable) {
		pay_result r;
		const char *key = key_for(c, "capture", db_i64(p, 0, "id"), NULL);
		rc = pay_provider_get()->capture(c, key, db_val(p, 0, "provider_ref"),
		                                 db_i64(p, 0, "amount"), &r);
		if (rc == SOUK_OK && !r.approved)
			rc = ctx_fail(c, 502, "payment_error", "the payment provider refused the capture");
		if (rc == SOUK_OK)
			rc = set_status(c, p, "captured");
		if (rc == SOUK_OK && done)
			*done = true;
	}
	return db_tx_leave(c, own, rc);
}

int pay_void_order(ctx *c, int64_t order_id)
{
	bool own;
	db_res *p;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int rc = lock_payment(c, order_id, &p);
	if (rc == SOUK_OK && p && is(p, "status", "authorized"))
		rc = do_void(c, p);
	return db_tx_leave(c, own, rc);
}

int pay_refund_order(ctx *c, int64_t order_id, int64_t amount, const char *reason)
{
	if (amount < 0)
		return ctx_fail(c, 400, "bad_request", "refund amount must not be negative");
	bool own;
	db_res *p;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int rc = lock_payment(c, order_id, &p);
	if (rc == SOUK_OK && p && is(p, "status", "captured"))
		rc = do_refund(c, order_id, p, amount, reason ? reason : "refund");
	return db_tx_leave(c, own, rc);
}

int pay_settle_cancel(ctx *c, int64_t order_id)
{
	bool own;
	db_res *p;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int rc = lock_payment(c, order_id, &p);
	if (rc == SOUK_OK && p && is(p, "status", "authorized"))
		rc = do_void(c, p);
	else if (rc == SOUK_OK && p && is(p, "status", "captured"))
		rc = do_refund(c, order_id, p, 0, "cancel");
	return db_tx_leave(c, own, rc);
}
