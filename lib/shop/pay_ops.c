/* pay_ops: the order-level payment helpers: record the intent, call the
 * provider with no transaction open, record the result (payment_ops). */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/cfg.h"
#include "core/js.h"
#include "core/log.h"
#include "shop/ledger.h"
#include "shop/outbox.h"
#include "shop/pay_seal_keys.h"
#include "shop/payment.h"
#include "store/db.h"

static const db_stmt ops_sql[] = {
	{"pay_auth_intent",
	 "INSERT INTO payments (order_id, provider, status, amount, payment_method, idempotency_key)"
	 " VALUES ($1, $2, 'authorizing', $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING"},
	{"pay_by_key",
	 "SELECT id, status, provider, provider_ref, decline_code, brand, last4 FROM payments"
	 " WHERE idempotency_key = $1"},
	{"pay_auth_result",
	 "UPDATE payments SET status = $2, provider_ref = $3, decline_code = $4, brand = $5,"
	 " last4 = $6, updated_at = now() WHERE id = $1 AND status = 'authorizing'"},
	{"pay_lock",
	 "SELECT p.id, p.status, p.amount, p.refunded_amount, p.provider_ref,"
	 " o.status AS order_status FROM payments p JOIN orders o ON o.id = p.order_id"
	 " WHERE p.order_id = $1 AND p.status <> 'failed' ORDER BY p.id DESC LIMIT 1"
	 " FOR UPDATE OF p"},
	{"pay_status_of",
	 "SELECT status FROM payments WHERE order_id = $1 AND status <> 'failed'"
	 " ORDER BY id DESC LIMIT 1"},
	{"pay_capture_op",
	 "SELECT o.status FROM payment_ops o JOIN payments p ON p.id = o.payment_id"
	 " WHERE p.order_id = $1 AND o.op = 'capture' ORDER BY o.id DESC LIMIT 1"},
	{"pay_op_add",
	 "INSERT INTO payment_ops (payment_id, order_id, op, amount, reason, idempotency_key)"
	 " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING"},
	{"pay_op_get",
	 "SELECT o.id, o.payment_id, o.order_id, o.op, o.amount AS op_amount, o.reason,"
	 " o.idempotency_key AS op_key, o.status, p.status AS pay_status, p.amount, p.provider,"
	 " p.refunded_amount, p.provider_ref, p.payment_method, p.idempotency_key AS auth_key,"
	 " ord.status AS order_status, ord.public_id,"
	 " EXISTS (SELECT 1 FROM payment_ops e WHERE e.payment_id = o.payment_id"
	 "         AND e.status = 'pending' AND e.id < o.id) AS blocked"
	 " FROM payment_ops o JOIN payments p ON p.id = o.payment_id"
	 " JOIN orders ord ON ord.id = o.order_id WHERE o.id = $1"},
	{"pay_lock_id", "SELECT status FROM payments WHERE id = $1 FOR UPDATE"},
	{"pay_op_lock", "SELECT status FROM payment_ops WHERE id = $1 FOR UPDATE"},
	/* a closed intent keeps no sealed card (PCI DSS 3.2: nothing
	 * sensitive after the authorization) */
	{"pay_op_finish",
	 "UPDATE payment_ops SET status = $2, result = $3, sealed_card = NULL, updated_at = now()"
	 " WHERE id = $1 AND status = 'pending'"},
	/* back-off: 0.2 s doubling to $3 ms (pay_retry_max_ms) between attempts */
	{"pay_op_try",
	 "UPDATE payment_ops SET attempts = attempts + 1, last_error = $2, updated_at = now(),"
	 " next_at = now() + make_interval(secs => least($3::float8 / 1000,"
	 " 0.2 * power(2, least(attempts, 8))))"
	 " WHERE id = $1 AND status = 'pending'"},
	{"pay_move", "UPDATE payments SET status = $3, updated_at = now() WHERE id = $1 AND status = $2"},
	{"pay_refund_seen", "SELECT 1 FROM refunds WHERE idempotency_key = $1"},
	{"pay_refund_rec",
	 "WITH r AS (INSERT INTO refunds (payment_id, order_id, amount, reason, provider_ref,"
	 "           idempotency_key) VALUES ($1, $2, $3, $4, $5, $6))"
	 " UPDATE payments SET refunded_amount = refunded_amount + $3, updated_at = now(),"
	 " status = CASE WHEN refunded_amount + $3 = amount THEN 'refunded' ELSE status END"
	 " WHERE id = $1"},
	{"pay_ops_of_order",
	 "SELECT id FROM payment_ops WHERE order_id = $1 AND status = 'pending' ORDER BY id"},
	/* deferred authorizations are the checkout's (checkout_defer.c) */
	{"pay_ops_due",
	 "SELECT id FROM payment_ops WHERE status = 'pending' AND next_at <= now()"
	 " AND op <> 'authorize' ORDER BY id LIMIT $1"},
	/* the worker asks again after a second: the checkout that deferred
	 * it has just heard the provider fail */
	{"pay_defer_add",
	 "INSERT INTO payment_ops (payment_id, order_id, op, idempotency_key, next_at, sealed_card)"
	 " SELECT id, order_id, 'authorize', 'authorize:' || id, now() + interval '1 second', $2"
	 " FROM payments WHERE idempotency_key = $1 AND status = 'authorizing'"
	 " ON CONFLICT (idempotency_key) DO NOTHING"},
	/* the provider tokenised a sealed card: the token replaces it */
	{"pay_sealed_token",
	 "WITH s AS (UPDATE payment_ops SET sealed_card = NULL, updated_at = now()"
	 "           WHERE id = $1 AND status = 'pending' RETURNING payment_id)"
	 " UPDATE payments SET payment_method = $2, updated_at = now()"
	 " WHERE id = (SELECT payment_id FROM s) AND status = 'authorizing'"
	 " AND payment_method IS NULL"},
	/* the provider refused a sealed card (it does not open, or the card
	 * is not valid): the authorization failed, nothing was charged */
	{"pay_sealed_refused",
	 "UPDATE payments SET status = 'failed', decline_code = $2, updated_at = now()"
	 " WHERE id = (SELECT payment_id FROM payment_ops WHERE id = $1) AND status = 'authorizing'"},
	{"pay_defer_pending",
	 "SELECT 1 FROM payment_ops WHERE order_id = $1 AND op = 'authorize' AND status = 'pending'"},
	{"pay_defer_due",
	 "SELECT o.id, o.order_id, p.amount, p.payment_method, o.sealed_card FROM payment_ops o"
	 " JOIN payments p ON p.id = o.payment_id WHERE o.status = 'pending'"
	 " AND o.op = 'authorize' AND o.next_at <= now() ORDER BY o.id LIMIT $1"},
};

/* payment.h: the order-level helpers' SQL is this file's */
void pay_register(void)
{
	db_register(ops_sql, sizeof(ops_sql) / sizeof(ops_sql[0]));
	ledger_register();
	pay_seal_keys_register();
}

static bool is(db_res *p, const char *col, const char *v)
{
	const char *s = db_val(p, 0, col);
	return s && strcmp(s, v) == 0;
}

static const char *fmt(ctx *c, const char *f, int64_t id, const char *s)
{
	buf b;
	buf_init(&b, c->a, 256);
	buf_printf(&b, f, (long long)id, s ? s : "");
	return b.p;
}

static void clear_err(ctx *c)
{
	c->err_status = 0;
	c->err_code = NULL;
	c->err_msg = NULL;
}

/* ------------------------------------------------------------ authorize */

static void fill_from_row(db_res *r, pay_result *out)
{
	memset(out, 0, sizeof(*out));
	out->approved = !is(r, "status", "failed");
	out->provider_ref = db_val(r, 0, "provider_ref");
	out->decline_code = db_val(r, 0, "decline_code");
	out->brand = db_val(r, 0, "brand");
	const char *l4 = db_val(r, 0, "last4");
	snprintf(out->last4, sizeof(out->last4), "%s", l4 ? l4 : "");
}

static int record_auth(ctx *c, const char *payment_id, const pay_result *r)
{
	const char *p[] = {payment_id, r->approved ? "authorized" : "failed", r->provider_ref,
	                   r->decline_code, r->brand ? r->brand : "",
	                   r->last4[0] ? r->last4 : NULL};
	return db_exec(c, "pay_auth_result", 6, p) ? SOUK_OK : SOUK_ERR;
}

int pay_authorize_order(ctx *c, int64_t order_id, int64_t amount, const pay_card *card,
                        pay_result *out)
{
	if (db_in_tx(c->db))
		return ctx_fail(c, 500, "internal", "pay_authorize_order inside a transaction");
	const pay_provider *pv = pay_provider_get();
	const char *key = fmt(c, "auth:%lld%s", order_id, NULL);
	pay_card cd = *card;
	const char *k[] = {key};
	db_res *r = db_exec(c, "pay_by_key", 1, k);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0) {
		if (cd.sealed && (!cd.token || !*cd.token)) {
			/* sealed because the provider was just unreachable: the row
			 * is written without a token and the caller defers it */
			const char *p[] = {db_param_i64(c, order_id), pv->name, db_param_i64(c, amount), NULL,
			                   key};
			if (!db_exec(c, "pay_auth_intent", 5, p))
				return SOUK_ERR;
			return ctx_fail(c, 503, "payment_unavailable",
			                "the payment provider is not answering; the card is sealed for later");
		}
		if (!cd.token || !*cd.token) { /* the only path a raw card takes */
			pay_result t;
			if (pv->tokenize(c, &cd, &t) < 0)
				return SOUK_ERR;
			cd.token = t.provider_ref;
		}
		const char *p[] = {db_param_i64(c, order_id), pv->name, db_param_i64(c, amount), cd.token,
		                   key};
		if (!db_exec(c, "pay_auth_intent", 5, p) || !(r = db_exec(c, "pay_by_key", 1, k)))
			return SOUK_ERR;
	}
	if (!is(r, "status", "authorizing")) {
		fill_from_row(r, out); /* the first call's result */
		return SOUK_OK;
	}
	/* asked again (a deferred or unknown answer): the provider that has it */
	if (strcmp(pv->name, db_val(r, 0, "provider")) != 0)
		pv = pay_provider_named(db_val(r, 0, "provider"));
	if (pv->authorize(c, key, amount, "USD", &cd, out) < 0)
		return SOUK_ERR;
	if (record_auth(c, db_val(r, 0, "id"), out) < 0 || !(r = db_exec(c, "pay_by_key", 1, k)))
		return SOUK_ERR;
	const char *msg = out->message;
	fill_from_row(r, out);
	out->message = msg;
	return SOUK_OK;
}

/* ------------------------------------------------------------ intents */

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

static int add_op(ctx *c, db_res *p, int64_t order_id, const char *op, int64_t amount,
                  const char *reason, const char *key)
{
	const char *a[] = {db_val(p, 0, "id"), db_param_i64(c, order_id), op,
	                   db_param_i64(c, amount), reason ? reason : "", key};
	return db_exec(c, "pay_op_add", 6, a) ? SOUK_OK : SOUK_ERR;
}

/* Commits (or hands back) the intent; when this call owned the
 * transaction, runs the order's operations at once. A provider that
 * cannot be reached then is not the caller's failure: the worker retries. */
static int leave_and_run(ctx *c, bool own, int rc, int64_t order_id)
{
	rc = db_tx_leave(c, own, rc);
	if (rc < 0 || !own)
		return rc;
	if (pay_ops_run_order(c, order_id) < 0) {
		if (c->err_status != 503)
			return SOUK_ERR;
		ctx_log(c, LOG_WARN, "payment of order %lld left for the worker: %s", (long long)order_id,
		        c->err_msg ? c->err_msg : "?");
		clear_err(c);
	}
	return SOUK_OK;
}

int pay_capture_order(ctx *c, int64_t order_id, bool *done)
{
	if (done)
		*done = false;
	bool own, queued = false;
	db_res *p;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int rc = lock_payment(c, order_id, &p);
	if (rc == SOUK_OK && p && is(p, "status", "captured"))
		queued = true;
	/* Only a confirmed (or later, not cancelled) order is charged. */
	else if (rc == SOUK_OK && p && is(p, "status", "authorized") &&
	         !is(p, "order_status", "PENDING") && !is(p, "order_status", "CANCELLED")) {
		rc = add_op(c, p, order_id, "capture", 0, "",
		            fmt(c, "capture:%lld%s", db_i64(p, 0, "id"), NULL));
		queued = rc == SOUK_OK;
	}
	if (!own) {
		if (done)
			*done = queued && rc == SOUK_OK;
		return db_tx_leave(c, own, rc);
	}
	if (leave_and_run(c, own, rc, order_id) < 0)
		return SOUK_ERR;
	const char *a[] = {db_param_i64(c, order_id)};
	db_res *s = db_exec(c, "pay_status_of", 1, a);
	if (!s)
		return SOUK_ERR;
	bool captured = db_rows(s) && is(s, "status", "captured");
	if (done)
		*done = captured;
	if (captured)
		return SOUK_OK;
	db_res *op = db_exec(c, "pay_capture_op", 1, a);
	if (!op)
		return SOUK_ERR;
	if (db_rows(op) && is(op, "status", "failed"))
		return ctx_fail(c, 502, "payment_error", "the payment provider refused the capture");
	return SOUK_OK;
}

int pay_settle_cancel(ctx *c, int64_t order_id)
{
	bool own;
	db_res *p;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int rc = lock_payment(c, order_id, &p);
	if (rc == SOUK_OK && p &&
	    (is(p, "status", "authorizing") || is(p, "status", "authorized") ||
	     is(p, "status", "captured")))
		rc = add_op(c, p, order_id, "settle", 0, "cancel",
		            fmt(c, "settle:%lld%s", db_i64(p, 0, "id"), NULL));
	return leave_and_run(c, own, rc, order_id);
}

int pay_void_order(ctx *c, int64_t order_id)
{
	return pay_settle_cancel(c, order_id);
}

int pay_refund_order(ctx *c, int64_t order_id, int64_t amount, const char *reason)
{
	if (amount < 0)
		return ctx_fail(c, 400, "bad_request", "refund amount must not be negative");
	reason = reason ? reason : "refund";
	bool own;
	db_res *p;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int rc = lock_payment(c, order_id, &p);
	if (rc == SOUK_OK && p && is(p, "status", "captured")) {
		int64_t remaining = db_i64(p, 0, "amount") - db_i64(p, 0, "refunded_amount");
		if (amount > remaining)
			rc = ctx_fail(c, 409, "conflict", "refund exceeds what was captured");
		else if (remaining > 0)
			rc = add_op(c, p, order_id, "refund", amount, reason,
			            fmt(c, "refund:%lld:%s", db_i64(p, 0, "id"), reason));
	}
	return leave_and_run(c, own, rc, order_id);
}

/* ------------------------------------------------------------ running */

static const char *i64s(ctx *c, db_res *o, const char *col)
{
	return db_param_i64(c, db_i64(o, 0, col));
}

static int finish(ctx *c, db_res *o, const char *status, const char *result)
{
	const char *a[] = {db_val(o, 0, "id"), status, result};
	return db_exec(c, "pay_op_finish", 3, a) ? SOUK_OK : SOUK_ERR;
}

/* The provider could not be reached (or refused the request): the
 * operation stays pending, retried later with the same key. */
static int tried(ctx *c, db_res *o)
{
	return pay_op_postpone(c, db_i64(o, 0, "id"));
}

/* The longest wait between two attempts at an intent: 30 s, unless
 * SOUK_PAY_RETRY_MAX_MS says otherwise (the test stack's is short, so its
 * scripts see the provider's return within seconds, not half a minute). */
static int64_t pay_retry_max_ms(void)
{
	static _Atomic int64_t max_ms;
	int64_t v = atomic_load(&max_ms);
	if (!v) {
		v = cfg_env_num("SOUK_PAY_RETRY_MAX_MS", 30000, 200, 3600000);
		atomic_store(&max_ms, v);
	}
	return v;
}

int pay_op_postpone(ctx *c, int64_t op_id)
{
	int st = c->err_status;
	const char *code = c->err_code, *msg = c->err_msg;
	const char *a[] = {db_param_i64(c, op_id), msg ? msg : "?",
	                   db_param_i64(c, pay_retry_max_ms())};
	db_exec(c, "pay_op_try", 3, a);
	c->err_status = st; /* the provider's failure is the one to report */
	c->err_code = code;
	c->err_msg = msg;
	return SOUK_ERR;
}

/* Records a provider result in one transaction, once: the payment and the
 * operation locked (in the order the intents lock them), the operation
 * still pending. A refund (refund_key set) writes its refunds row, the
 * payment's refunded amount and a payment.refunded event; a capture a
 * payment.captured event. The ledger consumer books both from their
 * events (workers/ledger.c), outside this transaction, so booking does
 * not lengthen it. */
static int record(ctx *c, db_res *o, const pay_result *r, const char *from, const char *to,
                  int64_t refund_amount, const char *refund_key, const char *reason)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *pid[] = {db_val(o, 0, "payment_id")};
	const char *oid[] = {db_val(o, 0, "id")};
	db_res *l = db_exec(c, "pay_lock_id", 1, pid);
	db_res *k = l ? db_exec(c, "pay_op_lock", 1, oid) : NULL;
	int rc = k ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK && !is(k, "status", "pending")) {
		db_rollback(c); /* another runner recorded it */
		return SOUK_OK;
	}
	if (rc == SOUK_OK && !r->approved) {
		log_msg(LOG_WARN, c->rid, "payment op %s (%s) refused by the provider: %s",
		        db_val(o, 0, "op_key"), db_val(o, 0, "op"), r->decline_code ? r->decline_code : "?");
		rc = finish(c, o, "failed", r->decline_code ? r->decline_code : "refused");
	} else if (rc == SOUK_OK && refund_key) {
		const char *s[] = {refund_key};
		db_res *seen = db_exec(c, "pay_refund_seen", 1, s);
		rc = seen ? SOUK_OK : SOUK_ERR;
		if (rc == SOUK_OK && db_rows(seen) == 0) {
			const char *a[] = {pid[0], i64s(c, o, "order_id"), db_param_i64(c, refund_amount),
			                   reason, r->provider_ref, refund_key};
			rc = db_exec(c, "pay_refund_rec", 6, a) ? SOUK_OK : SOUK_ERR;
			if (rc == SOUK_OK) {
				json_object *ev = js_obj(c);
				js_str(ev, "type", "payment.refunded");
				js_i64(ev, "order_id", db_i64(o, 0, "order_id"));
				js_str(ev, "public_id", db_val(o, 0, "public_id"));
				js_i64(ev, "amount", refund_amount);
				js_str(ev, "reason", reason);
				rc = outbox_add(c, "payments", db_val(o, 0, "public_id"), ev);
			}
		}
		if (rc == SOUK_OK)
			rc = finish(c, o, "done", "refunded");
	} else if (rc == SOUK_OK) {
		const char *a[] = {pid[0], from, to};
		db_res *m = db_exec(c, "pay_move", 3, a);
		rc = m ? finish(c, o, "done", to) : SOUK_ERR;
		/* the ledger group books the capture from this (workers/ledger.c) */
		if (rc == SOUK_OK && db_affected(m) == 1 && strcmp(to, "captured") == 0) {
			json_object *ev = js_obj(c);
			js_str(ev, "type", "payment.captured");
			js_i64(ev, "order_id", db_i64(o, 0, "order_id"));
			js_str(ev, "public_id", db_val(o, 0, "public_id"));
			js_i64(ev, "amount", db_i64(o, 0, "amount"));
			rc = outbox_add(c, "payments", db_val(o, 0, "public_id"), ev);
		}
	}
	if (rc == SOUK_OK && db_commit(c) == SOUK_OK)
		return SOUK_OK;
	db_rollback(c);
	return SOUK_ERR;
}

/* Refunds `amount` (the rest when 0) under the provider key. */
static int do_refund(ctx *c, db_res *o, int64_t amount, const char *key, const char *reason)
{
	int64_t remaining = db_i64(o, 0, "amount") - db_i64(o, 0, "refunded_amount");
	int64_t amt = amount == 0 ? remaining : amount;
	if (amt <= 0)
		return finish(c, o, "skipped", "nothing left to refund");
	if (amt > remaining)
		return finish(c, o, "failed", "refund exceeds what was captured");
	pay_result r;
	const pay_provider *pv = pay_provider_named(db_val(o, 0, "provider"));
	if (pv->refund(c, key, db_val(o, 0, "provider_ref"), amt, &r) < 0)
		return tried(c, o);
	return record(c, o, &r, NULL, NULL, amt, key, reason);
}

static int run_op(ctx *c, int64_t op_id)
{
	if (db_in_tx(c->db))
		return ctx_fail(c, 500, "internal", "a payment operation must not run in a transaction");
	/* a settle may first have to finish an authorization: two rounds */
	for (int round = 0; round < 2; round++) {
		const char *a[] = {db_param_i64(c, op_id)};
		db_res *o = db_exec(c, "pay_op_get", 1, a);
		if (!o)
			return SOUK_ERR;
		if (db_rows(o) == 0 || !is(o, "status", "pending") || db_bool(o, 0, "blocked"))
			return SOUK_OK; /* done by another runner, or an earlier one goes first */
		const char *ps = db_val(o, 0, "pay_status");
		int64_t pid = db_i64(o, 0, "payment_id");
		const pay_provider *pv = pay_provider_named(db_val(o, 0, "provider"));
		pay_result r;
		if (is(o, "op", "authorize"))
			return SOUK_OK; /* checkout_defer runs it; later intents wait for it */
		if (is(o, "op", "capture")) {
			if (strcmp(ps, "captured") == 0)
				return finish(c, o, "done", "captured");
			if (strcmp(ps, "authorized") != 0 || is(o, "order_status", "PENDING") ||
			    is(o, "order_status", "CANCELLED"))
				return finish(c, o, "skipped", ps);
			if (pv->capture(c, db_val(o, 0, "op_key"), db_val(o, 0, "provider_ref"),
			                db_i64(o, 0, "amount"), &r) < 0)
				return tried(c, o);
			return record(c, o, &r, "authorized", "captured", 0, NULL, NULL);
		}
		if (is(o, "op", "refund")) {
			if (strcmp(ps, "captured") != 0)
				return finish(c, o, "skipped", ps);
			return do_refund(c, o, db_i64(o, 0, "op_amount"), db_val(o, 0, "op_key"),
			                 db_val(o, 0, "reason"));
		}
		/* settle */
		if (strcmp(ps, "authorizing") == 0) {
			/* the checkout never learnt the answer: ask again, same key */
			pay_card card = {0};
			card.token = db_val(o, 0, "payment_method");
			if (!card.token)
				return finish(c, o, "failed", "no payment method to finish the authorization");
			if (pv->authorize(c, db_val(o, 0, "auth_key"), db_i64(o, 0, "amount"), "USD", &card,
			                  &r) < 0)
				return tried(c, o);
			if (record_auth(c, db_val(o, 0, "payment_id"), &r) < 0)
				return SOUK_ERR;
			continue;
		}
		if (strcmp(ps, "authorized") == 0) {
			if (pv->void_auth(c, fmt(c, "void:%lld%s", pid, NULL), db_val(o, 0, "provider_ref"),
			                  &r) < 0)
				return tried(c, o);
			return record(c, o, &r, "authorized", "voided", 0, NULL, NULL);
		}
		if (strcmp(ps, "captured") == 0)
			return do_refund(c, o, 0, fmt(c, "refund:%lld:%s", pid, "cancel"), "cancel");
		return finish(c, o, "done", ps);
	}
	return SOUK_OK;
}

/* ------------------------------------------------------------ deferred */

int pay_defer_authorization(ctx *c, int64_t order_id, const char *sealed)
{
	const char *k[] = {fmt(c, "auth:%lld%s", order_id, NULL), sealed};
	bool pending = false;
	if (!db_exec(c, "pay_defer_add", 2, k) || pay_authorization_deferred(c, order_id, &pending) < 0)
		return SOUK_ERR;
	/* no 'authorizing' payment (its row was never written): nothing to defer */
	return pending ? SOUK_OK
	               : ctx_fail(c, 503, "payment_unavailable",
	                          "the payment could not be started; please try again");
}

int pay_authorization_deferred(ctx *c, int64_t order_id, bool *pending)
{
	const char *a[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "pay_defer_pending", 1, a);
	if (!r)
		return SOUK_ERR;
	*pending = db_rows(r) > 0;
	return SOUK_OK;
}

db_res *pay_deferred_due(ctx *c, int max)
{
	const char *a[] = {db_param_i64(c, max)};
	return db_exec(c, "pay_defer_due", 1, a);
}

int pay_sealed_tokenised(ctx *c, int64_t op_id, const char *token)
{
	const char *a[] = {db_param_i64(c, op_id), token};
	return db_exec(c, "pay_sealed_token", 2, a) ? SOUK_OK : SOUK_ERR;
}

int pay_sealed_refused(ctx *c, int64_t op_id, const char *decline_code)
{
	const char *a[] = {db_param_i64(c, op_id), decline_code};
	return db_exec(c, "pay_sealed_refused", 2, a) ? SOUK_OK : SOUK_ERR;
}

int pay_op_lock_pending(ctx *c, int64_t op_id, bool *pending)
{
	const char *a[] = {db_param_i64(c, op_id)};
	db_res *r = db_exec(c, "pay_op_lock", 1, a);
	if (!r)
		return SOUK_ERR;
	*pending = db_rows(r) > 0 && is(r, "status", "pending");
	return SOUK_OK;
}

int pay_op_done(ctx *c, int64_t op_id, const char *result)
{
	const char *a[] = {db_param_i64(c, op_id), "done", result};
	return db_exec(c, "pay_op_finish", 3, a) ? SOUK_OK : SOUK_ERR;
}

int pay_ops_run_order(ctx *c, int64_t order_id)
{
	const char *a[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "pay_ops_of_order", 1, a);
	if (!r)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(r); i++)
		if (run_op(c, db_i64(r, i, "id")) < 0)
			return SOUK_ERR;
	return SOUK_OK;
}

int pay_ops_run_due(ctx *c, int max, int *ran)
{
	*ran = 0;
	const char *a[] = {db_param_i64(c, max)};
	db_res *r = db_exec(c, "pay_ops_due", 1, a);
	if (!r)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(r); i++) {
		int64_t id = db_i64(r, i, "id");
		if (run_op(c, id) < 0) {
			log_msg(LOG_INFO, c->rid, "payments: operation %lld not done yet: %s", (long long)id,
			        c->err_msg ? c->err_msg : "?");
			if (db_in_tx(c->db))
				db_rollback(c);
			clear_err(c);
		}
		(*ran)++;
	}
	return SOUK_OK;
}
