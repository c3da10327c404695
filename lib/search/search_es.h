/* search_es: the Elasticsearch query shape in, a search_query out; a
 * search_result back in Elasticsearch's response shape. */
#ifndef SOUK_SEARCH_ES_H
#define SOUK_SEARCH_ES_H

#include <json-c/json.h>

#include "search/search.h"

#define SEARCH_ES_MAX_AGGS 8
#define SEARCH_ES_MAX_SIZE 100     /* "size": more is a 400 */
#define SEARCH_ES_MAX_WINDOW 10000 /* from + size, like index.max_result_window */
#define SEARCH_ES_MAX_BOOST 100.0

typedef enum {
	SEARCH_ES_TERMS_BRAND,
	SEARCH_ES_TERMS_COLOR,
	SEARCH_ES_TERMS_CATEGORY,
	SEARCH_ES_RANGE_PRICE,
} search_es_agg_kind;

/* One requested aggregation. A range agg's buckets are in q.ranges (the
 * engine supports one set of price buckets per query). */
typedef struct {
	const char *name;  /* the caller's name, owned by the parsed body */
	search_es_agg_kind kind;
	int size;          /* terms: buckets to return */
} search_es_agg;

/* The parsed request. The range agg's own buckets ([from, to) in cents,
 * -1 open) are kept here as asked; q.ranges holds the buckets clipped to
 * the price filter, which is what the engine counts. */
typedef struct {
	search_query q;
	search_es_agg aggs[SEARCH_ES_MAX_AGGS];
	int naggs;
	search_range asked[SEARCH_MAX_RANGES];
	int nasked;
	int range_slot[SEARCH_MAX_RANGES]; /* asked[i] -> q.ranges index, -1: empty */
} search_es_request;

/* Parses an Elasticsearch-style body (the parsed JSON of POST
 * /api/v1/products/_search; NULL = empty body = match_all) into out.
 * Supported: query match_all | multi_match | bool{must, filter}; filter
 * term/terms on category (slug: string, id: integer), brand, color, size,
 * in_stock (true only); range on price (major units: gte/gt/lte/lt) and
 * rating (gte 1..5); sort on _score desc (+ sales_rank asc), price asc|desc,
 * rating desc, created_at|newest desc; from/size; aggs terms (brand, color,
 * category) and range (price). Anything else records a 400 whose message
 * names the clause ("query.bool.should is not supported") and returns
 * SOUK_ERR; nothing is guessed. Strings in out point into body. */
int search_es_parse(ctx *c, json_object *body, search_es_request *out);

/* The Elasticsearch response for a result: took, timed_out, _shards,
 * hits{total{value, relation}, max_score, hits[{_index, _id, _score,
 * _source, sort}]}, aggregations.<name>.buckets. Prices in major units.
 * The object belongs to the request arena. */
json_object *search_es_response(ctx *c, const search_es_request *r, const search_result *res,
                                int64_t took_ms);

#endif
