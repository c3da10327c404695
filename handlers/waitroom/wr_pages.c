/* wr_pages: /flash/{id} — the deal and "Join the line", the pre-queue
 * countdown, the place in line with its ETA (polled by static/flash.js,
 * which also hears the sale's pushed changes; a meta refresh without
 * JavaScript), then the short buy form, and the confirmation. */
#include "waitroom.h"

#include <string.h>
#include <time.h>

#include "core/rnd.h"
#include "shop/flash_order.h"
#include "web/shop_page.h"

#define WR_REFRESH_S 5 /* the meta refresh of the waiting page */

static const char *when(ctx *c, int64_t t)
{
	char b[40];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S UTC", &tm);
	return view_fmt(c->a, "%s", b);
}

static const char *duration(ctx *c, int64_t s)
{
	if (s < 0)
		s = 0;
	return s >= 60 ? view_fmt(c->a, "%lld min %lld s", (long long)(s / 60), (long long)(s % 60))
	               : view_fmt(c->a, "%lld s", (long long)s);
}

/* The page with the deal filled in. */
static tmpl_dict *deal_page(ctx *c, const flash_sale *s, int64_t left, const char *state)
{
	tmpl_dict *d = shop_page(c, view_fmt(c->a, "Flash sale: %s", s->title));
	tmpl_set_i64(d, "SALE_ID", s->id);
	tmpl_set(d, "TITLE", s->title);
	tmpl_set(d, "STATE", state);
	tmpl_set_i64(d, "STARTS_UNIX", s->starts_at);
	tmpl_set_money(d, "PRICE", s->price);
	tmpl_set_money(d, "LIST_PRICE", s->list_price);
	tmpl_set_i64(d, "LIMIT", s->per_customer);
	tmpl_set_i64(d, "UNITS", s->units);
	tmpl_set_i64(d, "UNITS_LEFT", left > 0 ? left : 0);
	return d;
}

static void poll_section(tmpl_dict *d)
{
	tmpl_set_i64(tmpl_section(d, "POLL"), "REFRESH", WR_REFRESH_S);
}

/* The buy form for a live pass: the quantity up to what is left of the
 * customer's limit, a fresh idempotency key. */
static int buy_form(ctx *c, tmpl_dict *d, const flash_sale *s, const char *caller, int64_t until)
{
	int64_t had = flash_customer_bought(c, s->id, caller);
	if (had < 0)
		return SOUK_ERR;
	tmpl_dict *b = tmpl_section(d, "BUY");
	tmpl_set(b, "PASS_UNTIL", when(c, until));
	const char *key = rnd_hex(c->a, 16);
	tmpl_set(b, "KEY", key ? key : "");
	session *se = session_load(c);
	tmpl_set(b, "EMAIL", se && se->email ? se->email : "");
	for (int64_t q = 1; q <= s->per_customer - had; q++)
		tmpl_set_i64(tmpl_section(b, "QTY"), "V", q);
	return SOUK_OK;
}

int page_flash(ctx *c)
{
	flash_sale s;
	if (wr_sale(c, &s) < 0)
		return SOUK_ERR;
	int64_t now = wr_now_ms();
	flash_phase ph = flash_phase_at(&s, now / 1000);
	const char *caller, *tok;
	flash_token t;
	int shown = wr_ticket_fast(c, &s, &caller, &tok, &t);
	if (shown < 0) {
		ctx_clear(c); /* a stale or foreign cookie: as if none */
		shown = 0;
	}
	if (shown == 0 || ph == FLASH_ENDED) {
		int64_t left = ph == FLASH_ENDED ? 0 : s.units - s.units_sold;
		tmpl_dict *d = deal_page(c, &s, left, "none");
		if (ph == FLASH_ENDED)
			tmpl_set(tmpl_section(d, "ENDED"), "ENDED_WHY", "Thank you for your interest.");
		else if (left <= 0)
			tmpl_show(d, "SOLD_OUT");
		else
			tmpl_set(tmpl_section(d, "LANDING"), "WHEN",
			         ph == FLASH_NOT_OPEN  ? view_fmt(c->a, "The line opens at %s.",
			                                          when(c, s.prequeue_at))
			         : ph == FLASH_PREQUEUE ? view_fmt(c->a, "The sale starts at %s.",
			                                           when(c, s.starts_at))
			                                : "The sale is on.");
		return shop_render(c, 200, "flash.tpl", d);
	}
	flash_status st;
	if (flash_poll(c, &s, &t, now, &st) < 0)
		return SOUK_ERR;
	tmpl_dict *d = deal_page(c, &s, st.units_left, st.state);
	/* read before the status: flash.js takes pushes from then on as news */
	tmpl_set_i64(d, "NOW_MS", now);
	if (strcmp(st.state, "prequeue") == 0) {
		tmpl_set(tmpl_section(d, "PREQUEUE"), "STARTS_IN", duration(c, st.eta_s));
		poll_section(d);
	} else if (strcmp(st.state, "waiting") == 0 || strcmp(st.state, "paused") == 0) {
		tmpl_dict *w = tmpl_section(d, "WAITING");
		tmpl_set_i64(w, "POSITION", st.position);
		tmpl_set_i64(w, "AHEAD", st.ahead);
		tmpl_set(w, "ETA", duration(c, st.eta_s));
		tmpl_set(w, "HEADING",
		         strcmp(st.state, "paused") == 0 ? "The line is paused" : "You are in line");
		poll_section(d);
	} else if (strcmp(st.state, "admitted") == 0) {
		const char *pass = wr_pass_token(c, &s, caller, &t, &st);
		if (pass)
			wr_pass_cookie(c, &s, pass, st.pass_expires);
		if (buy_form(c, d, &s, caller, st.pass_expires) < 0)
			return SOUK_ERR;
	} else if (strcmp(st.state, "sold_out") == 0) {
		tmpl_show(d, "SOLD_OUT");
		poll_section(d); /* units may come back */
	} else {
		tmpl_set(tmpl_section(d, "ENDED"), "ENDED_WHY",
		         st.spent ? "You bought your share of this sale." : "Your turn has passed.");
	}
	return shop_render(c, 200, "flash.tpl", d);
}

int post_flash_join(ctx *c)
{
	flash_sale s;
	if (!shop_post_lazy(c) || wr_sale(c, &s) < 0)
		return SOUK_ERR;
	int64_t now = wr_now_ms() / 1000;
	flash_phase ph = flash_phase_at(&s, now);
	if (ph == FLASH_NOT_OPEN)
		return ctx_fail(c, 409, "not_open", "the line for this sale has not opened yet");
	if (ph == FLASH_ENDED)
		return ctx_fail(c, 409, "ended", "this sale is over");
	const char *caller = wr_caller(c), *tok;
	flash_token t;
	if (!caller)
		return ctx_fail(c, 503, "unavailable", "no session could be made");
	int shown = wr_ticket(c, &s, caller, &tok, &t);
	if (shown < 0) {
		ctx_clear(c);
		shown = 0;
	}
	if (shown == 1 ? flash_rejoin(c, &s, caller, tok, &t) < 0
	               : flash_join(c, &s, caller, now, &tok, &t) < 0)
		return SOUK_ERR;
	wr_ticket_cookie(c, &s, tok);
	return shop_redirect(c, view_fmt(c->a, "/flash/%lld", (long long)s.id));
}

/* The buy form again with the failure shown next to it. */
static int buy_again(ctx *c, const flash_sale *s, const char *caller, const flash_token *p)
{
	int status;
	const char *msg = shop_take_failure(c, &status);
	flash_sale fresh = *s;
	tmpl_dict *d = deal_page(c, &fresh, s->units - s->units_sold, "admitted");
	tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", msg);
	if (buy_form(c, d, s, caller, p->n) < 0)
		return SOUK_ERR;
	return shop_render(c, status, "flash.tpl", d);
}

int post_flash_buy(ctx *c)
{
	flash_sale s;
	if (shop_post(c) < 0 || wr_sale(c, &s) < 0)
		return SOUK_ERR;
	const char *caller;
	flash_token p;
	if (wr_pass(c, &s, &caller, &p) < 0)
		return SOUK_ERR;
	int64_t qty, m, y;
	int64_t had = flash_customer_bought(c, s.id, caller);
	if (had < 0)
		return SOUK_ERR;
	if (had >= s.per_customer)
		return ctx_fail(c, 403, "pass_spent", "you bought your share of this sale already");
	if (shop_field_int(c, "qty", "Quantity", 1, s.per_customer - had, &qty) < 0 ||
	    shop_field_int(c, "exp_month", "Month", 1, 12, &m) < 0 ||
	    shop_field_int(c, "exp_year", "Year", 2000, 2100, &y) < 0)
		return buy_again(c, &s, caller, &p);
	session *se = session_load(c);
	checkout_req rq = {
		.email = shop_field(c, "email"),
		.user_id = se ? se->user_id : 0,
		.addr = {shop_field(c, "name"), shop_field(c, "line1"), NULL, shop_field(c, "city"),
		         shop_field(c, "postal_code"), shop_field(c, "country")},
		.card = {.number = shop_field(c, "card_number"), .exp_month = (int)m,
		         .exp_year = (int)y, .cvc = shop_field(c, "cvc")},
		.idempotency_key = shop_field(c, "key"),
		.actor = "shopper",
	};
	checkout_result res;
	if (flash_order_place(c, &s, caller, p.ticket, qty, &rq, &res) < 0)
		return buy_again(c, &s, caller, &p);
	if (session_set(c, view_fmt(c->a, "o_%s", res.public_id), "1", NULL) < 0)
		return SOUK_ERR;
	tmpl_dict *d = deal_page(c, &s, s.units - s.units_sold - qty, "done");
	tmpl_dict *k = tmpl_section(d, "DONE");
	tmpl_set(k, "PUBLIC_ID", res.public_id);
	tmpl_set(k, "STATUS", res.status);
	tmpl_set_i64(k, "N", qty);
	tmpl_set(k, "TITLE", s.title);
	tmpl_set_money(k, "PRICE", s.price);
	tmpl_set(k, "EMAIL", rq.email);
	tmpl_set(k, "ORDER_HREF", view_fmt(c->a, "/orders/%s", res.public_id));
	return shop_render(c, 200, "flash.tpl", d);
}
