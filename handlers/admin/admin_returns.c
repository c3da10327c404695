/* admin_returns: GET /admin/returns, the return desk's work list (state
 * filter) with approve / reject / receive in place (the actions are
 * admin_orders.c's post_admin_return, which comes back here). */
#include "shop/admin_lists.h"
#include "admin.h"
#include "http/query.h"

#define RETURNS_PER_PAGE 50

int page_admin_returns(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	static const char *const states[] = {"", "requested", "approved", "received", "rejected", NULL};
	int st;
	int64_t page;
	if (ctx_query_enum(c, "status", states, 0, &st) < 0 ||
	    ctx_query_page(c, &page) < 0)
		return SOUK_ERR;
	db_res *r = admin_returns(c, states[st], RETURNS_PER_PAGE, (page - 1) * RETURNS_PER_PAGE);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, "Returns", "returns");
	view_options(d, "STATUS_OPT", states, st, "Any state");
	int64_t total = admin_found(c, d, r, "total_count", "return", "returns");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *x = tmpl_section(d, "RET");
		const char *rs = db_val(r, i, "status");
		tmpl_set(x, "RID", db_val(r, i, "id"));
		tmpl_set(x, "RSTATUS", rs);
		tmpl_set(x, "PUBLIC_ID", db_val(r, i, "public_id"));
		tmpl_set(x, "OEMAIL", db_val(r, i, "email"));
		tmpl_set(x, "REASON", db_val(r, i, "reason"));
		tmpl_set(x, "AT", shop_when(c, db_val(r, i, "created_at")));
		tmpl_set_money(x, "TOTAL", db_i64(r, i, "total"));
		if (!strcmp(rs, "requested"))
			tmpl_show(x, "REQUESTED");
		else if (!strcmp(rs, "approved"))
			tmpl_show(x, "APPROVED");
	}
	const char *kv[] = {"status", states[st], NULL};
	admin_pager(c, d, page, page * RETURNS_PER_PAGE < total, admin_qs(c, kv));
	return shop_render(c, 200, "admin_returns.tpl", d);
}
