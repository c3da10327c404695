/* views: layout and error pages shared by every storefront page. */
#include "views.h"

tmpl_dict *view_page(ctx *c, const char *title)
{
	tmpl_dict *d = tmpl_dict_new(c->a);
	tmpl_set(d, "PAGE_TITLE", title);
	tmpl_include(d, "HEADER", "header.tpl");
	tmpl_include(d, "FOOTER", "footer.tpl");
	return d;
}

int view_render(ctx *c, const char *file, tmpl_dict *d)
{
	c->rs.content_type = "text/html; charset=utf-8";
	if (tmpl_render(file, d, &c->rs.body) < 0)
		return ctx_fail(c, 500, "internal", "page could not be rendered");
	return SOUK_OK;
}

void view_error(ctx *c)
{
	tmpl_dict *d = view_page(c, "Error");
	tmpl_set_i64(d, "STATUS", c->err_status);
	tmpl_set(d, "REASON", http_reason(c->err_status));
	tmpl_set(d, "MESSAGE", c->err_msg);
	c->rs.content_type = "text/html; charset=utf-8";
	if (tmpl_render("error.tpl", d, &c->rs.body) < 0) {
		c->rs.content_type = "text/plain; charset=utf-8";
		buf_printf(&c->rs.body, "%d %s\n", c->err_status, c->err_msg ? c->err_msg : "");
	}
}
