/* seller_keys: the seller center's home and its API keys (created and
 * shown once, listed by their first characters, revoked). */
#include "seller.h"

int page_seller_home(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	tmpl_dict *d = seller_page(c, &who, "Seller center");
	return shop_render(c, 200, "seller_home.tpl", d);
}

/* The keys page; new_key (or NULL) is the key just created, shown once. */
static int keys_page(ctx *c, const seller_who *who, const char *new_key, const char *error)
{
	db_res *r = seller_key_list(c, who->id);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, who, "API keys");
	if (new_key)
		tmpl_set(tmpl_section(d, "NEW_KEY"), "KEY", new_key);
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *k = tmpl_section(d, "KEY_ROW");
		tmpl_set_i64(k, "ID", db_i64(r, i, "id"));
		tmpl_set(k, "PREFIX", db_val(r, i, "prefix"));
		tmpl_set(k, "LABEL", db_val(r, i, "label"));
		tmpl_set(k, "CREATED", shop_when(c, db_val(r, i, "created_at")));
		if (db_null(r, i, "revoked_at"))
			tmpl_show(k, "LIVE");
		else
			tmpl_set(tmpl_section(k, "REVOKED"), "WHEN", shop_when(c, db_val(r, i, "revoked_at")));
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return shop_render(c, error ? 400 : 200, "seller_keys.tpl", d);
}

int page_seller_keys(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	return keys_page(c, &who, NULL, NULL);
}

int post_seller_key_create(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	const char *key;
	int64_t id;
	if (seller_key_create(c, who.id, str_c(shop_field(c, "label")), &key, &id) < 0) {
		if (c->err_status != 400 && c->err_status != 409)
			return SOUK_ERR;
		return keys_page(c, &who, NULL, shop_take_failure(c, NULL));
	}
	return keys_page(c, &who, key, NULL);
}

int post_seller_key_revoke(ctx *c)
{
	seller_who who;
	int rc;
	int64_t id;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "id", &id) < 0 || seller_key_revoke(c, who.id, id) < 0)
		return SOUK_ERR;
	return shop_redirect(c, "/seller/keys");
}
