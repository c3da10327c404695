/* shipment: split at checkout, ship and deliver one shipment, seller reads. */
#include "shop/shipment.h"

#include <string.h>

#include "core/js.h"
#include "shop/order.h"
#include "shop/outbox.h"

static const db_stmt shipment_sql[] = {
	{"shipment_split",
	 "WITH g AS (SELECT DISTINCT seller_id, fulfillment FROM order_items"
	 "           WHERE order_id = $1 AND shipment_id IS NULL),"
	 " s AS (INSERT INTO shipments (order_id, seller_id, fulfillment, status, due_at)"
	 "       SELECT $1, seller_id, fulfillment, 'pending', now() + make_interval(days => $2)"
	 "       FROM g ORDER BY seller_id, fulfillment RETURNING id, seller_id, fulfillment)"
	 " UPDATE order_items i SET shipment_id = s.id FROM s"
	 " WHERE i.order_id = $1 AND i.seller_id = s.seller_id AND i.fulfillment = s.fulfillment"},
	/* the order first, as every order action locks it */
	{"shipment_lock",
	 "SELECT o.id AS order_id, o.public_id, o.status AS order_status, o.email, s.seller_id,"
	 " s.fulfillment, s.status FROM shipments s JOIN orders o ON o.id = s.order_id"
	 " WHERE s.id = $1 FOR UPDATE OF o, s"},
	{"shipment_mark_shipped",
	 "UPDATE shipments SET status = 'shipped', carrier = $2, tracking = $3, shipped_at = now()"
	 " WHERE id = $1 AND status = 'pending'"},
	{"shipment_mark_delivered",
	 "UPDATE shipments SET status = 'delivered', delivered_at = now()"
	 " WHERE id = $1 AND status = 'shipped'"},
	{"shipment_left",
	 "SELECT count(*) FILTER (WHERE status = 'pending') AS pending,"
	 " count(*) FILTER (WHERE status = 'shipped') AS shipped FROM shipments WHERE order_id = $1"},
	{"shipment_get",
	 "SELECT s.id, s.order_id, o.public_id, o.status AS order_status, s.seller_id, s.fulfillment,"
	 " s.carrier, s.tracking, s.status, s.created_at, s.shipped_at, s.delivered_at, s.due_at"
	 " FROM shipments s JOIN orders o ON o.id = s.order_id"
	 " WHERE s.id = $1 AND ($2::bigint = 0 OR s.seller_id = $2)"},
	{"shipment_items",
	 "SELECT id, sku_id, title, variant, unit_price, qty FROM order_items"
	 " WHERE shipment_id = $1 ORDER BY id"},
	{"shipment_seller_orders",
	 "SELECT o.id AS order_id, o.public_id, o.status, o.created_at, x.items, x.amount,"
	 " COALESCE((SELECT json_agg(s.id ORDER BY s.id) FROM shipments s WHERE s.order_id = o.id"
	 "  AND s.seller_id = $1), '[]')::text AS shipment_ids,"
	 " (SELECT count(*) FROM shipments s WHERE s.order_id = o.id AND s.seller_id = $1"
	 "  AND s.status = 'pending') AS pending"
	 " FROM (SELECT order_id, sum(qty) AS items, sum(unit_price * qty) AS amount"
	 "       FROM order_items WHERE seller_id = $1 GROUP BY order_id"
	 "       ORDER BY order_id DESC LIMIT $2 OFFSET $3) x"
	 " JOIN orders o ON o.id = x.order_id ORDER BY o.id DESC"},
	{"shipment_seller_list",
	 "SELECT s.id, o.public_id, o.status AS order_status, s.fulfillment, s.status, s.carrier,"
	 " s.tracking, s.due_at, s.due_at < now() AND s.status = 'pending' AS late,"
	 " (SELECT sum(qty) FROM order_items i WHERE i.shipment_id = s.id) AS units"
	 " FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.seller_id = $1"
	 " AND ($2::text IS NULL OR s.status = $2)"
	 " ORDER BY s.status = 'pending' DESC, s.id DESC LIMIT $3 OFFSET $4"},
	{"shipment_json",
	 "SELECT json_build_object('id', s.id, 'order', o.public_id, 'order_status', o.status,"
	 " 'seller_id', s.seller_id, 'fulfillment', s.fulfillment, 'status', s.status,"
	 " 'carrier', s.carrier, 'tracking', s.tracking, 'created_at', s.created_at,"
	 " 'due_at', s.due_at, 'shipped_at', s.shipped_at, 'delivered_at', s.delivered_at,"
	 " 'ship_to', o.address,"
	 " 'items', (SELECT COALESCE(json_agg(json_build_object('sku_id', i.sku_id, 'title', i.title,"
	 "   'variant', i.variant, 'unit_price', i.unit_price, 'qty', i.qty) ORDER BY i.id), '[]')"
	 "   FROM order_items i WHERE i.shipment_id = s.id))::text AS doc"
	 " FROM shipments s JOIN orders o ON o.id = s.order_id"
	 " WHERE s.id = $1 AND ($2::bigint = 0 OR s.seller_id = $2)"},
};

void shipment_register(void)
{
	db_register(shipment_sql, sizeof(shipment_sql) / sizeof(shipment_sql[0]));
	outbox_register();
}

int shipment_split_order(ctx *c, int64_t order_id)
{
	const char *p[] = {db_param_i64(c, order_id), db_param_i64(c, SHIPMENT_DUE_DAYS)};
	return db_exec(c, "shipment_split", 2, p) ? SOUK_OK : SOUK_ERR;
}

static int finish(ctx *c, int rc)
{
	if (rc == SOUK_OK)
		return db_commit(c);
	db_rollback(c);
	return SOUK_ERR;
}

/* Locks the shipment's order and the shipment; 404 when unknown or (a
 * seller acting) not theirs. */
static db_res *lock(ctx *c, int64_t shipment_id, int64_t seller_id)
{
	const char *p[] = {db_param_i64(c, shipment_id)};
	db_res *s = db_exec(c, "shipment_lock", 1, p);
	if (!s)
		return NULL;
	if (db_rows(s) == 0 || (seller_id > 0 && db_i64(s, 0, "seller_id") != seller_id))
		return ctx_fail(c, 404, "not_found", "no such shipment"), NULL;
	return s;
}

static int counts(ctx *c, int64_t order_id, int64_t *pending, int64_t *shipped)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "shipment_left", 1, p);
	if (!r)
		return SOUK_ERR;
	*pending = db_i64(r, 0, "pending");
	*shipped = db_i64(r, 0, "shipped");
	return SOUK_OK;
}

static int ship_locked(ctx *c, db_res *s, int64_t shipment_id, int64_t seller_id,
                       const char *actor, const char *carrier, const char *tracking)
{
	const char *ost = db_val(s, 0, "order_status");
	int64_t order_id = db_i64(s, 0, "order_id");
	if (seller_id > 0 && strcmp(db_val(s, 0, "fulfillment"), "FBA") == 0)
		return ctx_fail(c, 409, "fulfilled_by_souk",
		                "this shipment is fulfilled by Souk: the platform ships it");
	if (strcmp(db_val(s, 0, "status"), "pending") != 0)
		return ctx_fail(c, 409, "already_shipped", "this shipment is already %s",
		                db_val(s, 0, "status"));
	if (strcmp(ost, "CONFIRMED") != 0 && strcmp(ost, "PROCESSING") != 0)
		return ctx_fail(c, 409, "not_shippable", "an order that is %s cannot be shipped", ost);
	const char *p[] = {db_param_i64(c, shipment_id), carrier, tracking};
	if (!db_exec(c, "shipment_mark_shipped", 3, p))
		return SOUK_ERR;
	if (strcmp(ost, "CONFIRMED") == 0 &&
	    order_transition(c, order_id, ORDER_PROCESSING, actor, "first shipment") < 0)
		return SOUK_ERR;
	int64_t pending, shipped;
	if (counts(c, order_id, &pending, &shipped) < 0)
		return SOUK_ERR;
	buf note;
	buf_init(&note, c->a, 256);
	buf_printf(&note, "%s %s", carrier, tracking);
	if (pending == 0)
		return order_transition(c, order_id, ORDER_SHIPPED, actor, note.p);
	json_object *ev = js_obj(c);
	js_str(ev, "type", "shipment.shipped");
	js_i64(ev, "order_id", order_id);
	js_str(ev, "public_id", db_val(s, 0, "public_id"));
	js_i64(ev, "shipment_id", shipment_id);
	js_str(ev, "carrier", carrier);
	js_str(ev, "tracking", tracking);
	js_str(ev, "email", db_val(s, 0, "email"));
	return outbox_add(c, "orders", db_val(s, 0, "public_id"), ev);
}

int shipment_ship(ctx *c, int64_t shipment_id, int64_t seller_id, const char *actor,
                  const char *carrier, const char *tracking)
{
	if (!order_label_ok(carrier))
		return ctx_fail_field(c, 400, "bad_request", "carrier",
		                      "carrier must be 1 to 64 printable characters");
	if (!order_label_ok(tracking))
		return ctx_fail_field(c, 400, "bad_request", "tracking",
		                      "tracking must be 1 to 64 printable characters");
	if (db_begin(c) < 0)
		return SOUK_ERR;
	db_res *s = lock(c, shipment_id, seller_id);
	int rc = s ? ship_locked(c, s, shipment_id, seller_id, actor, carrier, tracking) : SOUK_ERR;
	return finish(c, rc);
}

static int deliver_locked(ctx *c, db_res *s, int64_t shipment_id, const char *actor)
{
	if (strcmp(db_val(s, 0, "status"), "shipped") != 0)
		return ctx_fail(c, 409, "not_shipped", "a shipment that is %s cannot be delivered",
		                db_val(s, 0, "status"));
	const char *p[] = {db_param_i64(c, shipment_id)};
	if (!db_exec(c, "shipment_mark_delivered", 1, p))
		return SOUK_ERR;
	int64_t order_id = db_i64(s, 0, "order_id"), pending, shipped;
	if (counts(c, order_id, &pending, &shipped) < 0)
		return SOUK_ERR;
	if (pending == 0 && shipped == 0 && strcmp(db_val(s, 0, "order_status"), "SHIPPED") == 0)
		return order_transition(c, order_id, ORDER_DELIVERED, actor, NULL);
	return SOUK_OK;
}

int shipment_deliver(ctx *c, int64_t shipment_id, const char *actor)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	db_res *s = lock(c, shipment_id, 0);
	return finish(c, s ? deliver_locked(c, s, shipment_id, actor) : SOUK_ERR);
}

db_res *shipment_get(ctx *c, int64_t shipment_id, int64_t seller_id)
{
	const char *p[] = {db_param_i64(c, shipment_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "shipment_get", 2, p);
	if (r && db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such shipment"), NULL;
	return r;
}

db_res *shipment_items(ctx *c, int64_t shipment_id)
{
	const char *p[] = {db_param_i64(c, shipment_id)};
	return db_exec(c, "shipment_items", 1, p);
}

db_res *shipment_seller_orders(ctx *c, int64_t seller_id, int64_t limit, int64_t offset)
{
	const char *p[] = {db_param_i64(c, seller_id), db_param_i64(c, limit),
	                   db_param_i64(c, offset)};
	return db_exec(c, "shipment_seller_orders", 3, p);
}

db_res *shipment_seller_list(ctx *c, int64_t seller_id, const char *status, int64_t limit,
                             int64_t offset)
{
	const char *p[] = {db_param_i64(c, seller_id), status, db_param_i64(c, limit),
	                   db_param_i64(c, offset)};
	return db_exec(c, "shipment_seller_list", 4, p);
}

int shipment_json(ctx *c, int64_t shipment_id, int64_t seller_id, json_object **out)
{
	const char *p[] = {db_param_i64(c, shipment_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "shipment_json", 2, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such shipment");
	*out = js_parse(c, str_c(db_val(r, 0, "doc")));
	return *out ? SOUK_OK : ctx_fail(c, 500, "internal", "shipment document is malformed");
}
