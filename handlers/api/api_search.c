/* api_search: the search JSON API over lib/search (hits, facets, typo
 * correction) and autocomplete. Prices in cents, like every Souk API. */
#include "api_search.h"

#include <stdio.h>

#include "core/js.h"
#include "search/search.h"
#include "search/search_zero.h"
#include "http/json_reply.h"
#include "http/query.h"
#include "http/req.h"
#include "http/resp.h"

static json_object *terms_json(const search_bucket *b, int n, bool with_id)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		if (with_id)
			js_i64(o, "id", b[i].id);
		js_str(o, "value", b[i].value);
		js_i64(o, "count", b[i].count);
		if (b[i].selected)
			js_bool(o, "selected", true);
		json_object_array_add(a, o);
	}
	return a;
}

/* -1 (open bound, no price) is JSON null. */
static json_object *cents(int64_t v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

static json_object *hit_json(const search_hit *h)
{
	json_object *o = json_object_new_object();
	js_i64(o, "id", h->id);
	js_str(o, "ref", h->ref);
	js_str(o, "title", h->title);
	js_str(o, "brand", h->brand);
	json_object_object_add(o, "price", cents(h->price));
	/* one decimal, as stored, without binary-float noise (3.3, not 3.2999...) */
	char rt[16];
	snprintf(rt, sizeof(rt), "%.1f", h->rating);
	json_object_object_add(o, "rating", h->rating > 0 ? json_object_new_double_s(h->rating, rt) : NULL);
	js_i64(o, "rating_count", h->rating_count);
	js_bool(o, "in_stock", h->in_stock);
	js_str(o, "image", h->image);
	json_object_object_add(o, "score", json_object_new_double(h->score));
	return o;
}

int api_search(ctx *c)
{
	search_query q;
	search_result r;
	int64_t page, per_page;
	int64_t exact;
	if (search_query_from_params(c, &q, &page, &per_page) < 0 ||
	    ctx_query_int(c, "exact", 0, 1, 0, &exact) < 0)
		return SOUK_ERR;
	/* exact=1: the words as typed, never corrected (the search page's
	 * "Search instead for" link) */
	q.no_correct = exact == 1;
	if (search_query_from_headers(c, &q) < 0 || search_run(c, &q, &r) < 0)
		return SOUK_ERR;
	search_zero_note(c, &q, &r);
	json_object *o = js_obj(c), *hits = json_object_new_array(), *f = json_object_new_object();
	js_i64(o, "total", r.total);
	js_i64(o, "page", page);
	js_i64(o, "per_page", per_page);
	js_str(o, "sort", search_sort_names[q.sort]);
	for (int i = 0; i < r.nhits; i++)
		json_object_array_add(hits, hit_json(&r.hits[i]));
	json_object_object_add(o, "hits", hits);
	json_object_object_add(f, "brand", terms_json(r.brands, r.nbrands, false));
	json_object_object_add(f, "color", terms_json(r.colors, r.ncolors, false));
	json_object_object_add(f, "category", terms_json(r.categories, r.ncategories, true));
	json_object_object_add(f, "rating", terms_json(r.ratings, r.nratings, false));
	json_object *pr = json_object_new_array();
	for (int i = 0; i < r.nprices; i++) {
		json_object *b = json_object_new_object();
		json_object_object_add(b, "from", cents(r.prices[i].from));
		json_object_object_add(b, "to", cents(r.prices[i].to));
		js_i64(b, "count", r.prices[i].count);
		json_object_array_add(pr, b);
	}
	json_object_object_add(f, "price", pr);
	json_object_object_add(o, "facets", f);
	js_str(o, "corrected_query", r.corrected_query);
	/* what the hits are for, and the text as typed (the two differ when
	 * the search autocorrected it; exact=1 searches the original) */
	char *typed = str_dup(c->a, q.q);
	js_str(o, "searched_query", r.corrected_query ? r.corrected_query : typed);
	js_str(o, "original_query", typed);
	js_bool(o, "exact", q.no_correct);
	json_object *sg = json_object_new_array();
	for (int i = 0; i < r.nsuggestions; i++)
		json_object_array_add(sg, json_object_new_string(r.suggestions[i]));
	json_object_object_add(o, "suggestions", sg);
	resp_header(c->rs, "X-Souk-Cache", r.cache_hit ? STR("hit") : STR("miss"));
	search_engine_header(c, &r);
	return resp_json(c, 200, o);
}

int api_search_suggest(ctx *c)
{
	const str *v = req_query(c->rq, "q");
	search_suggestion *s;
	int n;
	if (search_suggest(c, v ? *v : STR(""), 8, &s, &n) < 0)
		return SOUK_ERR;
	json_object *o = js_obj(c), *a = json_object_new_array();
	for (int i = 0; i < n; i++) {
		json_object *e = json_object_new_object();
		js_str(e, "kind", s[i].kind);
		js_str(e, "text", s[i].text);
		if (s[i].id)
			js_i64(e, "id", s[i].id);
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "suggestions", a);
	return resp_json(c, 200, o);
}
