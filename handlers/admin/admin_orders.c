/* admin_orders: the admin's order list with filters, one order with its
 * moves (PROCESSING, SHIPPED with carrier + tracking, DELIVERED, cancel)
 * and the return desk (approve, reject, receive). Role admin only. */
#include "shop/order.h"
#include "admin.h"
#include "http/query.h"
#include "http/req.h"

#define ADMIN_PER_PAGE 50

/* The admin's session; a visitor who is not signed in goes to the login
 * page first, a signed-in non-admin gets 403. NULL: the caller returns
 * *rc. */
static session *admin(ctx *c, int *rc)
{
	bool redirected;
	session *s = shop_signed_in(c, &redirected);
	if (!s) {
		*rc = redirected ? SOUK_OK : SOUK_ERR;
		return NULL;
	}
	if (session_require_role(c, ROLE_ADMIN) < 0) {
		*rc = SOUK_ERR;
		return NULL;
	}
	return s;
}

session *admin_guard(ctx *c, int *rc)
{
	return admin(c, rc);
}

static const char *actor(ctx *c, const session *s)
{
	return view_fmt(c->a, "admin:%lld", (long long)s->user_id);
}

int page_admin_orders(ctx *c)
{
	int rc;
	if (!admin(c, &rc))
		return rc;
	static const char *const statuses[] = {"", "PENDING", "CONFIRMED", "PROCESSING", "SHIPPED",
	                                       "DELIVERED", "CANCELLED", "RETURNED", NULL};
	int st;
	int64_t page;
	if (ctx_query_enum(c, "status", statuses, 0, &st) < 0 ||
	    ctx_query_int(c, "page", 1, 10000, 1, &page) < 0)
		return SOUK_ERR;
	const str *em = req_query(c->rq, "email");
	if (em && em->len > 254)
		return ctx_fail(c, 400, "bad_request", "the e-mail filter is too long");
	const char *email = em && em->len ? str_dup(c->a, *em) : NULL;
	db_res *r = order_list_admin(c, st ? statuses[st] : NULL, email, ADMIN_PER_PAGE,
	                             (page - 1) * ADMIN_PER_PAGE);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Orders (admin)");
	tmpl_set(d, "EMAIL", email ? email : "");
	for (int i = 0; statuses[i]; i++) {
		tmpl_dict *o = tmpl_section(d, "STATUS_OPT");
		tmpl_set(o, "V", statuses[i]);
		tmpl_set(o, "NAME", i ? statuses[i] : "Any status");
		if (i == st)
			tmpl_show(o, "SEL");
	}
	int64_t total = db_rows(r) ? db_i64(r, 0, "total_count") : 0;
	tmpl_set(d, "FOUND", view_plural(c->a, total, "order", "orders"));
	shop_order_rows(c, d, r, "/admin/orders/");
	if (page > 1)
		tmpl_set_i64(tmpl_section(d, "PREV"), "P", page - 1);
	if (page * ADMIN_PER_PAGE < total)
		tmpl_set_i64(tmpl_section(d, "NEXT"), "P", page + 1);
	tmpl_set(d, "QS_STATUS", statuses[st]);
	return shop_render(c, 200, "admin_orders.tpl", d);
}

int page_admin_order(ctx *c)
{
	int rc;
	if (!admin(c, &rc))
		return rc;
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	if (!o)
		return SOUK_ERR;
	const char *pid = db_val(o, 0, "public_id");
	int64_t id = db_i64(o, 0, "id");
	tmpl_dict *d = shop_page(c, view_fmt(c->a, "Order %s (admin)", pid));
	tmpl_set(d, "PUBLIC_ID", pid);
	tmpl_set(d, "OEMAIL", db_val(o, 0, "email"));
	order_status st;
	if (order_status_parse(db_val(o, 0, "status"), &st) == 0) {
		if (st == ORDER_CONFIRMED)
			tmpl_show(d, "CAN_PROCESS");
		if (st == ORDER_PROCESSING)
			tmpl_show(d, "CAN_SHIP");
		if (st == ORDER_SHIPPED)
			tmpl_show(d, "CAN_DELIVER");
		if (order_can_transition(st, ORDER_CANCELLED))
			tmpl_show(d, "CAN_CANCEL");
	}
	db_res *ret = order_returns(c, id);
	if (!ret)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(ret); i++) {
		const char *rs = db_val(ret, i, "status");
		bool req = !strcmp(rs, "requested"), appr = !strcmp(rs, "approved");
		if (!req && !appr)
			continue;
		tmpl_dict *r = tmpl_section(d, "OPEN_RETURN");
		tmpl_set_i64(r, "RID", db_i64(ret, i, "id"));
		tmpl_set(r, "RSTATUS", rs);
		tmpl_show(r, req ? "REQUESTED" : "APPROVED");
	}
	if (shop_order_details(c, d, o) < 0)
		return SOUK_ERR;
	return shop_render(c, 200, "admin_order.tpl", d);
}

int post_admin_order(ctx *c)
{
	int rc;
	session *s = admin(c, &rc);
	if (!s)
		return rc;
	if (shop_post(c) < 0)
		return SOUK_ERR;
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	if (!o)
		return SOUK_ERR;
	int64_t id = db_i64(o, 0, "id");
	const str *act = ctx_param(c, "action");
	if (str_eq_c(*act, "process"))
		rc = order_process(c, id, actor(c, s));
	else if (str_eq_c(*act, "ship"))
		rc = order_ship(c, id, actor(c, s), shop_field(c, "carrier"), shop_field(c, "tracking"));
	else if (str_eq_c(*act, "deliver"))
		rc = order_deliver(c, id, actor(c, s));
	else if (str_eq_c(*act, "cancel"))
		rc = order_cancel(c, id, actor(c, s), "cancelled by Souk");
	else
		return ctx_fail(c, 404, "not_found", "there is no such order action");
	if (rc < 0)
		return SOUK_ERR;
	return shop_redirect(c, view_fmt(c->a, "/admin/orders/%s", db_val(o, 0, "public_id")));
}

int post_admin_return(ctx *c)
{
	int rc;
	session *s = admin(c, &rc);
	if (!s)
		return rc;
	int64_t rid;
	if (shop_post(c) < 0 || ctx_param_id(c, "id", &rid) < 0)
		return SOUK_ERR;
	/* the order the return belongs to, for the way back (and a check) */
	db_res *o = shop_order_for(c, &(str){shop_field(c, "order"), strlen(shop_field(c, "order"))});
	if (!o)
		return SOUK_ERR;
	db_res *ret = order_returns(c, db_i64(o, 0, "id"));
	if (!ret)
		return SOUK_ERR;
	bool found = false;
	for (int i = 0; i < db_rows(ret); i++)
		found |= db_i64(ret, i, "id") == rid;
	if (!found)
		return ctx_fail(c, 404, "not_found", "order %s has no return %lld", db_val(o, 0, "public_id"),
		                (long long)rid);
	const str *act = ctx_param(c, "action");
	if (str_eq_c(*act, "approve"))
		rc = order_return_approve(c, rid, actor(c, s));
	else if (str_eq_c(*act, "reject"))
		rc = order_return_reject(c, rid, actor(c, s));
	else if (str_eq_c(*act, "receive"))
		rc = order_return_receive(c, rid, actor(c, s));
	else
		return ctx_fail(c, 404, "not_found", "there is no such return action");
	if (rc < 0)
		return SOUK_ERR;
	return shop_redirect(c, view_fmt(c->a, "/admin/orders/%s", db_val(o, 0, "public_id")));
}
