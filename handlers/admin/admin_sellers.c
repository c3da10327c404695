/* admin_sellers: sellers for the admin — applications and every seller
 * by status, one seller's page, and the moves approve / reject / suspend /
 * reinstate (a suspended seller's offers leave the Buy Box and search at
 * once; their open orders stay). */
#include "admin.h"

#include <string.h>

#include "http/query.h"
#include "shop/seller.h"

#define SELLERS_PER_PAGE 50

static const char *const statuses[] = {"", "pending", "active", "suspended", "rejected", NULL};

int page_admin_sellers(ctx *c)
{
	int st;
	int64_t page;
	if (!admin_gate(c))
		return SOUK_ERR;
	if (ctx_query_enum(c, "status", statuses, 0, &st) < 0 ||
	    ctx_query_page(c, &page) < 0)
		return SOUK_ERR;
	db_res *r = seller_list(c, st ? statuses[st] : NULL, SELLERS_PER_PAGE, (page - 1) * SELLERS_PER_PAGE);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Sellers (admin)");
	view_options(d, "STATUS_OPT", statuses, st, "Any status");
	int64_t total = admin_found(c, d, r, "total", "seller", "sellers");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *s = tmpl_section(d, "SELLER");
		tmpl_set_i64(s, "ID", db_i64(r, i, "id"));
		tmpl_set(s, "NAME", db_val(r, i, "name"));
		tmpl_set(s, "STATUS", db_val(r, i, "status"));
		tmpl_set(s, "CONTACT", db_val(r, i, "contact_email"));
		tmpl_set(s, "APPLICANT", db_val(r, i, "applicant_email") ? db_val(r, i, "applicant_email") : "");
		tmpl_set(s, "SINCE", shop_when(c, db_val(r, i, "status_changed_at")));
	}
	const char *kv[] = {"status", statuses[st], NULL};
	admin_pager(c, d, page, page * SELLERS_PER_PAGE < total, admin_qs(c, kv));
	return shop_render(c, 200, "admin_sellers.tpl", d);
}

int page_admin_seller(ctx *c)
{
	int64_t id;
	if (!admin_gate(c))
		return SOUK_ERR;
	db_res *r = ctx_param_id(c, "id", &id) < 0 ? NULL : seller_get(c, id);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, view_fmt(c->a, "Seller %s (admin)", db_val(r, 0, "name")));
	static const char *const cols[] = {"name", "status", "contact_email", "payout_account",
	                                   "status_note", "offers", "commission_bps", "rating", NULL};
	static const char *const keys[] = {"NAME", "STATUS", "CONTACT", "PAYOUT", "NOTE", "OFFERS",
	                                   "COMMISSION_BPS", "RATING", NULL};
	for (int i = 0; cols[i]; i++)
		tmpl_set(d, keys[i], db_val(r, 0, cols[i]) ? db_val(r, 0, cols[i]) : "");
	tmpl_set_i64(d, "ID", id);
	tmpl_set(d, "APPLICANT", db_val(r, 0, "applicant_email") ? db_val(r, 0, "applicant_email") : "");
	tmpl_set(d, "CREATED", shop_when(c, db_val(r, 0, "created_at")));
	tmpl_set(d, "SINCE", shop_when(c, db_val(r, 0, "status_changed_at")));
	const char *st = db_val(r, 0, "status");
	if (strcmp(st, "pending") == 0)
		tmpl_show(d, "CAN_DECIDE");
	if (strcmp(st, "active") == 0)
		tmpl_show(d, "CAN_SUSPEND");
	if (strcmp(st, "suspended") == 0)
		tmpl_show(d, "CAN_REINSTATE");
	return shop_render(c, 200, "admin_seller.tpl", d);
}

int post_admin_seller(ctx *c)
{
	int rc;
	int64_t id;
	if (!admin_gate(c))
		return SOUK_ERR;
	if (shop_post(c) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	const str *act = ctx_param(c, "action");
	const char *note = shop_field(c, "note");
	if (strlen(note) > 500)
		return ctx_fail_field(c, 400, "bad_request", "note", "the note must be at most 500 characters");
	if (str_eq_c(*act, "approve"))
		rc = seller_approve(c, id);
	else if (str_eq_c(*act, "reject"))
		rc = seller_reject(c, id, note);
	else if (str_eq_c(*act, "suspend"))
		rc = seller_suspend(c, id, note);
	else if (str_eq_c(*act, "reinstate"))
		rc = seller_reinstate(c, id);
	else
		return ctx_fail(c, 404, "not_found", "there is no such seller action");
	if (rc < 0)
		return SOUK_ERR;
	return shop_redirect(c, view_fmt(c->a, "/admin/sellers/%lld", (long long)id));
}
