/* order_view: one order as its shopper or an admin may see it (access
 * check, items, totals, timeline), shared by the storefront and admin pools. */
#include "core/js.h"
#include "shop/order.h"
#include "web/shop_page.h"
#include "http/req.h"
#include "http/resp.h"

static bool public_id_ok(const str *id)
{
	if (!id || id->len == 0 || id->len > 64)
		return false;
	for (size_t i = 0; i < id->len; i++) {
		char ch = id->p[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

/* The access token the request brings (a form field on a POST, ?token=
 * on the link being exchanged, else the order's cookie), or NULL. */
const str *shop_given_token(ctx *c)
{
	const str *t = req_form(c->rq, "token");
	if (t && t->len)
		return t;
	t = req_query(c->rq, "token");
	if (t && t->len)
		return t;
	t = req_cookie(c->rq, SHOP_ORDER_COOKIE);
	return t && t->len ? t : NULL;
}

bool shop_keep_order_token(ctx *c, db_res *o)
{
	const char *tok = db_val(o, 0, "access_token");
	const str *q = req_query(c->rq, "token"), *f = req_form(c->rq, "token");
	const str *given = f && f->len ? f : q;
	if (!tok || !given || !given->len || !order_token_ok(tok, *given))
		return false;
	/* Only this order's pages (and their POSTs) ever send it; HttpOnly so
	 * no script reads it, Lax so another site cannot post with it. */
	cookie_opts co = {.max_age = SHOP_ORDER_COOKIE_TTL, .http_only = true, .same_site = "Lax",
	                  .path = view_fmt(c->a, "/orders/%s", db_val(o, 0, "public_id")),
	                  .secure = c->rq->https || (c->cfg && c->cfg->cookie_secure)};
	resp_cookie(c->rs, SHOP_ORDER_COOKIE, str_c(tok), &co);
	return q && q->len && given == q;
}

db_res *shop_order_for(ctx *c, const str *public_id)
{
	if (!public_id_ok(public_id)) {
		ctx_fail(c, 404, "not_found", "there is no such order");
		return NULL;
	}
	const char *pid = str_dup(c->a, *public_id);
	db_res *o = order_find(c, pid);
	if (!o)
		return NULL;
	const str *tok = shop_given_token(c);
	bool ok = (tok && order_token_ok(db_val(o, 0, "access_token"), *tok)) ||
	          session_may_see_order(c, pid, db_i64(o, 0, "user_id"));
	if (!ok) {
		ctx_fail(c, 404, "not_found", "there is no such order");
		return NULL;
	}
	return o;
}

const char *shop_status_text(ctx *c, const char *st)
{
	if (!st || !*st)
		return "";
	if (c->rq && str_starts(c->rq->path, "/admin/"))
		return st;
	char *w = str_dup(c->a, str_c(st));
	if (!w)
		return st;
	for (char *p = w + 1; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	w[0] = (char)(w[0] >= 'a' && w[0] <= 'z' ? w[0] - 32 : w[0]);
	return w;
}

const char *shop_status_class(const char *st)
{
	if (!st)
		return "";
	if (!strcmp(st, "CANCELLED") || !strcmp(st, "RETURNED"))
		return "st-off";
	if (!strcmp(st, "DELIVERED"))
		return "st-done";
	return "st-on";
}

void shop_order_rows(ctx *c, tmpl_dict *d, db_res *r, const char *href_prefix)
{
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	for (int i = 0; i < db_rows(r); i++)
		shop_order_row(c, d, r, i, href_prefix);
}

tmpl_dict *shop_order_row(ctx *c, tmpl_dict *d, db_res *r, int i, const char *href_prefix)
{
	tmpl_dict *o = tmpl_section(d, "ORDER");
	const char *pid = db_val(r, i, "public_id");
	tmpl_set(o, "PUBLIC_ID", pid);
	tmpl_set(o, "HREF", view_fmt(c->a, "%s%s", href_prefix, pid));
	tmpl_set(o, "STATUS", shop_status_text(c, db_val(r, i, "status"))); /* for shoppers */
	tmpl_set(o, "STATE", db_val(r, i, "status"));                          /* the code, for admins */
	tmpl_set(o, "STATUS_CLASS", shop_status_class(db_val(r, i, "status")));
	tmpl_set(o, "PLACED", shop_when(c, db_val(r, i, "created_at")));
	tmpl_set(o, "ITEMS", view_plural(c->a, db_i64(r, i, "item_count"), "item", "items"));
	tmpl_set_i64(o, "ITEM_COUNT", db_i64(r, i, "item_count"));
	tmpl_set_money(o, "TOTAL", db_i64(r, i, "total"));
	const char *email = db_val(r, i, "email");
	if (email)
		tmpl_set(o, "OEMAIL", email);
	return o;
}

static const char *actor_label(ctx *c, const char *a)
{
	if (!a)
		return "";
	if (!strncmp(a, "admin", 5))
		return "Souk";
	if (!strcmp(a, "shopper")) {
		session *s = session_load(c);
		return s && s->role == ROLE_ADMIN ? "the shopper" : "you";
	}
	if (!strcmp(a, "worker"))
		return "Souk (automatic)";
	return view_fmt(c->a, "%s", a);
}

int shop_order_details(ctx *c, tmpl_dict *d, db_res *o)
{
	int64_t id = db_i64(o, 0, "id");
	db_res *items = order_items(c, id), *ev = items ? order_events(c, id) : NULL;
	db_res *pay = ev ? order_payment(c, id) : NULL, *ship = pay ? order_shipments(c, id) : NULL;
	db_res *ret = ship ? order_returns(c, id) : NULL;
	if (!ret)
		return SOUK_ERR;
	tmpl_dict *x = tmpl_include(d, "DETAIL", "order_detail.tpl");
	const char *st = db_val(o, 0, "status");
	tmpl_set(x, "STATUS", shop_status_text(c, st));
	tmpl_set(x, "STATUS_CLASS", shop_status_class(st));
	tmpl_set(x, "PLACED", shop_when(c, db_val(o, 0, "created_at")));
	for (int i = 0; i < db_rows(items); i++) {
		tmpl_dict *r = tmpl_section(x, "ITEM");
		const char *title = db_val(items, i, "title");
		tmpl_set(r, "TITLE", title);
		tmpl_set(r, "HREF", view_product_href(c->a, db_i64(items, i, "product_id"), title));
		const char *v = db_val(items, i, "variant");
		if (v && *v)
			tmpl_set(tmpl_section(r, "VARIANT"), "TEXT", v);
		tmpl_set_i64(r, "QTY", db_i64(items, i, "qty"));
		tmpl_set_money(r, "UNIT", db_i64(items, i, "unit_price"));
		tmpl_set_money(r, "TOTAL", db_i64(items, i, "line_total"));
	}
	tmpl_set_money(x, "SUBTOTAL", db_i64(o, 0, "subtotal"));
	if (db_i64(o, 0, "shipping"))
		tmpl_set_money(tmpl_section(x, "PAID_SHIP"), "SHIPPING", db_i64(o, 0, "shipping"));
	else
		tmpl_show(x, "FREE_SHIP");
	tmpl_set_money(x, "TAX", db_i64(o, 0, "tax"));
	tmpl_set_money(x, "TOTAL", db_i64(o, 0, "total"));
	const char *m = db_val(o, 0, "shipping_method");
	tmpl_set(x, "METHOD", m && !strcmp(m, "express") ? "Express" : "Standard");
	json_object *a = js_parse(c, str_c(db_val(o, 0, "address")));
	const char *fields[] = {"name", "line1", "line2", "city", "postal_code", "country"};
	for (size_t i = 0; a && i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = NULL;
		if (js_get_str(a, fields[i], &v) == 1 && v && *v)
			tmpl_set(tmpl_section(x, "ADDR"), "TEXT", v);
	}
	if (db_rows(pay)) {
		tmpl_dict *p = tmpl_section(x, "PAYMENT");
		const char *brand = db_val(pay, 0, "brand"), *last4 = db_val(pay, 0, "last4");
		if (brand && *brand && last4 && *last4) {
			tmpl_dict *card = tmpl_section(p, "CARD");
			tmpl_set(card, "BRAND", brand);
			tmpl_set(card, "LAST4", last4);
		} else /* not known before the provider answered */
			tmpl_section(p, "SOME_CARD");
		const char *ps = db_val(pay, 0, "status");
		/* the provider has not answered yet (it was unreachable: the
		 * worker keeps asking): say so rather than "Authorizing" */
		if (ps && strcmp(ps, "authorizing") == 0 && strcmp(st, "PENDING") == 0) {
			tmpl_set(p, "PAY_STATUS", "being confirmed");
			tmpl_section(x, "PAY_PENDING");
		} else
			tmpl_set(p, "PAY_STATUS", shop_status_text(c, ps));
		if (db_i64(pay, 0, "refunded_amount") > 0)
			tmpl_set_money(tmpl_section(p, "REFUNDED"), "AMOUNT", db_i64(pay, 0, "refunded_amount"));
	}
	for (int i = 0; i < db_rows(ev); i++) {
		tmpl_dict *r = tmpl_section(x, "EVENT");
		tmpl_set(r, "TO", shop_status_text(c, db_val(ev, i, "to_status")));
		tmpl_set(r, "AT", shop_when(c, db_val(ev, i, "at")));
		tmpl_set(r, "BY", actor_label(c, db_val(ev, i, "actor")));
		const char *note = db_val(ev, i, "note");
		if (note && *note)
			tmpl_set(tmpl_section(r, "NOTE"), "TEXT", note);
	}
	/* one block per shipment (split by seller and FBA/FBM at checkout) */
	for (int i = 0; i < db_rows(ship); i++) {
		tmpl_dict *r = tmpl_section(x, "SHIPMENT");
		tmpl_set_i64(r, "N", i + 1);
		tmpl_set_i64(r, "OF", db_rows(ship));
		tmpl_set(r, "SSTATUS", db_val(ship, i, "status"));
		if (db_null(ship, i, "tracking")) {
			tmpl_show(r, "PREPARING");
			continue;
		}
		tmpl_dict *t = tmpl_section(r, "TRACKED");
		tmpl_set(t, "CARRIER", db_val(ship, i, "carrier"));
		tmpl_set(t, "TRACKING", db_val(ship, i, "tracking"));
	}
	for (int i = 0; i < db_rows(ret); i++) {
		tmpl_dict *r = tmpl_section(x, "RETURN");
		tmpl_set(r, "RSTATUS", shop_status_text(c, db_val(ret, i, "status")));
		tmpl_set(r, "AT", shop_when(c, db_val(ret, i, "created_at")));
		const char *why = db_val(ret, i, "reason");
		if (why && *why)
			tmpl_set(tmpl_section(r, "REASON"), "TEXT", why);
	}
	return SOUK_OK;
}

