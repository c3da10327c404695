/* seller_products: a seller creates a new product with its variants (the
 * form keeps up to five variant rows; empty rows are left out). */
#include "seller.h"

#include <stdio.h>

#include "shop/catalog.h"
#include "shop/seller_offer.h"
#include "shop/seller_product.h"

#define FORM_VARIANTS 5

static int product_form(ctx *c, const seller_who *who, const char *error, const char *field, int status)
{
	db_res *cats = catalog_all_categories(c);
	if (!cats)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, who, "New product");
	if (error) {
		tmpl_dict *e = tmpl_section(d, "ERROR");
		tmpl_set(e, "MESSAGE", error);
		tmpl_set(e, "FIELD", field ? field : "");
	}
	static const char *const f[] = {"title", "brand", "description", "bullets", "images", "shipping", NULL};
	static const char *const F[] = {"TITLE", "BRAND", "DESCRIPTION", "BULLETS", "IMAGES", "SHIPPING", NULL};
	for (int i = 0; f[i]; i++)
		tmpl_set(d, F[i], shop_field(c, f[i]));
	int64_t cat = 0;
	str_to_i64(str_c(shop_field(c, "category_id")), 1, INT64_MAX, &cat);
	for (int i = 0; i < db_rows(cats); i++) {
		tmpl_dict *o = tmpl_section(d, "CAT_OPT");
		tmpl_set_i64(o, "ID", db_i64(cats, i, "id"));
		int depth = (int)db_i64(cats, i, "depth");
		tmpl_set(o, "NAME", view_fmt(c->a, "%.*s%s", depth * 2, "· · · · · · · · · · · · ",
		                             db_val(cats, i, "name")));
		if (db_i64(cats, i, "id") == cat)
			tmpl_show(o, "SEL");
	}
	for (int i = 1; i <= FORM_VARIANTS; i++) {
		tmpl_dict *v = tmpl_section(d, "VROW");
		tmpl_set_i64(v, "N", i);
		static const char *const vf[] = {"sku", "size", "color", "price", "quantity", NULL};
		static const char *const VF[] = {"VSKU", "VSIZE", "VCOLOR", "VPRICE", "VQTY", NULL};
		for (int k = 0; vf[k]; k++)
			tmpl_set(v, VF[k], shop_field(c, view_fmt(c->a, "v%d_%s", i, vf[k])));
	}
	return shop_render(c, status, "seller_product_new.tpl", d);
}

int page_seller_product_new(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	return product_form(c, &who, NULL, NULL, 200);
}

/* v<N>_<what> in dollars: 400 naming that field. */
static int variant_dollars(ctx *c, int n, const char *what, int64_t *out)
{
	const char *field = view_fmt(c->a, "v%d_%s", n, what);
	*out = soffer_dollars(str_c(shop_field(c, field)));
	if (*out < 0)
		return ctx_fail_field(c, 400, "bad_request", field,
		                      "variant %d: the list price must be an amount in dollars, like 12.99", n);
	return SOUK_OK;
}

int post_seller_product_create(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	if (shop_post(c) < 0)
		return SOUK_ERR;
	rc = SOUK_OK;
	sproduct_variant v[FORM_VARIANTS];
	sproduct_in in = {.title = shop_field(c, "title"), .brand = shop_field(c, "brand"),
	                  .description = shop_field(c, "description"), .bullets = shop_field(c, "bullets"),
	                  .images = shop_field(c, "images"), .condition = shop_field(c, "condition"),
	                  .fulfillment = shop_field(c, "fulfillment"), .v = v};
	const char *ship = shop_field(c, "shipping");
	in.shipping = *ship ? soffer_dollars(str_c(ship)) : 0;
	str_to_i64(str_c(shop_field(c, "category_id")), 1, INT64_MAX, &in.category_id);
	int64_t pid;
	for (int i = 1; i <= FORM_VARIANTS && rc == SOUK_OK; i++) {
		const char *sku = shop_field(c, view_fmt(c->a, "v%d_sku", i));
		const char *price = shop_field(c, view_fmt(c->a, "v%d_price", i));
		const char *qty = shop_field(c, view_fmt(c->a, "v%d_quantity", i));
		if (!*sku && !*price)
			continue; /* an empty row */
		sproduct_variant *x = &v[in.nv++];
		*x = (sproduct_variant){.sku = sku, .size = shop_field(c, view_fmt(c->a, "v%d_size", i)),
		                        .color = shop_field(c, view_fmt(c->a, "v%d_color", i)), .quantity = -1};
		rc = variant_dollars(c, i, "price", &x->list_price);
		if (rc == SOUK_OK && *qty)
			rc = shop_field_int(c, view_fmt(c->a, "v%d_quantity", i), view_fmt(c->a, "variant %d: quantity", i),
			                    0, SOFFER_QTY_MAX, &x->quantity);
	}
	if (rc == SOUK_OK && in.shipping < 0)
		rc = ctx_fail_field(c, 400, "bad_request", "shipping", "shipping must be an amount in dollars, like 4.99");
	if (rc < 0 || sproduct_create(c, who.id, who.suspended, &in, &pid) < 0) {
		if (c->err_status != 400 && c->err_status != 403 && c->err_status != 409)
			return SOUK_ERR;
		const char *field = c->err_field;
		int st;
		const char *msg = shop_take_failure(c, &st);
		return product_form(c, &who, msg, field, st);
	}
	return shop_redirect(c, view_fmt(c->a, "/seller/listings?q=%s", v[0].sku));
}
