/* checkout_json: a checkout's request and answer as JSON (the API's
 * checkout and the flash sale's orders share them). */
#ifndef SOUK_CHECKOUT_JSON_H
#define SOUK_CHECKOUT_JSON_H

#include <stdbool.h>

#include "core/js.h"
#include "shop/checkout.h"

/* Fills rq from body b (strings borrowed from b) and the Idempotency-Key
 * header: email, shipping_method, shipping_address{...}, payment{card or
 * payment_method}, and cart_id when want_cart. 400 naming the bad field. */
int checkout_from_json(ctx *c, json_object *b, bool want_cart, checkout_req *rq);

/* Writes checkout_place's outcome (its return code rc and result) as the
 * answer: 201 {"order"}, or the failure with details (409 out_of_stock,
 * 402 payment_declined with the cancelled order, ...). */
int checkout_reply(ctx *c, int rc, const checkout_result *res);

#endif
