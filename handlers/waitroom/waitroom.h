/* waitroom: the flash-sale pool's handlers and what they share (the
 * sale of the route, the caller, the ticket and pass a request shows). */
#ifndef SOUK_WAITROOM_H
#define SOUK_WAITROOM_H

#include "shop/flash.h"

/* wr_api.c: /api/v1/flash/{id}/... */
int api_flash_ticket(ctx *c);
int api_flash_status(ctx *c);
int api_flash_order(ctx *c);
/* wr_pages.c: /flash/{id} (waiting page, then the buy page) */
int page_flash(ctx *c);
int post_flash_join(ctx *c);
int post_flash_buy(ctx *c);

/* The sale named by the route's {id}: 400 not an id, 404 unknown. */
int wr_sale(ctx *c, flash_sale *s);
/* The request's caller tag (cart_caller) or NULL: no session. */
const char *wr_caller(ctx *c);
/* Wall-clock now in milliseconds. */
int64_t wr_now_ms(void);
/* The ticket the request shows (cookie souk_flash_t<id> or header
 * X-Souk-Ticket): 1 valid for this sale and caller, 0 none shown,
 * SOUK_ERR (403 "forbidden") forged or someone else's. */
int wr_ticket(ctx *c, const flash_sale *s, const char *caller, const char **tok, flash_token *t);
/* wr_ticket for the status poll: tries the session cookie's guest tag
 * first (no session load), then the loaded session's tag; *caller gets
 * the one the ticket is bound to. */
int wr_ticket_fast(ctx *c, const flash_sale *s, const char **caller, const char **tok,
                   flash_token *t);
/* The live pass the request shows (cookie souk_flash_p<id> or header
 * X-Souk-Pass) for this sale, bound to the session cookie's guest tag or
 * the loaded session's (*caller: which), or 403 "no_pass" with the
 * waiting room's link. Works without the session hash (lost with Redis). */
int wr_pass(ctx *c, const flash_sale *s, const char **caller, flash_token *p);
/* Sets the ticket / pass cookie (HttpOnly, SameSite=Lax). */
void wr_ticket_cookie(ctx *c, const flash_sale *s, const char *tok);
void wr_pass_cookie(ctx *c, const flash_sale *s, const char *tok, int64_t expires);
/* The pass token of a status, or NULL. */
const char *wr_pass_token(ctx *c, const flash_sale *s, const char *caller, const flash_token *t,
                          const flash_status *st);

#endif
