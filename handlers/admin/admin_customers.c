/* admin_customers: the accounts (search by e-mail) and one customer with
 * their orders. */
#include "shop/admin_lists.h"
#include "shop/order.h"
#include "admin.h"
#include "http/query.h"

#define CUSTOMERS_PER_PAGE 50

int page_admin_customers(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	const char *q;
	int64_t page;
	if (admin_query_text(c, "q", 254, &q) < 0 || ctx_query_page(c, &page) < 0)
		return SOUK_ERR;
	db_res *r = admin_customers(c, q, CUSTOMERS_PER_PAGE, (page - 1) * CUSTOMERS_PER_PAGE);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, "Customers", "customers");
	tmpl_set(d, "Q", q ? q : "");
	int64_t total = admin_found(c, d, r, "total_count", "account", "accounts");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *x = tmpl_section(d, "CUSTOMER");
		tmpl_set(x, "UID", db_val(r, i, "id"));
		tmpl_set(x, "CEMAIL", db_val(r, i, "email"));
		tmpl_set(x, "NAME", db_val(r, i, "name"));
		tmpl_set(x, "ROLE", db_val(r, i, "role"));
		tmpl_set(x, "SINCE", shop_when(c, db_val(r, i, "created_at")));
		tmpl_set(x, "ORDERS", view_count(c->a, db_i64(r, i, "orders")));
		tmpl_set_money(x, "SPENT", db_i64(r, i, "spent"));
	}
	const char *kv[] = {"q", q, NULL};
	admin_pager(c, d, page, page * CUSTOMERS_PER_PAGE < total, admin_qs(c, kv));
	return shop_render(c, 200, "admin_customers.tpl", d);
}

int page_admin_customer(ctx *c)
{
	int64_t id, page;
	if (!admin_gate(c) || ctx_param_id(c, "id", &id) < 0 ||
	    ctx_query_page(c, &page) < 0)
		return SOUK_ERR;
	db_res *u = admin_customer(c, id);
	db_res *o = u ? order_list_user(c, id, CUSTOMERS_PER_PAGE + 1, (page - 1) * CUSTOMERS_PER_PAGE)
	              : NULL;
	if (!o)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, view_fmt(c->a, "Customer %s", db_val(u, 0, "email")), "customers");
	tmpl_set(d, "UID", db_val(u, 0, "id"));
	tmpl_set(d, "CEMAIL", db_val(u, 0, "email"));
	tmpl_set(d, "NAME", db_val(u, 0, "name"));
	tmpl_set(d, "ROLE", db_val(u, 0, "role"));
	tmpl_set(d, "SINCE", shop_when(c, db_val(u, 0, "created_at")));
	int n = db_rows(o) > CUSTOMERS_PER_PAGE ? CUSTOMERS_PER_PAGE : db_rows(o);
	if (n == 0)
		tmpl_show(d, "NONE");
	for (int i = 0; i < n; i++)
		shop_order_row(c, d, o, i, "/admin/orders/");
	admin_pager(c, d, page, db_rows(o) > CUSTOMERS_PER_PAGE, "");
	return shop_render(c, 200, "admin_customer.tpl", d);
}
