/* search_wire: a search_query as JSON and back, the request half of the
 * souk-searchd protocol (the reply half is search_frame.c). */
#include <string.h>

#include "core/js.h"
#include "search/search_int.h"

/* Every field, always present, so the daemon never guesses a default:
 * the handler's query and the daemon's are the same value. */
static json_object *str_arr(const str *v, int n)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string_len(v[i].p, (int)v[i].len));
	return a;
}

str search_query_to_json(ctx *c, const search_query *q)
{
	json_object *o = js_obj(c);
	json_object_object_add(o, "q", json_object_new_string_len(q->q.p ? q->q.p : "", (int)q->q.len));
	json_object *w = json_object_new_array();
	json_object_array_add(w, json_object_new_double(q->w.title));
	json_object_array_add(w, json_object_new_double(q->w.brand));
	json_object_array_add(w, json_object_new_double(q->w.description));
	json_object_object_add(o, "w", w);
	js_i64(o, "category_id", q->category_id);
	js_str(o, "category_slug", q->category_slug);
	json_object_object_add(o, "brands", str_arr(q->brands, q->nbrands));
	json_object_object_add(o, "colors", str_arr(q->colors, q->ncolors));
	json_object_object_add(o, "sizes", str_arr(q->sizes, q->nsizes));
	js_i64(o, "price_min", q->price_min);
	js_i64(o, "price_max", q->price_max);
	js_bool(o, "in_stock", q->in_stock);
	js_i64(o, "rating_min", q->rating_min);
	js_i64(o, "sort", (int64_t)q->sort);
	js_i64(o, "offset", q->offset);
	js_i64(o, "limit", q->limit);
	js_bool(o, "facets", q->facets);
	json_object *rg = json_object_new_array();
	for (int i = 0; i < q->nranges; i++) {
		json_object *r = json_object_new_array();
		json_object_array_add(r, json_object_new_int64(q->ranges[i].from));
		json_object_array_add(r, json_object_new_int64(q->ranges[i].to));
		json_object_array_add(r, q->ranges[i].key ? json_object_new_string(q->ranges[i].key)
		                                          : NULL);
		json_object_array_add(rg, r);
	}
	json_object_object_add(o, "ranges", rg);
	js_bool(o, "no_cache", q->no_cache);
	js_bool(o, "no_correct", q->no_correct);
	return str_c(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
}

/* ---------------------------------------------------------- from JSON */

static const char *const keys[] = {
	"q", "w", "category_id", "category_slug", "brands", "colors", "sizes",
	"price_min", "price_max", "in_stock", "rating_min", "sort", "offset", "limit",
	"facets", "ranges", "no_cache", "no_correct", NULL,
};

static bool is_num(json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

static int bad(ctx *c, const char *what)
{
	return ctx_fail(c, 400, "bad_request", "search request: %s", what);
}

static int get(ctx *c, json_object *o, const char *key, json_type t, json_object **v)
{
	if (!json_object_object_get_ex(o, key, v) || !*v ||
	    (t == json_type_double ? !is_num(*v) : !json_object_is_type(*v, t)))
		return ctx_fail(c, 400, "bad_request", "search request: %s is missing or not a %s",
		                key, json_type_to_name(t));
	return SOUK_OK;
}

static int get_i64(ctx *c, json_object *o, const char *key, int64_t *out)
{
	json_object *v;
	if (get(c, o, key, json_type_int, &v) < 0)
		return SOUK_ERR;
	*out = json_object_get_int64(v);
	return SOUK_OK;
}

static int get_bool(ctx *c, json_object *o, const char *key, bool *out)
{
	json_object *v;
	if (get(c, o, key, json_type_boolean, &v) < 0)
		return SOUK_ERR;
	*out = json_object_get_boolean(v);
	return SOUK_OK;
}

static int get_strs(ctx *c, json_object *o, const char *key, str *v, int *n)
{
	json_object *a;
	if (get(c, o, key, json_type_array, &a) < 0)
		return SOUK_ERR;
	size_t len = json_object_array_length(a);
	if (len > SEARCH_MAX_VALUES)
		return ctx_fail(c, 400, "bad_request", "at most %d %s values", SEARCH_MAX_VALUES, key);
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string))
			return ctx_fail(c, 400, "bad_request", "search request: %s holds a non-string", key);
		v[(*n)++] = (str){json_object_get_string(e), (size_t)json_object_get_string_len(e)};
	}
	return SOUK_OK;
}

int search_query_from_json(ctx *c, str text, search_query *q)
{
	search_query_init(q);
	json_object *o = js_parse(c, text), *v;
	if (!o || !json_object_is_type(o, json_type_object))
		return bad(c, "not a JSON object");
	json_object_object_foreach(o, key, val) {
		(void)val;
		bool known = false;
		for (int i = 0; keys[i] && !known; i++)
			known = strcmp(keys[i], key) == 0;
		if (!known)
			return ctx_fail(c, 400, "bad_request", "search request: unknown field %s", key);
	}
	if (get(c, o, "q", json_type_string, &v) < 0)
		return SOUK_ERR;
	q->q = (str){json_object_get_string(v), (size_t)json_object_get_string_len(v)};
	if (get(c, o, "w", json_type_array, &v) < 0)
		return SOUK_ERR;
	if (json_object_array_length(v) != 3)
		return bad(c, "w must hold 3 weights");
	double w[3];
	for (size_t i = 0; i < 3; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		if (!e || !is_num(e))
			return bad(c, "w must hold numbers");
		w[i] = json_object_get_double(e);
	}
	q->w = (search_weights){w[0], w[1], w[2]};
	if (get_i64(c, o, "category_id", &q->category_id) < 0)
		return SOUK_ERR;
	if (!json_object_object_get_ex(o, "category_slug", &v))
		return bad(c, "category_slug is missing");
	if (v && !json_object_is_type(v, json_type_string))
		return bad(c, "category_slug must be a string or null");
	q->category_slug = v ? json_object_get_string(v) : NULL;
	if (get_strs(c, o, "brands", q->brands, &q->nbrands) < 0 ||
	    get_strs(c, o, "colors", q->colors, &q->ncolors) < 0 ||
	    get_strs(c, o, "sizes", q->sizes, &q->nsizes) < 0)
		return SOUK_ERR;
	int64_t rating, sort;
	if (get_i64(c, o, "price_min", &q->price_min) < 0 ||
	    get_i64(c, o, "price_max", &q->price_max) < 0 ||
	    get_bool(c, o, "in_stock", &q->in_stock) < 0 ||
	    get_i64(c, o, "rating_min", &rating) < 0 || get_i64(c, o, "sort", &sort) < 0 ||
	    get_i64(c, o, "offset", &q->offset) < 0 || get_i64(c, o, "limit", &q->limit) < 0 ||
	    get_bool(c, o, "facets", &q->facets) < 0 ||
	    get_bool(c, o, "no_cache", &q->no_cache) < 0 ||
	    get_bool(c, o, "no_correct", &q->no_correct) < 0)
		return SOUK_ERR;
	if (rating < 0 || rating > 5)
		return ctx_fail(c, 400, "bad_request", "rating_min must be from 0 to 5");
	if (sort < 0 || sort > SEARCH_SORT_NEWEST)
		return ctx_fail(c, 400, "bad_request", "unknown sort");
	q->rating_min = (int)rating;
	q->sort = (search_sort)sort;
	if (get(c, o, "ranges", json_type_array, &v) < 0)
		return SOUK_ERR;
	size_t nr = json_object_array_length(v);
	if (nr > SEARCH_MAX_RANGES)
		return ctx_fail(c, 400, "bad_request", "at most %d price ranges", SEARCH_MAX_RANGES);
	for (size_t i = 0; i < nr; i++) {
		json_object *r = json_object_array_get_idx(v, i), *k;
		if (!json_object_is_type(r, json_type_array) || json_object_array_length(r) != 3 ||
		    !json_object_is_type(json_object_array_get_idx(r, 0), json_type_int) ||
		    !json_object_is_type(json_object_array_get_idx(r, 1), json_type_int))
			return bad(c, "a range must be [from, to, key]");
		k = json_object_array_get_idx(r, 2);
		if (k && !json_object_is_type(k, json_type_string))
			return bad(c, "a range key must be a string or null");
		q->ranges[q->nranges++] = (search_range){
			json_object_get_int64(json_object_array_get_idx(r, 0)),
			json_object_get_int64(json_object_array_get_idx(r, 1)),
			k ? json_object_get_string(k) : NULL};
	}
	return SOUK_OK;
}
