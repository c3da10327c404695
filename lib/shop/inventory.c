/* inventory: all-or-nothing reservations in (sku, warehouse) lock order,
 * exactly-once commit/release/restock. */
#include "shop/inventory.h"

#include <stdlib.h>

#include "store/db.h"

/* Every statement that touches several inventory rows first locks them
 * with one ORDER BY sku_id, warehouse_id ... FOR UPDATE, so all writers
 * take row locks in the same order and cannot deadlock each other. */
#define INV_CHANGED_OUTBOX(SRC)                                                          \
	"INSERT INTO outbox (topic, key, payload)"                                          \
	" SELECT 'inventory', x.s::text || ':' || x.w::text,"                               \
	"  json_build_object('type', 'inventory.changed', 'sku_id', x.s,"                   \
	"                    'warehouse_id', x.w, 'product_id', v.product_id)"              \
	" FROM " SRC " JOIN offers o ON o.id = x.s"                                          \
	" JOIN product_variants v ON v.id = o.variant_id ORDER BY x.s, x.w"

static const db_stmt inv_sql[] = {
	{"inv_lock_skus",
	 "SELECT sku_id, warehouse_id, quantity_available FROM inventory"
	 " WHERE sku_id = ANY ($1::bigint[]) ORDER BY sku_id, warehouse_id FOR UPDATE"},
	/* The conditional UPDATE (the guard), the held reservations and the
	 * inventory events in one round trip; taken < planned means short. */
	{"inv_take",
	 "WITH a AS (SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::int[]) AS a(s, w, q)),"
	 " up AS (UPDATE inventory i SET quantity_available = i.quantity_available - a.q,"
	 "          quantity_reserved = i.quantity_reserved + a.q"
	 "        FROM a WHERE i.sku_id = a.s AND i.warehouse_id = a.w"
	 "          AND i.quantity_available >= a.q RETURNING i.sku_id),"
	 " res AS (INSERT INTO reservations (order_id, sku_id, warehouse_id, qty, expires_at)"
	 "         SELECT $1, a.s, a.w, a.q, now() + make_interval(secs => $5) FROM a),"
	 " ob AS (" INV_CHANGED_OUTBOX("a AS x(s, w, q)") ")"
	 " SELECT (SELECT count(*) FROM up) AS taken"},
	/* Locks the inventory rows of the orders' reservations in $2 status. */
	{"inv_lock_orders",
	 "SELECT i.sku_id FROM inventory i WHERE (i.sku_id, i.warehouse_id) IN"
	 " (SELECT sku_id, warehouse_id FROM reservations"
	 "  WHERE order_id = ANY ($1::bigint[]) AND status = $2)"
	 " ORDER BY i.sku_id, i.warehouse_id FOR UPDATE OF i"},
	{"inv_commit",
	 "WITH r AS (UPDATE reservations SET status = 'committed', updated_at = now()"
	 "           WHERE order_id = ANY ($1::bigint[]) AND status = 'held'"
	 "           RETURNING sku_id, warehouse_id, qty),"
	 " g AS (SELECT sku_id, warehouse_id, sum(qty)::int AS q FROM r GROUP BY 1, 2),"
	 " up AS (UPDATE inventory i SET quantity_reserved = i.quantity_reserved - g.q,"
	 "          quantity_sold = i.quantity_sold + g.q FROM g"
	 "        WHERE i.sku_id = g.sku_id AND i.warehouse_id = g.warehouse_id RETURNING 1)"
	 " SELECT (SELECT count(*) FROM r) AS n"},
	{"inv_release",
	 "WITH r AS (UPDATE reservations SET status = 'released', updated_at = now()"
	 "           WHERE order_id = ANY ($1::bigint[]) AND status = 'held'"
	 "           RETURNING sku_id, warehouse_id, qty),"
	 " g AS (SELECT sku_id, warehouse_id, sum(qty)::int AS q FROM r GROUP BY 1, 2),"
	 " up AS (UPDATE inventory i SET quantity_reserved = i.quantity_reserved - g.q,"
	 "          quantity_available = i.quantity_available + g.q FROM g"
	 "        WHERE i.sku_id = g.sku_id AND i.warehouse_id = g.warehouse_id RETURNING 1),"
	 " ob AS (" INV_CHANGED_OUTBOX("g AS x(s, w, q)") ")"
	 " SELECT (SELECT count(*) FROM r) AS n"},
	/* committed -> released, sold -> available, less the units a
	 * return put back already (order_items.qty_restocked, counted from
	 * the first of the order's units of a sku in (warehouse, id) order,
	 * as inv_restock_units does) */
	{"inv_restock",
	 "WITH r AS (UPDATE reservations SET status = 'released', updated_at = now()"
	 "           WHERE order_id = ANY ($1::bigint[]) AND status = 'committed'"
	 "           RETURNING id, order_id, sku_id, warehouse_id, qty),"
	 " d AS (SELECT order_id, sku_id, sum(qty_restocked)::int AS done FROM order_items"
	 "       WHERE order_id = ANY ($1::bigint[]) GROUP BY 1, 2),"
	 " u AS (SELECT r.sku_id, r.warehouse_id, r.qty - least(r.qty, greatest(coalesce(d.done, 0)"
	 "         - coalesce(sum(r.qty) OVER (PARTITION BY r.order_id, r.sku_id"
	 "           ORDER BY r.warehouse_id, r.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),"
	 "           0), 0)) AS q"
	 "       FROM r LEFT JOIN d ON d.order_id = r.order_id AND d.sku_id = r.sku_id),"
	 " g AS (SELECT sku_id, warehouse_id, sum(q)::int AS q FROM u GROUP BY 1, 2 HAVING sum(q) > 0),"
	 " up AS (UPDATE inventory i SET quantity_sold = i.quantity_sold - g.q,"
	 "          quantity_available = i.quantity_available + g.q FROM g"
	 "        WHERE i.sku_id = g.sku_id AND i.warehouse_id = g.warehouse_id RETURNING 1),"
	 " ob AS (" INV_CHANGED_OUTBOX("g AS x(s, w, q)") ")"
	 " SELECT (SELECT count(*) FROM r) AS n"},
	/* Locks the inventory rows of the order's committed reservations of
	 * the skus $2. */
	{"inv_lock_order_skus",
	 "SELECT i.sku_id FROM inventory i WHERE (i.sku_id, i.warehouse_id) IN"
	 " (SELECT sku_id, warehouse_id FROM reservations WHERE order_id = $1"
	 "  AND status = 'committed' AND sku_id = ANY ($2::bigint[]))"
	 " ORDER BY i.sku_id, i.warehouse_id FOR UPDATE OF i"},
	/* Units [f, f + q) of the order's sku s, numbered over its committed
	 * reservations in (warehouse, id) order: sold -> available. The
	 * reservations stay committed (the rest of the order is still sold). */
	{"inv_restock_units",
	 "WITH a AS (SELECT * FROM unnest($2::bigint[], $3::int[], $4::int[]) AS a(s, f, q)),"
	 " r AS (SELECT sku_id, warehouse_id, qty, coalesce(sum(qty) OVER (PARTITION BY sku_id"
	 "         ORDER BY warehouse_id, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)"
	 "         AS before"
	 "       FROM reservations WHERE order_id = $1 AND status = 'committed'"
	 "       AND sku_id IN (SELECT s FROM a)),"
	 " u AS (SELECT r.sku_id, r.warehouse_id, least(r.qty, greatest(a.f + a.q - r.before, 0))"
	 "         - least(r.qty, greatest(a.f - r.before, 0)) AS q FROM r JOIN a ON a.s = r.sku_id),"
	 " g AS (SELECT sku_id, warehouse_id, sum(q)::int AS q FROM u GROUP BY 1, 2 HAVING sum(q) > 0),"
	 " up AS (UPDATE inventory i SET quantity_sold = i.quantity_sold - g.q,"
	 "          quantity_available = i.quantity_available + g.q FROM g"
	 "        WHERE i.sku_id = g.sku_id AND i.warehouse_id = g.warehouse_id RETURNING 1),"
	 " ob AS (" INV_CHANGED_OUTBOX("g AS x(s, w, q)") ")"
	 " SELECT coalesce((SELECT sum(q) FROM g), 0)::bigint AS n"},
	{"inv_held_count",
	 "SELECT count(*) AS n FROM reservations WHERE order_id = $1 AND status = 'held'"},
	{"inv_changed_one", INV_CHANGED_OUTBOX("(VALUES ($1::bigint, $2::bigint)) AS x(s, w)")},
};

void inv_register(void)
{
	db_register(inv_sql, sizeof(inv_sql) / sizeof(inv_sql[0]));
}

static int cmp_line(const void *a, const void *b)
{
	const inv_line *x = a, *y = b;
	return x->sku_id < y->sku_id ? -1 : x->sku_id > y->sku_id;
}

/* "{1,2,3}" for an int64 array parameter; NULL with a 500 recorded when
 * the arena refuses it (a cut array would lock other rows). */
static const char *arr_param(ctx *c, const int64_t *v, int n)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_putc(&b, '{');
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)v[i]);
	buf_putc(&b, '}');
	if (b.failed)
		return ctx_fail(c, 500, "internal", "request too large"), NULL;
	return b.p;
}

/* "{...}" around a comma-separated list built in `list`; NULL with a 500
 * recorded when the arena cut either (a cut array would move other
 * quantities than planned). */
static const char *arr_of(ctx *c, const buf *list)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "{%s}", list->p);
	if (list->failed || b.failed)
		return ctx_fail(c, 500, "internal", "request too large"), NULL;
	return b.p;
}

int inv_reserve(ctx *c, int64_t order_id, const inv_line *lines, int n, int hold_seconds,
                inv_short *sh)
{
	if (n <= 0)
		return ctx_fail(c, 400, "bad_request", "nothing to reserve");
	/* Merge repeated skus and sort: the lock order is (sku, warehouse). */
	inv_line *ls = arena_alloc(c->a, sizeof(*ls) * (size_t)n);
	int64_t *skus = arena_alloc(c->a, sizeof(*skus) * (size_t)n);
	if (!ls || !skus)
		return ctx_fail(c, 500, "internal", "request too large");
	memcpy(ls, lines, sizeof(*ls) * (size_t)n);
	qsort(ls, (size_t)n, sizeof(*ls), cmp_line);
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (ls[i].qty <= 0)
			return ctx_fail(c, 400, "bad_request", "quantity must be positive");
		if (m && ls[m - 1].sku_id == ls[i].sku_id)
			ls[m - 1].qty += ls[i].qty;
		else
			ls[m++] = ls[i];
	}
	for (int i = 0; i < m; i++)
		skus[i] = ls[i].sku_id;
	const char *lp[] = {arr_param(c, skus, m)};
	if (!lp[0])
		return SOUK_ERR;
	db_res *rows = db_exec(c, "inv_lock_skus", 1, lp);
	if (!rows)
		return SOUK_ERR;

	/* Plan: per sku, one warehouse that can fill the whole line if any
	 * (one parcel), else fill greedily in warehouse order. */
	int nr = db_rows(rows);
	buf bs, bw, bq;
	buf_init(&bs, c->a, 0);
	buf_init(&bw, c->a, 0);
	buf_init(&bq, c->a, 0);
	int planned = 0, r = 0;
	for (int i = 0; i < m; i++) {
		int first = r;
		int64_t total = 0;
		while (r < nr && db_i64(rows, r, "sku_id") == ls[i].sku_id)
			total += db_i64(rows, r++, "quantity_available");
		if (total < ls[i].qty) {
			if (sh)
				*sh = (inv_short){ls[i].sku_id, ls[i].qty, total};
			return ctx_fail(c, 409, "out_of_stock", "only %lld left of sku %lld (%d wanted)",
			                (long long)total, (long long)ls[i].sku_id, ls[i].qty);
		}
		int whole = -1;
		for (int k = first; k < r && whole < 0; k++)
			if (db_i64(rows, k, "quantity_available") >= ls[i].qty)
				whole = k;
		int64_t need = ls[i].qty;
		for (int k = first; k < r && need > 0; k++) {
			int64_t have = db_i64(rows, k, "quantity_available");
			int64_t take = whole >= 0 ? (k == whole ? need : 0) : (have < need ? have : need);
			if (take <= 0)
				continue;
			const char *sep = planned ? "," : "";
			buf_printf(&bs, "%s%lld", sep, (long long)ls[i].sku_id);
			buf_printf(&bw, "%s%s", sep, db_val(rows, k, "warehouse_id"));
			buf_printf(&bq, "%s%lld", sep, (long long)take);
			need -= take;
			planned++;
		}
	}
	const char *tp[] = {db_param_i64(c, order_id), arr_of(c, &bs), arr_of(c, &bw),
	                    arr_of(c, &bq), db_param_i64(c, hold_seconds)};
	if (!tp[1] || !tp[2] || !tp[3])
		return SOUK_ERR;
	db_res *t = db_exec(c, "inv_take", 5, tp);
	if (!t)
		return SOUK_ERR;
	if (db_i64(t, 0, "taken") != planned) /* cannot happen with the rows locked */
		return ctx_fail(c, 409, "out_of_stock", "stock changed during the reservation");
	return SOUK_OK;
}

/* Locks the inventory rows, then runs one of the exactly-once moves. */
static int move(ctx *c, const char *ids, const char *from, const char *stmt, int *n)
{
	if (!ids) /* arr_param recorded why */
		return SOUK_ERR;
	const char *lp[] = {ids, from};
	if (!db_exec(c, "inv_lock_orders", 2, lp))
		return SOUK_ERR;
	const char *p[] = {ids};
	db_res *r = db_exec(c, stmt, 1, p);
	if (!r)
		return SOUK_ERR;
	if (n)
		*n = (int)db_i64(r, 0, "n");
	return SOUK_OK;
}

static const char *one_id(ctx *c, int64_t id)
{
	return arr_param(c, &id, 1);
}

int inv_commit_order(ctx *c, int64_t order_id, int *n)
{
	return move(c, one_id(c, order_id), "held", "inv_commit", n);
}

int inv_release_order(ctx *c, int64_t order_id, int *n)
{
	return move(c, one_id(c, order_id), "held", "inv_release", n);
}

int inv_restock_order(ctx *c, int64_t order_id, int *n)
{
	return move(c, one_id(c, order_id), "committed", "inv_restock", n);
}

int inv_restock_units(ctx *c, int64_t order_id, const inv_units *u, int n, int64_t *moved)
{
	*moved = 0;
	if (n < 1)
		return SOUK_OK;
	buf bs, bf, bq;
	buf_init(&bs, c->a, 0);
	buf_init(&bf, c->a, 0);
	buf_init(&bq, c->a, 0);
	for (int i = 0; i < n; i++) {
		const char *sep = i ? "," : "";
		buf_printf(&bs, "%s%lld", sep, (long long)u[i].sku_id);
		buf_printf(&bf, "%s%d", sep, u[i].from);
		buf_printf(&bq, "%s%d", sep, u[i].qty);
	}
	const char *p[] = {db_param_i64(c, order_id), arr_of(c, &bs), arr_of(c, &bf),
	                   arr_of(c, &bq)};
	if (!p[1] || !p[2] || !p[3] || !db_exec(c, "inv_lock_order_skus", 2, p))
		return SOUK_ERR;
	db_res *r = db_exec(c, "inv_restock_units", 4, p);
	if (!r)
		return SOUK_ERR;
	*moved = db_i64(r, 0, "n");
	return SOUK_OK;
}

int inv_held_count(ctx *c, int64_t order_id)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "inv_held_count", 1, p);
	return r ? (int)db_i64(r, 0, "n") : -1;
}

int inv_release_orders(ctx *c, const int64_t *order_ids, int k, int *n)
{
	if (n)
		*n = 0;
	if (k < 1)
		return SOUK_OK;
	/* One release over all the orders: their inventory rows are locked in
	 * one sorted statement, like every other writer's. */
	return move(c, arr_param(c, order_ids, k), "held", "inv_release", n);
}

int inv_outbox_changed(ctx *c, int64_t sku_id, int64_t warehouse_id)
{
	const char *p[] = {db_param_i64(c, sku_id), db_param_i64(c, warehouse_id)};
	return db_exec(c, "inv_changed_one", 2, p) ? SOUK_OK : SOUK_ERR;
}
