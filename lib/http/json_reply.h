/* json_reply: a handler's JSON answer, written into the request's response. */
#ifndef SOUK_JSON_REPLY_H
#define SOUK_JSON_REPLY_H

#include "core/js.h"

/* Sends o as the response body with the given status. */
int resp_json(ctx *c, int status, json_object *o);
/* Sends already-serialised JSON text. */
int resp_json_text(ctx *c, int status, str text);
/* The request body as a JSON object (any content type), or NULL with 400
 * recorded. */
json_object *json_body_object(ctx *c);

#endif
