/* search_int: what the search module's files share (not for handlers). */
#ifndef SOUK_SEARCH_INT_H
#define SOUK_SEARCH_INT_H

#include "search.h"

/* Deepest page a query may ask for (offset + limit), like Elasticsearch's
 * max_result_window: deep pages cost a sort of everything before them. */
#define SEARCH_MAX_WINDOW 10000
#define SEARCH_MAX_VALUE_LEN 100 /* bytes of one brand/colour/size value */
#define SEARCH_MAX_SUGGEST 8

/* The Redis key of a validated query under catalog version `version`
 * (arena string): every field that changes the answer, normalised, so
 * "Sofa  " and "sofa" share an entry. */
const char *search_cache_key(ctx *c, const search_query *q, const char *qnorm,
                             str version);

/* The result as compact JSON text (arena) and back. from_json returns
 * SOUK_OK, or SOUK_ERR for text it does not recognise (then: a miss). */
str search_result_to_json(ctx *c, const search_result *r);
int search_result_from_json(ctx *c, str text, search_result *r);

/* q's free text with runs of white space (tab, newline) made one space,
 * trimmed, lower-cased (arena). NULL when q holds another control byte
 * or is not UTF-8. */
const char *search_normalise(ctx *c, str q);

#endif
