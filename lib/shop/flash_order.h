/* flash_order: buying in a flash sale with a pass, through checkout. */
#ifndef SOUK_FLASH_ORDER_H
#define SOUK_FLASH_ORDER_H

#include "shop/checkout.h"
#include "shop/flash.h"

/* Registers the SQL of flash sales, their orders and checkout. */
void flash_order_register(void);

/* Units the customer holds in the sale (not released orders); -1 with
 * the failure recorded. */
int64_t flash_customer_bought(ctx *c, int64_t sale, const char *customer);

/* Places a flash order of qty units for customer (the cart_caller tag)
 * holding `ticket`'s pass: rq is a checkout request without a cart (its
 * hold is set here). Same outcomes as checkout_place, plus 409 sold_out /
 * over_limit. Units taken in Redis are given back unless the order is
 * confirmed now. */
/* The stored answer of an earlier flash order with rq's Idempotency-Key
 * (1), 0 when there is none, SOUK_ERR (422) for another request's key:
 * a retry of the order that spent the pass still gets its order. */
int flash_order_replay(ctx *c, const flash_sale *s, const char *customer, int64_t qty,
                       checkout_req *rq, checkout_result *out);
int flash_order_place(ctx *c, const flash_sale *s, const char *customer, int64_t ticket,
                      int64_t qty, checkout_req *rq, checkout_result *out);

#endif
