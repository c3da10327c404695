/* seller_product: a seller creates a new product (title, brand,
 * description, bullet points, category, image URLs) with its variants
 * (size/colour, list price) and their offer in one transaction; it is
 * browsable at once and searchable once souk-searchd refreshes (~100 ms). */
#ifndef SOUK_SELLER_PRODUCT_H
#define SOUK_SELLER_PRODUCT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

#define SPRODUCT_MAX_VARIANTS 20
#define SPRODUCT_MAX_IMAGES 10

typedef struct sproduct_variant {
	const char *sku, *size, *color;
	int64_t list_price; /* cents */
	int64_t price;      /* the offer's price; <= 0: the list price */
	int64_t quantity;   /* FBM stock in the seller's warehouse; < 0: none */
} sproduct_variant;

typedef struct sproduct_in {
	const char *title, *brand, *description;
	const char *bullets; /* one bullet point per line */
	const char *images;  /* image URLs, one per line (http:// or https://) */
	int64_t category_id;
	int64_t shipping;    /* cents, every variant's offer */
	const char *condition, *fulfillment;
	const sproduct_variant *v;
	int nv;
} sproduct_in;

/* Registers the module's SQL (seller_register does). */
void sproduct_register(void);

/* Checks every field without touching the database but the category:
 * 400 naming the field (title, brand, description, bullets, images,
 * category_id, variants, v<N>_sku / v<N>_price / ...), "unknown category". */
int sproduct_check(ctx *c, const sproduct_in *in);

/* Creates the product (ref "S" + 9 hex digits), its variants and one offer
 * per variant for seller_id; *product_id the new id. 409 when a sku is
 * taken (nothing written), 403 for a suspended seller. */
int sproduct_create(ctx *c, int64_t seller_id, bool suspended, const sproduct_in *in,
                    int64_t *product_id);

#endif
