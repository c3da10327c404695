/* seller: the seller center pool's pages (seller.c has the route table).
 * Every page starts with seller_page_guard (web/seller_page.h) and acts
 * only on who.id's rows: another seller's ids answer 404. */
#ifndef SOUK_SELLER_POOL_H
#define SOUK_SELLER_POOL_H

#include "web/seller_page.h"

/* seller_keys.c */
int page_seller_home(ctx *c);
int page_seller_keys(ctx *c);
int post_seller_key_create(ctx *c);
int post_seller_key_revoke(ctx *c);

#endif
