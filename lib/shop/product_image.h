/* product_image: a product's pictures (product_images) and drawing its tiles on demand. */
#ifndef SOUK_PRODUCT_IMAGE_H
#define SOUK_PRODUCT_IMAGE_H

#include <stdint.h>

#include "store/db.h"

void product_image_register(void);

/* The product's pictures in order: columns position, stem (files
 * STEM-{thumb,card,page}.webp, image.h). NULL on failure (recorded). */
db_res *product_images(ctx *c, int64_t product_id);

/* Draws the tile whose file name under /img/p/ is `name`
 * ("{id}-{pos}-{version}-{size}.webp") into DIR/p/ in that size, if
 * that stem is one of product_images' tiles; 404 for any other name
 * (nothing is written for a name Souk did not give out). */
int product_image_draw(ctx *c, const char *name, const char *dir);

#endif
