/* search_int: what the search module's files share (not for handlers). */
#ifndef SOUK_SEARCH_INT_H
#define SOUK_SEARCH_INT_H

#include "search/search.h"

#define SEARCH_MAX_SUGGEST 8

/* The Redis key of a validated query under catalog version `version`
 * (arena string): every field that changes the answer, normalised, so
 * "Sofa  " and "sofa" share an entry. */
const char *search_cache_key(ctx *c, const search_query *q, const char *qnorm,
                             str version);

/* The query as JSON text (arena; every field) and back (search_wire.c),
 * souk-searchd's request. from_json is strict: an unknown field or one
 * of the wrong type is a 400 recorded in c; q's strings point into the
 * parsed text's tree (arena). */
str search_query_to_json(ctx *c, const search_query *q);
int search_query_from_json(ctx *c, str text, search_query *q);

/* q's free text with runs of white space (tab, newline) made one space,
 * trimmed, lower-cased (arena). NULL when q holds another control byte
 * or is not UTF-8. */
const char *search_normalise(ctx *c, str q);

/* ------------------------------------------------------------ engines
 * An engine answers one pass of a search; search.c does the rest
 * (validation, normalisation, typo correction, relaxation, the cache).
 * Two exist: SQL (search_sql_engine, PostgreSQL, in every pool) and
 * memory (sx_search.c, souk-searchd's in-memory index). */

/* What the category filter resolved to, and the price buckets. */
typedef struct {
	bool filtered;           /* a category (id or slug) was asked for */
	bool no_match;           /* it does not exist: nothing matches */
	const int64_t *cat_ids;  /* the categories and every one under them */
	int ncat;
	int depth;               /* of the (first) category, -1: none; the
	                          * category facet counts its children */
	const search_range *ranges; /* price facet buckets in effect */
	int nranges;
} search_scope;

typedef struct search_engine {
	const char *name;        /* "sql", "memory" */
	void *self;
	/* Resolves q's category_id / category_slug into sc (ranges are set
	 * by the caller). SOUK_OK or SOUK_ERR recorded in c. */
	int (*resolve)(ctx *c, void *self, const search_query *q, search_scope *sc);
	/* One pass: `text` (normalised, NULL: none) with every wanted word
	 * (relaxed 0), all but one (1) or any (2); hits, total and facets
	 * exactly as the SQL statement search_text / search_all defines
	 * them. A pass the engine cannot answer records 501 "unsupported". */
	int (*run_once)(ctx *c, void *self, const search_query *q, const search_scope *sc,
	                const char *text, int relaxed, search_result *out);
} search_engine;

extern const search_engine search_sql_engine;

/* search_run without the Redis cache, on engine e: validate, normalise,
 * resolve, run, correct typos, relax. souk-searchd calls it with the
 * memory engine; search_run with whichever engine answers. */
int search_execute(ctx *c, const search_query *q, const search_engine *e,
                   search_result *out);

#endif
