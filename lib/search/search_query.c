/* search_query: the search query (filters, sort, page, facets), its
 * defaults, building it from a request, and its validation. */
#include "search/search_query.h"
#include "http/query.h"
#include "http/req.h"

#include <math.h>
#include <string.h>
#include <strings.h>

const char *const search_sort_names[] = {"relevance", "price_asc", "price_desc", "rating",
                                         "newest", NULL};

void search_query_init(search_query *q)
{
	memset(q, 0, sizeof(*q));
	q->w = (search_weights){3, 2, 1};
	q->price_min = q->price_max = -1;
	q->sort = SEARCH_SORT_RELEVANCE;
	q->limit = 20;
	q->facets = true;
}

/* Collects every value of a repeatable parameter (?brand=a&brand=b);
 * empty values are ignored. */
static int multi(ctx *c, const char *key, str *out, int *n)
{
	*n = 0;
	for (size_t i = 0; i < c->rq->query.n; i++) {
		const kv *e = &c->rq->query.items[i];
		if (!str_eq_c(e->key, key) || e->val.len == 0)
			continue;
		if (*n == SEARCH_MAX_VALUES)
			return ctx_fail(c, 400, "bad_request", "at most %d %s values",
			                SEARCH_MAX_VALUES, key);
		out[(*n)++] = e->val;
	}
	return SOUK_OK;
}

int search_query_from_params(ctx *c, search_query *q, int64_t *page, int64_t *per_page)
{
	search_query_init(q);
	const str *v = req_query(c->rq, "q");
	if (v)
		q->q = *v;
	int sort;
	int64_t rating, pmin, pmax;
	if (ctx_query_id(c, "category", &q->category_id) < 0 ||
	    multi(c, "brand", q->brands, &q->nbrands) < 0 ||
	    multi(c, "color", q->colors, &q->ncolors) < 0 ||
	    multi(c, "size", q->sizes, &q->nsizes) < 0 ||
	    ctx_query_int(c, "price_min", 0, 1000000000, -1, &pmin) < 0 ||
	    ctx_query_int(c, "price_max", 0, 1000000000, -1, &pmax) < 0 ||
	    ctx_query_int(c, "rating_min", 0, 5, 0, &rating) < 0 ||
	    ctx_query_enum(c, "sort", search_sort_names, SEARCH_SORT_RELEVANCE, &sort) < 0 ||
	    ctx_query_int(c, "page", 1, SEARCH_MAX_WINDOW, 1, page) < 0 ||
	    ctx_query_int(c, "per_page", 1, SEARCH_MAX_PER_PAGE, 20, per_page) < 0)
		return SOUK_ERR;
	const str *st = req_query(c->rq, "in_stock");
	if (st && st->len) {
		if (str_eq_c(*st, "1") || str_eq_c(*st, "true"))
			q->in_stock = true;
		else if (!str_eq_c(*st, "0") && !str_eq_c(*st, "false"))
			return ctx_fail(c, 400, "bad_request", "in_stock must be 1, true, 0 or false");
	}
	q->price_min = pmin;
	q->price_max = pmax;
	q->rating_min = (int)rating;
	q->sort = (search_sort)sort;
	q->limit = *per_page;
	q->offset = (*page - 1) * *per_page;
	return SOUK_OK;
}

static bool from_loopback(const ctx *c)
{
	return str_eq_c(c->rq->remote_addr, "127.0.0.1") || str_eq_c(c->rq->remote_addr, "::1");
}

int search_query_from_headers(ctx *c, search_query *q)
{
	if (!from_loopback(c))
		return SOUK_OK;
	const str *h = req_header(c->rq, "x-souk-search-cache");
	if (h && str_eq_c(*h, "bypass"))
		q->no_cache = true;
	h = req_header(c->rq, "x-souk-search-engine");
	if (h) {
		if (str_eq_c(*h, "sql"))
			q->engine = "sql";
		else if (str_eq_c(*h, "memory"))
			q->engine = "memory";
		else
			return ctx_fail(c, 400, "bad_request", "X-Souk-Search-Engine must be sql or memory");
	}
	return SOUK_OK;
}

static int check_values(ctx *c, const char *what, const str *v, int n)
{
	if (n < 0 || n > SEARCH_MAX_VALUES)
		return ctx_fail(c, 400, "bad_request", "at most %d %s values", SEARCH_MAX_VALUES, what);
	for (int i = 0; i < n; i++)
		if (v[i].len == 0 || v[i].len > SEARCH_MAX_VALUE_LEN || !utf8_valid(v[i]) ||
		    memchr(v[i].p, '\0', v[i].len))
			return ctx_fail(c, 400, "bad_request", "%s values must be 1 to %d bytes of text",
			                what, SEARCH_MAX_VALUE_LEN);
	return SOUK_OK;
}

/* Every bound a handler could get wrong, whichever handler built q. */
int search_query_validate(ctx *c, const search_query *q)
{
	if (q->q.len > SEARCH_MAX_QUERY)
		return ctx_fail(c, 400, "bad_request", "q is longer than %d bytes", SEARCH_MAX_QUERY);
	if (check_values(c, "brand", q->brands, q->nbrands) < 0 ||
	    check_values(c, "color", q->colors, q->ncolors) < 0 ||
	    check_values(c, "size", q->sizes, q->nsizes) < 0)
		return SOUK_ERR;
	if (q->limit < 0 || q->limit > SEARCH_MAX_PER_PAGE)
		return ctx_fail(c, 400, "bad_request", "per_page must be from 1 to %d",
		                SEARCH_MAX_PER_PAGE);
	if (q->offset < 0 || q->offset + q->limit > SEARCH_MAX_WINDOW)
		return ctx_fail(c, 400, "bad_request",
		                "results beyond the first %d cannot be paged to", SEARCH_MAX_WINDOW);
	if (q->price_min < -1 || q->price_max < -1 ||
	    (q->price_min >= 0 && q->price_max >= 0 && q->price_min > q->price_max))
		return ctx_fail(c, 400, "bad_request", "price_min must not exceed price_max");
	if (q->rating_min < 0 || q->rating_min > 5)
		return ctx_fail(c, 400, "bad_request", "rating_min must be from 0 to 5");
	if ((int)q->sort < 0 || q->sort > SEARCH_SORT_NEWEST)
		return ctx_fail(c, 400, "bad_request", "unknown sort");
	if (q->category_id < 0)
		return ctx_fail(c, 400, "bad_request", "category must be a positive integer");
	if (q->nranges < 0 || q->nranges > SEARCH_MAX_RANGES)
		return ctx_fail(c, 400, "bad_request", "at most %d price ranges", SEARCH_MAX_RANGES);
	for (int i = 0; i < q->nranges; i++)
		if (q->ranges[i].from < -1 || q->ranges[i].to < -1 ||
		    (q->ranges[i].to >= 0 && q->ranges[i].from > q->ranges[i].to))
			return ctx_fail(c, 400, "bad_request", "price range %d is empty or negative", i + 1);
	const search_weights *w = &q->w;
	if (!isfinite(w->title) || !isfinite(w->brand) || !isfinite(w->description) ||
	    w->title < 0 || w->brand < 0 || w->description < 0 || w->title > 1000 ||
	    w->brand > 1000 || w->description > 1000 ||
	    w->title + w->brand + w->description <= 0)
		return ctx_fail(c, 400, "bad_request", "field weights must be from 0 to 1000, not all 0");
	return SOUK_OK;
}

bool search_values_has(const str *v, int n, const char *s)
{
	size_t len = strlen(s);
	for (int i = 0; i < n; i++)
		if (v[i].len == len && strncasecmp(v[i].p, s, len) == 0)
			return true;
	return false;
}
