/* order: the transition table, events + outbox, reads and actions. */
#include "shop/order.h"

#include <assert.h>
#include <string.h>

#include "shop/inventory.h"
#include "core/js.h"
#include "core/log.h"
#include "shop/payment.h"

static const char *const status_names[ORDER_NSTATUS] = {
	"PENDING", "CONFIRMED", "PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED", "RETURNED",
};

/* The one transition table: allowed[from] is a bit set of targets. */
#define B(s) (1u << (s))
static const unsigned allowed[ORDER_NSTATUS] = {
	[ORDER_PENDING] = B(ORDER_CONFIRMED) | B(ORDER_CANCELLED),
	[ORDER_CONFIRMED] = B(ORDER_PROCESSING) | B(ORDER_CANCELLED),
	[ORDER_PROCESSING] = B(ORDER_SHIPPED) | B(ORDER_CANCELLED),
	[ORDER_SHIPPED] = B(ORDER_DELIVERED),
	[ORDER_DELIVERED] = B(ORDER_RETURNED),
	[ORDER_CANCELLED] = 0,
	[ORDER_RETURNED] = 0,
};
#undef B

#define ORDER_COLS                                                                      \
	"SELECT id, public_id, access_token, user_id, email, status, subtotal, shipping,"  \
	" tax, total, currency, shipping_method, address::text AS address, created_at,"    \
	" updated_at, delivered_at FROM orders"

static const db_stmt order_sql[] = {
	{"order_lock", "SELECT id, public_id, status, email, total FROM orders WHERE id = $1 FOR UPDATE"},
	/* The status change, its event and its outbox row: one statement,
	 * one round trip (the row is already locked by order_lock). */
	{"order_move",
	 "WITH u AS (UPDATE orders SET status = $3, updated_at = now(),"
	 "           delivered_at = CASE WHEN $3 = 'DELIVERED' THEN now() ELSE delivered_at END"
	 "           WHERE id = $1),"
	 " e AS (INSERT INTO order_events (order_id, from_status, to_status, actor, note)"
	 "       VALUES ($1, $2, $3, $4, $5))"
	 " INSERT INTO outbox (topic, key, payload) VALUES ('orders', $6, $7::jsonb)"},
	/* The creating event; the payload has the same keys as record_event's. */
	{"order_created",
	 "WITH o AS (SELECT id, public_id, email, total FROM orders WHERE id = $1),"
	 " e AS (INSERT INTO order_events (order_id, from_status, to_status, actor, note)"
	 "       SELECT id, NULL, 'PENDING', $2, '' FROM o)"
	 " INSERT INTO outbox (topic, key, payload)"
	 " SELECT 'orders', public_id, json_build_object('type', 'order.pending', 'order_id', id,"
	 "  'public_id', public_id, 'from', NULL, 'to', 'PENDING', 'actor', $2::text, 'note', '',"
	 "  'email', email, 'total', total) FROM o RETURNING id"},
	{"order_find", ORDER_COLS " WHERE public_id = $1"},
	{"order_by_id", ORDER_COLS " WHERE id = $1"},
	{"order_items",
	 "SELECT sku_id, seller_id, product_id, title, variant, unit_price, qty,"
	 " unit_price * qty AS line_total, fulfillment FROM order_items"
	 " WHERE order_id = $1 ORDER BY id"},
	{"order_events",
	 "SELECT from_status, to_status, actor, note, at FROM order_events"
	 " WHERE order_id = $1 ORDER BY id"},
	{"order_payment",
	 "SELECT status, amount, refunded_amount, brand, last4, decline_code, provider_ref"
	 " FROM payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1"},
	{"order_returns",
	 "SELECT id, status, reason, created_at FROM returns WHERE order_id = $1 ORDER BY id DESC"},
	{"order_shipments",
	 "SELECT id, seller_id, fulfillment, carrier, tracking, status, created_at, shipped_at,"
	 " delivered_at FROM shipments WHERE order_id = $1 ORDER BY id"},
	{"order_list_user",
	 "SELECT o.public_id, o.status, o.total, o.created_at,"
	 " (SELECT COALESCE(sum(qty), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count"
	 " FROM orders o WHERE o.user_id = $1 ORDER BY o.created_at DESC, o.id DESC"
	 " LIMIT $2 OFFSET $3"},
	{"order_json",
	 "SELECT o.access_token, json_build_object("
	 " 'public_id', o.public_id, 'status', o.status, 'email', o.email,"
	 " 'subtotal', o.subtotal, 'shipping', o.shipping, 'tax', o.tax, 'total', o.total,"
	 " 'currency', o.currency, 'shipping_method', o.shipping_method, 'address', o.address,"
	 " 'created_at', o.created_at, 'updated_at', o.updated_at,"
	 " 'items', (SELECT COALESCE(json_agg(json_build_object('sku_id', i.sku_id,"
	 "   'product_id', i.product_id, 'seller_id', i.seller_id, 'title', i.title,"
	 "   'variant', i.variant, 'unit_price', i.unit_price, 'qty', i.qty,"
	 "   'line_total', i.unit_price * i.qty, 'fulfillment', i.fulfillment) ORDER BY i.id), '[]')"
	 "   FROM order_items i WHERE i.order_id = o.id),"
	 " 'payment', (SELECT json_build_object('status', p.status, 'amount', p.amount,"
	 "   'refunded_amount', p.refunded_amount, 'brand', p.brand, 'last4', p.last4,"
	 "   'decline_code', p.decline_code, 'authorization_pending', EXISTS (SELECT 1"
	 "   FROM payment_ops d WHERE d.payment_id = p.id AND d.op = 'authorize'"
	 "   AND d.status = 'pending')) FROM payments p WHERE p.order_id = o.id"
	 "   ORDER BY p.id DESC LIMIT 1),"
	 " 'shipments', (SELECT COALESCE(json_agg(json_build_object('carrier', s.carrier,"
	 "   'tracking', s.tracking, 'status', s.status) ORDER BY s.id), '[]')"
	 "   FROM shipments s WHERE s.order_id = o.id),"
	 " 'returns', (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'status', r.status,"
	 "   'reason', r.reason) ORDER BY r.id), '[]') FROM returns r WHERE r.order_id = o.id),"
	 " 'events', (SELECT COALESCE(json_agg(json_build_object('from', e.from_status,"
	 "   'to', e.to_status, 'actor', e.actor, 'note', e.note, 'at', e.at) ORDER BY e.id), '[]')"
	 "   FROM order_events e WHERE e.order_id = o.id))::text AS doc"
	 " FROM orders o WHERE o.id = $1"},
	/* the whole order at once: its pending shipments (split at checkout)
	 * take the carrier and tracking; an order from before the split gets
	 * one shipment */
	{"order_ship_ins",
	 "WITH u AS (UPDATE shipments SET status = 'shipped', carrier = $2, tracking = $3,"
	 "           shipped_at = now() WHERE order_id = $1 AND status = 'pending' RETURNING id)"
	 " INSERT INTO shipments (order_id, carrier, tracking, status, shipped_at)"
	 " SELECT $1, $2, $3, 'shipped', now() WHERE NOT EXISTS (SELECT 1 FROM u)"
	 " AND NOT EXISTS (SELECT 1 FROM shipments WHERE order_id = $1)"},
	{"order_ship_delivered",
	 "UPDATE shipments SET status = 'delivered', delivered_at = now()"
	 " WHERE order_id = $1 AND status = 'shipped'"},
	{"order_ship_cancel",
	 "UPDATE shipments SET status = 'cancelled' WHERE order_id = $1 AND status = 'pending'"},
	{"order_return_window",
	 "SELECT status, delivered_at IS NOT NULL AND delivered_at > now() - make_interval(days => $2)"
	 " AS in_window, EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.id"
	 "   AND r.status IN ('requested', 'approved')) AS open_return"
	 " FROM orders o WHERE id = $1 FOR UPDATE"},
	{"order_return_ins",
	 "INSERT INTO returns (order_id, reason) VALUES ($1, $2) RETURNING id"},
	{"order_return_move",
	 "UPDATE returns SET status = $3, updated_at = now() WHERE id = $1 AND status = $2"
	 " RETURNING order_id"},
	/* a whole return: every unit is back now (partial returns' too) */
	{"order_items_restocked",
	 "UPDATE order_items SET qty_restocked = qty WHERE order_id = $1 AND qty_restocked <> qty"},
	{"order_return_get", "SELECT order_id, status FROM returns WHERE id = $1 FOR UPDATE"},
	/* A return desk step (no status change, no outbox): who did it, in
	 * the order's history. */
	{"order_return_event",
	 "INSERT INTO order_events (order_id, from_status, to_status, actor, note)"
	 " SELECT id, status, status, $2, $3 FROM orders WHERE id = $1"},
};

void order_register(void)
{
	db_register(order_sql, sizeof(order_sql) / sizeof(order_sql[0]));
}

/* ---- hooks: filled at start, read by every move to CANCELLED/RETURNED ---- */

static const order_hook *hooks[ORDER_NSTATUS][ORDER_HOOKS];
static int nhooks[ORDER_NSTATUS];

void order_hook_add(order_status to, const order_hook *h)
{
	assert(to == ORDER_CANCELLED || to == ORDER_RETURNED);
	for (int i = 0; i < nhooks[to]; i++)
		if (hooks[to][i] == h)
			return; /* registrations run more than once */
	assert(nhooks[to] < ORDER_HOOKS);
	hooks[to][nhooks[to]++] = h;
}

int order_hook_count(order_status to)
{
	return (unsigned)to < ORDER_NSTATUS ? nhooks[to] : 0;
}

int order_hooks_in_tx(ctx *c, int64_t order_id, order_status to, order_hooked *h)
{
	memset(h, 0, sizeof(*h));
	h->to = to;
	int took = 0;
	for (; h->n < order_hook_count(to); h->n++) {
		int rc = hooks[to][h->n]->in_tx(c, order_id, &h->done[h->n]);
		if (rc < 0)
			return SOUK_ERR;
		h->took[h->n] = rc > 0;
		took += rc > 0;
	}
	return took;
}

void order_hooks_after(ctx *c, int64_t order_id, const order_hooked *h)
{
	for (int i = 0; i < h->n; i++)
		if (h->took[i] && hooks[h->to][i]->after)
			hooks[h->to][i]->after(c, order_id, h->done[i]);
}

const char *order_status_name(order_status s)
{
	return (unsigned)s < ORDER_NSTATUS ? status_names[s] : NULL;
}

int order_status_parse(const char *s, order_status *out)
{
	for (int i = 0; s && i < ORDER_NSTATUS; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (order_status)i;
			return 0;
		}
	return -1;
}

bool order_can_transition(order_status from, order_status to)
{
	if ((unsigned)from >= ORDER_NSTATUS || (unsigned)to >= ORDER_NSTATUS)
		return false;
	return (allowed[from] >> to) & 1u;
}

/* Moves the (locked) order from -> to and writes the order_events row and
 * its outbox twin. */
static int record_event(ctx *c, db_res *o, const char *from, const char *to, const char *actor,
                        const char *note)
{
	json_object *pl = js_obj(c);
	buf type;
	buf_init(&type, c->a, 64);
	buf_puts(&type, "order.");
	for (const char *s = to; *s; s++)
		buf_putc(&type, (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
	js_str(pl, "type", type.p);
	js_i64(pl, "order_id", db_i64(o, 0, "id"));
	js_str(pl, "public_id", db_val(o, 0, "public_id"));
	js_str(pl, "from", from);
	js_str(pl, "to", to);
	js_str(pl, "actor", actor);
	js_str(pl, "note", note ? note : "");
	js_str(pl, "email", db_val(o, 0, "email"));
	js_i64(pl, "total", db_i64(o, 0, "total"));
	const char *p[] = {db_val(o, 0, "id"), from, to, actor, note ? note : "",
	                   db_val(o, 0, "public_id"),
	                   json_object_to_json_string_ext(pl, JSON_C_TO_STRING_PLAIN)};
	return db_exec(c, "order_move", 7, p) ? SOUK_OK : SOUK_ERR;
}

static db_res *lock_order(ctx *c, int64_t order_id)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *o = db_exec(c, "order_lock", 1, p);
	if (!o)
		return NULL;
	if (db_rows(o) == 0)
		return ctx_fail(c, 404, "not_found", "no such order"), NULL;
	return o;
}

/* The transition with the previous status reported (for the actions). */
static int transition(ctx *c, int64_t order_id, order_status to, const char *actor,
                      const char *note, order_status *was)
{
	db_res *o = lock_order(c, order_id);
	if (!o)
		return SOUK_ERR;
	const char *from_name = db_val(o, 0, "status");
	order_status from;
	if (order_status_parse(from_name, &from) < 0)
		return ctx_fail(c, 500, "internal", "order has an unknown status");
	if (was)
		*was = from;
	if (!order_can_transition(from, to))
		return ctx_fail(c, 409, "illegal_transition", "an order that is %s cannot become %s",
		                from_name, order_status_name(to));
	return record_event(c, o, from_name, order_status_name(to), actor, note);
}

int order_transition(ctx *c, int64_t order_id, order_status to, const char *actor,
                     const char *note)
{
	return transition(c, order_id, to, actor, note, NULL);
}

int order_record_created(ctx *c, int64_t order_id, const char *actor)
{
	const char *p[] = {db_param_i64(c, order_id), actor};
	db_res *r = db_exec(c, "order_created", 2, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such order");
	return SOUK_OK;
}

static db_res *one(ctx *c, const char *stmt, const char *param)
{
	const char *p[] = {param};
	return db_exec(c, stmt, 1, p);
}

db_res *order_find(ctx *c, const char *public_id)
{
	db_res *r = one(c, "order_find", public_id);
	if (r && db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such order"), NULL;
	return r;
}

db_res *order_by_id(ctx *c, int64_t order_id)
{
	db_res *r = one(c, "order_by_id", db_param_i64(c, order_id));
	if (r && db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such order"), NULL;
	return r;
}

db_res *order_items(ctx *c, int64_t id) { return one(c, "order_items", db_param_i64(c, id)); }
db_res *order_events(ctx *c, int64_t id) { return one(c, "order_events", db_param_i64(c, id)); }
db_res *order_payment(ctx *c, int64_t id) { return one(c, "order_payment", db_param_i64(c, id)); }
db_res *order_returns(ctx *c, int64_t id) { return one(c, "order_returns", db_param_i64(c, id)); }
db_res *order_shipments(ctx *c, int64_t id) { return one(c, "order_shipments", db_param_i64(c, id)); }

db_res *order_list_user(ctx *c, int64_t user_id, int64_t limit, int64_t offset)
{
	const char *p[] = {db_param_i64(c, user_id), db_param_i64(c, limit),
	                   db_param_i64(c, offset)};
	return db_exec(c, "order_list_user", 3, p);
}

bool order_token_ok(const char *token, str given)
{
	if (!token)
		return false;
	size_t n = strlen(token);
	if (given.len != n || n == 0)
		return false;
	unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)token[i] ^ (unsigned char)given.p[i];
	return d == 0;
}

int order_json(ctx *c, int64_t order_id, bool with_token, json_object **out)
{
	db_res *r = one(c, "order_json", db_param_i64(c, order_id));
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such order");
	json_object *o = js_parse(c, str_c(db_val(r, 0, "doc")));
	if (!o)
		return ctx_fail(c, 500, "internal", "order document is malformed");
	if (with_token)
		js_str(o, "access_token", db_val(r, 0, "access_token"));
	*out = o;
	return SOUK_OK;
}

/* ---- actions: each one transaction ---- */

static int finish(ctx *c, int rc)
{
	if (rc == SOUK_OK)
		return db_commit(c);
	db_rollback(c);
	return SOUK_ERR;
}

/* The payment intents an action committed (void, refund) are made now,
 * outside its transaction; a provider that is down leaves them to the
 * worker's payments job, which is not the action's failure. */
static int settle_now(ctx *c, int64_t order_id)
{
	if (pay_ops_run_order(c, order_id) < 0) {
		ctx_log(c, LOG_WARN, "order %lld: payment left for the worker: %s", (long long)order_id,
		        c->err_msg ? c->err_msg : "?");
		c->err_status = 0;
		c->err_code = NULL;
		c->err_msg = NULL;
	}
	return SOUK_OK;
}

static int cancel_once(ctx *c, int64_t order_id, const char *actor, const char *reason,
                       order_hooked *hk)
{
	memset(hk, 0, sizeof(*hk));
	if (db_begin(c) < 0)
		return SOUK_ERR;
	int n;
	int rc = transition(c, order_id, ORDER_CANCELLED, actor, reason, NULL);
	if (rc == SOUK_OK)
		rc = inv_release_order(c, order_id, &n);
	if (rc == SOUK_OK)
		rc = inv_restock_order(c, order_id, &n);
	if (rc == SOUK_OK) /* e.g. a flash order's units back to its sale */
		rc = order_hooks_in_tx(c, order_id, ORDER_CANCELLED, hk) < 0 ? SOUK_ERR : SOUK_OK;
	if (rc == SOUK_OK)
		rc = one(c, "order_ship_cancel", db_param_i64(c, order_id)) ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK)
		rc = pay_settle_cancel(c, order_id);
	return finish(c, rc);
}

int order_cancel(ctx *c, int64_t order_id, const char *actor, const char *reason)
{
	/* A shopper's cancel may meet a checkout or a capture on the same
	 * rows; a deadlock/serialisation failure is retried, not shown. */
	for (int attempt = 0;; attempt++) {
		order_hooked hk;
		if (cancel_once(c, order_id, actor, reason, &hk) == SOUK_OK) {
			order_hooks_after(c, order_id, &hk); /* committed: e.g. a flash line's units */
			return settle_now(c, order_id);
		}
		const char *st = db_sqlstate(c->db);
		if (attempt >= 3 || (strcmp(st, "40001") != 0 && strcmp(st, "40P01") != 0))
			return SOUK_ERR;
		ctx_clear(c);
	}
}

int order_process(ctx *c, int64_t order_id, const char *actor)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	return finish(c, transition(c, order_id, ORDER_PROCESSING, actor, NULL, NULL));
}

bool order_label_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

int order_ship(ctx *c, int64_t order_id, const char *actor, const char *carrier,
               const char *tracking)
{
	if (!order_label_ok(carrier))
		return ctx_fail(c, 400, "bad_request", "carrier must be 1 to 64 printable characters");
	if (!order_label_ok(tracking))
		return ctx_fail(c, 400, "bad_request", "tracking must be 1 to 64 printable characters");
	if (db_begin(c) < 0)
		return SOUK_ERR;
	buf note;
	buf_init(&note, c->a, 256);
	buf_printf(&note, "%s %s", carrier, tracking);
	int rc = transition(c, order_id, ORDER_SHIPPED, actor, note.p, NULL);
	if (rc == SOUK_OK) {
		const char *p[] = {db_param_i64(c, order_id), carrier, tracking};
		rc = db_exec(c, "order_ship_ins", 3, p) ? SOUK_OK : SOUK_ERR;
	}
	return finish(c, rc);
}

int order_deliver(ctx *c, int64_t order_id, const char *actor)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	int rc = transition(c, order_id, ORDER_DELIVERED, actor, NULL, NULL);
	if (rc == SOUK_OK)
		rc = one(c, "order_ship_delivered", db_param_i64(c, order_id)) ? SOUK_OK : SOUK_ERR;
	return finish(c, rc);
}

/* The return desk's event: actor did what (note) on the order. */
static int return_event(ctx *c, int64_t order_id, const char *actor, const char *note)
{
	const char *p[] = {db_param_i64(c, order_id), actor, note};
	return db_exec(c, "order_return_event", 3, p) ? SOUK_OK : SOUK_ERR;
}

int order_return_request(ctx *c, int64_t order_id, const char *actor, const char *reason,
                         int64_t *return_id)
{
	if (reason && strlen(reason) > 500)
		return ctx_fail(c, 400, "bad_request", "reason must be at most 500 characters");
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, order_id), db_param_i64(c, ORDER_RETURN_DAYS)};
	db_res *r = db_exec(c, "order_return_window", 2, p);
	int rc = r ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK && db_rows(r) == 0)
		rc = ctx_fail(c, 404, "not_found", "no such order");
	else if (rc == SOUK_OK && strcmp(db_val(r, 0, "status"), "DELIVERED") != 0)
		rc = ctx_fail(c, 409, "not_returnable", "only a delivered order can be returned");
	else if (rc == SOUK_OK && !db_bool(r, 0, "in_window"))
		rc = ctx_fail(c, 409, "not_returnable", "the %d-day return window has closed",
		              ORDER_RETURN_DAYS);
	else if (rc == SOUK_OK && db_bool(r, 0, "open_return"))
		rc = ctx_fail(c, 409, "not_returnable", "a return for this order is already open");
	if (rc == SOUK_OK) {
		const char *q[] = {db_param_i64(c, order_id), reason ? reason : ""};
		db_res *ins = db_exec(c, "order_return_ins", 2, q);
		if (!ins)
			rc = SOUK_ERR;
		else if (return_id)
			*return_id = db_i64(ins, 0, "id");
		if (ins)
			rc = return_event(c, order_id, actor, "return requested");
	}
	return finish(c, rc);
}

/* Moves a return from -> to inside the caller's transaction; 404 unknown,
 * 409 in another state (what: "become approved", "be received"). *out is
 * the return's row (order_id) on SOUK_OK. */
static int return_step(ctx *c, int64_t return_id, const char *from, const char *to,
                       const char *what, db_res **out)
{
	const char *g[] = {db_param_i64(c, return_id)};
	db_res *r = db_exec(c, "order_return_get", 1, g);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such return");
	if (strcmp(db_val(r, 0, "status"), from) != 0)
		return ctx_fail(c, 409, "illegal_transition", "a return that is %s cannot %s",
		                db_val(r, 0, "status"), what);
	const char *p[] = {db_param_i64(c, return_id), from, to};
	if (!db_exec(c, "order_return_move", 3, p))
		return SOUK_ERR;
	if (out)
		*out = r;
	return SOUK_OK;
}

/* requested -> approved/rejected in its own transaction, by actor. */
static int return_move(ctx *c, int64_t return_id, const char *to, const char *what,
                       const char *actor, const char *note)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	db_res *r = NULL;
	int rc = return_step(c, return_id, "requested", to, what, &r);
	if (rc == SOUK_OK)
		rc = return_event(c, db_i64(r, 0, "order_id"), actor, note);
	return finish(c, rc);
}

int order_return_approve(ctx *c, int64_t return_id, const char *actor)
{
	return return_move(c, return_id, "approved", "become approved", actor, "return approved");
}

int order_return_reject(ctx *c, int64_t return_id, const char *actor)
{
	return return_move(c, return_id, "rejected", "become rejected", actor, "return rejected");
}

int order_return_receive(ctx *c, int64_t return_id, const char *actor)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	db_res *r = NULL;
	int rc = return_step(c, return_id, "approved", "received", "be received", &r);
	int64_t order_id = rc == SOUK_OK ? db_i64(r, 0, "order_id") : 0;
	int n;
	order_hooked hk = {0};
	if (rc == SOUK_OK)
		rc = transition(c, order_id, ORDER_RETURNED, actor, "return received", NULL);
	if (rc == SOUK_OK)
		rc = inv_restock_order(c, order_id, &n);
	if (rc == SOUK_OK) /* e.g. a flash order's units, which no reservation holds */
		rc = order_hooks_in_tx(c, order_id, ORDER_RETURNED, &hk) < 0 ? SOUK_ERR : SOUK_OK;
	if (rc == SOUK_OK) /* after both read what partial returns put back */
		rc = one(c, "order_items_restocked", db_param_i64(c, order_id)) ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK) {
		buf why;
		buf_init(&why, c->a, 64);
		buf_printf(&why, "return:%lld", (long long)return_id);
		rc = pay_refund_order(c, order_id, 0, why.p);
	}
	if (finish(c, rc) < 0)
		return SOUK_ERR;
	order_hooks_after(c, order_id, &hk);
	return settle_now(c, order_id);
}
