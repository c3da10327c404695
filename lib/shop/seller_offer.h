/* seller_offer: a seller's listings — their offers (list, one, create on an
 * existing product, change, withdraw/reactivate) and stock in their own
 * warehouses. Every function is scoped to a seller_id: another seller's
 * offer or warehouse answers 404, as an unknown one. Write paths go
 * through catalog_write (refresh, `catalog` event, cache dropped). */
#ifndef SOUK_SELLER_OFFER_H
#define SOUK_SELLER_OFFER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

#define SOFFER_PRICE_MAX 100000000  /* cents: $1,000,000, above is a typo */
#define SOFFER_SHIPPING_MAX 1000000 /* cents: $10,000 */
#define SOFFER_QTY_MAX 1000000
#define SOFFER_SKU_MAX 64

/* A new offer. product_ref (the ASIN) names the product's first variant
 * when variant_id is 0. quantity < 0: no stock given. */
typedef struct soffer_in {
	int64_t variant_id;
	const char *product_ref;
	const char *sku;
	int64_t price, shipping;
	const char *condition;   /* NULL: "new" */
	const char *fulfillment; /* "FBA" | "FBM"; NULL: "FBM" */
	int64_t quantity;
	int64_t warehouse_id;    /* 0: the seller's own (first) warehouse */
} soffer_in;

/* A change: fields left at SOFFER_KEEP / NULL stay as they are. */
typedef struct soffer_patch {
	int64_t price, shipping;
	const char *condition, *fulfillment;
	const char *status; /* "active" | "withdrawn" */
} soffer_patch;
#define SOFFER_KEEP INT64_MIN
#define SOFFER_PATCH_NONE {SOFFER_KEEP, SOFFER_KEEP, NULL, NULL, NULL}

/* Registers the module's SQL; call once before serving (seller_register
 * does). */
void soffer_register(void);

/* Field checks, each 400 naming the field (JSON and form names). */
int soffer_check_sku(ctx *c, const char *sku);
int soffer_check_price(ctx *c, const char *field, int64_t cents, int64_t max);
int soffer_check_quantity(ctx *c, int64_t qty);
/* condition: new, like_new, used, refurbished; fulfillment: FBA, FBM. */
int soffer_check_condition(ctx *c, const char *condition);
int soffer_check_fulfillment(ctx *c, const char *fulfillment);
/* "12", "12.5", "12.99" (dollars, as the pages take them) -> cents; -1
 * when malformed. */
int64_t soffer_dollars(str s);

/* The seller's offers, one page (newest first), the full count in *total:
 * sku_id, sku, variant_id, product_id, ref, title, size, color,
 * price, shipping, condition, fulfillment, status, quantity (own stock
 * summed), product_status. q (may be NULL/"") matches sku, title or ref;
 * status and fulfillment (NULL: any) filter. */
db_res *soffer_list(ctx *c, int64_t seller_id, const char *q, const char *status,
                    const char *fulfillment, int64_t limit, int64_t offset, int64_t *total);
/* One of the seller's offers (the columns of soffer_list); 404 when it is
 * not theirs. */
db_res *soffer_get(ctx *c, int64_t seller_id, int64_t sku_id);
/* Its stock per warehouse (warehouse_id, name, platform, quantity_available,
 * quantity_reserved), own warehouses first. */
db_res *soffer_stock(ctx *c, int64_t seller_id, int64_t sku_id);

/* Active products to offer, by exact ref (ASIN) or words of their title
 * (full text), best sellers first, one row per variant (at most 50):
 * product_id, ref, title, variant_id, size, color, list_price, mine (the
 * seller already offers that variant). */
db_res *soffer_find_products(ctx *c, int64_t seller_id, const char *q);

/* Creates an offer: 400 naming a bad field, 404 "not_found" for an
 * unknown product/variant, 409 "conflict" when the seller already offers
 * that variant or the sku is taken, 403 "suspended" for a suspended
 * seller. FBM stock goes to warehouse_id (default: their own). */
int soffer_create(ctx *c, int64_t seller_id, bool suspended, const soffer_in *in, int64_t *sku_id);
/* Applies a patch to the seller's offer (404 when not theirs); a
 * suspended seller cannot reactivate (403). */
int soffer_update(ctx *c, int64_t seller_id, bool suspended, int64_t sku_id, const soffer_patch *p);
/* Sets FBM stock in one of the seller's warehouses (warehouse_id 0: their
 * own): 404 unknown offer or warehouse (another seller's included), 409
 * "fba_read_only" for an FBA offer, 400 quantity out of range. */
int soffer_set_stock(ctx *c, int64_t seller_id, int64_t sku_id, int64_t warehouse_id, int64_t qty);

#endif
