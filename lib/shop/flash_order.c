/* flash_order: a flash purchase — Redis units first (the fast no), then
 * checkout_place with the sale's conditional UPDATE as the final word in
 * the order's transaction; whatever does not end in a confirmed order
 * gives the Redis units back. */
#include "shop/flash_order.h"

#include <stdbool.h>

#include "shop/flash_release.h"
#include "store/db.h"

static const db_stmt flash_order_sql[] = {
	/* the final word: never more than the sale's units */
	{"flash_order_take",
	 "UPDATE flash_sales SET units_sold = units_sold + $2 WHERE id = $1 AND state <> 'ended'"
	 " AND now() >= starts_at AND now() < ends_at AND units_sold + $2 <= units"
	 " RETURNING units, units_sold, sold_out_event"},
	/* under the sale row's lock (taken above): the customer's units */
	{"flash_customer_qty",
	 "SELECT coalesce(sum(qty), 0)::bigint AS n FROM flash_orders WHERE sale_id = $1"
	 " AND customer = $2 AND NOT released"},
	{"flash_order_link",
	 "INSERT INTO flash_orders (order_id, sale_id, customer, ticket, qty)"
	 " VALUES ($1, $2, $3, $4, $5)"},
	{"flash_sold_out", "UPDATE flash_sales SET sold_out_event = true WHERE id = $1"},
};

void flash_order_register(void)
{
	flash_register();
	checkout_register(); /* the purchase is a checkout with a hold */
	db_register(flash_order_sql, sizeof(flash_order_sql) / sizeof(flash_order_sql[0]));
}

int64_t flash_customer_bought(ctx *c, int64_t sale, const char *customer)
{
	const char *p[] = {db_param_i64(c, sale), customer};
	db_res *r = db_exec(c, "flash_customer_qty", 2, p);
	return r ? db_i64(r, 0, "n") : -1;
}

typedef struct buy {
	const flash_sale *s;
	const char *customer;
	int64_t ticket, qty;
	bool claimed; /* its units taken in Redis: given back unless confirmed */
} buy;

/* A new order (never a replay, checkout_place rules that out first):
 * within the customer's limit, then the fast no of the Redis units. */
static int claim(ctx *c, void *arg)
{
	buy *b = arg;
	int64_t had = flash_customer_bought(c, b->s->id, b->customer);
	if (had < 0)
		return SOUK_ERR;
	if (had >= b->s->per_customer)
		return ctx_fail(c, 403, "pass_spent", "this pass was used up: you bought %lld already",
		                (long long)had);
	if (had + b->qty > b->s->per_customer)
		return ctx_fail(c, 409, "over_limit", "at most %lld per customer in this sale (you have %lld)",
		                (long long)b->s->per_customer, (long long)had);
	if (flash_stock_take(c, b->s, b->customer, b->qty) < 0)
		return SOUK_ERR;
	b->claimed = true;
	return SOUK_OK;
}

static int take(ctx *c, int64_t order_id, void *arg)
{
	const buy *b = arg;
	const char *sale = db_param_i64(c, b->s->id), *qty = db_param_i64(c, b->qty);
	const char *p[] = {sale, qty};
	db_res *r = db_exec(c, "flash_order_take", 2, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 409, "sold_out", "the sale is sold out or over");
	const char *q[] = {sale, b->customer};
	db_res *had = db_exec(c, "flash_customer_qty", 2, q);
	if (!had)
		return SOUK_ERR;
	if (db_i64(had, 0, "n") + b->qty > b->s->per_customer)
		return ctx_fail(c, 409, "over_limit", "at most %lld per customer in this sale",
		                (long long)b->s->per_customer);
	const char *l[] = {db_param_i64(c, order_id), sale, b->customer, db_param_i64(c, b->ticket),
	                   qty};
	if (!db_exec(c, "flash_order_link", 5, l))
		return SOUK_ERR;
	if (db_i64(r, 0, "units_sold") == db_i64(r, 0, "units") && !db_bool(r, 0, "sold_out_event")) {
		const char *s1[] = {sale};
		if (!db_exec(c, "flash_sold_out", 1, s1) || flash_announce(c, b->s->id, "flash.sold_out", -1) < 0)
			return SOUK_ERR;
	}
	return SOUK_OK;
}

/* A decline or a provider failure: the units the order took in
 * PostgreSQL go back in the cancel's transaction (flash_order_place gives
 * the Redis ones, keyed by the order). */
static int give(ctx *c, int64_t order_id, void *arg)
{
	(void)arg;
	flash_released fr;
	return flash_release_order(c, order_id, &fr);
}

int flash_order_place(ctx *c, const flash_sale *s, const char *customer, int64_t ticket,
                      int64_t qty, checkout_req *rq, checkout_result *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = CHECKOUT_FAILED;
	if (checkout_validate(c, &(checkout_req){.hold = &(checkout_hold){0}, .email = rq->email,
	                                         .addr = rq->addr, .card = rq->card,
	                                         .shipping_method = rq->shipping_method,
	                                         .idempotency_key = rq->idempotency_key}) < 0)
		return SOUK_ERR; /* bad input costs no unit, not even for a moment */
	buy b = {s, customer, ticket, qty, false};
	checkout_hold h = {s->sku_id, qty, s->price, claim, take, give, &b};
	rq->hold = &h;
	rq->cart_id = customer; /* the scope of its key without a session (lost with Redis) */
	int rc = checkout_place(c, rq, out);
	if (out->outcome == CHECKOUT_CONFIRMED && rc == SOUK_OK)
		flash_pass_spend(c, s, customer, ticket);
	else if (b.claimed) /* declined, refused by PostgreSQL, provider down, cancelled meanwhile */
		flash_stock_give(c, s, customer, qty, out->order_id);
	return rc;
}
