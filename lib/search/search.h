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

#define SEARCH_MAX_QUERY 200   /* bytes of free text; longer is a 400 */
#define SEARCH_MAX_VALUES 20   /* values per multi-valued filter */
#define SEARCH_MAX_PER_PAGE 100
#define SEARCH_MAX_FACET 50    /* buckets per terms facet */
#define SEARCH_MAX_RANGES 10   /* price range buckets */

typedef enum {
	SEARCH_SORT_RELEVANCE, /* score, then sales_rank (best first) */
	SEARCH_SORT_PRICE_ASC,
	SEARCH_SORT_PRICE_DESC,
	SEARCH_SORT_RATING,
	SEARCH_SORT_NEWEST,
} search_sort;
extern const char *const search_sort_names[]; /* "relevance", "price_asc", ... NULL */

/* Field weights for the free-text match (title A, brand B, description C).
 * Defaults 3/2/1; the _search endpoint sets them from "fields": [...^N]. */
typedef struct {
	double title, brand, description;
} search_weights;

/* A price bucket in cents: [from, to); -1 means open on that side. */
typedef struct {
	int64_t from, to;
	const char *key;   /* optional label (ES "key"), may be NULL */
} search_range;

typedef struct {
	str q;                           /* free text, may be empty */
	search_weights w;
	int64_t category_id;             /* 0: any; else the whole subtree */
	const char *category_slug;       /* alternative to category_id (ES term) */
	str brands[SEARCH_MAX_VALUES];   /* OR within, AND across filters */
	int nbrands;
	str colors[SEARCH_MAX_VALUES];
	int ncolors;
	str sizes[SEARCH_MAX_VALUES];
	int nsizes;
	int64_t price_min, price_max;    /* cents, inclusive; -1: unbounded */
	bool in_stock;
	int rating_min;                  /* 0: any; 1..5 */
	search_sort sort;
	int64_t offset, limit;           /* limit 0: facets/total only */
	bool facets;                     /* compute the sidebar facets */
	search_range ranges[SEARCH_MAX_RANGES]; /* price facet buckets; */
	int nranges;                     /* 0: the engine's default buckets */
	bool no_cache;                   /* bypass the Redis result cache */
	bool no_correct;                 /* do not retry with a corrected query */
	const char *engine;              /* NULL: the daemon, else SQL; "sql" or
	                                  * "memory" forces one (loopback header
	                                  * X-Souk-Search-Engine; no cache) */
} search_query;

/* A query with the defaults: weights 3/2/1, no filters, relevance,
 * limit 20, facets on, price bounds -1. */
void search_query_init(search_query *q);

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

/* Fills q from the request's query string, the same for the search page
 * and GET /api/v1/search: q, category (id), brand, color, size (each
 * repeatable), price_min, price_max (cents, like every Souk API price),
 * in_stock (1|true), rating_min (1-5), sort (search_sort_names), page
 * (1-based), per_page (1..SEARCH_MAX_PER_PAGE; more is a 400). Unknown
 * parameters are ignored. Returns SOUK_OK or a recorded 400. The
 * Elasticsearch-style endpoint builds its query itself; its "price"
 * field is in major units (dollars), as in the reference document. */
int search_query_from_params(ctx *c, search_query *q, int64_t *page,
                             int64_t *per_page);

/* The loopback-only request headers of the tests and the bench:
 * "X-Souk-Search-Cache: bypass" sets no_cache, "X-Souk-Search-Engine:
 * sql|memory" forces an engine (another value: 400). From any other
 * address both are ignored, so a shopper cannot make searches expensive.
 * Returns SOUK_OK or a recorded 400. */
int search_query_from_headers(ctx *c, search_query *q);

/* Sets the response header X-Souk-Search-Engine: sql|memory, the engine
 * that computed r (for a cache hit: the one that filled the cache). */
void search_engine_header(ctx *c, const search_result *r);

/* Validates q (400 naming the bad field) and runs it. Results are served
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
