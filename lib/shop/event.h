/* event: one outbox event as a consumer reads it from a Redis Stream. */
#ifndef SOUK_EVENT_H
#define SOUK_EVENT_H

#include <json-c/json.h>
#include <stdint.h>

#include "core/ctx.h"

/* The relay writes each outbox row as a stream entry with the fields
 * id (outbox id), type, key and payload (the JSON text). */
typedef struct event {
	int64_t id;           /* outbox id: what consumers deduplicate on */
	const char *type;     /* "order.confirmed", "catalog.price_changed", ... */
	const char *key;      /* an order's public_id, a product id, ... */
	json_object *payload; /* a JSON object, owned by the request arena */
} event;

/* Fills ev from an entry's field/value list (fields[0] name, fields[1]
 * value, ...), copying into c's arena. 0, or -1 when id is not a positive
 * integer, type/key/payload is missing, the payload is not a JSON object,
 * or its "type" differs from the type field. Unknown fields are ignored. */
int event_parse(ctx *c, const str *fields, size_t n, event *ev);

/* A positive integer member of the payload ("order_id", "product_id"):
 * 1 found, 0 absent, -1 present but not a positive integer. */
int event_id_field(const event *ev, const char *key, int64_t *out);

/* Redis Stream of a topic: "souk:orders" for "orders", in c's arena. */
const char *event_stream(ctx *c, const char *topic);

#endif
