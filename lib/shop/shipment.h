/* shipment: split fulfilment (docs/MARKETPLACE.md "Orders and
 * shipments"): an order's items are grouped at checkout into one shipment
 * per seller and per FBA/FBM; a seller ships its FBM shipments, the
 * platform its FBA ones; the order follows (SHIPPED when all shipped,
 * DELIVERED when all delivered). */
#ifndef SOUK_SHIPMENT_H
#define SOUK_SHIPMENT_H

#include <json-c/json.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

/* Registers the module's SQL; call once before serving. */
void shipment_register(void);

/* Days a seller has to ship (a later shipment counts as late). */
#define SHIPMENT_DUE_DAYS 2

/* INSIDE the caller's transaction, after the order's items were
 * inserted: one 'pending' shipment per (seller, fulfillment), each item
 * linked to its shipment (order_items.shipment_id). */
int shipment_split_order(ctx *c, int64_t order_id);

/* Ships one pending shipment with carrier and tracking (1..64 printable
 * characters each, 400 otherwise), in its own transaction. seller_id > 0:
 * a seller acting, who must own it (404 otherwise, nothing changed) and
 * may ship only FBM (409 for FBA); 0: the platform (any shipment). The
 * order must be CONFIRMED or PROCESSING (409): it moves to PROCESSING
 * with the first shipment and to SHIPPED with the last; a shipment that
 * is not the last writes a "shipment.shipped" event (the shopper's mail). */
int shipment_ship(ctx *c, int64_t shipment_id, int64_t seller_id, const char *actor,
                  const char *carrier, const char *tracking);

/* Marks a shipped shipment delivered (the carrier's word; the platform
 * acts); the order becomes DELIVERED with its last one. 409 when it is
 * not shipped. */
int shipment_deliver(ctx *c, int64_t shipment_id, const char *actor);

/* One shipment as its seller sees it (seller_id 0: the platform):
 * id, order_id, public_id, order_status, seller_id, fulfillment, carrier,
 * tracking, status, created_at, shipped_at, delivered_at, due_at; 404
 * recorded (NULL) when unknown or another seller's. */
db_res *shipment_get(ctx *c, int64_t shipment_id, int64_t seller_id);
/* Its items: id, sku_id, title, variant, unit_price, qty. */
db_res *shipment_items(ctx *c, int64_t shipment_id);

/* The seller's orders, newest first, with only their part: order_id,
 * public_id, status, created_at, items (units), amount (their items'
 * gross), shipment_ids (JSON text "[1,2]"), pending (shipments to ship). */
db_res *shipment_seller_orders(ctx *c, int64_t seller_id, int64_t limit, int64_t offset);

/* The seller's shipments, pending first then newest: id, public_id,
 * order_status, fulfillment, status, carrier, tracking, due_at, late,
 * units. status NULL = any. */
db_res *shipment_seller_list(ctx *c, int64_t seller_id, const char *status, int64_t limit,
                             int64_t offset);

/* The same shipment as JSON for the seller API (arena-owned). */
int shipment_json(ctx *c, int64_t shipment_id, int64_t seller_id, json_object **out);

#endif
