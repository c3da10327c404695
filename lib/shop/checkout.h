/* checkout: places an order from a cart — validate, price on the server,
 * idempotency, reserve, authorize, confirm or decline. One function for
 * the API and the checkout pages. */
#ifndef SOUK_CHECKOUT_H
#define SOUK_CHECKOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "shop/cart.h"
#include "core/ctx.h"
#include "shop/payment.h"

/* Registers the SQL of checkout and of the modules it uses (cart,
 * inventory, payment, order); call once before serving. */
void checkout_register(void);

/* Shipping methods: "standard" (free from $50 subtotal, else $5.99) and
 * "express" ($14.99). NULL-terminated, for forms and validation. */
extern const char *const checkout_shipping_methods[];
#define CHECKOUT_FREE_SHIPPING_FROM 5000
#define CHECKOUT_STANDARD_CENTS 599
#define CHECKOUT_EXPRESS_CENTS 1499

typedef struct checkout_totals {
	int64_t subtotal, shipping, tax, total; /* cents */
} checkout_totals;

/* Shipping cost of a method for a subtotal; -1 for an unknown method. */
int64_t checkout_shipping_cost(const char *method, int64_t subtotal);
/* Tax in cents at tax_bps basis points of the subtotal, rounded half up. */
int64_t checkout_tax(int64_t subtotal, int tax_bps);
/* Totals for a priced cart and method at the configured tax rate
 * (cfg->tax_bps): for the review page. 400 for an unknown method. */
int checkout_quote(ctx *c, const cart *k, const char *method, checkout_totals *out);

typedef struct checkout_address {
	const char *name, *line1, *line2, *city, *postal_code, *country; /* line2 may be NULL */
} checkout_address;

/* One line bought without a cart, at a price and from units decided
 * elsewhere (a flash sale): claim() runs once the key is known to be new
 * (a replay never claims), before anything is reserved: the caller's own
 * limits; take() runs in the transaction that inserts the order instead
 * of the inventory reservation (SOUK_ERR with a 409 recorded when none
 * are left), give() in the one that cancels it (declined, provider down)
 * instead of the release. */
typedef struct checkout_hold {
	int64_t sku_id, qty, unit_price;
	int (*claim)(ctx *c, void *arg);
	int (*take)(ctx *c, int64_t order_id, void *arg);
	int (*give)(ctx *c, int64_t order_id, void *arg);
	void *arg;
} checkout_hold;

/* Everything a checkout needs; strings are borrowed for the call. */
typedef struct checkout_req {
	const char *cart_id;          /* with a hold: the buyer's tag (the idempotency
	                               * scope when there is no session) */
	const checkout_hold *hold;    /* NULL: the cart's lines */
	const char *email;
	int64_t user_id;              /* 0 for a guest */
	checkout_address addr;
	const char *shipping_method;  /* NULL = "standard" */
	pay_card card;
	const char *idempotency_key;  /* 8..128 printable ASCII, one per form / request */
	const char *actor;            /* "shopper" */
} checkout_req;

/* Checks the request without touching any store: 400 "bad_request"
 * naming the first bad field (email, shipping_address.city, payment.
 * card_number, ...). */
int checkout_validate(ctx *c, const checkout_req *rq);

/* Idempotency (docs/BUYING.md): a key is scoped to its caller and bound
 * to one request, and lives 24 hours. The scope: cart_caller (the
 * session's account or guest session) or, without a session, "c:" + the
 * SHA-256 of the cart id (an API cart's holder). Arena string, NULL on
 * failure. */
const char *checkout_scope(ctx *c, const checkout_req *rq);
/* SHA-256 (hex) of the canonical request: every field that shapes the
 * order (cart, user, e-mail, method with its default, address, card), in
 * a fixed order, length-prefixed, so how a client ordered or spelled its
 * JSON does not matter and any changed field changes it. */
const char *checkout_fingerprint(ctx *c, const checkout_req *rq);

typedef enum checkout_outcome {
	CHECKOUT_CONFIRMED,      /* 201: placed now */
	CHECKOUT_PENDING,        /* 202: placed, the provider did not answer: the order is
	                          * PENDING and its authorization deferred to the worker */
	CHECKOUT_REPLAYED,       /* same key and request from the same caller within 24 h:
	                          * the first order (any status) */
	CHECKOUT_OUT_OF_STOCK,   /* 409: nothing reserved; short_* say which sku */
	CHECKOUT_DECLINED,       /* 402: order CANCELLED, stock released, decline_* say why */
	CHECKOUT_EXPIRED,        /* 409: reservations expired before payment; authorization voided */
	CHECKOUT_FAILED,         /* anything else: 400/404/422 idempotency_mismatch/503/...
	                          * recorded in c */
} checkout_outcome;

typedef struct checkout_result {
	checkout_outcome outcome;
	int64_t order_id;            /* 0 when no order exists */
	const char *public_id;       /* arena strings */
	const char *access_token;
	const char *status;          /* the order's status name now */
	int64_t short_sku;           /* OUT_OF_STOCK */
	int64_t short_wanted, short_available;
	const char *decline_code;    /* DECLINED (also on a replay of a declined order) */
	const char *decline_message;
	const char *cancel_note;     /* REPLAYED of a CANCELLED order: its cancel note
	                              * ("reservation expired", a decline code, ...) */
} checkout_result;

/* The decision after an authorization, in one transaction (retried on
 * 40001/40P01), for the checkout and for its deferred authorization
 * (checkout_defer): the order locked; still PENDING: approved commits the
 * reservations (a hold: nothing) and CONFIRMS, declined releases them (a
 * hold: give()) and CANCELS with the decline's note; already CANCELLED
 * (the expiry or a cancel won) and approved: a settle intent voids it
 * (run it after the commit: pay_void_order). defer_op (0: none) is the
 * deferred authorization's intent, locked and closed in the same
 * transaction, and its decline also writes a payment.declined event (the
 * shopper's mail); when it was closed already nothing changes and *status
 * is NULL. *status: the order's status after. */
int checkout_decide(ctx *c, int64_t order_id, const checkout_hold *hold, const char *actor,
                    const pay_result *pr, int64_t defer_op, const char **status);

/* Places the order. Returns SOUK_OK for CONFIRMED, PENDING and REPLAYED; SOUK_ERR
 * with the failure recorded in c for the rest (409 out_of_stock, 402
 * payment_declined, 409 reservation_expired, 400, 503) and *out filled as
 * far as known. Never holds row locks during the provider call;
 * serialisation/deadlock failures of its transactions are retried. On
 * CONFIRMED and PENDING the cart is cleared; on DECLINED it is kept so the
 * shopper can retry (with a new idempotency key). A provider that cannot
 * be reached: PENDING when the request paid with a payment method
 * (payment.payment_method, the storefront's token), a card number it
 * could seal, or a card sealed already (card.sealed: the storefront's
 * payment step, while the provider was down), and no hold; 503
 * payment_unavailable for a hold, or a card number with no key known to
 * seal it (nothing kept). */
int checkout_place(ctx *c, const checkout_req *rq, checkout_result *out);

#endif
