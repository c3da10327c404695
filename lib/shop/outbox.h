/* outbox: events written in the caller's transaction, published by souk-worker. */
#ifndef SOUK_OUTBOX_H
#define SOUK_OUTBOX_H

#include <json-c/json.h>

#include "core/ctx.h"

/* Registers the module's SQL once (safe to call from several modules). */
void outbox_register(void);

/* Inserts one outbox row inside the caller's open transaction, so the
 * event commits or vanishes with the change it announces. topic: "orders",
 * "catalog", "inventory" or "payments" (streams souk:<topic>); key: what
 * the event is about (an order's public_id, a product id); payload: a
 * JSON object whose "type" names the event ("catalog.price_changed");
 * borrowed, not freed.
 * SOUK_OK, or SOUK_ERR with the failure recorded in c. */
int outbox_add(ctx *c, const char *topic, const char *key, json_object *payload);

#endif
