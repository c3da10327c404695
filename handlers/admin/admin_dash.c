/* admin_dash: GET /admin, the dashboard: orders, revenue, average order
 * value and units for today / 7 / 30 days, charts drawn as SVG on the
 * server, top products, low stock and searches that found nothing. */
#include "admin.h"
#include "search/search_zero.h"
#include "shop/admin_stats.h"
#include "web/svgchart.h"

#define DASH_DAYS 30
#define DASH_TOP 8
#define DASH_LOW 10
#define DASH_ZERO 10

static void windows(ctx *c, tmpl_dict *d, db_res *w)
{
	static const struct {
		const char *key, *name, *suffix;
	} win[] = {{"today", "Today", "1"}, {"7d", "Last 7 days", "7"}, {"30d", "Last 30 days", "30"}};
	for (size_t i = 0; i < sizeof(win) / sizeof(win[0]); i++) {
		int64_t orders = db_i64(w, 0, view_fmt(c->a, "orders_%s", win[i].suffix));
		int64_t revenue = db_i64(w, 0, view_fmt(c->a, "revenue_%s", win[i].suffix));
		tmpl_dict *r = tmpl_section(d, "WINDOW");
		tmpl_set(r, "KEY", win[i].key);
		tmpl_set(r, "NAME", win[i].name);
		tmpl_set(r, "ORDERS", view_count(c->a, orders));
		tmpl_set_money(r, "REVENUE", revenue);
		/* rounded to the cent, half up */
		tmpl_set_money(r, "AOV", orders ? (revenue + orders / 2) / orders : 0);
		tmpl_set(r, "UNITS", view_count(c->a, db_i64(w, 0, view_fmt(c->a, "units_%s", win[i].suffix))));
	}
}

/* Draws one chart into the dictionary key; an empty chart when the arena
 * refuses. */
static void chart(ctx *c, tmpl_dict *d, const char *key, bool bars, const svgchart_opts *o,
                  const svgchart_point *p, size_t n)
{
	buf b;
	buf_init(&b, c->a, 0);
	if ((bars ? svgchart_bar : svgchart_line)(&b, o, p, n) == 0)
		tmpl_setn(d, key, buf_str(&b));
}

static int daily(ctx *c, tmpl_dict *d)
{
	db_res *r = admin_stats_daily(c, DASH_DAYS);
	if (!r)
		return SOUK_ERR;
	size_t n = (size_t)db_rows(r);
	svgchart_point *orders = arena_alloc(c->a, sizeof(*orders) * (n ? n : 1));
	svgchart_point *revenue = arena_alloc(c->a, sizeof(*revenue) * (n ? n : 1));
	if (!orders || !revenue)
		return ctx_fail(c, 500, "internal", "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *day = db_val(r, (int)i, "day"); /* YYYY-MM-DD: label MM-DD */
		orders[i] = (svgchart_point){day + 5, db_i64(r, (int)i, "orders")};
		revenue[i] = (svgchart_point){day + 5, db_i64(r, (int)i, "revenue")};
	}
	chart(c, d, "ORDERS_CHART", true, &(svgchart_opts){.title = "Orders per day, last 30 days"},
	      orders, n);
	chart(c, d, "REVENUE_CHART", false,
	      &(svgchart_opts){.title = "Revenue per day, last 30 days", .money = true}, revenue, n);
	return SOUK_OK;
}

static int top_products(ctx *c, tmpl_dict *d)
{
	db_res *r = admin_stats_top_products(c, DASH_DAYS, DASH_TOP);
	if (!r)
		return SOUK_ERR;
	size_t n = (size_t)db_rows(r);
	svgchart_point *p = arena_alloc(c->a, sizeof(*p) * (n ? n : 1));
	if (!p)
		return ctx_fail(c, 500, "internal", "out of memory");
	if (n == 0)
		tmpl_show(d, "TOP_NONE");
	for (size_t i = 0; i < n; i++) {
		tmpl_dict *t = tmpl_section(d, "TOP");
		tmpl_set(t, "PID", db_val(r, (int)i, "product_id"));
		tmpl_set(t, "TITLE", db_val(r, (int)i, "title"));
		tmpl_set(t, "UNITS", view_count(c->a, db_i64(r, (int)i, "units")));
		tmpl_set_money(t, "REVENUE", db_i64(r, (int)i, "revenue"));
		p[i] = (svgchart_point){view_fmt(c->a, "#%zu", i + 1), db_i64(r, (int)i, "units")};
	}
	chart(c, d, "TOP_CHART", true,
	      &(svgchart_opts){.title = "Top products by units sold, last 30 days", .width = 1200,
	                       .height = 200, .label_every = 1},
	      p, n);
	return SOUK_OK;
}

static int low_stock(ctx *c, tmpl_dict *d)
{
	db_res *r = admin_stats_low_stock(c, 5, DASH_LOW);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		tmpl_show(d, "LOW_NONE");
	for (int i = 0; i < db_rows(r); i++) {
		tmpl_dict *t = tmpl_section(d, "LOW");
		tmpl_set(t, "PID", db_val(r, i, "product_id"));
		tmpl_set(t, "TITLE", db_val(r, i, "title"));
		tmpl_set(t, "SKU", db_val(r, i, "sku"));
		tmpl_set(t, "SELLER", db_val(r, i, "seller"));
		tmpl_set(t, "AVAILABLE", db_val(r, i, "available"));
	}
	return SOUK_OK;
}

static void zero_searches(ctx *c, tmpl_dict *d)
{
	search_zero_row *z;
	int n;
	if (search_zero_top(c, DASH_DAYS, DASH_ZERO, &z, &n) < 0) {
		tmpl_show(d, "ZERO_DOWN");
		return;
	}
	if (n == 0)
		tmpl_show(d, "ZERO_NONE");
	for (int i = 0; i < n; i++) {
		tmpl_dict *t = tmpl_section(d, "ZERO");
		tmpl_set(t, "TEXT", z[i].text);
		tmpl_set(t, "COUNT", view_count(c->a, z[i].count));
	}
}

int page_admin_dashboard(ctx *c)
{
	if (!admin_gate(c))
		return SOUK_ERR;
	db_res *w = admin_stats_windows(c);
	if (!w)
		return SOUK_ERR;
	tmpl_dict *d = admin_page(c, "Dashboard", "dashboard");
	windows(c, d, w);
	if (daily(c, d) < 0 || top_products(c, d) < 0 || low_stock(c, d) < 0)
		return SOUK_ERR;
	zero_searches(c, d);
	return shop_render(c, 200, "admin_dashboard.tpl", d);
}
