/* buy_live: a context on the test stack's PostgreSQL and Redis, for the
 * buying suites (cart, payment, order). */
#ifndef SOUK_BUY_LIVE_H
#define SOUK_BUY_LIVE_H

#include <stdlib.h>

#include "shop/shop.h"
#include "shop/pay_choose.h"
#include "store/db.h"
#include "store/rds.h"
#include "tests.h"

/* Registers the buying statements (before the connection opens) and
 * returns a context on the live servers. Free with app_ctx_free. */
static inline ctx *buy_live_ctx(void)
{
	shop_register(); /* as every process: checkout and the order hooks */
	if (pay_choose("sandbox") < 0)
		abort();
	ctx *c = t_ctx_new(0);
	db_free(c->db);
	c->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	rds_free(c->rds);
	c->rds = rds_new(getenv("SOUK_TEST_REDIS_URL"));
	return c;
}

#endif
