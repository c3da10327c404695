/* seller_product: new products from sellers, checked field by field and
 * written in one transaction with their variants, offers and stock. */
#include "shop/seller_product.h"

#include <stdio.h>
#include <string.h>

#include "core/js.h"
#include "shop/catalog.h"
#include "shop/outbox.h"
#include "shop/seller_warehouse.h"
#include "shop/seller_offer.h"
#include "store/db.h"

static const db_stmt sproduct_sql[] = {
	{"sproduct_category", "SELECT id FROM categories WHERE id = $1"},
	/* a new product ranks after the catalog's best sellers */
	{"sproduct_insert",
	 "INSERT INTO products (ref, title, brand, description, bullet_points, category_id, seller_id,"
	 "                      sales_rank, image_url)"
	 " VALUES ('S' || upper(substr(md5(random()::text || clock_timestamp()::text), 1, 9)),"
	 "         $1, $2, $3, $4, $5, $6, 9999999, $7) RETURNING id, ref"},
	{"sproduct_variant",
	 "INSERT INTO product_variants (product_id, sku, size, color, price, images, position)"
	 " VALUES ($1, $2, $3, $4, $5, $6::text[], $7) RETURNING id"},
	{"sproduct_skus_taken",
	 "SELECT sku FROM offers WHERE sku = ANY ($1::text[])"
	 " UNION SELECT sku FROM product_variants WHERE sku = ANY ($1::text[]) LIMIT 1"},
};

void sproduct_register(void)
{
	seller_warehouse_register();
	db_register(sproduct_sql, sizeof(sproduct_sql) / sizeof(sproduct_sql[0]));
}

static int text_field(ctx *c, const char *field, const char *label, const char *v, size_t min,
                      size_t max)
{
	size_t n = v ? strlen(v) : 0;
	if (n < min || n > max)
		return min ? ctx_fail_field(c, 400, "bad_request", field, "%s must be %zu to %zu characters",
		                            label, min, max)
		           : ctx_fail_field(c, 400, "bad_request", field, "%s must be at most %zu characters",
		                            label, max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\n' && v[i] != '\r' && v[i] != '\t')
			return ctx_fail_field(c, 400, "bad_request", field, "%s holds control characters", label);
	return SOUK_OK;
}

/* Each non-empty line an http(s) URL without blanks or quotes. */
static int check_images(ctx *c, const char *images)
{
	int n = 0;
	for (const char *l = images ? images : ""; *l;) {
		size_t len = strcspn(l, "\r\n");
		if (len) {
			bool url = (len > 8 && strncmp(l, "https://", 8) == 0) || (len > 7 && strncmp(l, "http://", 7) == 0);
			for (size_t i = 0; url && i < len; i++)
				url = l[i] > ' ' && l[i] != '"' && l[i] != '\'' && l[i] != '<' && l[i] != '>' && l[i] != 0x7f;
			if (!url || len > 500)
				return ctx_fail_field(c, 400, "bad_request", "images",
				                      "image %d is not an http(s) URL (one per line)", n + 1);
			if (++n > SPRODUCT_MAX_IMAGES)
				return ctx_fail_field(c, 400, "bad_request", "images", "at most %d images",
				                      SPRODUCT_MAX_IMAGES);
		}
		l += len;
		l += strspn(l, "\r\n");
	}
	return SOUK_OK;
}

/* ctx_fail_field with a field name "v<N>_<what>" kept in the arena. */
static int variant_fail(ctx *c, int i, const char *what)
{
	char f[32];
	snprintf(f, sizeof(f), "v%d_%s", i + 1, what);
	const char *field = arena_strdup(c->a, f);
	const char *msg = c->err_msg;
	ctx_clear(c);
	return ctx_fail_field(c, 400, "bad_request", field, "variant %d: %s", i + 1, msg ? msg : what);
}

int sproduct_check(ctx *c, const sproduct_in *in)
{
	if (text_field(c, "title", "the title", in->title, 3, 200) < 0 ||
	    text_field(c, "brand", "the brand", in->brand, 0, 100) < 0 ||
	    text_field(c, "description", "the description", in->description, 0, 5000) < 0 ||
	    text_field(c, "bullets", "the bullet points", in->bullets, 0, 2000) < 0 ||
	    check_images(c, in->images) < 0 ||
	    soffer_check_price(c, "shipping", in->shipping, SOFFER_SHIPPING_MAX) < 0 ||
	    soffer_check_condition(c, in->condition) < 0 || soffer_check_fulfillment(c, in->fulfillment) < 0)
		return SOUK_ERR;
	if (in->nv < 1)
		return ctx_fail_field(c, 400, "bad_request", "variants",
		                      "a product needs at least one variant (its sku and list price)");
	if (in->nv > SPRODUCT_MAX_VARIANTS)
		return ctx_fail_field(c, 400, "bad_request", "variants", "at most %d variants",
		                      SPRODUCT_MAX_VARIANTS);
	for (int i = 0; i < in->nv; i++) {
		const sproduct_variant *v = &in->v[i];
		if (soffer_check_sku(c, v->sku) < 0)
			return variant_fail(c, i, "sku");
		for (int k = 0; k < i; k++)
			if (strcmp(in->v[k].sku, v->sku) == 0)
				return ctx_fail_field(c, 400, "bad_request", "variants",
				                      "variants %d and %d have the same sku", k + 1, i + 1);
		if (soffer_check_price(c, "price", v->list_price, SOFFER_PRICE_MAX) < 0)
			return variant_fail(c, i, "price");
		if (v->price > 0 && soffer_check_price(c, "price", v->price, SOFFER_PRICE_MAX) < 0)
			return variant_fail(c, i, "price");
		if (v->quantity >= 0 && soffer_check_quantity(c, v->quantity) < 0)
			return variant_fail(c, i, "quantity");
		if (text_field(c, "size", "size", v->size, 0, 40) < 0)
			return variant_fail(c, i, "size");
		if (text_field(c, "color", "colour", v->color, 0, 40) < 0)
			return variant_fail(c, i, "color");
	}
	const char *p[] = {db_param_i64(c, in->category_id)};
	db_res *r = in->category_id > 0 ? db_exec(c, "sproduct_category", 1, p) : NULL;
	if (in->category_id > 0 && !r)
		return SOUK_ERR;
	if (!r || db_rows(r) == 0)
		return ctx_fail_field(c, 400, "bad_request", "category_id", "unknown category");
	return SOUK_OK;
}

/* The image lines as an SQL text[] literal, each element quoted (URLs hold
 * no quotes or backslashes: check_images). */
static const char *image_array(ctx *c, const char *images, const char **first)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_putc(&b, '{');
	int n = 0;
	*first = "";
	for (const char *l = images ? images : ""; *l;) {
		size_t len = strcspn(l, "\r\n");
		if (len) {
			if (!n)
				*first = arena_strndup(c->a, l, len);
			buf_printf(&b, n++ ? ",\"%.*s\"" : "\"%.*s\"", (int)len, l);
		}
		l += len;
		l += strspn(l, "\r\n");
	}
	buf_putc(&b, '}');
	return b.p;
}

int sproduct_create(ctx *c, int64_t seller_id, bool suspended, const sproduct_in *in,
                    int64_t *product_id)
{
	if (suspended)
		return ctx_fail(c, 403, "suspended", "a suspended seller cannot list products");
	if (sproduct_check(c, in) < 0)
		return SOUK_ERR;
	bool fbm = strcmp(in->fulfillment, "FBM") == 0;
	int64_t wh = fbm ? seller_default_warehouse(c, seller_id) : 0;
	if (fbm && !wh)
		return SOUK_ERR;
	buf skus;
	buf_init(&skus, c->a, 0);
	buf_putc(&skus, '{');
	for (int i = 0; i < in->nv; i++)
		buf_printf(&skus, i ? ",%s" : "%s", in->v[i].sku); /* checked: [A-Za-z0-9._-] */
	buf_putc(&skus, '}');
	const char *pt[] = {skus.p};
	db_res *t = db_exec(c, "sproduct_skus_taken", 1, pt);
	if (!t)
		return SOUK_ERR;
	if (db_rows(t))
		return ctx_fail_field(c, 409, "conflict", "variants", "sku %s is already in use",
		                      db_val(t, 0, "sku"));
	const char *first;
	const char *images = image_array(c, in->images, &first);
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *pp[] = {in->title, in->brand ? in->brand : "", in->description ? in->description : "",
	                    in->bullets ? in->bullets : "", db_param_i64(c, in->category_id),
	                    db_param_i64(c, seller_id), first};
	db_res *pr = db_exec(c, "sproduct_insert", 7, pp);
	if (!pr)
		goto fail;
	*product_id = db_i64(pr, 0, "id");
	for (int i = 0; i < in->nv; i++) {
		const sproduct_variant *v = &in->v[i];
		const char *pv[] = {db_param_i64(c, *product_id), v->sku, v->size ? v->size : "",
		                    v->color ? v->color : "", db_param_i64(c, v->list_price), images,
		                    db_param_i64(c, i)};
		db_res *vr = db_exec(c, "sproduct_variant", 7, pv);
		if (!vr)
			goto fail;
		bool stock = fbm && v->quantity >= 0;
		const char *po[] = {db_val(vr, 0, "id"), db_param_i64(c, seller_id), v->sku,
		                    db_param_i64(c, v->price > 0 ? v->price : v->list_price),
		                    db_param_i64(c, in->shipping), in->condition, in->fulfillment,
		                    stock ? db_param_i64(c, wh) : NULL, db_param_i64(c, stock ? v->quantity : 0)};
		if (!db_exec(c, "soffer_insert", 9, po))
			goto fail;
	}
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.product_created");
	js_i64(ev, "seller_id", seller_id);
	js_i64(ev, "product_id", *product_id);
	if (catalog_refresh(c, catalog_id_array(c, product_id, 1)) < 0 ||
	    outbox_add(c, "catalog", db_param_i64(c, *product_id), ev) < 0 || db_commit(c) < 0)
		goto fail;
	catalog_invalidate(c, *product_id); /* the search caches key on catalog:version */
	return SOUK_OK;
fail:
	db_rollback(c);
	return SOUK_ERR;
}
