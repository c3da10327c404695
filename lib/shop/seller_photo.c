/* seller_photo: uploads become product_images rows of source 'upload', their files written by image_write_sizes. */
#include "shop/seller_photo.h"

#include <stdio.h>
#include <string.h>

#include "core/js.h"
#include "core/log.h"
#include "core/rnd.h"
#include "shop/catalog.h"
#include "shop/image.h"
#include "shop/outbox.h"

static const db_stmt sphoto_sql[] = {
	{"sphoto_list",
	 "SELECT p.title, i.position, i.stem, i.source FROM products p"
	 " LEFT JOIN product_images i ON i.product_id = p.id"
	 " WHERE p.id = $1 AND p.seller_id = $2 ORDER BY i.position"},
	/* the product row is the lock every change of its pictures takes */
	{"sphoto_lock",
	 "SELECT p.id, (SELECT count(*) FROM product_images i"
	 "              WHERE i.product_id = p.id AND i.source = 'upload') AS uploads"
	 " FROM products p WHERE p.id = $1 AND p.seller_id = $2 FOR UPDATE"},
	{"sphoto_drop_tiles", "DELETE FROM product_images WHERE product_id = $1 AND source = 'tile'"},
	{"sphoto_insert",
	 "INSERT INTO product_images (product_id, position, stem, source)"
	 " SELECT $1, COALESCE(max(position) + 1, 0), $2, 'upload' FROM product_images"
	 " WHERE product_id = $1"},
	{"sphoto_has",
	 "SELECT 1 FROM product_images WHERE product_id = $1 AND stem = $2 AND source = 'upload'"},
	{"sphoto_remove",
	 "DELETE FROM product_images WHERE product_id = $1 AND stem = $2 AND source = 'upload'"},
	/* positions 0..n-1 with $2 (or nobody, '') first: through 1000+ so the
	 * primary key (product_id, position) never sees two rows on one spot */
	{"sphoto_renumber_up",
	 "UPDATE product_images i SET position = 1000 + o.pos"
	 " FROM (SELECT stem, row_number() OVER (ORDER BY stem = $2 DESC, position) - 1 AS pos"
	 "       FROM product_images WHERE product_id = $1) o"
	 " WHERE i.product_id = $1 AND i.stem = o.stem"},
	{"sphoto_renumber_down",
	 "UPDATE product_images SET position = position - 1000 WHERE product_id = $1"},
	/* the drawn tiles again, as sql/050 gives every product without pictures */
	{"sphoto_tiles_back",
	 "INSERT INTO product_images (product_id, position, stem)"
	 " SELECT p.id, g.pos, product_tile_stem(p, c.name, g.pos)"
	 " FROM products p JOIN categories c ON c.id = p.category_id"
	 " CROSS JOIN generate_series(0, 2) AS g(pos)"
	 " WHERE p.id = $1 AND NOT EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id)"},
	{"sphoto_image_url",
	 "UPDATE products p SET image_url = COALESCE((SELECT i.stem || '-card.webp' FROM product_images i"
	 "                                            WHERE i.product_id = p.id AND i.position = 0), '')"
	 " WHERE p.id = $1"},
};

void sphoto_register(void)
{
	db_register(sphoto_sql, sizeof(sphoto_sql) / sizeof(sphoto_sql[0]));
}

db_res *sphoto_list(ctx *c, int64_t seller_id, int64_t product_id)
{
	const char *p[] = {db_param_i64(c, product_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "sphoto_list", 2, p);
	if (r && db_rows(r) == 0) {
		ctx_fail(c, 404, "not_found", "no such product among yours");
		return NULL;
	}
	return r;
}

const char *sphoto_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 60)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(name[i] == '-' || (name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z')))
			return NULL;
	return name;
}

/* Locks the seller's product in the caller's transaction: uploads (or
 * NULL) its count of photos; 404 when not theirs. */
static int lock_product(ctx *c, int64_t seller_id, int64_t product_id, int64_t *uploads)
{
	const char *p[] = {db_param_i64(c, product_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "sphoto_lock", 2, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such product among yours");
	if (uploads)
		*uploads = db_i64(r, 0, "uploads");
	return SOUK_OK;
}

/* The end of every change: positions closed up (first_stem first), the
 * tiles back when nothing is left, image_url on position 0, the cache
 * consumer told, commit, and the cached document dropped at once (the
 * seller's next look at the product page shows the change). */
static int finish(ctx *c, int64_t product_id, const char *first_stem)
{
	const char *pid = db_param_i64(c, product_id);
	const char *pr[] = {pid, first_stem};
	const char *p1[] = {pid};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.images_changed");
	js_i64(ev, "product_id", product_id);
	if (!db_exec(c, "sphoto_renumber_up", 2, pr) || !db_exec(c, "sphoto_renumber_down", 1, p1) ||
	    !db_exec(c, "sphoto_tiles_back", 1, p1) || !db_exec(c, "sphoto_image_url", 1, p1) ||
	    outbox_add(c, "catalog", pid, ev) < 0 || db_commit(c) < 0)
		return SOUK_ERR;
	catalog_invalidate(c, product_id);
	return SOUK_OK;
}

static int refuse_suspended(ctx *c)
{
	return ctx_fail(c, 403, "suspended", "A suspended seller cannot change listings.");
}

static int too_many(ctx *c)
{
	return ctx_fail(c, 409, "too_many_photos",
	                "A product has at most %d photos; delete one before adding another.", SPHOTO_MAX);
}

int sphoto_add(ctx *c, int64_t seller_id, bool suspended, int64_t product_id, const void *bytes,
               size_t n, const char *dir, const char **stem)
{
	int64_t uploads;
	/* ownership and room first: a refused upload costs no decoding */
	if (lock_product(c, seller_id, product_id, &uploads) < 0)
		return SOUK_ERR;
	if (suspended)
		return refuse_suspended(c);
	if (uploads >= SPHOTO_MAX)
		return too_many(c);
	const char *pdir = image_pictures_dir(c, dir);
	if (!pdir)
		return SOUK_ERR;
	/* a fresh name per upload: served names are immutable (nginx/img.conf) */
	const char *hex = rnd_hex(c->a, 8);
	buf sb;
	buf_init(&sb, c->a, 128);
	buf_printf(&sb, "/img/p/%lld-u%s", (long long)product_id, hex ? hex : "");
	if (!hex || sb.failed)
		return ctx_fail(c, 500, "internal", "out of memory");
	const char *s = sb.p, *name = sb.p + strlen("/img/p/");
	if (image_write_sizes(c, bytes, n, IMAGE_PHOTO, pdir, name) < 0) {
		image_remove_sizes(pdir, name); /* a size written before a later one failed */
		return SOUK_ERR;
	}
	const char *pi[] = {db_param_i64(c, product_id), s};
	if (db_begin(c) < 0)
		goto fail;
	if (lock_product(c, seller_id, product_id, &uploads) < 0 ||
	    (uploads >= SPHOTO_MAX && too_many(c) < 0) || /* another upload took the last place */
	    !db_exec(c, "sphoto_drop_tiles", 1, pi) || !db_exec(c, "sphoto_insert", 2, pi) ||
	    finish(c, product_id, "") < 0) {
		db_rollback(c);
		goto fail;
	}
	if (stem)
		*stem = s;
	return SOUK_OK;
fail:
	image_remove_sizes(pdir, name);
	return SOUK_ERR;
}

/* Locks the product, checks suspended and that `name` is one of its
 * uploads; *stem its stem. Leaves the transaction open on success. */
static int begin_change(ctx *c, int64_t seller_id, bool suspended, int64_t product_id,
                        const char *name, const char **stem)
{
	buf sb;
	buf_init(&sb, c->a, 128);
	buf_printf(&sb, "/img/p/%s", sphoto_name_ok(name) ? name : "");
	if (sb.failed)
		return ctx_fail(c, 500, "internal", "out of memory");
	*stem = sb.p;
	const char *p[] = {db_param_i64(c, product_id), sb.p};
	if (db_begin(c) < 0)
		return SOUK_ERR;
	db_res *r = NULL;
	if (lock_product(c, seller_id, product_id, NULL) < 0 ||
	    (suspended && refuse_suspended(c) < 0) || !(r = db_exec(c, "sphoto_has", 2, p)) ||
	    (db_rows(r) == 0 && ctx_fail(c, 404, "not_found", "no such photo of this product") < 0)) {
		db_rollback(c);
		return SOUK_ERR;
	}
	return SOUK_OK;
}

int sphoto_delete(ctx *c, int64_t seller_id, bool suspended, int64_t product_id, const char *name,
                  const char *dir)
{
	const char *stem;
	if (begin_change(c, seller_id, suspended, product_id, name, &stem) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, product_id), stem};
	if (!db_exec(c, "sphoto_remove", 2, p) || finish(c, product_id, "") < 0) {
		db_rollback(c);
		return SOUK_ERR;
	}
	/* after the commit: a failed delete keeps the files its row still names */
	const char *pdir = image_pictures_dir(c, dir);
	if (pdir)
		image_remove_sizes(pdir, name);
	else
		ctx_clear(c); /* the change stands; its files stay behind */
	return SOUK_OK;
}

int sphoto_first(ctx *c, int64_t seller_id, bool suspended, int64_t product_id, const char *name)
{
	const char *stem;
	if (begin_change(c, seller_id, suspended, product_id, name, &stem) < 0)
		return SOUK_ERR;
	if (finish(c, product_id, stem) < 0) {
		db_rollback(c);
		return SOUK_ERR;
	}
	return SOUK_OK;
}
