/* cart_stock: a cart's quantities brought within the stock there is. */
#ifndef SOUK_CART_STOCK_H
#define SOUK_CART_STOCK_H

#include "shop/cart.h"

/* What cart_fit_stock changed: the last line it touched (its sku, the
 * quantity asked and the one kept, 0 when it was removed) and how many. */
typedef struct cart_fit {
	int changed;
	int64_t sku_id;
	int asked, kept;
} cart_fit;

/* For every active line of k (cart_get of cart_id) asking more than is
 * available: sets the quantity to what is available, or removes the line
 * when nothing is. k is not updated (read the cart again to show it).
 * 0 (f says what changed), or SOUK_ERR recorded (Redis down: 503). */
int cart_fit_stock(ctx *c, const char *cart_id, const cart *k, cart_fit *f);

/* The message for what cart_fit_stock did, in the arena, or NULL when it
 * did nothing: "Only 15 left — we changed your quantity to 15". */
const char *cart_fit_message(ctx *c, const cart_fit *f);

#endif
