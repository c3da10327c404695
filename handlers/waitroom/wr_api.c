/* wr_api: the flash sale's JSON API — a ticket in line, its status (with
 * the pass once admitted), and the order bought with the pass. */
#include "waitroom.h"

#include <string.h>

#include "core/js.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"
#include "shop/checkout_json.h"
#include "shop/flash_order.h"
#include "shop/session.h"

/* position/ahead/eta_s are null while they mean nothing (pre-queue,
 * admitted, sold out). */
static void place_json(json_object *o, const flash_status *st)
{
	if (st->known_place && strcmp(st->state, "admitted") != 0) {
		js_i64(o, "position", st->position);
		js_i64(o, "ahead", st->ahead);
	} else {
		json_object_object_add(o, "position", NULL);
		json_object_object_add(o, "ahead", NULL);
	}
	if (st->known_place || strcmp(st->state, "prequeue") == 0)
		js_i64(o, "eta_s", st->eta_s);
	else
		json_object_object_add(o, "eta_s", NULL);
}

static json_object *status_json(ctx *c, const flash_sale *s, const char *caller,
                                const flash_token *t, const flash_status *st)
{
	json_object *o = js_obj(c);
	js_str(o, "state", st->state);
	place_json(o, st);
	js_i64(o, "units_left", st->units_left > 0 ? st->units_left : 0);
	js_i64(o, "starts_in_s", s->starts_at - wr_now_ms() / 1000);
	const char *pass = wr_pass_token(c, s, caller, t, st);
	if (pass) {
		json_object *p = json_object_new_object();
		js_str(p, "token", pass);
		js_i64(p, "expires_at", st->pass_expires);
		json_object_object_add(o, "pass", p);
		wr_pass_cookie(c, s, pass, st->pass_expires);
	}
	return o;
}

int api_flash_ticket(ctx *c)
{
	flash_sale s;
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	if (wr_sale(c, &s) < 0)
		return SOUK_ERR;
	int64_t now = wr_now_ms();
	flash_phase ph = flash_phase_at(&s, now / 1000);
	if (ph == FLASH_NOT_OPEN)
		return ctx_fail(c, 409, "not_open", "the line for this sale has not opened yet");
	if (ph == FLASH_ENDED)
		return ctx_fail(c, 409, "ended", "this sale is over");
	const char *caller, *tok = NULL;
	flash_token t;
	/* a ticket shown comes back to its place even when its session was
	 * lost with Redis; otherwise a (new) session gets a ticket */
	int shown = wr_ticket_fast(c, &s, &caller, &tok, &t);
	if (shown < 0)
		return SOUK_ERR;
	if (shown == 0 && (!session_ensure(c) || !(caller = wr_caller(c))))
		return c->err_status ? SOUK_ERR
		                     : ctx_fail(c, 503, "unavailable", "no session could be made");
	if (shown == 1 ? flash_rejoin(c, &s, caller, tok, &t) < 0
	               : flash_join(c, &s, caller, now / 1000, &tok, &t) < 0)
		return SOUK_ERR;
	flash_status st;
	if (flash_poll(c, &s, &t, now, &st) < 0)
		return SOUK_ERR;
	wr_ticket_cookie(c, &s, tok);
	json_object *o = status_json(c, &s, caller, &t, &st);
	js_str(o, "ticket", tok);
	js_i64(o, "number", t.ticket);
	return resp_json(c, 201, o);
}

int api_flash_status(ctx *c)
{
	flash_sale s;
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	if (wr_sale(c, &s) < 0)
		return SOUK_ERR;
	const char *caller, *tok;
	flash_token t;
	int shown = wr_ticket_fast(c, &s, &caller, &tok, &t);
	if (shown < 0)
		return SOUK_ERR;
	if (shown == 0)
		return ctx_fail(c, 400, "no_ticket",
		                "no ticket: send the ticket cookie or the X-Souk-Ticket header");
	flash_status st;
	if (flash_poll(c, &s, &t, wr_now_ms(), &st) < 0)
		return SOUK_ERR;
	return resp_json(c, 200, status_json(c, &s, caller, &t, &st));
}

int api_flash_order(ctx *c)
{
	flash_sale s;
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	resp_keep_headers(c->rs);
	if (wr_sale(c, &s) < 0)
		return SOUK_ERR;
	const char *caller;
	flash_token p;
	if (wr_pass(c, &s, &caller, &p) < 0)
		return SOUK_ERR;
	json_object *b = json_body_object(c);
	if (!b)
		return SOUK_ERR;
	int64_t qty;
	json_object *q;
	if (!json_object_object_get_ex(b, "qty", &q) || js_get_i64(b, "qty", &qty) != 1 || qty < 1 ||
	    qty > 99)
		return ctx_fail(c, 400, "bad_request", "qty must be an integer from 1 to %lld",
		                (long long)s.per_customer);
	checkout_req rq;
	if (checkout_from_json(c, b, false, &rq) < 0)
		return SOUK_ERR;
	session *se = session_load(c);
	rq.user_id = se ? se->user_id : 0;
	checkout_result res;
	int rc = flash_order_place(c, &s, caller, p.ticket, qty, &rq, &res);
	return checkout_reply(c, rc, &res);
}
