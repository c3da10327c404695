/* sx_search_int: the memory engine's insides (the parse cache and one
 * pass over already parsed terms), shared with its unit tests only. */
#ifndef SOUK_SX_SEARCH_INT_H
#define SOUK_SX_SEARCH_INT_H

#include "search/search_int.h"
#include "search/sx/sx_index.h"

/* The free text as statement search_parse returns it: tsquery texts
 * (NULL: SQL NULL, which matches nothing), the terms with their idfs and
 * the bigrams. Strings belong to whoever built it (the request arena). */
typedef struct {
	const char *tsq, *andq, *orq;
	const char **terms;
	const double *idfs;
	int nterms;
	const char **bigrams;
	int nbigrams;
} sx_terms;

/* One pass of search over ix (its read lock taken inside) with terms t
 * (NULL: no free text, statement search_all's answer). The engine's
 * run_once is search_parse (cached) and this. SOUK_OK or SOUK_ERR
 * recorded in c (501 "unsupported" for a tsquery sx_tsq cannot parse). */
int sx_search_run_terms(ctx *c, sx_index *ix, const search_query *q, const search_scope *sc,
                        const sx_terms *t, search_result *out);

/* Tests only: true ranks the first pass from every match's document
 * (sx_rank) instead of posting signatures, the exhaustive reference. */
extern bool sx_search_doc_rank;

/* The terms of text at relaxation level `relaxed` (0 every wanted word,
 * 1 all but one, 2 any): from the cache, else from PostgreSQL (statement
 * search_parse), then remembered. Strings in c's arena. SOUK_OK or
 * SOUK_ERR recorded in c. */
int sx_parse_text(ctx *c, const char *text, int relaxed, sx_terms *t);

/* The parse cache (process-wide, thread-safe, bounded LRU with an age
 * limit): get copies a remembered entry into c's arena (false: none);
 * put remembers a copy of t; clear forgets everything. */
bool sx_parse_cache_get(ctx *c, const char *text, int relaxed, sx_terms *out);
void sx_parse_cache_put(const char *text, int relaxed, const sx_terms *t);
void sx_parse_cache_clear(void);
size_t sx_parse_cache_size(void);

/* A PostgreSQL array literal as printed by array_out ("{a,\"b c\"}")
 * into its elements (arena; a NULL element is NULL). SOUK_OK or
 * SOUK_ERR for text that is not one. */
int sx_pg_array(arena *a, const char *lit, const char ***out, int *n);

#endif
