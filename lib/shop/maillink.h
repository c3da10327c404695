/* maillink: one-time, short-lived signed links that open an order from its mail. */
#ifndef SOUK_MAILLINK_H
#define SOUK_MAILLINK_H

#include <time.h>

#include "core/ctx.h"

#define MAILLINK_TTL (72 * 3600) /* seconds a link stays good if unused */
#define MAILLINK_PARAM "link_token" /* the query parameter (nginx redacts *token= in logs) */

void maillink_register(void);

/* A link value for order public_id made at `now`:
 * "{expiry}.{nonce}.{mac}" (decimal, 32 hex, 64 hex), in the arena; the
 * page is /orders/{public_id}/open?link_token=VALUE. NULL with the
 * failure recorded (database down: no key). */
const char *maillink_make(ctx *c, const char *public_id, time_t now);

typedef enum {
	MAILLINK_OK = 0,
	MAILLINK_BAD,     /* malformed, or the MAC does not match (tampered, another order) */
	MAILLINK_EXPIRED, /* past its expiry */
	MAILLINK_USED,    /* opened before */
} maillink_state;

/* Checks `value` for public_id at `now` and, when good, records it used
 * (only the first request wins; the link is dead afterwards). Sets
 * *state; SOUK_ERR only when the database failed (recorded: 503). */
int maillink_use(ctx *c, const char *public_id, str value, time_t now, maillink_state *state);

/* Forgets up to LIMIT used links well past their expiry (maillink_use
 * refuses those as expired before it looks for the nonce), so the table
 * holds about 72 h of clicks, not all of them. Sets *n to how many. */
int maillink_prune(ctx *c, long limit, long *n);

#endif
