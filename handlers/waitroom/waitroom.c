/* waitroom: souk-waitroom, the flash-sale pool (its own socket and
 * workers, nginx /flash/ and /api/v1/flash/ with their own rate limits),
 * so a sale's storm cannot starve the storefront, the API or checkout. */
#include "waitroom.h"

#include <stdio.h>
#include <time.h>

#include "core/digest.h"
#include "core/js.h"
#include "core/log.h"
#include "http/app.h"
#include "http/req.h"
#include "http/resp.h"
#include "shop/cart.h"
#include "shop/flash_order.h"
#include "shop/pay_choose.h"
#include "shop/session.h"
#include "shop/shop.h"
#include "web/views.h"

static const route waitroom_routes[] = {
	{"POST", "/api/v1/flash/{id}/tickets", api_flash_ticket, ROUTE_JSON},
	{"GET", "/api/v1/flash/{id}/status", api_flash_status, ROUTE_JSON},
	{"POST", "/api/v1/flash/{id}/orders", api_flash_order, ROUTE_JSON},
	{"GET", "/flash/{id}", page_flash, 0},
	{"POST", "/flash/{id}/join", post_flash_join, 0},
	{"POST", "/flash/{id}/buy", post_flash_buy, 0},
	{"GET", "/flash/healthz", app_healthz, ROUTE_JSON},
};

int wr_sale(ctx *c, flash_sale *s)
{
	int64_t id;
	if (ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	return flash_get_cached(c, id, s);
}

const char *wr_caller(ctx *c)
{
	return cart_caller(c);
}

int64_t wr_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const str *shown(ctx *c, const char *prefix, int64_t sale, const char *header)
{
	char name[48];
	snprintf(name, sizeof(name), "%s%lld", prefix, (long long)sale);
	const str *v = req_header(c->rq, header);
	if (v && v->len)
		return v;
	return req_cookie(c->rq, name);
}

int wr_ticket(ctx *c, const flash_sale *s, const char *caller, const char **tok, flash_token *t)
{
	const str *v = shown(c, "souk_flash_t", s->id, "x-souk-ticket");
	if (!v || v->len == 0)
		return 0;
	if (!caller || !flash_token_verify(c->a, flash_secret(), FLASH_TICKET, *v, caller, t) ||
	    t->sale != s->id)
		return ctx_fail(c, 403, "forbidden", "this ticket is not valid for your session");
	*tok = str_dup(c->a, *v);
	return 1;
}

/* The guest tag of the session cookie, computed without loading the
 * session: a guest's status poll then costs one Redis round trip. */
static const char *cookie_tag(ctx *c)
{
	const str *ck = req_cookie(c->rq, SESSION_COOKIE);
	if (!ck || !session_id_valid(*ck))
		return NULL;
	const char *h = digest_sha256_hex(c->a, ck->p, ck->len);
	return h ? view_fmt(c->a, "s:%s", h) : NULL;
}

int wr_ticket_fast(ctx *c, const flash_sale *s, const char **caller, const char **tok,
                   flash_token *t)
{
	*caller = cookie_tag(c);
	if (*caller) {
		int r = wr_ticket(c, s, *caller, tok, t);
		if (r != SOUK_ERR)
			return r;
		ctx_clear(c); /* a signed-in session's ticket carries its account */
	}
	*caller = wr_caller(c);
	return wr_ticket(c, s, *caller, tok, t);
}

int wr_pass(ctx *c, const flash_sale *s, const char **caller, flash_token *p)
{
	const str *v = shown(c, "souk_flash_p", s->id, "x-souk-pass");
	int64_t now = wr_now_ms() / 1000;
	const char *tags[] = {cookie_tag(c), NULL};
	for (int i = 0; i < 2 && v && v->len; i++) {
		if (i == 1)
			tags[1] = wr_caller(c); /* loads the session only when needed */
		*caller = tags[i];
		if (tags[i] && flash_pass_live(c->a, flash_secret(), *v, tags[i], now, p) &&
		    p->sale == s->id)
			return SOUK_OK;
	}
	json_object *x = js_obj(c);
	char href[48];
	snprintf(href, sizeof(href), "/flash/%lld", (long long)s->id);
	js_str(x, "waiting_room", href);
	return ctx_fail_json(c, 403, "no_pass", x, NULL,
	                     !v || !v->len ? "no pass: join the line at %s first"
	                                   : "this pass is not valid (forged, expired or not yours); "
	                                     "the line is at %s",
	                     href);
}

static void cookie(ctx *c, const char *prefix, const flash_sale *s, const char *tok, int max_age)
{
	char name[48];
	snprintf(name, sizeof(name), "%s%lld", prefix, (long long)s->id);
	cookie_opts o = {.max_age = max_age, .http_only = true, .same_site = "Lax", .path = "/",
	                 .secure = c->rq->https || (c->cfg && c->cfg->cookie_secure)};
	resp_cookie(c->rs, name, str_c(tok), &o);
}

void wr_ticket_cookie(ctx *c, const flash_sale *s, const char *tok)
{
	int64_t left = s->ends_at - wr_now_ms() / 1000 + 3600;
	cookie(c, "souk_flash_t", s, tok, (int)(left > 0 ? left : 3600));
}

void wr_pass_cookie(ctx *c, const flash_sale *s, const char *tok, int64_t expires)
{
	int64_t left = expires - wr_now_ms() / 1000;
	cookie(c, "souk_flash_p", s, tok, (int)(left > 0 ? left : 0));
}

const char *wr_pass_token(ctx *c, const flash_sale *s, const char *caller, const flash_token *t,
                          const flash_status *st)
{
	if (!st->pass_expires)
		return NULL;
	flash_token p = {s->id, t->ticket, st->pass_expires};
	return flash_token_sign(c->a, flash_secret(), FLASH_PASS, &p, caller);
}

int main(void)
{
	static const app waitroom = {"waitroom", waitroom_routes,
	                             sizeof(waitroom_routes) / sizeof(waitroom_routes[0]), view_error};
	if (flash_secret().len == 0) {
		log_msg(LOG_ERROR, NULL, "waitroom: SOUK_FLASH_SECRET must be set (at least %d bytes)",
		        FLASH_SECRET_MIN);
		return 2;
	}
	shop_register(); /* checkout, orders, the expiry, the order hooks */
	flash_order_register(); /* flash sales and their checkout */
	if (pay_choose_configured() < 0) /* an unknown provider: refuse to start */
		return 2;
	return app_main(&waitroom);
}
