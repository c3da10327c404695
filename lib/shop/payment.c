/* payment: card checks and the order-level payment helpers over the
 * provider interface. */
#include "shop/payment.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"

void pay_sandbox_register(void); /* pay_sandbox.c */

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
	pay_sandbox_register();
}

const pay_provider *pay_provider_get(void)
{
	return &pay_sandbox;
}

bool pay_luhn_ok(const char *d)
{
	size_t n = d ? strlen(d) : 0;
	if (n < 12 || n > 19)
		return false;
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = d[n - 1 - i];
		if (ch < '0' || ch > '9')
			return false;
		int v = ch - '0';
		if (i % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

static bool prefix_in(const char *d, int digits, int lo, int hi)
{
	int v = 0;
	for (int i = 0; i < digits; i++) {
		if (d[i] < '0' || d[i] > '9')
			return false;
		v = v * 10 + (d[i] - '0');
	}
	return v >= lo && v <= hi;
}

const char *pay_card_brand(const char *d)
{
	if (!d || strlen(d) < 4)
		return "card";
	if (d[0] == '4')
		return "visa";
	if (prefix_in(d, 2, 51, 55) || prefix_in(d, 4, 2221, 2720))
		return "mastercard";
	if (prefix_in(d, 2, 34, 34) || prefix_in(d, 2, 37, 37))
		return "amex";
	if (prefix_in(d, 4, 6011, 6011) || prefix_in(d, 2, 65, 65))
		return "discover";
	return "card";
}

int pay_card_check(ctx *c, const pay_card *card, int now_year, int now_month,
                   const char **digits, char last4[5])
{
	const char *num = card->number ? card->number : "";
	size_t n = strlen(num);
	if (n > 40)
		return ctx_fail_field(c, 400, "bad_card", "card_number",
		                      "payment.card_number is too long");
	char *d = arena_alloc(c->a, n + 1);
	if (!d)
		return ctx_fail(c, 500, "internal", "request too large");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (num[i] == ' ' || num[i] == '-')
			continue;
		if (num[i] < '0' || num[i] > '9')
			return ctx_fail_field(c, 400, "bad_card", "card_number",
			                      "payment.card_number must contain only digits");
		d[k++] = num[i];
	}
	d[k] = '\0';
	if (k < 12 || k > 19)
		return ctx_fail_field(c, 400, "bad_card", "card_number",
		                      "payment.card_number must have 12 to 19 digits");
	if (!pay_luhn_ok(d))
		return ctx_fail_field(c, 400, "bad_card", "card_number",
		                      "payment.card_number is not a valid card number");
	if (card->exp_month < 1 || card->exp_month > 12)
		return ctx_fail_field(c, 400, "bad_card", "exp_month",
		                      "payment.exp_month must be from 1 to 12");
	if (card->exp_year < 2000 || card->exp_year > 2100)
		return ctx_fail_field(c, 400, "bad_card", "exp_year",
		                      "payment.exp_year must be a four-digit year");
	if (card->exp_year < now_year || (card->exp_year == now_year && card->exp_month < now_month))
		return ctx_fail_field(c, 400, "bad_card", "exp_month", "the card has expired");
	const char *cvc = card->cvc ? card->cvc : "";
	size_t cl = strlen(cvc);
	bool cvc_ok = cl == 3 || cl == 4;
	for (size_t i = 0; i < cl; i++)
		cvc_ok = cvc_ok && cvc[i] >= '0' && cvc[i] <= '9';
	if (!cvc_ok)
		return ctx_fail_field(c, 400, "bad_card", "cvc",
		                      "payment.cvc must be 3 or 4 digits");
	if (digits)
		*digits = d;
	if (last4)
		snprintf(last4, 5, "%s", d + k - 4);
	return SOUK_OK;
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
