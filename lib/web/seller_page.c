/* seller_page: the seller center's page guard and page frame. */
#include "web/seller_page.h"

#include <string.h>

#include "http/multipart.h"

session *seller_page_guard(ctx *c, seller_who *who, int *rc)
{
	memset(who, 0, sizeof(*who));
	bool redirected;
	session *s = shop_signed_in(c, &redirected);
	if (!s) {
		*rc = redirected ? SOUK_OK : SOUK_ERR;
		return NULL;
	}
	s->touched = true; /* personal: the page frame sends no-store */
	/* the database, not the session, says who sells: an approval or a
	 * suspension counts from the next request, without signing in again */
	db_res *r = seller_of_user(c, s->user_id);
	if (!r) {
		*rc = SOUK_ERR;
		return NULL;
	}
	const char *st = db_rows(r) ? db_val(r, 0, "status") : "";
	if (strcmp(st, "active") != 0 && strcmp(st, "suspended") != 0) {
		*rc = ctx_fail(c, 403, "forbidden", "this account is not a seller account");
		return NULL;
	}
	who->id = db_i64(r, 0, "id");
	who->name = db_val(r, 0, "name");
	who->suspended = strcmp(st, "suspended") == 0;
	return s;
}

session *seller_post_guard(ctx *c, seller_who *who, int *rc)
{
	session *s = seller_page_guard(c, who, rc);
	if (s && shop_post(c) < 0) {
		*rc = SOUK_ERR;
		return NULL;
	}
	return s;
}

session *seller_upload_guard(ctx *c, seller_who *who, int *rc, const char *what)
{
	session *s = seller_page_guard(c, who, rc);
	if (!s)
		return NULL;
	const char *why;
	if (!str_eq_c(c->rq->content_type, "multipart/form-data") ||
	    multipart_parse(c->a, c->rq->body, SELLER_UPLOAD_PARTS, &c->rq->form, &why) < 0) {
		*rc = ctx_fail(c, 400, "bad_request", "send %s as a form upload (multipart/form-data)", what);
		return NULL;
	}
	if (shop_post(c) < 0) {
		*rc = SOUK_ERR;
		return NULL;
	}
	return s;
}

tmpl_dict *seller_page(ctx *c, const seller_who *who, const char *title)
{
	tmpl_dict *d = shop_page(c, title);
	/* an include sees only its own dictionary */
	tmpl_dict *nav = tmpl_include(d, "SELLER_NAV", "seller_nav.tpl");
	tmpl_set(nav, "SELLER_NAME", who->name);
	if (who->suspended)
		tmpl_show(nav, "SUSPENDED");
	return d;
}
