/* admin_flash: flash sales for admins — the list with a create form, one
 * sale's live dashboard (state, queued, admitted, active passes, units
 * sold / held / left, admission rate, the wait the last in line is told;
 * refreshed every 5 s) and pause / resume / end, each confirmed. */
#include "admin_flash.h"

#include <json-c/json.h>
#include <time.h>

#include "admin.h"
#include "shop/flash.h"
#include "shop/flash_ops.h"

static int need_admin(ctx *c, bool *redirected)
{
	*redirected = false;
	if (!shop_signed_in(c, redirected))
		return *redirected ? SOUK_OK : SOUK_ERR;
	return session_require_role(c, ROLE_ADMIN) < 0 ? SOUK_ERR : 1;
}

static const char *utc(ctx *c, int64_t t)
{
	char b[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm);
	return view_fmt(c->a, "%s", b);
}

static int list_page(ctx *c, int status, const char *error)
{
	db_res *r = flash_list(c);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Flash sales (admin)");
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	int64_t now = time(NULL);
	for (int i = 0; i < db_rows(r); i++) {
		flash_sale s;
		flash_fill(c, r, i, &s);
		tmpl_dict *x = tmpl_section(d, "SALE");
		tmpl_set_i64(x, "ID", s.id);
		tmpl_set(x, "TITLE", s.title);
		tmpl_set_i64(x, "SKU", s.sku_id);
		tmpl_set(x, "STATE", flash_phase_name(flash_phase_at(&s, now)));
		tmpl_set_money(x, "PRICE", s.price);
		tmpl_set_i64(x, "UNITS", s.units);
		tmpl_set_i64(x, "SOLD", s.units_sold);
		tmpl_set(x, "STARTS", utc(c, s.starts_at));
		tmpl_set(x, "ENDS", utc(c, s.ends_at));
	}
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return shop_render(c, status, "admin_flash.tpl", d);
}

int page_admin_flash(ctx *c)
{
	bool redirected;
	int rc = need_admin(c, &redirected);
	return rc <= 0 ? rc : list_page(c, 200, NULL);
}

static int field_num(ctx *c, const char *name, int64_t *out, bool optional)
{
	const char *v = shop_field(c, name);
	*out = 0;
	if (!*v && optional)
		return SOUK_OK;
	if (str_to_i64(str_c(v), 1, INT64_MAX / 4, out) < 0)
		return ctx_fail_field(c, 400, "bad_request", name, "%s must be a positive number", name);
	return SOUK_OK;
}

static int field_time(ctx *c, const char *name, int64_t *out, bool optional)
{
	const char *v = shop_field(c, name);
	*out = 0;
	if (!*v && optional)
		return SOUK_OK;
	if ((*out = flash_parse_time(v, time(NULL))) < 0)
		return ctx_fail_field(c, 400, "bad_request", name,
		                      "%s must be a time such as 2026-12-04T10:00 (UTC)", name);
	return SOUK_OK;
}

int post_admin_flash(ctx *c)
{
	bool redirected;
	int rc = need_admin(c, &redirected);
	if (rc <= 0)
		return rc;
	if (shop_post(c) < 0)
		return SOUK_ERR;
	flash_params p = {0};
	int64_t id;
	if (field_num(c, "sku", &p.sku_id, false) < 0 || field_num(c, "units", &p.units, false) < 0 ||
	    field_num(c, "price", &p.price, false) < 0 ||
	    field_time(c, "starts", &p.starts_at, false) < 0 ||
	    field_time(c, "ends", &p.ends_at, false) < 0 ||
	    field_time(c, "prequeue", &p.prequeue_at, true) < 0 ||
	    field_num(c, "limit", &p.per_customer, true) < 0 ||
	    field_num(c, "max_active", &p.max_active, true) < 0 ||
	    field_num(c, "admit_per_min", &p.admit_per_min, true) < 0 ||
	    field_num(c, "pass_minutes", &p.pass_minutes, true) < 0 || flash_create(c, &p, &id) < 0) {
		int status;
		const char *msg = shop_take_failure(c, &status);
		if (status >= 500)
			return ctx_fail(c, status, "unavailable", "%s", msg);
		return list_page(c, status, msg);
	}
	return shop_redirect(c, view_fmt(c->a, "/admin/flash/%lld", (long long)id));
}

/* One figure of the dashboard: its JSON value as text ("-" for null). */
static void figure(tmpl_dict *d, json_object *o, const char *key, const char *label)
{
	json_object *v;
	tmpl_dict *f = tmpl_section(d, "FIG");
	tmpl_set(f, "LABEL", label);
	tmpl_set(f, "KEY", key);
	tmpl_set(f, "VALUE", json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "-");
}

int page_admin_flash_sale(ctx *c)
{
	bool redirected;
	int rc = need_admin(c, &redirected);
	if (rc <= 0)
		return rc;
	int64_t id;
	json_object *o;
	if (ctx_param_id(c, "id", &id) < 0 || flash_show(c, id, &o) < 0)
		return SOUK_ERR;
	json_object *t;
	json_object_object_get_ex(o, "title", &t);
	tmpl_dict *d = shop_page(c, view_fmt(c->a, "Flash sale %lld (admin)", (long long)id));
	tmpl_set_i64(d, "ID", id);
	tmpl_set(d, "TITLE", t ? json_object_get_string(t) : "");
	static const char *const figs[][2] = {
		{"state", "State"},         {"queued", "Queued"},
		{"admitted", "Admitted"},   {"active_passes", "Active passes"},
		{"units", "Units"},         {"units_sold", "Units sold"},
		{"units_held", "Orders in payment"}, {"units_left", "Units left"},
		{"admits_last_minute", "Admitted in the last minute"},
		{"last_in_line_eta_s", "Wait told to the last in line (s)"},
		{"price", "Price (cents)"}, {"limit", "Limit per customer"},
		{"max_active", "Max active passes"}, {"admit_per_min", "Admissions per minute"},
		{"starts_at", "Starts"},    {"ends_at", "Ends"},
	};
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++)
		figure(d, o, figs[i][0], figs[i][1]);
	json_object *st;
	json_object_object_get_ex(o, "state", &st);
	const char *state = st ? json_object_get_string(st) : "";
	if (strcmp(state, "ended") != 0) {
		tmpl_show(d, strcmp(state, "paused") == 0 ? "RESUME" : "PAUSE");
		tmpl_show(d, "END");
	}
	return shop_render(c, 200, "admin_flash_sale.tpl", d);
}

int post_admin_flash_sale(ctx *c)
{
	bool redirected;
	int rc = need_admin(c, &redirected);
	if (rc <= 0)
		return rc;
	int64_t id;
	if (shop_post(c) < 0 || ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	const str *act = ctx_param(c, "action");
	if (strcmp(shop_field(c, "confirm"), "yes") != 0)
		return ctx_fail(c, 400, "bad_request", "tick the box to confirm");
	if (str_eq_c(*act, "pause"))
		rc = flash_pause(c, id);
	else if (str_eq_c(*act, "resume"))
		rc = flash_resume(c, id);
	else if (str_eq_c(*act, "end"))
		rc = flash_end(c, id);
	else
		return ctx_fail(c, 404, "not_found", "there is no such flash sale action");
	if (rc < 0)
		return SOUK_ERR;
	return shop_redirect(c, view_fmt(c->a, "/admin/flash/%lld", (long long)id));
}
