/* search: the one interface to product search (query in, hits + facets
 * out), shared by the search page, GET /api/v1/search and the
 * Elasticsearch-style POST /api/v1/products/_search. Two engines answer
 * behind it (search_int.h): souk-searchd's in-memory index, asked over a
 * Unix socket (search_remote.h), and PostgreSQL, which answers whenever
 * the daemon cannot. Everything returned lives in the request arena. */
#ifndef SOUK_SEARCH_H
#define SOUK_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "search/search_query.h"

typedef struct {
	int64_t id;
	const char *ref, *title, *brand, *image, *slug_source;
	int64_t price;        /* cents; -1 when the product has no offer */
	double rating;        /* 0 when unrated */
	int rating_count;
	bool in_stock;
	int sales_rank;
	double score;         /* 0 when the sort is not relevance */
} search_hit;

typedef struct {
	const char *value;    /* brand / colour / rating bucket ("4" = 4+) */
	int64_t id;           /* category facet: the category id, else 0 */
	int64_t count;
	bool selected;
} search_bucket;

typedef struct {
	int64_t from, to;     /* cents, -1 open */
	const char *key;
	int64_t count;
} search_price_bucket;

typedef struct {
	int64_t total;
	search_hit *hits;
	int nhits;
	/* facets (when asked): disjunctive, a facet ignores its own filter */
	search_bucket *brands, *colors, *categories, *ratings;
	int nbrands, ncolors, ncategories, nratings;
	search_price_bucket *prices;
	int nprices;
	const char *corrected_query; /* non-NULL: results are for this text */
	const char **suggestions;    /* "did you mean", may be empty */
	int nsuggestions;
	bool cache_hit;
	const char *engine;          /* who computed it: "sql" or "memory" (a
	                              * cache hit: the engine that filled it) */
} search_result;

/* Registers the module's SQL; call once before serving. */
void search_register(void);

/* Sets the response header X-Souk-Search-Engine: sql|memory, the engine
 * that computed r (for a cache hit: the one that filled the cache). */
void search_engine_header(ctx *c, const search_result *r);

/* Validates q (search_query_validate) and runs it. Results are served
 * from Redis (key: normalised query + filters + page + catalog:version)
 * when cached; Redis down only costs speed. Returns SOUK_OK or SOUK_ERR
 * with the failure recorded in c. */
int search_run(ctx *c, const search_query *q, search_result *out);

/* Autocomplete: up to `max` (<= 8) titles, brands and categories for a
 * prefix. Each entry: kind ("title"|"brand"|"category"), text, id. */
typedef struct {
	const char *kind, *text;
	int64_t id;
} search_suggestion;
int search_suggest(ctx *c, str prefix, int max, search_suggestion **out, int *n);

#endif
