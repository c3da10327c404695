/* seller: the seller center pool's pages (seller.c has the route table).
 * Every page starts with seller_page_guard (a POST: seller_post_guard,
 * web/seller_page.h) and acts only on who.id's rows: another seller's ids
 * answer 404. */
#ifndef SOUK_SELLER_POOL_H
#define SOUK_SELLER_POOL_H

#include "web/seller_page.h"

/* seller_keys.c */
int page_seller_home(ctx *c);
int page_seller_keys(ctx *c);
int post_seller_key_create(ctx *c);
int post_seller_key_revoke(ctx *c);
/* seller_listings.c */
int page_seller_listings(ctx *c);
int page_seller_offer_new(ctx *c);
int post_seller_offer_create(ctx *c);
int page_seller_offer(ctx *c);
int post_seller_offer_update(ctx *c);
int post_seller_offer_stock(ctx *c);
int post_seller_offer_status(ctx *c);
/* seller_products.c */
int page_seller_product_new(ctx *c);
int post_seller_product_create(ctx *c);
/* seller_photos.c */
int page_seller_photos(ctx *c);
int post_seller_photo_add(ctx *c);
int post_seller_photo_action(ctx *c);
/* seller_inventory.c */
int page_seller_inventory(ctx *c);
int post_seller_inventory(ctx *c);
int page_seller_inventory_report(ctx *c);

/* seller_orders.c: shipments, returns, ledger, dashboard */
void seller_orders_register(void);
int page_seller_orders(ctx *c);
int post_seller_shipment_confirm(ctx *c);
int page_seller_returns(ctx *c);
int post_seller_return_approve(ctx *c);
int post_seller_return_reject(ctx *c);
int page_seller_ledger(ctx *c);
int page_seller_dashboard(ctx *c);

#endif
