/* search_query: what a search asks for (free text, filters, sort, page,
 * facets), its defaults, building it from a request and its validation;
 * below every engine, the cache, the wire and the daemon's client. */
#ifndef SOUK_SEARCH_QUERY_H
#define SOUK_SEARCH_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"

#define SEARCH_MAX_QUERY 200   /* bytes of free text; longer is a 400 */
#define SEARCH_MAX_VALUES 20   /* values per multi-valued filter */
#define SEARCH_MAX_PER_PAGE 100
#define SEARCH_MAX_FACET 50    /* buckets per terms facet */
#define SEARCH_MAX_RANGES 10   /* price range buckets */
/* Deepest page a query may ask for (offset + limit), like Elasticsearch's
 * max_result_window: deep pages cost a sort of everything before them. */
#define SEARCH_MAX_WINDOW 10000
#define SEARCH_MAX_VALUE_LEN 100 /* bytes of one brand/colour/size value */

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

/* Every bound of q, whichever code built it (handlers, the ES
 * translation, the wire): SOUK_OK, or a recorded 400 naming the field.
 * The free text's characters are checked where it is normalised. */
int search_query_validate(ctx *c, const search_query *q);

/* true when s is one of the n values of a filter (ASCII case-insensitive):
 * a facet bucket the query selected. */
bool search_values_has(const str *v, int n, const char *s);

#endif
