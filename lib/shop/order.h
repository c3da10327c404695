/* order: the order state machine (one transition table), its events and
 * outbox rows, reads for pages and the API, and the shopper/admin actions
 * (cancel, process, ship, deliver, returns). */
#ifndef SOUK_ORDER_H
#define SOUK_ORDER_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

/* Registers the module's SQL; call once before serving. Processes call
 * shop_register (shop/shop.h), which also installs the order hooks. */
void order_register(void);

typedef enum order_status {
	ORDER_PENDING,
	ORDER_CONFIRMED,
	ORDER_PROCESSING,
	ORDER_SHIPPED,
	ORDER_DELIVERED,
	ORDER_CANCELLED,
	ORDER_RETURNED,
	ORDER_NSTATUS
} order_status;

/* "PENDING", ... (static strings); NULL for an out-of-range value. */
const char *order_status_name(order_status s);
/* 0 and *out set when s names a status, -1 otherwise. */
int order_status_parse(const char *s, order_status *out);

/* The one transition table (DESIGN.md §4):
 * PENDING->CONFIRMED|CANCELLED, CONFIRMED->PROCESSING|CANCELLED,
 * PROCESSING->SHIPPED|CANCELLED, SHIPPED->DELIVERED, DELIVERED->RETURNED. */
bool order_can_transition(order_status from, order_status to);

/* Days after delivery during which a return can be requested. */
#define ORDER_RETURN_DAYS 30

/* INSIDE the caller's transaction: locks the order row, refuses an illegal
 * move (409 "illegal_transition" naming both states), updates status and
 * updated_at (delivered_at for DELIVERED), and writes the order_events row
 * and the outbox row (topic "orders", key public_id, payload
 * {"type":"order.<status>","order_id","public_id","from","to","actor",
 * "note","email","total"}). 404 for an unknown order. actor: "shopper",
 * "worker", "billing", "admin:<user id>", ... note may be NULL. */
int order_transition(ctx *c, int64_t order_id, order_status to, const char *actor,
                     const char *note);

/* INSIDE the caller's transaction, right after the order row was inserted:
 * the creating event (from NULL to PENDING) and its outbox row
 * ("order.pending"). */
int order_record_created(ctx *c, int64_t order_id, const char *actor);

/* Reads; every db_res belongs to the request arena; NULL + failure
 * recorded on error. */

/* One order by public id: id, public_id, access_token, user_id, email,
 * status, subtotal, shipping, tax, total, currency, shipping_method,
 * address (json text), created_at, updated_at, delivered_at. 404 recorded
 * when unknown. */
db_res *order_find(ctx *c, const char *public_id);
db_res *order_by_id(ctx *c, int64_t order_id);
/* sku_id, seller_id, product_id, title, variant, unit_price, qty,
 * line_total, fulfillment, in id order. */
db_res *order_items(ctx *c, int64_t order_id);
/* from_status (NULL first), to_status, actor, note, at; oldest first. */
db_res *order_events(ctx *c, int64_t order_id);
/* The latest payment: status, amount, refunded_amount, brand, last4,
 * decline_code, provider_ref (0 rows when none). */
db_res *order_payment(ctx *c, int64_t order_id);
/* Returns of the order: id, status, reason, created_at (newest first). */
db_res *order_returns(ctx *c, int64_t order_id);
/* Shipments: id, seller_id, fulfillment, carrier, tracking (NULL while
 * pending), status (pending, shipped, delivered, cancelled), created_at,
 * shipped_at, delivered_at; in id order. */
db_res *order_shipments(ctx *c, int64_t order_id);
/* A user's orders, newest first: public_id, status, total, created_at,
 * item_count. */
db_res *order_list_user(ctx *c, int64_t user_id, int64_t limit, int64_t offset);

/* true when `given` equals the order's access token (constant time). */
bool order_token_ok(const char *token, str given);

/* The order as the API shows it (public_id, status, money in cents,
 * address, shipping_method, items[], payment{status,brand,last4,
 * decline_code}, events[]); with_token adds access_token. The object is
 * owned by the request arena. */
int order_json(ctx *c, int64_t order_id, bool with_token, json_object **out);

/* Order hooks: what a feature module adds to an order's move to
 * CANCELLED (order_cancel, the expiry) or RETURNED (a return received),
 * without the order module knowing the feature (flash sales install
 * theirs in flash_release_register; every process installs them through
 * shop_register, lib/shop/shop.h). A tiny registry filled at start. */
typedef struct order_hook {
	/* In the move's transaction, after the order's own steps: 1 when the
	 * order was the hook's (*done, arena memory or NULL, goes to after),
	 * 0 when not, SOUK_ERR with the failure recorded (the move rolls
	 * back). */
	int (*in_tx)(ctx *c, int64_t order_id, void **done);
	/* After the commit, only for an order in_tx took; NULL: nothing.
	 * Best effort: nothing to report. */
	void (*after)(ctx *c, int64_t order_id, void *done);
} order_hook;

#define ORDER_HOOKS 4 /* per status */

/* Installs h (static storage) for moves to `to` (ORDER_CANCELLED or
 * ORDER_RETURNED); installing the same hook again changes nothing. Call
 * at start, before serving (not thread-safe). */
void order_hook_add(order_status to, const order_hook *h);
/* How many hooks are installed for moves to `to`. */
int order_hook_count(order_status to);

/* One move's hook results, from order_hooks_in_tx to order_hooks_after. */
typedef struct order_hooked {
	order_status to;
	int n;                      /* hooks run */
	bool took[ORDER_HOOKS];
	void *done[ORDER_HOOKS];
} order_hooked;

/* INSIDE the move's transaction: every hook's in_tx for `to`, in the
 * order installed. The number of hooks that took the order (0: none), or
 * SOUK_ERR. */
int order_hooks_in_tx(ctx *c, int64_t order_id, order_status to, order_hooked *h);
/* After the commit: the after of every hook that took the order. */
void order_hooks_after(ctx *c, int64_t order_id, const order_hooked *h);

/* Actions. Each runs its own transaction (call OUTSIDE one), serialises on
 * the order row, and refuses a move the table forbids with 409.
 *
 * Cancel (PENDING, CONFIRMED or PROCESSING): held reservations released,
 * committed ones restocked, authorization voided or capture refunded, the
 * ORDER_CANCELLED hooks — all in one transaction with the transition;
 * the hooks' after steps follow the commit. */
int order_cancel(ctx *c, int64_t order_id, const char *actor, const char *reason);
/* CONFIRMED -> PROCESSING. */
int order_process(ctx *c, int64_t order_id, const char *actor);
/* PROCESSING -> SHIPPED with a shipments row; carrier and tracking 1..64
 * printable characters (400 otherwise). */
int order_ship(ctx *c, int64_t order_id, const char *actor, const char *carrier,
               const char *tracking);
/* true when s is 1..64 printable characters (a carrier, a tracking
 * number). */
bool order_label_ok(const char *s);
/* SHIPPED -> DELIVERED (delivered_at = now, shipments delivered). */
int order_deliver(ctx *c, int64_t order_id, const char *actor);

/* Returns. request: DELIVERED within ORDER_RETURN_DAYS, no open return
 * (409 otherwise); reason up to 500 chars; *return_id may be NULL.
 * Each step writes an order_events row naming the actor (request,
 * approve, reject: the status unchanged, note "return <step>").
 * approve/reject: a 'requested' return. receive: an 'approved' return ->
 * 'received', stock restocked, the captured payment refunded in full, the
 * order RETURNED and the ORDER_RETURNED hooks — one transaction. */
int order_return_request(ctx *c, int64_t order_id, const char *actor, const char *reason,
                         int64_t *return_id);
int order_return_approve(ctx *c, int64_t return_id, const char *actor);
int order_return_reject(ctx *c, int64_t return_id, const char *actor);
int order_return_receive(ctx *c, int64_t return_id, const char *actor);

#endif
