/* api_seller: the seller API's routes of listings (offers, stock, the
 * inventory file). Each handler starts with seller_api_guard. */
#ifndef SOUK_API_SELLER_H
#define SOUK_API_SELLER_H

#include <json-c/json.h>

#include "core/ctx.h"
#include "store/db.h"

/* api_seller.c */
int api_seller_offers(ctx *c);
int api_seller_offer(ctx *c);
int api_seller_offer_create(ctx *c);
int api_seller_offer_patch(ctx *c);
int api_seller_offer_stock(ctx *c);
/* One offer row of soffer_list / soffer_get as JSON (a new object). */
json_object *api_seller_offer_json(const db_res *r, int i);
/* api_seller_photos.c */
int api_seller_photos(ctx *c);
int api_seller_photo_add(ctx *c);
int api_seller_photo_delete(ctx *c);
int api_seller_photo_first(ctx *c);
/* api_seller_csv.c */
int api_seller_inventory_file(ctx *c);

#endif
