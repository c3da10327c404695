/* sell_pages: "Sell on Souk" — a signed-in shopper applies to sell
 * (business name, contact e-mail, sandbox payout account); an admin
 * decides on /admin/sellers. The seller center itself is /seller/. */
#include "storefront.h"

#include <string.h>

#include "http/req.h"
#include "shop/seller.h"

/* The form, or where the account stands (seller, application waiting). */
static int sell_page(ctx *c, session *s, const char *error, const char *field, int status)
{
	db_res *mine = seller_standing(c, s->user_id);
	if (!mine)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Sell on Souk");
	const char *st = db_rows(mine) ? db_val(mine, 0, "status") : "";
	if (*st)
		tmpl_set(tmpl_section(d, "STANDING"), "STATUS", st);
	if (!*st || strcmp(st, "rejected") == 0)
		tmpl_show(d, "FORM");
	if (error) {
		tmpl_dict *e = tmpl_section(d, "ERROR");
		tmpl_set(e, "MESSAGE", error);
		tmpl_set(e, "FIELD", field ? field : "");
	}
	if (req_query(c->rq, "sent"))
		tmpl_show(d, "SENT");
	tmpl_set(d, "NAME", shop_field(c, "name"));
	tmpl_set(d, "EMAIL", *shop_field(c, "email") ? shop_field(c, "email") : s->email);
	tmpl_set(d, "PAYOUT", shop_field(c, "payout"));
	return shop_render(c, status, "sell.tpl", d);
}

int page_sell(ctx *c)
{
	bool redirected;
	session *s = shop_signed_in(c, &redirected);
	if (!s)
		return redirected ? SOUK_OK : SOUK_ERR;
	return sell_page(c, s, NULL, NULL, 200);
}

int post_sell(ctx *c)
{
	bool redirected;
	session *s = shop_signed_in(c, &redirected);
	if (!s)
		return redirected ? SOUK_OK : SOUK_ERR;
	if (shop_post(c) < 0)
		return SOUK_ERR;
	int64_t id;
	if (seller_apply(c, s->user_id, str_c(shop_field(c, "name")), str_c(shop_field(c, "email")),
	                 str_c(shop_field(c, "payout")), &id) < 0) {
		if (c->err_status != 400 && c->err_status != 403 && c->err_status != 409)
			return SOUK_ERR;
		const char *field = c->err_field;
		int st;
		const char *msg = shop_take_failure(c, &st);
		return sell_page(c, s, msg, field, st);
	}
	return shop_redirect(c, "/sell?sent=1");
}
