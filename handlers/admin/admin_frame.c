/* admin_frame: what every admin page shares: the gate (role admin, else
 * 404), the menu and notice, the confirmation step of destructive
 * actions, the redirect with a notice, and typed list filters. */
#include "admin.h"
#include "http/req.h"
#include "web/admin_form.h"

session *admin_gate(ctx *c)
{
	session *s = session_load(c);
	if (s && s->down) {
		ctx_fail(c, 503, "unavailable", "sessions are unavailable right now; please try again");
		return NULL;
	}
	if (!s || !s->id || !s->user_id || s->role != ROLE_ADMIN) {
		/* the admin area does not exist for anyone else */
		ctx_fail(c, 404, "not_found", "there is no such page");
		return NULL;
	}
	return s;
}

const char *admin_actor(ctx *c, const session *s)
{
	return view_fmt(c->a, "admin:%lld", (long long)s->user_id);
}

tmpl_dict *admin_page(ctx *c, const char *title, const char *nav)
{
	tmpl_dict *d = shop_page(c, view_fmt(c->a, "%s (admin)", title));
	tmpl_dict *n = tmpl_include(d, "ADMIN_NAV", "admin_nav.tpl");
	for (const admin_nav_item *i = admin_nav; i->key; i++) {
		tmpl_dict *e = tmpl_section(n, "NAV");
		tmpl_set(e, "HREF", i->href);
		tmpl_set(e, "NAME", i->name);
		if (nav && !strcmp(nav, i->key))
			tmpl_show(e, "CUR");
	}
	const str *code = req_query(c->rq, "notice");
	for (const admin_notice *m = admin_notices; code && m->code; m++)
		if (str_eq_c(*code, m->code))
			tmpl_set(tmpl_section(n, "NOTICE"), "TEXT", m->text);
	tmpl_set(d, "TITLE", title);
	return d;
}

int admin_done(ctx *c, const char *path, const char *code)
{
	return shop_redirect(c, view_fmt(c->a, "%s%cnotice=%s", path, strchr(path, '?') ? '&' : '?',
	                                 code));
}

int admin_confirmed(ctx *c, const char *question, const char *back)
{
	if (!strcmp(shop_field(c, "confirm"), "yes"))
		return 1;
	tmpl_dict *d = admin_page(c, "Please confirm", NULL);
	tmpl_set(d, "QUESTION", question);
	tmpl_set(d, "BACK", back);
	tmpl_setn(d, "ACTION", c->rq->path);
	for (size_t i = 0; i < c->rq->form.n; i++) {
		const kv *f = &c->rq->form.items[i];
		if (str_eq_c(f->key, "confirm"))
			continue;
		tmpl_dict *h = tmpl_section(d, "FIELD");
		tmpl_setn(h, "NAME", f->key);
		tmpl_setn(h, "VALUE", f->val);
	}
	return shop_render(c, 200, "admin_confirm.tpl", d) < 0 ? -1 : 0;
}

int admin_query_text(ctx *c, const char *key, size_t max, const char **out)
{
	*out = NULL;
	const str *v = req_query(c->rq, key);
	if (!v)
		return SOUK_OK;
	str t = *v;
	while (t.len && t.p[0] == ' ')
		t.p++, t.len--;
	while (t.len && t.p[t.len - 1] == ' ')
		t.len--;
	if (t.len > max)
		return ctx_fail(c, 400, "bad_request", "the %s filter is longer than %zu characters", key,
		                max);
	if (t.len)
		*out = str_dup(c->a, t);
	return SOUK_OK;
}

int admin_query_date(ctx *c, const char *key, const char **out)
{
	*out = NULL;
	const str *v = req_query(c->rq, key);
	if (!v || !v->len)
		return SOUK_OK;
	char d[11];
	if (admin_date_parse(*v, d) < 0)
		return ctx_fail(c, 400, "bad_request", "%s must be a date like 2026-12-31", key);
	*out = str_dup(c->a, str_c(d));
	return SOUK_OK;
}

const char *admin_qs(ctx *c, const char *const *kv)
{
	buf b;
	buf_init(&b, c->a, 0);
	for (size_t i = 0; kv[i]; i += 2) {
		const char *v = kv[i + 1];
		if (!v || !*v)
			continue;
		buf_printf(&b, "%s%s=", b.len ? "&" : "", kv[i]);
		for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '-' || *p == '_' || *p == '.')
				buf_putc(&b, (char)*p);
			else
				buf_printf(&b, "%%%02X", *p);
		}
	}
	return b.p;
}

int64_t admin_found(ctx *c, tmpl_dict *d, db_res *r, const char *col, const char *one,
                    const char *many)
{
	int64_t total = db_rows(r) ? db_i64(r, 0, col) : 0;
	tmpl_set(d, "FOUND", view_plural(c->a, total, one, many));
	if (db_rows(r) == 0)
		tmpl_show(d, "NONE");
	return total;
}

void admin_pager(ctx *c, tmpl_dict *d, int64_t page, bool more, const char *qs)
{
	(void)c;
	if (page > 1) {
		tmpl_dict *p = tmpl_section(d, "PREV");
		tmpl_set_i64(p, "P", page - 1);
		tmpl_set(p, "QS", qs);
	}
	if (more) {
		tmpl_dict *n = tmpl_section(d, "NEXT");
		tmpl_set_i64(n, "P", page + 1);
		tmpl_set(n, "QS", qs);
	}
}
