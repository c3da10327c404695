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
 * hold is set here). Same outcomes as checkout_place (a known key
 * replays its order, even once the pass is spent), plus 403 pass_spent,
 * 409 over_limit / sold_out. Units taken in Redis are given back unless
 * the order is confirmed now. */
int flash_order_place(ctx *c, const flash_sale *s, const char *customer, int64_t ticket,
                      int64_t qty, checkout_req *rq, checkout_result *out);

#endif
