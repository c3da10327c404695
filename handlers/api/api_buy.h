/* api_buy: the buying routes of the JSON API (carts, checkout, orders). */
#ifndef SOUK_API_BUY_H
#define SOUK_API_BUY_H

#include "core/ctx.h"

/* api_cart.c */
int api_cart_create(ctx *c);
int api_cart_get(ctx *c);
int api_cart_add(ctx *c);
int api_cart_set(ctx *c);
int api_cart_remove(ctx *c);
/* api_checkout.c */
int api_checkout(ctx *c);
/* api_orders.c */
int api_order_get(ctx *c);
int api_order_cancel(ctx *c);

/* api_cart.c: the request body as a JSON object (any content type), or
 * NULL with 400 recorded. */
struct json_object *api_body_object(ctx *c);

#endif
