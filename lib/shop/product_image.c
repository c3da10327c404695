/* product_image: the rows of product_images; tiles drawn through image.c on first request. */
#include "shop/product_image.h"

#include <string.h>

#include "core/log.h"
#include "shop/image.h"
#include "shop/image_tile.h"

static const db_stmt product_image_sql[] = {
	{"product_images", "SELECT position, stem FROM product_images WHERE product_id = $1 ORDER BY position"},
	{"product_image_tile",
	 "SELECT i.position, p.ref, p.brand, p.color, c.name AS category"
	 " FROM product_images i JOIN products p ON p.id = i.product_id"
	 " JOIN categories c ON c.id = p.category_id"
	 " WHERE i.stem = $1 AND i.source = 'tile'"},
};

void product_image_register(void)
{
	db_register(product_image_sql, sizeof(product_image_sql) / sizeof(product_image_sql[0]));
}

db_res *product_images(ctx *c, int64_t product_id)
{
	const char *p[] = {db_param_i64(c, product_id)};
	return db_exec(c, "product_images", 1, p);
}

/* The stem of a served name: "/img/p/" + name without "-{size}.webp",
 * when size is one of image_sizes and the rest is [A-Za-z0-9-]. */
static const char *stem_of(ctx *c, const char *name, const image_size **size)
{
	size_t n = strlen(name);
	for (int i = 0; i < IMAGE_NSIZES; i++) {
		size_t k = strlen(image_sizes[i].name) + 6; /* "-" NAME ".webp" */
		if (n <= k || n > 80 || strcmp(name + n - 5, ".webp") ||
		    strncmp(name + n - k, "-", 1) || strncmp(name + n - k + 1, image_sizes[i].name, k - 6))
			continue;
		for (size_t j = 0; j < n - k; j++)
			if (!(name[j] == '-' || (name[j] >= '0' && name[j] <= '9') ||
			      (name[j] >= 'a' && name[j] <= 'z') || (name[j] >= 'A' && name[j] <= 'Z')))
				return NULL;
		buf b;
		buf_init(&b, c->a, 128);
		buf_printf(&b, "/img/p/%.*s", (int)(n - k), name);
		*size = &image_sizes[i];
		return b.failed ? NULL : b.p;
	}
	return NULL;
}

int product_image_draw(ctx *c, const char *name, const char *dir)
{
	const image_size *size = NULL;
	const char *stem = stem_of(c, name, &size);
	if (!stem)
		return ctx_fail(c, 404, "not_found", "No such picture.");
	const char *p[] = {stem};
	db_res *r = db_exec(c, "product_image_tile", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "No such picture.");
	image_tile t = {.ref = db_val(r, 0, "ref"),
	                .brand = db_val(r, 0, "brand"),
	                .category = db_val(r, 0, "category"),
	                .color = db_val(r, 0, "color"),
	                .pos = (int)db_i64(r, 0, "position")};
	buf svg;
	buf_init(&svg, c->a, 64 * 1024);
	if (image_tile_svg(&svg, &t) < 0)
		return ctx_fail(c, 500, "internal", "could not draw the picture");
	const char *pdir = image_pictures_dir(c, dir);
	if (!pdir)
		return SOUK_ERR;
	/* only the size asked for: the others are drawn when they are asked */
	return image_write_size(c, svg.p, svg.len, IMAGE_SVG, pdir, stem + strlen("/img/p/"), size);
}
