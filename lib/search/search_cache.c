/* search_cache: the Redis key of a search and its result as JSON text. */
#include <ctype.h>
#include <strings.h>

#include "core/js.h"
#include "http/req.h"
#include "search/search_int.h"

const char *search_normalise(ctx *c, str q)
{
	if (!utf8_valid(q))
		return NULL;
	buf b;
	buf_init(&b, c->a, 0);
	bool space = false;
	for (size_t i = 0; i < q.len; i++) {
		unsigned char ch = (unsigned char)q.p[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = b.len > 0;
			continue;
		}
		if (ch < 0x20 || ch == 0x7f)
			return NULL;
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, (char)(ch < 0x80 ? tolower(ch) : ch));
	}
	return b.failed ? NULL : b.p ? b.p : "";
}

/* A value with its length first, so no separator inside a value can make
 * two different queries print the same key. */
static void put_val(buf *b, const char *tag, str v)
{
	buf_printf(b, "|%s%zu:", tag, v.len);
	for (size_t i = 0; i < v.len; i++)
		buf_putc(b, (char)tolower((unsigned char)v.p[i]));
}

/* Multi-valued filters are sets: sorted, so the order of the parameters
 * does not split the cache. */
static int cmp_str(const void *x, const void *y)
{
	const str *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = strncasecmp(a->p, b->p, n);
	return d ? d : (a->len > b->len) - (a->len < b->len);
}

static void put_set(ctx *c, buf *b, const char *tag, const str *v, int n)
{
	str *s = arena_alloc(c->a, sizeof(str) * (size_t)(n ? n : 1));
	if (!s) {
		b->failed = true;
		return;
	}
	memcpy(s, v, sizeof(str) * (size_t)n);
	qsort(s, (size_t)n, sizeof(str), cmp_str);
	for (int i = 0; i < n; i++)
		put_val(b, tag, s[i]);
}

const char *search_cache_key(ctx *c, const search_query *q, const char *qnorm,
                             str version)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_puts(&b, "search:v");
	buf_append(&b, version.p, version.len);
	put_val(&b, "q", str_c(qnorm));
	buf_printf(&b, "|w%g,%g,%g|c%lld", q->w.title, q->w.brand, q->w.description,
	           (long long)q->category_id);
	if (q->category_slug)
		put_val(&b, "cs", str_c(q->category_slug));
	put_set(c, &b, "b", q->brands, q->nbrands);
	put_set(c, &b, "co", q->colors, q->ncolors);
	put_set(c, &b, "s", q->sizes, q->nsizes);
	buf_printf(&b, "|p%lld-%lld|i%d|r%d|o%d|%lld+%lld|f%d|nc%d",
	           (long long)q->price_min, (long long)q->price_max, q->in_stock,
	           q->rating_min, (int)q->sort, (long long)q->offset, (long long)q->limit,
	           q->facets, q->no_correct);
	for (int i = 0; i < q->nranges; i++) {
		buf_printf(&b, "|rg%lld-%lld", (long long)q->ranges[i].from,
		           (long long)q->ranges[i].to);
		if (q->ranges[i].key)
			put_val(&b, "k", str_c(q->ranges[i].key));
	}
	return b.failed ? NULL : b.p;
}

/* ------------------------------------------------------------ to JSON */

static json_object *bucket_arr(const search_bucket *v, int n)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < n; i++) {
		json_object *o = json_object_new_array();
		json_object_array_add(o, json_object_new_string(v[i].value ? v[i].value : ""));
		json_object_array_add(o, json_object_new_int64(v[i].id));
		json_object_array_add(o, json_object_new_int64(v[i].count));
		json_object_array_add(o, json_object_new_boolean(v[i].selected));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *nstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

str search_result_to_json(ctx *c, const search_result *r)
{
	json_object *o = js_obj(c), *hits = json_object_new_array();
	js_i64(o, "t", r->total);
	for (int i = 0; i < r->nhits; i++) {
		const search_hit *h = &r->hits[i];
		json_object *a = json_object_new_array();
		json_object_array_add(a, json_object_new_int64(h->id));
		json_object_array_add(a, nstr(h->ref));
		json_object_array_add(a, nstr(h->title));
		json_object_array_add(a, nstr(h->brand));
		json_object_array_add(a, nstr(h->image));
		json_object_array_add(a, json_object_new_int64(h->price));
		json_object_array_add(a, json_object_new_double(h->rating));
		json_object_array_add(a, json_object_new_int64(h->rating_count));
		json_object_array_add(a, json_object_new_boolean(h->in_stock));
		json_object_array_add(a, json_object_new_int64(h->sales_rank));
		json_object_array_add(a, json_object_new_double(h->score));
		json_object_array_add(hits, a);
	}
	json_object_object_add(o, "h", hits);
	json_object_object_add(o, "b", bucket_arr(r->brands, r->nbrands));
	json_object_object_add(o, "co", bucket_arr(r->colors, r->ncolors));
	json_object_object_add(o, "ca", bucket_arr(r->categories, r->ncategories));
	json_object_object_add(o, "r", bucket_arr(r->ratings, r->nratings));
	json_object *pr = json_object_new_array();
	for (int i = 0; i < r->nprices; i++) {
		json_object *a = json_object_new_array();
		json_object_array_add(a, json_object_new_int64(r->prices[i].from));
		json_object_array_add(a, json_object_new_int64(r->prices[i].to));
		json_object_array_add(a, nstr(r->prices[i].key));
		json_object_array_add(a, json_object_new_int64(r->prices[i].count));
		json_object_array_add(pr, a);
	}
	json_object_object_add(o, "p", pr);
	js_str(o, "cq", r->corrected_query);
	json_object *sg = json_object_new_array();
	for (int i = 0; i < r->nsuggestions; i++)
		json_object_array_add(sg, json_object_new_string(r->suggestions[i]));
	json_object_object_add(o, "s", sg);
	js_str(o, "e", r->engine);
	return str_c(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
}

/* ---------------------------------------------------------- from JSON */

static json_object *field(json_object *o, const char *key, json_type t)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* Element i of array a as a string (NULL for JSON null). It belongs to
 * the parsed tree, which the arena drops at the end of the request: the
 * same lifetime as the result, so no copy is needed. */
static const char *el_str(json_object *a, size_t i)
{
	json_object *v = json_object_array_get_idx(a, i);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int64_t el_i64(json_object *a, size_t i)
{
	return json_object_get_int64(json_object_array_get_idx(a, i));
}

static int buckets_from(ctx *c, json_object *o, const char *key, search_bucket **out, int *n)
{
	json_object *a = field(o, key, json_type_array);
	if (!a)
		return SOUK_ERR;
	size_t len = json_object_array_length(a);
	*n = 0;
	*out = arena_alloc(c->a, sizeof(search_bucket) * (len ? len : 1));
	if (!*out)
		return SOUK_ERR;
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_array) || json_object_array_length(e) != 4)
			return SOUK_ERR;
		search_bucket *b = &(*out)[(*n)++];
		b->value = el_str(e, 0);
		b->id = el_i64(e, 1);
		b->count = el_i64(e, 2);
		b->selected = json_object_get_boolean(json_object_array_get_idx(e, 3));
	}
	return SOUK_OK;
}

int search_result_from_json(ctx *c, str text, search_result *r)
{
	memset(r, 0, sizeof(*r));
	json_object *o = js_parse(c, text), *hits, *pr, *sg, *t;
	if (!o || !(t = field(o, "t", json_type_int)) || !(hits = field(o, "h", json_type_array)) ||
	    !(pr = field(o, "p", json_type_array)) || !(sg = field(o, "s", json_type_array)))
		return SOUK_ERR;
	r->total = json_object_get_int64(t);
	size_t nh = json_object_array_length(hits);
	r->hits = arena_alloc(c->a, sizeof(search_hit) * (nh ? nh : 1));
	if (!r->hits)
		return SOUK_ERR;
	for (size_t i = 0; i < nh; i++) {
		json_object *a = json_object_array_get_idx(hits, i);
		if (!json_object_is_type(a, json_type_array) || json_object_array_length(a) != 11)
			return SOUK_ERR;
		search_hit *h = &r->hits[r->nhits++];
		memset(h, 0, sizeof(*h));
		h->id = el_i64(a, 0);
		h->ref = el_str(a, 1);
		h->title = el_str(a, 2);
		h->brand = el_str(a, 3);
		h->image = el_str(a, 4);
		h->price = el_i64(a, 5);
		h->rating = json_object_get_double(json_object_array_get_idx(a, 6));
		h->rating_count = (int)el_i64(a, 7);
		h->in_stock = json_object_get_boolean(json_object_array_get_idx(a, 8));
		h->sales_rank = (int)el_i64(a, 9);
		h->score = json_object_get_double(json_object_array_get_idx(a, 10));
	}
	if (buckets_from(c, o, "b", &r->brands, &r->nbrands) < 0 ||
	    buckets_from(c, o, "co", &r->colors, &r->ncolors) < 0 ||
	    buckets_from(c, o, "ca", &r->categories, &r->ncategories) < 0 ||
	    buckets_from(c, o, "r", &r->ratings, &r->nratings) < 0)
		return SOUK_ERR;
	size_t np = json_object_array_length(pr);
	r->prices = arena_alloc(c->a, sizeof(search_price_bucket) * (np ? np : 1));
	if (!r->prices)
		return SOUK_ERR;
	for (size_t i = 0; i < np; i++) {
		json_object *a = json_object_array_get_idx(pr, i);
		if (!json_object_is_type(a, json_type_array) || json_object_array_length(a) != 4)
			return SOUK_ERR;
		search_price_bucket *p = &r->prices[r->nprices++];
		p->from = el_i64(a, 0);
		p->to = el_i64(a, 1);
		p->key = el_str(a, 2);
		p->count = el_i64(a, 3);
	}
	json_object *cq;
	if (json_object_object_get_ex(o, "cq", &cq) && cq)
		r->corrected_query = json_object_get_string(cq);
	json_object *e = field(o, "e", json_type_string);
	r->engine = e ? json_object_get_string(e) : NULL;
	size_t ns = json_object_array_length(sg);
	r->suggestions = arena_alloc(c->a, sizeof(char *) * (ns ? ns : 1));
	if (!r->suggestions)
		return SOUK_ERR;
	for (size_t i = 0; i < ns; i++) {
		const char *s = el_str(sg, i);
		if (!s)
			return SOUK_ERR;
		r->suggestions[r->nsuggestions++] = s;
	}
	return SOUK_OK;
}
