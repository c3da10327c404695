/* checkout: one function from cart to confirmed (or declined) order. */
#include "shop/checkout.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/digest.h"
#include "store/db.h"
#include "shop/inventory.h"
#include "core/js.h"
#include "core/log.h"
#include "shop/order.h"
#include "shop/outbox.h"
#include "shop/pay_seal.h"
#include "shop/pay_seal_keys.h"
#include "shop/shipment.h"
#include "core/rnd.h"
#include "shop/throttle.h"
#include "http/req.h"

#define CHECKOUT_TX_TRIES 6

const char *const checkout_shipping_methods[] = {"standard", "express", NULL};

static const db_stmt checkout_sql[] = {
	/* A key is the caller's (scope) and lives 24 hours. */
	{"checkout_find",
	 "SELECT o.id, o.public_id, o.access_token, o.status, o.total, o.request_hash,"
	 " (SELECT p.decline_code FROM payments p WHERE p.order_id = o.id ORDER BY p.id DESC"
	 "  LIMIT 1) AS decline_code,"
	 " (SELECT e.note FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'CANCELLED'"
	 "  ORDER BY e.id DESC LIMIT 1) AS cancel_note"
	 " FROM orders o WHERE o.idempotency_scope = $1 AND o.idempotency_key = $2"
	 " AND o.created_at > now() - interval '24 hours'"},
	/* An expired key is free again: its old order lets go of it. */
	{"checkout_expire_key",
	 "UPDATE orders SET idempotency_key = NULL WHERE idempotency_scope = $1"
	 " AND idempotency_key = $2 AND created_at <= now() - interval '24 hours'"},
	/* Insert first: a concurrent duplicate waits here on the unique key
	 * and then finds the winner's order instead of making a second one. */
	{"checkout_insert",
	 "INSERT INTO orders (public_id, access_token, user_id, email, subtotal, shipping, tax,"
	 " total, shipping_method, address, idempotency_key, idempotency_scope, request_hash)"
	 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)"
	 " ON CONFLICT (idempotency_scope, idempotency_key) DO NOTHING RETURNING id"},
	/* Snapshots of title/variant/seller/commission at the server price
	 * the totals were computed from. */
	{"checkout_items",
	 "INSERT INTO order_items (order_id, sku_id, seller_id, product_id, title, variant,"
	 " unit_price, qty, commission_bps, fulfillment)"
	 " SELECT $1, o.id, o.seller_id, v.product_id, p.title,"
	 "  concat_ws(', ', CASE WHEN v.size <> '' THEN 'Size ' || v.size END, NULLIF(v.color, '')),"
	 "  a.price, a.q, COALESCE(s.commission_override_bps, cat.commission_bps), o.fulfillment"
	 " FROM unnest($2::bigint[], $3::int[], $4::bigint[]) AS a(sku, q, price)"
	 " JOIN offers o ON o.id = a.sku JOIN product_variants v ON v.id = o.variant_id"
	 " JOIN products p ON p.id = v.product_id JOIN sellers s ON s.id = o.seller_id"
	 " JOIN categories cat ON cat.id = p.category_id"
	 " ORDER BY o.id"},
	{"checkout_lock", "SELECT status, public_id FROM orders WHERE id = $1 FOR UPDATE"},
	/* an order given up because the provider was down frees its key */
	{"checkout_free_key",
	 "UPDATE orders SET idempotency_key = idempotency_key || ':unavailable:' || id WHERE id = $1"},
	/* a declined payment is not a cancellation the admin must look at:
	 * the reason lets the admin list hide those */
	{"checkout_declined", "UPDATE orders SET cancel_reason = 'payment declined' WHERE id = $1"},
};

void checkout_register(void)
{
	cart_register();
	inv_register();
	pay_register();
	order_register();
	shipment_register();
	db_register(checkout_sql, sizeof(checkout_sql) / sizeof(checkout_sql[0]));
}

int64_t checkout_shipping_cost(const char *method, int64_t subtotal)
{
	if (!method || strcmp(method, "standard") == 0)
		return subtotal >= CHECKOUT_FREE_SHIPPING_FROM ? 0 : CHECKOUT_STANDARD_CENTS;
	if (strcmp(method, "express") == 0)
		return CHECKOUT_EXPRESS_CENTS;
	return -1;
}

int64_t checkout_tax(int64_t subtotal, int tax_bps)
{
	return (subtotal * tax_bps + 5000) / 10000;
}

int checkout_quote(ctx *c, const cart *k, const char *method, checkout_totals *out)
{
	int64_t ship = checkout_shipping_cost(method, k->subtotal);
	if (ship < 0)
		return ctx_fail(c, 400, "bad_request", "shipping_method must be standard or express");
	out->subtotal = k->subtotal;
	out->shipping = ship;
	out->tax = checkout_tax(k->subtotal, c->cfg->tax_bps);
	out->total = out->subtotal + out->shipping + out->tax;
	return SOUK_OK;
}

/* 1..max bytes, valid UTF-8, no control characters. */
static bool text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max || !utf8_valid((str){s, n}))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool email_ok(const char *e)
{
	if (!text_ok(e, 254))
		return false;
	const char *at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return false;
	for (const char *p = e; *p; p++)
		if (*p == ' ')
			return false;
	const char *last = e + strlen(e) - 1;
	return *last != '.' && at[1] != '.';
}

int checkout_validate(ctx *c, const checkout_req *rq)
{
	if (!rq->hold && (!rq->cart_id || !cart_id_valid(str_c(rq->cart_id))))
		return ctx_fail(c, 400, "bad_request", "cart_id is missing or malformed");
	if (!email_ok(rq->email))
		return ctx_fail(c, 400, "bad_request", "email must be a valid address");
	const struct {
		const char *name, *v;
		size_t max;
	} f[] = {{"shipping_address.name", rq->addr.name, 200},
	         {"shipping_address.line1", rq->addr.line1, 200},
	         {"shipping_address.city", rq->addr.city, 100},
	         {"shipping_address.postal_code", rq->addr.postal_code, 20}};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!text_ok(f[i].v, f[i].max))
			return ctx_fail(c, 400, "bad_request", "%s is required (at most %zu characters)",
			                f[i].name, f[i].max);
	if (rq->addr.line2 && *rq->addr.line2 && !text_ok(rq->addr.line2, 200))
		return ctx_fail(c, 400, "bad_request", "shipping_address.line2 is malformed");
	const char *cc = rq->addr.country;
	if (!cc || strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return ctx_fail(c, 400, "bad_request",
		                "shipping_address.country must be a two-letter code such as US");
	if (checkout_shipping_cost(rq->shipping_method, 0) < 0)
		return ctx_fail(c, 400, "bad_request", "shipping_method must be standard or express");
	const char *k = rq->idempotency_key;
	size_t kl = k ? strlen(k) : 0;
	if (kl < 8 || kl > 128)
		return ctx_fail(c, 400, "bad_request", "the idempotency key must be 8 to 128 characters");
	for (size_t i = 0; i < kl; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return ctx_fail(c, 400, "bad_request", "the idempotency key must be printable ASCII");
	if (rq->card.token)
		return pay_token_ok(rq->card.token)
		           ? SOUK_OK
		           : ctx_fail(c, 400, "bad_card", "payment.payment_method is not a payment method");
	if (rq->card.sealed) /* the storefront's, sealed at its payment step */
		return pay_seal_key_of(c, rq->card.sealed)
		           ? SOUK_OK
		           : ctx_fail(c, 400, "bad_card", "the card is not a sealed card");
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return pay_card_check(c, &rq->card, tm.tm_year + 1900, tm.tm_mon + 1, NULL, NULL);
}

static bool retryable(ctx *c)
{
	const char *s = db_sqlstate(c->db);
	return strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0;
}

static void backoff(int attempt)
{
	/* spread the retries of colliding processes apart */
	unsigned r = (unsigned)getpid() * 2654435761u + (unsigned)attempt * 40503u;
	usleep((useconds_t)((attempt + 1) * 3000 + (int)(r % 5000)));
}

static void fill_found(db_res *r, checkout_result *out)
{
	out->order_id = db_i64(r, 0, "id");
	out->public_id = db_val(r, 0, "public_id");
	out->access_token = db_val(r, 0, "access_token");
	out->status = db_val(r, 0, "status");
	out->decline_code = db_val(r, 0, "decline_code");
	out->cancel_note = db_val(r, 0, "cancel_note");
}

static db_res *find(ctx *c, const char *scope, const char *key)
{
	const char *p[] = {scope, key};
	return db_exec(c, "checkout_find", 2, p);
}

const char *checkout_scope(ctx *c, const checkout_req *rq)
{
	const char *caller = cart_caller(c);
	if (caller)
		return caller;
	/* no session: the cart's holder (its id is the capability; stored
	 * hashed like a session id) */
	const char *cart = rq->cart_id ? rq->cart_id : "";
	const char *h = digest_sha256_hex(c->a, cart, strlen(cart));
	if (!h)
		return NULL;
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "c:%s", h);
	return b.failed ? NULL : b.p;
}

/* What identifies the card for the card-testing throttle: its number, or
 * the payment method it was tokenised into, or, for a card sealed while
 * the provider was down, a digest of the blob (the storefront places
 * orders with one of these). Like a token, a sealed card is new for every
 * sealing; the throttle keeps the digits of what it is given, at most 32,
 * and a blob has hundreds: 24 hex characters of its SHA-256. */
static const char *card_identity(ctx *c, const pay_card *card)
{
	if (card->number && *card->number)
		return card->number;
	if (card->token || !card->sealed)
		return card->token;
	const char *h = digest_sha256_hex(c->a, card->sealed, strlen(card->sealed));
	return h ? arena_strndup(c->a, h, 24) : NULL;
}

const char *checkout_fingerprint(ctx *c, const checkout_req *rq)
{
	char uid[24], em[8], ey[8];
	snprintf(uid, sizeof(uid), "%lld", (long long)rq->user_id);
	snprintf(em, sizeof(em), "%d", rq->card.exp_month);
	snprintf(ey, sizeof(ey), "%d", rq->card.exp_year);
	/* Every field that shapes the order, in this fixed order, defaults
	 * filled in (so an omitted method equals "standard"). */
	const char *const f[][2] = {
		{"cart_id", rq->cart_id},
		{"user_id", uid},
		{"email", rq->email},
		{"shipping_method", rq->shipping_method ? rq->shipping_method : "standard"},
		{"name", rq->addr.name},
		{"line1", rq->addr.line1},
		{"line2", rq->addr.line2},
		{"city", rq->addr.city},
		{"postal_code", rq->addr.postal_code},
		{"country", rq->addr.country},
		{"card_number", rq->card.number},
		{"exp_month", em},
		{"exp_year", ey},
		{"cvc", rq->card.cvc},
	};
	buf b;
	buf_init(&b, c->a, 0);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *v = f[i][1] ? f[i][1] : "";
		buf_printf(&b, "%s:%zu:%s\n", f[i][0], strlen(v), v); /* length-prefixed: unambiguous */
	}
	/* a tokenised card (payment_method) is part of the request too; only
	 * when given, so a card request's fingerprint is as before */
	if (rq->card.token && *rq->card.token)
		buf_printf(&b, "payment_method:%zu:%s\n", strlen(rq->card.token), rq->card.token);
	if (rq->card.sealed && *rq->card.sealed)
		buf_printf(&b, "sealed_card:%zu:%s\n", strlen(rq->card.sealed), rq->card.sealed);
	if (rq->hold)
		buf_printf(&b, "hold:%lld:%lld:%lld\n", (long long)rq->hold->sku_id,
		           (long long)rq->hold->qty, (long long)rq->hold->unit_price);
	return b.failed ? NULL : digest_sha256_hex(c->a, b.p, b.len);
}

static const char *decline_text(const char *code)
{
	if (!code)
		return "The payment could not be completed.";
	if (strcmp(code, "insufficient_funds") == 0)
		return "Your card has insufficient funds.";
	if (strcmp(code, "expired_card") == 0)
		return "Your card has expired.";
	return "Your card was declined.";
}

/* The provider could not be reached during the authorization: hold
 * nothing for an answer that may never come. The stock is released and
 * the order cancelled with its idempotency key freed (the client's retry
 * with the same key is a new attempt), and a settle intent is left: the
 * worker asks the provider again with the authorization's key and voids
 * whatever it did. The 503 (Retry-After) stands. */
static int give_up(ctx *c, const checkout_req *rq, checkout_result *out)
{
	int st = c->err_status;
	const char *code = c->err_code, *msg = c->err_msg;
	ctx_clear(c);
	for (int attempt = 0; attempt < CHECKOUT_TX_TRIES; attempt++) {
		if (db_begin(c) < 0)
			break;
		const char *p[] = {db_param_i64(c, out->order_id)};
		db_res *o = db_exec(c, "checkout_lock", 1, p);
		int rc = o ? SOUK_OK : SOUK_ERR, n;
		bool pending = rc == SOUK_OK && strcmp(db_val(o, 0, "status"), "PENDING") == 0;
		if (pending)
			rc = rq->hold ? rq->hold->give(c, out->order_id, rq->hold->arg)
			              : inv_release_order(c, out->order_id, &n);
		if (pending && rc == SOUK_OK)
			rc = order_transition(c, out->order_id, ORDER_CANCELLED, rq->actor,
			                      "payment provider unavailable");
		if (pending && rc == SOUK_OK)
			rc = db_exec(c, "checkout_free_key", 1, p) ? SOUK_OK : SOUK_ERR;
		if (pending && rc == SOUK_OK)
			rc = pay_settle_cancel(c, out->order_id);
		if (rc == SOUK_OK && db_commit(c) == SOUK_OK)
			break;
		db_rollback(c);
		if (!retryable(c))
			break;
		ctx_clear(c);
		backoff(attempt);
	}
	if (c->err_status)
		ctx_log(c, LOG_ERROR, "checkout: order %lld not released after the provider failed: %s",
		        (long long)out->order_id, c->err_msg ? c->err_msg : "?");
	else if (!db_in_tx(c->db) && pay_ops_run_order(c, out->order_id) < 0)
		ctx_log(c, LOG_INFO, "checkout: order %lld: its authorization is left for the worker",
		        (long long)out->order_id);
	c->err_status = st;
	c->err_code = code;
	c->err_msg = msg;
	out->outcome = CHECKOUT_FAILED;
	out->status = NULL;
	return SOUK_ERR;
}

/* The cancel event's note of a declined payment: the reason the admin
 * reads, then the provider's code ("payment declined (card_declined)"). */
static const char *decline_note(ctx *c, const char *code)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "payment declined (%s)", code ? code : "declined");
	return b.failed ? "payment declined" : b.p;
}

/* The shopper learns a deferred decline by mail (notifications:
 * payment.declined); the checkout's own decline is told on the spot. */
static int declined_event(ctx *c, int64_t order_id, const char *public_id, const char *code)
{
	json_object *ev = js_obj(c);
	js_str(ev, "type", "payment.declined");
	js_i64(ev, "order_id", order_id);
	js_str(ev, "public_id", public_id);
	js_str(ev, "decline_code", code ? code : "declined");
	return outbox_add(c, "payments", public_id, ev);
}

/* One try of the decision transaction (see checkout_decide). */
static int decide_once(ctx *c, int64_t order_id, const checkout_hold *hold, const char *actor,
                       const pay_result *pr, int64_t defer_op, const char **status)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *o = db_exec(c, "checkout_lock", 1, p);
	if (!o)
		return SOUK_ERR;
	if (db_rows(o) == 0) /* it was created by this checkout */
		return ctx_fail(c, 500, "internal", "the order of this checkout is gone");
	bool open = true;
	if (defer_op && pay_op_lock_pending(c, defer_op, &open) < 0)
		return SOUK_ERR;
	if (!open) { /* another runner decided it */
		*status = NULL;
		return SOUK_OK;
	}
	*status = db_val(o, 0, "status");
	int n = 0, rc = SOUK_OK;
	if (strcmp(*status, "PENDING") != 0) {
		/* The expiry (or a cancel) came first and released the stock:
		 * whatever was authorized is given back (a settle intent, run
		 * after the commit or by the worker). */
		if (pr->approved && strcmp(*status, "CANCELLED") == 0)
			rc = pay_settle_cancel(c, order_id);
	} else if (pr->approved) {
		rc = hold ? SOUK_OK : inv_commit_order(c, order_id, &n);
		if (rc == SOUK_OK && n == 0 && !hold)
			rc = ctx_fail(c, 500, "internal", "order has no held reservations");
		if (rc == SOUK_OK)
			rc = order_transition(c, order_id, ORDER_CONFIRMED, actor,
			                      defer_op ? "payment authorized (deferred)"
			                               : "payment authorized");
		*status = "CONFIRMED";
	} else {
		rc = hold ? hold->give(c, order_id, hold->arg) : inv_release_order(c, order_id, &n);
		if (rc == SOUK_OK)
			rc = order_transition(c, order_id, ORDER_CANCELLED, actor,
			                      decline_note(c, pr->decline_code));
		if (rc == SOUK_OK)
			rc = db_exec(c, "checkout_declined", 1, p) ? SOUK_OK : SOUK_ERR;
		if (rc == SOUK_OK && defer_op)
			rc = declined_event(c, order_id, db_val(o, 0, "public_id"), pr->decline_code);
		*status = "CANCELLED";
	}
	if (rc == SOUK_OK && defer_op)
		rc = pay_op_done(c, defer_op, pr->approved ? "authorized" : "declined");
	return rc;
}

int checkout_decide(ctx *c, int64_t order_id, const checkout_hold *hold, const char *actor,
                    const pay_result *pr, int64_t defer_op, const char **status)
{
	for (int attempt = 0;; attempt++) {
		if (db_begin(c) < 0)
			return SOUK_ERR;
		int rc = decide_once(c, order_id, hold, actor, pr, defer_op, status);
		if (rc == SOUK_OK && db_commit(c) == SOUK_OK)
			return SOUK_OK;
		db_rollback(c);
		if (!retryable(c) || attempt + 1 >= CHECKOUT_TX_TRIES)
			return SOUK_ERR;
		ctx_clear(c);
		backoff(attempt);
	}
}

/* The provider could not be reached for a checkout paying with a payment
 * method or a sealed card: the order is taken anyway (docs/BUYING.md, "Provider down:
 * deferred authorization"). It stays PENDING with its stock held and its
 * payment 'authorizing'; an 'authorize' intent makes the worker ask again
 * with the same key until the provider answers. The cart is cleared: the
 * order exists. If even the intent cannot be written (the database is
 * failing too), the 503 stands and the order is left as a crashed
 * checkout's would be (the expiry releases it). */
static int defer(ctx *c, const checkout_req *rq, checkout_result *out)
{
	ctx_log(c, LOG_WARN, "checkout: order %lld: provider unavailable (%s); authorization deferred",
	        (long long)out->order_id, c->err_msg ? c->err_msg : "?");
	int st = c->err_status;
	const char *code = c->err_code, *msg = c->err_msg;
	ctx_clear(c);
	if (pay_defer_authorization(c, out->order_id, rq->card.sealed) < 0) {
		c->err_status = st;
		c->err_code = code;
		c->err_msg = msg;
		return SOUK_ERR;
	}
	out->outcome = CHECKOUT_PENDING;
	out->status = "PENDING";
	if (rq->cart_id && cart_clear(c, rq->cart_id) < 0) {
		ctx_log(c, LOG_WARN, "checkout: order %lld taken but the cart was not cleared",
		        (long long)out->order_id);
		ctx_clear(c);
	}
	return SOUK_OK;
}

/* Payment, then confirm or decline. The provider is called with no
 * transaction open; the confirm transaction commits the reservations only
 * while the order is still PENDING under its row lock, which the expiry
 * also needs (it skips locked orders), so exactly one of them wins.
 * deferrable: the checkout pays with a token or a sealed card (a card number
 * is never kept, so without a key to seal it a checkout cannot wait for a
 * provider that is down). */
static int settle(ctx *c, const checkout_req *rq, const char *card_id, int64_t total,
                  bool deferrable, checkout_result *out)
{
	pay_result pr;
	if (pay_authorize_order(c, out->order_id, total, &rq->card, &pr) < 0) {
		if (c->err_status != 503)
			return SOUK_ERR;
		return deferrable && !rq->hold ? defer(c, rq, out) : give_up(c, rq, out);
	}
	const char *status = NULL;
	if (checkout_decide(c, out->order_id, rq->hold, rq->actor, &pr, 0, &status) < 0)
		return SOUK_ERR;
	out->status = status;
	if (!pr.approved) {
		const char *tk[3] = {0}; /* card testing: count the decline */
		if (throttle_card_keys(c, rq->cart_id, card_id, tk) == SOUK_OK)
			throttle_card_declined(c, tk);
		out->outcome = CHECKOUT_DECLINED;
		out->decline_code = pr.decline_code;
		out->decline_message = pr.message ? pr.message : decline_text(pr.decline_code);
		return ctx_fail(c, 402, "payment_declined", "%s", out->decline_message);
	}
	if (strcmp(status, "CANCELLED") == 0) {
		/* The expiry (or a cancel) won: release already happened there;
		 * give the authorization back. */
		if (pay_void_order(c, out->order_id) < 0)
			return SOUK_ERR;
		out->outcome = CHECKOUT_EXPIRED;
		return ctx_fail(c, 409, "reservation_expired",
		                "the reservation expired before the payment completed; the "
		                "authorization was voided and nothing was charged");
	}
	if (strcmp(status, "CONFIRMED") == 0 && rq->cart_id && !rq->hold &&
	    cart_clear(c, rq->cart_id) < 0) {
		ctx_log(c, LOG_WARN, "checkout: order %lld confirmed but the cart was not cleared",
		        (long long)out->order_id);
		ctx_clear(c); /* the order stands; a stale cart is not worth a failure */
	}
	return SOUK_OK;
}

/* The key was seen before: answer with that order, finishing its payment
 * first if the first request stopped half-way (crash, or still running).
 * Only for the same request: another body under the key learns nothing. */
static int replay(ctx *c, const checkout_req *rq, const char *fp, db_res *found,
                  checkout_result *out)
{
	const char *was = db_val(found, 0, "request_hash");
	if (!was || strcmp(was, fp) != 0)
		return ctx_fail(c, 422, "idempotency_mismatch",
		                "this Idempotency-Key was already used with a different request; "
		                "send a new key for a new checkout");
	fill_found(found, out);
	out->outcome = CHECKOUT_REPLAYED; /* settle changes it on decline/expiry */
	if (strcmp(out->status, "PENDING") != 0) {
		if (strcmp(out->status, "CANCELLED") == 0 && out->decline_code)
			out->decline_message = decline_text(out->decline_code);
		return SOUK_OK;
	}
	/* a deferred authorization is the worker's: answer that it is pending */
	bool deferred = false;
	if (pay_authorization_deferred(c, out->order_id, &deferred) < 0)
		return SOUK_ERR;
	if (deferred)
		return SOUK_OK;
	bool deferrable = (rq->card.token && *rq->card.token) || rq->card.sealed;
	return settle(c, rq, card_identity(c, &rq->card), db_i64(found, 0, "total"), deferrable, out);
}

static const char *address_json(ctx *c, const checkout_address *a)
{
	json_object *o = js_obj(c);
	js_str(o, "name", a->name);
	js_str(o, "line1", a->line1);
	js_str(o, "line2", a->line2 ? a->line2 : "");
	js_str(o, "city", a->city);
	js_str(o, "postal_code", a->postal_code);
	js_str(o, "country", a->country);
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

int checkout_place(ctx *c, const checkout_req *rq, checkout_result *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = CHECKOUT_FAILED;
	if (checkout_validate(c, rq) < 0)
		return SOUK_ERR;
	const char *scope = checkout_scope(c, rq), *fp = checkout_fingerprint(c, rq);
	if (!scope || !fp)
		return ctx_fail(c, 500, "internal", "the request could not be fingerprinted");
	db_res *found = find(c, scope, rq->idempotency_key);
	if (!found)
		return SOUK_ERR;
	if (db_rows(found))
		return replay(c, rq, fp, found, out);
	const char *tk[3] = {0}; /* card testing: refuse before anything is reserved */
	if (throttle_card_keys(c, rq->cart_id, card_identity(c, &rq->card), tk) < 0)
		return ctx_fail(c, 500, "internal", "the card could not be fingerprinted");
	if (throttle_card_check(c, tk) < 0)
		return SOUK_ERR;
	if (rq->hold && rq->hold->claim && rq->hold->claim(c, rq->hold->arg) < 0)
		return SOUK_ERR;
	const char *xp[] = {scope, rq->idempotency_key};
	if (!db_exec(c, "checkout_expire_key", 2, xp))
		return SOUK_ERR;

	cart k;
	cart_line hl;
	if (rq->hold) { /* one line, priced by the caller */
		hl = (cart_line){.sku_id = rq->hold->sku_id, .qty = (int)rq->hold->qty,
		                 .unit_price = rq->hold->unit_price, .active = true,
		                 .line_total = rq->hold->unit_price * rq->hold->qty};
		k = (cart){.lines = &hl, .nlines = 1, .count = hl.qty, .subtotal = hl.line_total};
	} else if (cart_get(c, rq->cart_id, &k) < 0)
		return SOUK_ERR;
	if (k.count == 0 && !k.has_inactive)
		return ctx_fail(c, 400, "empty_cart", "the cart is empty");
	for (int i = 0; i < k.nlines; i++)
		if (!k.lines[i].active)
			return ctx_fail(c, 400, "unknown_sku",
			                "sku %lld in the cart is no longer sold; remove it first",
			                (long long)k.lines[i].sku_id);
	checkout_totals t;
	const char *method = rq->shipping_method ? rq->shipping_method : "standard";
	if (checkout_quote(c, &k, method, &t) < 0)
		return SOUK_ERR;

	inv_line *lines = arena_alloc(c->a, sizeof(*lines) * (size_t)k.nlines);
	buf skus, qtys, prices;
	buf_init(&skus, c->a, 0);
	buf_init(&qtys, c->a, 0);
	buf_init(&prices, c->a, 0);
	if (!lines)
		return ctx_fail(c, 500, "internal", "request too large");
	for (int i = 0; i < k.nlines; i++) {
		const cart_line *l = &k.lines[i];
		lines[i] = (inv_line){l->sku_id, l->qty};
		const char *sep = i ? "," : "{";
		buf_printf(&skus, "%s%lld", sep, (long long)l->sku_id);
		buf_printf(&qtys, "%s%d", sep, l->qty);
		buf_printf(&prices, "%s%lld", sep, (long long)l->unit_price);
	}
	buf_putc(&skus, '}');
	buf_putc(&qtys, '}');
	buf_putc(&prices, '}');
	/* a cut array would insert other lines than the cart's */
	if (skus.failed || qtys.failed || prices.failed)
		return ctx_fail(c, 500, "internal", "request too large");

	/* A decline is counted under the card as the check above saw it, not
	 * under the token it becomes (a new one per tokenisation). */
	const char *card_id = card_identity(c, &rq->card);
	/* The card goes to the provider before anything is written: from
	 * here on only its token travels, or, while the provider cannot be
	 * reached, the card sealed with its public key (pay_seal_keys_tokenize;
	 * the storefront's payment step sealed it already). */
	checkout_req tok = *rq;
	pay_result pm;
	if (!tok.card.token && pay_seal_keys_tokenize(c, &rq->card, !rq->hold, &pm, &tok.card) < 0)
		return SOUK_ERR;
	rq = &tok;
	/* a token (the request's, or the provider's for the card number just
	 * now) or a sealed card (only the provider can open it) may wait for
	 * a provider that is down; a hold may not (settle) */
	bool deferrable = (rq->card.token && *rq->card.token) || rq->card.sealed;

	const char *public_id = rnd_hex(c->a, 10), *token = rnd_hex(c->a, 32);
	if (!public_id || !token)
		return ctx_fail(c, 500, "internal", "no randomness");
	const char *addr = address_json(c, &rq->addr);

	for (int attempt = 0;; attempt++) {
		if (db_begin(c) < 0)
			return SOUK_ERR;
		const char *p[] = {public_id, token, rq->user_id ? db_param_i64(c, rq->user_id) : NULL,
		                   rq->email, db_param_i64(c, t.subtotal), db_param_i64(c, t.shipping),
		                   db_param_i64(c, t.tax), db_param_i64(c, t.total), method, addr,
		                   rq->idempotency_key, scope, fp};
		db_res *ins = db_exec(c, "checkout_insert", 13, p);
		if (ins && db_rows(ins) == 0) {
			/* A concurrent request with this key committed first. */
			db_rollback(c);
			found = find(c, scope, rq->idempotency_key);
			if (!found)
				return SOUK_ERR;
			if (db_rows(found))
				return replay(c, rq, fp, found, out);
			if (attempt + 1 >= CHECKOUT_TX_TRIES) /* cannot happen: the row committed */
				return ctx_fail(c, 503, "retry", "the checkout was busy, please try again");
			continue;
		}
		int rc = ins ? SOUK_OK : SOUK_ERR;
		int64_t id = rc == SOUK_OK ? db_i64(ins, 0, "id") : 0;
		if (rc == SOUK_OK) {
			const char *ip[] = {db_param_i64(c, id), skus.p, qtys.p, prices.p};
			rc = db_exec(c, "checkout_items", 4, ip) ? SOUK_OK : SOUK_ERR;
		}
		if (rc == SOUK_OK)
			rc = shipment_split_order(c, id);
		inv_short sh = {0, 0, 0};
		if (rc == SOUK_OK)
			rc = rq->hold ? rq->hold->take(c, id, rq->hold->arg)
			              : inv_reserve(c, id, lines, k.nlines, INV_HOLD_SECONDS, &sh);
		if (rc == SOUK_OK)
			rc = order_record_created(c, id, rq->actor);
		if (rc == SOUK_OK && db_commit(c) == SOUK_OK) {
			out->order_id = id;
			out->public_id = public_id;
			out->access_token = token;
			out->status = "PENDING";
			break;
		}
		db_rollback(c);
		if (sh.sku_id) {
			out->outcome = CHECKOUT_OUT_OF_STOCK;
			out->short_sku = sh.sku_id;
			out->short_wanted = sh.wanted;
			out->short_available = sh.available;
			return SOUK_ERR;
		}
		if (!retryable(c) || attempt + 1 >= CHECKOUT_TX_TRIES)
			return SOUK_ERR;
		ctx_clear(c);
		backoff(attempt);
	}
	out->outcome = CHECKOUT_CONFIRMED;
	int rc = settle(c, rq, card_id, t.total, deferrable, out);
	return rc;
}
