/* maillink_pages: GET /orders/{public_id}/open?link_token= : a mail's one-time link becomes the order cookie. */
#include <time.h>

#include "http/req.h"
#include "http/resp.h"
#include "shop/maillink.h"
#include "shop/order.h"
#include "storefront.h"

/* A link that cannot open the order: a page saying why and what to do,
 * never an error page (the link was ours, the shopper did nothing wrong). */
static int refused(ctx *c, const char *pid, maillink_state st)
{
	tmpl_dict *d = shop_page(c, "This link no longer opens your order");
	tmpl_set(d, "HEADING", st == MAILLINK_USED ? "This link was already used"
	                       : st == MAILLINK_EXPIRED ? "This link has expired"
	                                                : "This link is not valid");
	tmpl_set(d, "MESSAGE", st == MAILLINK_USED
	                           ? "For your safety, the link in an order e-mail opens the order once."
	                       : st == MAILLINK_EXPIRED
	                           ? "For your safety, the link in an order e-mail works for 3 days."
	                           : "The link may have been cut or changed on its way; copy the whole link from the e-mail.");
	tmpl_set(d, "PUBLIC_ID", pid);
	tmpl_set(d, "NEXT", view_fmt(c->a, "/orders/%s", pid));
	return shop_render(c, st == MAILLINK_BAD ? 400 : 410, "maillink.tpl", d);
}

int page_order_open(ctx *c)
{
	const str *id = ctx_param(c, "public_id");
	const str *v = req_query(c->rq, MAILLINK_PARAM);
	const char *pid = id ? str_dup(c->a, *id) : NULL;
	if (!pid)
		return ctx_fail(c, 404, "not_found", "there is no such order");
	maillink_state st;
	if (maillink_use(c, pid, v ? *v : (str){"", 0}, time(NULL), &st) < 0)
		return SOUK_ERR;
	if (st != MAILLINK_OK)
		return refused(c, pid, st);
	db_res *o = order_find(c, pid);
	if (!o)
		return SOUK_ERR;
	if (db_rows(o) == 0) /* signed by us for an order since deleted */
		return ctx_fail(c, 404, "not_found", "there is no such order");
	/* the order cookie, exactly as an order link's token would set it */
	cookie_opts co = {.max_age = SHOP_ORDER_COOKIE_TTL, .http_only = true, .same_site = "Lax",
	                  .path = view_fmt(c->a, "/orders/%s", pid),
	                  .secure = c->rq->https || (c->cfg && c->cfg->cookie_secure)};
	resp_cookie(c->rs, SHOP_ORDER_COOKIE, str_c(db_val(o, 0, "access_token")), &co);
	return shop_redirect(c, view_fmt(c->a, "/orders/%s", pid));
}
