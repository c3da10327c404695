/* js: JSON building, parsing and sending. */
#include "core/js.h"

#include <string.h>

static void put(void *p)
{
	json_object_put(p);
}

json_object *js_own(ctx *c, json_object *o)
{
	if (o)
		arena_defer(c->a, put, o);
	return o;
}

json_object *js_obj(ctx *c) { return js_own(c, json_object_new_object()); }
json_object *js_arr(ctx *c) { return js_own(c, json_object_new_array()); }

void js_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v ? json_object_new_string(v) : NULL);
}

void js_strn(json_object *o, const char *key, str v)
{
	json_object_object_add(o, key, json_object_new_string_len(v.p, (int)v.len));
}

void js_i64(json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

void js_bool(json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

json_object *js_parse(ctx *c, str text)
{
	json_tokener *tok = json_tokener_new_ex(32);
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
	json_object *o = json_tokener_parse_ex(tok, text.p, (int)text.len);
	bool ok = json_tokener_get_error(tok) == json_tokener_success;
	for (size_t i = json_tokener_get_parse_end(tok); ok && i < text.len; i++)
		ok = text.p[i] == ' ' || text.p[i] == '\t' || text.p[i] == '\r' || text.p[i] == '\n';
	json_tokener_free(tok);
	if (!ok) {
		if (o)
			json_object_put(o);
		return NULL;
	}
	return js_own(c, o);
}

int js_get_str(json_object *o, const char *key, const char **out)
{
	json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 1;
}

int js_get_i64(json_object *o, const char *key, int64_t *out)
{
	json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	/* json-c clamps integers outside int64 to INT64_MAX / INT64_MIN */
	int64_t n = json_object_get_int64(v);
	if (n == INT64_MIN || (n == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX))
		return -1;
	*out = n;
	return 1;
}

int js_get_bool(json_object *o, const char *key, bool *out)
{
	json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 1;
}
