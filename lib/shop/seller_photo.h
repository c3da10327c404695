/* seller_photo: a seller's photos of their own product, written through image.c into the demo pictures' sizes and names. */
#ifndef SOUK_SELLER_PHOTO_H
#define SOUK_SELLER_PHOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define SPHOTO_MAX 9 /* photos per product; the tenth is refused */

/* Registers the module's SQL (seller_register does). */
void sphoto_register(void);

/* The product's pictures if seller_id owns product_id: one row per
 * picture in order (columns title, position, stem, source; position NULL
 * and one row when it has none). NULL with 404 for any other product. */
db_res *sphoto_list(ctx *c, int64_t seller_id, int64_t product_id);

/* The photo's public name ("12-u0123abcd…", what follows /img/p/ in its
 * stem) checked: [A-Za-z0-9-], 1 to 60 characters; NULL when not. */
const char *sphoto_name_ok(const char *name);

/* Adds the photo in `bytes` (the caller's) as the product's last picture:
 * decoded and checked by image_write_sizes (400 "bad_image" saying what is
 * wrong: not JPEG/PNG/WebP, damaged, over 10 MB, over 40 megapixels), its
 * sizes written under DIR/p/ without metadata, then the row. The drawn
 * tiles of a product without photos give way to its first photo.
 * 404 not the seller's product, 403 suspended, 409 already SPHOTO_MAX
 * photos; on any failure no row and no file is left. *stem (arena) the
 * new picture's stem, when not NULL. */
int sphoto_add(ctx *c, int64_t seller_id, bool suspended, int64_t product_id, const void *bytes,
               size_t n, const char *dir, const char **stem);

/* Deletes the upload `name` (sphoto_name_ok) and its files; the others
 * close up. A product left without photos gets its drawn tiles back.
 * 404 when the product or the photo is not the seller's. */
int sphoto_delete(ctx *c, int64_t seller_id, bool suspended, int64_t product_id, const char *name,
                  const char *dir);

/* Makes `name` the first picture (the product page's main one, the
 * listings' card); the others keep their order after it. 404 as above. */
int sphoto_first(ctx *c, int64_t seller_id, bool suspended, int64_t product_id, const char *name);

#endif
