/* js: json-c helpers bound to the request arena. */
#ifndef SOUK_JS_H
#define SOUK_JS_H

#include <json-c/json.h>
#include <stdbool.h>

#include "core/ctx.h"

/* New objects whose reference the arena drops at the end of the request.
 * Only roots need this: children belong to their parent. */
json_object *js_obj(ctx *c);
json_object *js_arr(ctx *c);
json_object *js_own(ctx *c, json_object *o);

/* Adds key -> value; a NULL C string becomes JSON null. */
void js_str(json_object *o, const char *key, const char *v);
void js_strn(json_object *o, const char *key, str v);
void js_i64(json_object *o, const char *key, int64_t v);
void js_bool(json_object *o, const char *key, bool v);

/* Parses JSON text into an arena-owned tree; NULL when malformed. */
json_object *js_parse(ctx *c, str text);

/* Typed getters on an object: 1 found with the right type, 0 absent,
 * -1 present with the wrong type. */
int js_get_str(json_object *o, const char *key, const char **out);
int js_get_i64(json_object *o, const char *key, int64_t *out);
int js_get_bool(json_object *o, const char *key, bool *out);

#endif
