/* admin_orders: the admin's order list with filters (state, dates,
 * payment outcome, public id or e-mail; declined checkouts hidden unless
 * asked for), one order with its payment and sellers and its moves
 * (PROCESSING, SHIPPED with carrier + tracking, DELIVERED, cancel), and
 * the return desk's actions (approve, reject, receive). Role admin only. */
#include "shop/admin_lists.h"
#include "shop/order.h"
#include "admin.h"
#include "http/query.h"
#include "http/req.h"

#define ADMIN_PER_PAGE 50

static const char *const statuses[] = {"", "PENDING", "CONFIRMED", "PROCESSING", "SHIPPED",
                                       "DELIVERED", "CANCELLED", "RETURNED", NULL};
static const char *const pay_outcomes[] = {"", "authorizing", "authorized", "captured", "voided",
                                           "refunded", "failed", "none", NULL};

int page_admin_orders(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	int st, pay, declined;
	int64_t page;
	admin_order_filter f = {0};
	static const char *const yesno[] = {"", "1", NULL};
	const char *email;
	if (ctx_query_enum(c, "status", statuses, 0, &st) < 0 ||
	    ctx_query_enum(c, "pay", pay_outcomes, 0, &pay) < 0 ||
	    ctx_query_enum(c, "declined", yesno, 0, &declined) < 0 ||
	    ctx_query_page(c, &page) < 0 ||
	    admin_query_date(c, "from", &f.from) < 0 || admin_query_date(c, "to", &f.to) < 0 ||
	    admin_query_text(c, "q", 254, &f.q) < 0 || admin_query_text(c, "email", 254, &email) < 0)
		return SOUK_ERR;
	if (!f.q) /* the older filter's name */
		f.q = email;
	if (f.from && f.to && strcmp(f.from, f.to) > 0)
		return ctx_fail(c, 400, "bad_request", "the date range ends (%s) before it starts (%s)",
		                f.to, f.from);
	f.status = statuses[st];
	f.pay = pay_outcomes[pay];
	f.declined = declined == 1;
	db_res *r = admin_orders(c, &f, ADMIN_PER_PAGE, (page - 1) * ADMIN_PER_PAGE);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, "Orders", "orders");
	tmpl_set(d, "Q", f.q ? f.q : "");
	tmpl_set(d, "FROM", f.from ? f.from : "");
	tmpl_set(d, "TO", f.to ? f.to : "");
	if (f.declined)
		tmpl_show(d, "DECLINED_ON");
	view_options(d, "STATUS_OPT", statuses, st, "Any status");
	view_options(d, "PAY_OPT", pay_outcomes, pay, "Any payment");
	int64_t total = admin_found(c, d, r, "total_count", "order", "orders");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *x = shop_order_row(c, d, r, i, "/admin/orders/");
		const char *ps = db_val(r, i, "pay_status");
		tmpl_set(x, "PAY", ps ? ps : "none");
		tmpl_set(x, "SELLERS", db_val(r, i, "sellers") ? db_val(r, i, "sellers") : "");
		const char *why = db_val(r, i, "cancel_reason");
		if (why)
			tmpl_set(tmpl_section(x, "REASON"), "TEXT", why);
	}
	const char *kv[] = {"status", statuses[st], "pay", pay_outcomes[pay], "from", f.from,
	                    "to", f.to, "q", f.q, "declined", f.declined ? "1" : NULL, NULL};
	admin_pager(c, d, page, page * ADMIN_PER_PAGE < total, admin_qs(c, kv));
	return shop_render(c, 200, "admin_orders.tpl", d);
}

int page_admin_order(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	if (!o)
		return SOUK_ERR;
	const char *pid = db_val(o, 0, "public_id");
	int64_t id = db_i64(o, 0, "id");
	tmpl_dict *d = admin_page(c, view_fmt(c->a, "Order %s", pid), "orders");
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
	db_res *items = admin_order_sellers(c, id), *ret = items ? order_returns(c, id) : NULL;
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
	/* who sells what in this order */
	for (int i = 0; i < db_rows(items); i++) {
		tmpl_dict *s = tmpl_section(d, "SELLER_LINE");
		tmpl_set(s, "TITLE", db_val(items, i, "title"));
		tmpl_set(s, "VARIANT", db_val(items, i, "variant"));
		tmpl_set(s, "QTY", db_val(items, i, "qty"));
		tmpl_set(s, "SELLER", db_val(items, i, "seller"));
		tmpl_set(s, "FULFILLMENT", db_val(items, i, "fulfillment"));
	}
	if (shop_order_details(c, d, o) < 0)
		return SOUK_ERR;
	return shop_render(c, 200, "admin_order.tpl", d);
}

int post_admin_order(ctx *c)
{
	session *s = admin_gate(c);
	if (!s)
		return SOUK_ERR;
	if (shop_post(c) < 0)
		return SOUK_ERR;
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	if (!o)
		return SOUK_ERR;
	int64_t id = db_i64(o, 0, "id");
	const char *pid = db_val(o, 0, "public_id"), *back = view_fmt(c->a, "/admin/orders/%s", pid);
	const str *act = ctx_param(c, "action");
	int rc;
	const char *done;
	if (str_eq_c(*act, "process")) {
		rc = order_process(c, id, admin_actor(c, s));
		done = "processing";
	} else if (str_eq_c(*act, "ship")) {
		rc = order_ship(c, id, admin_actor(c, s), shop_field(c, "carrier"), shop_field(c, "tracking"));
		done = "shipped";
	} else if (str_eq_c(*act, "deliver")) {
		rc = order_deliver(c, id, admin_actor(c, s));
		done = "delivered";
	} else if (str_eq_c(*act, "cancel")) {
		/* an impossible cancel is refused before anyone is asked */
		order_status st;
		if (order_status_parse(db_val(o, 0, "status"), &st) < 0 ||
		    !order_can_transition(st, ORDER_CANCELLED))
			return ctx_fail(c, 409, "illegal_transition", "order %s is %s: it cannot be cancelled",
			                pid, db_val(o, 0, "status"));
		int k = admin_confirmed(
		    c, view_fmt(c->a, "Cancel order %s? Its stock is released and its payment voided or "
		                      "refunded. This cannot be undone.", pid),
		    back);
		if (k <= 0)
			return k < 0 ? SOUK_ERR : SOUK_OK;
		rc = order_cancel(c, id, admin_actor(c, s), "cancelled by Souk");
		done = "cancelled";
	} else {
		return ctx_fail(c, 404, "not_found", "there is no such order action");
	}
	if (rc < 0)
		return SOUK_ERR;
	return admin_done(c, back, done);
}

int post_admin_return(ctx *c)
{
	session *s = admin_gate(c);
	if (!s)
		return SOUK_ERR;
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
	const char *rstatus = NULL;
	for (int i = 0; i < db_rows(ret); i++)
		if (db_i64(ret, i, "id") == rid)
			rstatus = db_val(ret, i, "status");
	const char *pid = db_val(o, 0, "public_id");
	if (!rstatus)
		return ctx_fail(c, 404, "not_found", "order %s has no return %lld", pid, (long long)rid);
	/* back to the returns list when the action came from there */
	const char *back = !strcmp(shop_field(c, "from"), "returns")
	                       ? "/admin/returns"
	                       : view_fmt(c->a, "/admin/orders/%s", pid);
	const str *act = ctx_param(c, "action");
	int rc, k;
	const char *done;
	if (str_eq_c(*act, "approve")) {
		rc = order_return_approve(c, rid, admin_actor(c, s));
		done = "return_approved";
	} else if (str_eq_c(*act, "reject") || str_eq_c(*act, "receive")) {
		bool reject = str_eq_c(*act, "reject");
		/* asked only when the step is possible (else the 409 below) */
		if (!strcmp(rstatus, reject ? "requested" : "approved")) {
			k = admin_confirmed(
			    c, reject ? view_fmt(c->a, "Reject return #%lld of order %s? The customer keeps "
			                               "the items and gets no refund.", (long long)rid, pid)
			              : view_fmt(c->a, "Receive return #%lld of order %s? Its items go back "
			                               "into stock and the payment is refunded in full.",
			                         (long long)rid, pid),
			    back);
			if (k <= 0)
				return k < 0 ? SOUK_ERR : SOUK_OK;
		}
		rc = reject ? order_return_reject(c, rid, admin_actor(c, s))
		            : order_return_receive(c, rid, admin_actor(c, s));
		done = reject ? "return_rejected" : "return_received";
	} else {
		return ctx_fail(c, 404, "not_found", "there is no such return action");
	}
	if (rc < 0)
		return SOUK_ERR;
	return admin_done(c, back, done);
}
