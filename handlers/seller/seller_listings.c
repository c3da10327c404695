/* seller_listings: the seller's offers — the list (search, filters,
 * pages), offering an existing product (found by ref/ASIN or words), one
 * offer's page (price, shipping, condition, FBA/FBM, stock per own
 * warehouse, FBA stock read-only, withdraw / reactivate). */
#include "seller.h"

#include <string.h>

#include "http/query.h"
#include "http/req.h"
#include "shop/seller_offer.h"
#include "shop/seller_photo.h"

#define LISTINGS_PER_PAGE 25
#define SEARCH_MAX 100 /* bytes of a search text */

static const char *const statuses[] = {"", "active", "withdrawn", NULL};
static const char *const fuls[] = {"", "FBA", "FBM", NULL};

/* A search text (?q=, or the offer form's q): "" when absent, 400 when
 * longer than SEARCH_MAX. */
static int search_text(ctx *c, const str *v, const char **out)
{
	*out = "";
	if (v && v->len > SEARCH_MAX)
		return ctx_fail(c, 400, "bad_request", "the search text is too long (%d characters at most)",
		                SEARCH_MAX);
	*out = v ? str_dup(c->a, *v) : "";
	return SOUK_OK;
}

int page_seller_listings(ctx *c)
{
	seller_who who;
	int rc, st, fu;
	int64_t page, total;
	const char *q;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	if (ctx_query_enum(c, "status", statuses, 0, &st) < 0 ||
	    ctx_query_enum(c, "fulfillment", fuls, 0, &fu) < 0 ||
	    ctx_query_page(c, &page) < 0 || search_text(c, req_query(c->rq, "q"), &q) < 0)
		return SOUK_ERR;
	db_res *r = soffer_list(c, who.id, q, st ? statuses[st] : NULL, fu ? fuls[fu] : NULL,
	                        LISTINGS_PER_PAGE, (page - 1) * LISTINGS_PER_PAGE, &total);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, &who, "Listings");
	tmpl_set(d, "Q", q);
	view_options(d, "STATUS_OPT", statuses, st, "Any status");
	view_options(d, "FUL_OPT", fuls, fu, "FBA and FBM");
	tmpl_set(d, "FOUND", view_plural(c->a, total, "offer", "offers"));
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *o = tmpl_section(d, "OFFER");
		tmpl_set_i64(o, "SKU_ID", db_i64(r, i, "sku_id"));
		tmpl_set(o, "SKU", db_val(r, i, "sku"));
		tmpl_set(o, "TITLE", db_val(r, i, "title"));
		tmpl_set(o, "REF", db_val(r, i, "ref"));
		tmpl_set(o, "VARIANT", view_fmt(c->a, "%s %s", db_val(r, i, "size"), db_val(r, i, "color")));
		tmpl_set(o, "HREF", view_product_href(c->a, db_i64(r, i, "product_id"), db_val(r, i, "title")));
		tmpl_set_money(o, "PRICE", db_i64(r, i, "price"));
		tmpl_set_money(o, "SHIPPING", db_i64(r, i, "shipping"));
		tmpl_set(o, "FULFILLMENT", db_val(r, i, "fulfillment"));
		tmpl_set(o, "STATUS", db_val(r, i, "status"));
		tmpl_set_i64(o, "QTY", db_i64(r, i, "quantity"));
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	tmpl_set(d, "QS_STATUS", statuses[st]);
	tmpl_set(d, "QS_FUL", fuls[fu]);
	if (page > 1)
		tmpl_set_i64(tmpl_section(d, "PREV"), "P", page - 1);
	if (page * LISTINGS_PER_PAGE < total)
		tmpl_set_i64(tmpl_section(d, "NEXT"), "P", page + 1);
	return shop_render(c, 200, "seller_listings.tpl", d);
}

/* The offer form's fields, kept when a POST is shown again with an error. */
static void offer_form_values(ctx *c, tmpl_dict *d)
{
	static const char *const f[] = {"sku", "price", "shipping", "quantity", NULL};
	for (int i = 0; f[i]; i++) {
		char key[16];
		size_t n = strlen(f[i]);
		for (size_t k = 0; k <= n; k++)
			key[k] = (char)(f[i][k] >= 'a' ? f[i][k] - 32 : f[i][k]);
		tmpl_set(d, key, c->rq && c->rq->form.n ? shop_field(c, f[i]) : "");
	}
}

/* GET /seller/listings/new?q=: products by ref or words, each variant
 * with the offer form; error (or NULL) is shown above the results. */
static int new_offer_page(ctx *c, const seller_who *who, const char *q, const char *error, int status)
{
	tmpl_dict *d = seller_page(c, who, "Offer a product");
	tmpl_set(d, "Q", q);
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	offer_form_values(c, d);
	if (*q) {
		db_res *r = soffer_find_products(c, who->id, q);
		if (!r)
			return SOUK_ERR;
		for (int i = 0; i < db_rows(r); i++) {
			tmpl_dict *v = tmpl_section(d, "VARIANT");
			tmpl_set_i64(v, "VARIANT_ID", db_i64(r, i, "variant_id"));
			tmpl_set(v, "TITLE", db_val(r, i, "title"));
			tmpl_set(v, "REF", db_val(r, i, "ref"));
			tmpl_set(v, "VNAME", view_fmt(c->a, "%s %s", db_val(r, i, "size"), db_val(r, i, "color")));
			tmpl_set_money(v, "LIST", db_i64(r, i, "list_price"));
			tmpl_set(v, "HREF", view_product_href(c->a, db_i64(r, i, "product_id"), db_val(r, i, "title")));
			if (db_bool(r, i, "mine"))
				tmpl_show(v, "MINE");
			else
				tmpl_show(v, "CAN_OFFER");
		}
		if (db_rows(r) == 0)
			tmpl_show(d, "NO_MATCH");
	}
	return shop_render(c, status, "seller_offer_new.tpl", d);
}

int page_seller_offer_new(ctx *c)
{
	seller_who who;
	int rc;
	const char *q;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	if (search_text(c, req_query(c->rq, "q"), &q) < 0)
		return SOUK_ERR;
	return new_offer_page(c, &who, q, NULL, 200);
}

/* A form's money field in dollars ("12.99"): 400 naming it when malformed;
 * empty gives def. */
static int form_dollars(ctx *c, const char *field, int64_t def, int64_t *out)
{
	const char *v = shop_field(c, field);
	if (!*v) {
		*out = def;
		return SOUK_OK;
	}
	*out = soffer_dollars(str_c(v));
	if (*out < 0)
		return ctx_fail_field(c, 400, "bad_request", field, "%s must be an amount in dollars, like 12.99", field);
	return SOUK_OK;
}

int post_seller_offer_create(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	soffer_in in = {.sku = shop_field(c, "sku"), .condition = shop_field(c, "condition"),
	                .fulfillment = shop_field(c, "fulfillment"), .quantity = -1};
	int64_t sku_id;
	const char *qty = shop_field(c, "quantity");
	if (shop_field_int(c, "variant_id", "the variant", 1, INT64_MAX, &in.variant_id) < 0 ||
	    form_dollars(c, "price", -1, &in.price) < 0 || form_dollars(c, "shipping", 0, &in.shipping) < 0 ||
	    (*qty && shop_field_int(c, "quantity", "quantity", 0, SOFFER_QTY_MAX, &in.quantity) < 0) ||
	    soffer_create(c, who.id, who.suspended, &in, &sku_id) < 0) {
		if (c->err_status != 400 && c->err_status != 404 && c->err_status != 409 && c->err_status != 403)
			return SOUK_ERR;
		int st;
		const char *q, *msg = shop_take_failure(c, &st);
		str fq = str_c(shop_field(c, "q")); /* the page searches again: bounded like ?q= */
		if (search_text(c, &fq, &q) < 0)
			return SOUK_ERR;
		return new_offer_page(c, &who, q, msg, st);
	}
	return shop_redirect(c, view_fmt(c->a, "/seller/listings/%lld?created=1", (long long)sku_id));
}

/* One offer's page; error (or NULL) shown at the top with status. */
static int offer_page(ctx *c, const seller_who *who, int64_t id, const char *error, int status)
{
	db_res *o = soffer_get(c, who->id, id);
	db_res *s = o ? soffer_stock(c, who->id, id) : NULL;
	if (!s)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, who, db_val(o, 0, "title"));
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	else if (req_query(c->rq, "created"))
		tmpl_show(d, "CREATED");
	else if (req_query(c->rq, "saved"))
		tmpl_show(d, "SAVED");
	tmpl_set_i64(d, "SKU_ID", id);
	tmpl_set(d, "SKU", db_val(o, 0, "sku"));
	tmpl_set(d, "TITLE", db_val(o, 0, "title"));
	tmpl_set(d, "REF", db_val(o, 0, "ref"));
	tmpl_set(d, "VARIANT", view_fmt(c->a, "%s %s", db_val(o, 0, "size"), db_val(o, 0, "color")));
	tmpl_set(d, "HREF", view_product_href(c->a, db_i64(o, 0, "product_id"), db_val(o, 0, "title")));
	/* photos belong to the product: only the seller who created it adds them */
	int64_t pid = db_i64(o, 0, "product_id");
	db_res *ph = sphoto_list(c, who->id, pid);
	if (ph) {
		tmpl_dict *x = tmpl_section(d, "PHOTOS");
		tmpl_set_i64(x, "PID", pid);
		tmpl_set_i64(x, "N", db_null(ph, 0, "stem") || strcmp(db_val(ph, 0, "source"), "upload") ? 0 : db_rows(ph));
	} else if (c->err_status == 404) {
		ctx_clear(c); /* another seller's product: offered here, not changed */
	} else {
		return SOUK_ERR;
	}
	tmpl_set(d, "PRICE", view_dollars(c->a, db_i64(o, 0, "price")));
	tmpl_set(d, "SHIPPING", view_dollars(c->a, db_i64(o, 0, "shipping")));
	tmpl_set(d, "STATUS", db_val(o, 0, "status"));
	static const char *const conds[] = {"new", "like_new", "used", "refurbished", NULL};
	for (int i = 0; conds[i]; i++) {
		tmpl_dict *x = tmpl_section(d, "COND_OPT");
		tmpl_set(x, "V", conds[i]);
		if (strcmp(conds[i], db_val(o, 0, "condition")) == 0)
			tmpl_show(x, "SEL");
	}
	bool fba = strcmp(db_val(o, 0, "fulfillment"), "FBA") == 0;
	tmpl_show(d, fba ? "FBA_SEL" : "FBM_SEL");
	tmpl_show(d, strcmp(db_val(o, 0, "status"), "active") == 0 ? "CAN_WITHDRAW" : "CAN_REACTIVATE");
	for (int i = 0; i < db_rows(s); i++) {
		bool platform = db_bool(s, i, "platform");
		tmpl_dict *w = tmpl_section(d, "WAREHOUSE");
		tmpl_set_i64(w, "WID", db_i64(s, i, "warehouse_id"));
		tmpl_set(w, "NAME", db_val(s, i, "name"));
		tmpl_set_i64(w, "QTY", db_i64(s, i, "quantity_available"));
		tmpl_set_i64(w, "RESERVED", db_i64(s, i, "quantity_reserved"));
		tmpl_show(w, platform || fba ? "READ_ONLY" : "EDITABLE");
		if (platform)
			tmpl_show(w, "PLATFORM");
	}
	if (fba)
		tmpl_show(d, "FBA_NOTE");
	return shop_render(c, status, "seller_offer.tpl", d);
}

int page_seller_offer(ctx *c)
{
	seller_who who;
	int rc;
	int64_t id;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "sku_id", &id) < 0)
		return SOUK_ERR;
	return offer_page(c, &who, id, NULL, 200);
}

/* After a refused change: the offer's page with the message, unless the
 * offer itself is not the seller's (404 stays a 404). */
static int offer_refused(ctx *c, const seller_who *who, int64_t id)
{
	if (c->err_status != 400 && c->err_status != 403 && c->err_status != 409)
		return SOUK_ERR;
	int st;
	const char *msg = shop_take_failure(c, &st);
	return offer_page(c, who, id, msg, st);
}

/* Back to the offer's page, which says the change was saved. */
static int offer_saved(ctx *c, int64_t id)
{
	return shop_redirect(c, view_fmt(c->a, "/seller/listings/%lld?saved=1", (long long)id));
}

int post_seller_offer_update(ctx *c)
{
	seller_who who;
	int rc;
	int64_t id;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "sku_id", &id) < 0)
		return SOUK_ERR;
	soffer_patch p = SOFFER_PATCH_NONE;
	const char *cond = shop_field(c, "condition"), *ful = shop_field(c, "fulfillment");
	p.condition = *cond ? cond : NULL;
	p.fulfillment = *ful ? ful : NULL;
	if (form_dollars(c, "price", SOFFER_KEEP, &p.price) < 0 ||
	    form_dollars(c, "shipping", SOFFER_KEEP, &p.shipping) < 0 ||
	    soffer_update(c, who.id, who.suspended, id, &p) < 0)
		return offer_refused(c, &who, id);
	return offer_saved(c, id);
}

int post_seller_offer_stock(ctx *c)
{
	seller_who who;
	int rc;
	int64_t id, wh, qty;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "sku_id", &id) < 0)
		return SOUK_ERR;
	if (shop_field_int(c, "warehouse_id", "the warehouse", 1, INT64_MAX, &wh) < 0 ||
	    shop_field_int(c, "quantity", "quantity", 0, SOFFER_QTY_MAX, &qty) < 0 ||
	    soffer_set_stock(c, who.id, id, wh, qty) < 0)
		return offer_refused(c, &who, id);
	return offer_saved(c, id);
}

/* POST /seller/listings/{sku_id}/withdraw and /reactivate */
int post_seller_offer_status(ctx *c)
{
	seller_who who;
	int rc;
	int64_t id;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "sku_id", &id) < 0)
		return SOUK_ERR;
	const str *act = ctx_param(c, "action");
	soffer_patch p = SOFFER_PATCH_NONE;
	if (act && str_eq_c(*act, "withdraw"))
		p.status = "withdrawn";
	else if (act && str_eq_c(*act, "reactivate"))
		p.status = "active";
	else
		return ctx_fail(c, 404, "not_found", "no such action");
	if (soffer_update(c, who.id, who.suspended, id, &p) < 0)
		return offer_refused(c, &who, id);
	return offer_saved(c, id);
}
