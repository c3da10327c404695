/* cart: the shopping cart in Redis (hash cart:{id}, sku_id -> qty), priced
 * from PostgreSQL on every read. */
#ifndef SOUK_CART_H
#define SOUK_CART_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

#define CART_MAX_QTY 99     /* per line */
#define CART_MAX_LINES 100  /* distinct skus */
#define CART_TTL 86400      /* seconds; refreshed on every change */

/* Registers the module's SQL; call once before serving. */
void cart_register(void);

/* Cart ids are random (CART_ID_BYTES from getrandom, as hex), never
 * derived from a session or user id. cart_id_valid is the syntax check
 * that keeps a key well-formed (16..128 bytes of [A-Za-z0-9_-]); anything
 * else is refused before Redis is touched. */
#define CART_ID_BYTES 32 /* 256 bits, 64 hex chars */
bool cart_id_valid(str id);
/* A new random cart id in the arena; NULL when no randomness. */
char *cart_new_id(arena *a);

/* Ownership. A storefront cart carries its owner (hash field "owner"):
 * the caller tag of the session that made it. An API cart (made by
 * cart_create, field "_") has none: holding its unguessable id is the
 * right to use it. Every operation below checks this in one place and
 * answers a cart the caller may not use exactly like an unknown one (404
 * "not_found", nothing changed); a stored cart with neither field (the
 * pre-ownership storefront carts) is nobody's. */
/* The caller tag of the request: "u:<user id>" for a signed-in session
 * (every session of the account), "s:<sha256 of the session id>" for a
 * guest session, NULL without a session. Arena string. */
const char *cart_caller(ctx *c);
/* The rule: a cart with an owner only for that caller; without one only
 * when it is an API cart (api_mark). */
bool cart_owner_may(const char *owner, bool api_mark, const char *caller);

/* The cart of the request's session: the session field "cart" for a
 * guest, Redis user_cart:{user id} for an account (so it follows the
 * account across sessions). NULL when there is no session or no cart yet
 * (or Redis is down: nothing recorded). */
const char *cart_of_session(ctx *c);
/* The same, given a new random id when there is none yet (the first
 * "Add to cart"); the session must exist. NULL with 503/500 recorded. */
const char *cart_for_session(ctx *c);

/* A new random API cart id (256 bits, 64 hex chars) in the arena, and an
 * empty cart stored under it (so GET of an unknown id can answer 404).
 * 503 recorded when Redis is down. */
int cart_create(ctx *c, const char **out_id);

/* 1 when the cart exists in Redis (has lines or was created by
 * cart_create) and the caller may use it, 0 when not (unknown or
 * someone else's), SOUK_ERR (503 recorded) when Redis is down. */
int cart_exists(ctx *c, const char *cart_id);

/* Mutations (404 "not_found" for someone else's cart; cart_add on a
 * cart that does not exist yet makes it for the caller's session, and
 * without a session is 404). sku_id must be an active offer (else 400 "unknown sku" /
 * "sku ... is no longer sold", nothing stored); qty 1..99 (400); a new
 * line beyond 100 lines is 400. cart_add adds to the line's quantity (the
 * sum must stay <= 99); cart_set replaces the quantity of a line already
 * in the cart (404 "not_found" when it is not); cart_remove deletes the
 * line (no error when absent). Every change refreshes EXPIRE 86400.
 * 503 recorded when Redis (or PostgreSQL, for the sku check) is down. */
int cart_add(ctx *c, const char *cart_id, int64_t sku_id, int64_t qty);
int cart_set(ctx *c, const char *cart_id, int64_t sku_id, int64_t qty);
int cart_remove(ctx *c, const char *cart_id, int64_t sku_id);

/* Deletes the cart (after a confirmed order); someone else's is 404.
 * Redis down -> SOUK_ERR, 503. */
int cart_clear(ctx *c, const char *cart_id);

/* Moves a guest cart into a user's cart on login: quantities add up and
 * are capped at 99, lines beyond 100 are dropped, the guest cart is
 * deleted. Missing `from` is fine (nothing to do). from_owner: the caller
 * tag `from` must carry (the session before sign-in), or NULL to check it
 * against the caller like any cart; `to` must be the caller's (made for
 * the caller when missing). */
int cart_merge(ctx *c, const char *from_id, const char *from_owner, const char *to_id);

/* One priced line. Every field comes from PostgreSQL except qty. All
 * strings live in the request arena. */
typedef struct cart_line {
	int64_t sku_id;
	int64_t product_id;
	int64_t seller_id;
	const char *sku;          /* offer sku text */
	const char *title;        /* product title */
	const char *variant;      /* "Size 9, Black" or "" */
	const char *image;        /* may be NULL */
	const char *seller;       /* the seller's name; may be NULL */
	const char *fulfillment;  /* "FBA" | "FBM" */
	int commission_bps;
	int64_t unit_price;       /* cents, the offer's current price */
	int qty;
	int64_t line_total;       /* unit_price * qty */
	int64_t available;        /* sum of quantity_available over warehouses */
	bool active;              /* false: the offer was withdrawn or deleted */
} cart_line;

typedef struct cart {
	const char *id;
	cart_line *lines;         /* arena array, ordered by sku_id */
	int nlines;
	int count;                /* sum of qty over active lines */
	int64_t subtotal;         /* sum of line_total over active lines */
	bool has_inactive;        /* a line whose offer is gone (checkout refuses) */
} cart;

/* Reads and prices the cart (an unknown cart is an empty one; someone
 * else's is 404). Lines whose
 * offer vanished or was withdrawn are returned with active=false and not
 * counted. Everything is owned by the request arena. 503 when a store is
 * down. */
int cart_get(ctx *c, const char *cart_id, cart *out);

/* Item count for the header (sum of quantities, Redis only, not priced):
 * >= 0 (0 for someone else's cart), or -1 when Redis is down (nothing recorded: the header just hides
 * the count). */
int cart_count(ctx *c, const char *cart_id);

#endif
