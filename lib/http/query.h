/* query: typed, bounded query-string parameters for handlers (400 naming
 * the parameter when malformed). */
#ifndef SOUK_QUERY_H
#define SOUK_QUERY_H

#include "core/ctx.h"
#include "http/req.h"

/* An optional integer query parameter in [min, max] (default when
 * absent or empty); 400 naming the parameter when it is malformed. */
int ctx_query_int(ctx *c, const char *key, int64_t min, int64_t max,
                  int64_t def, int64_t *out);

/* The list page asked for: ?page= in [1, QUERY_MAX_PAGE], 1 when absent
 * or empty; 400 naming it. */
#define QUERY_MAX_PAGE 10000
int ctx_query_page(ctx *c, int64_t *page);

/* A JSON list's paging: ctx_query_page, then ?per_page= in [1, max_per]
 * (def_per when absent or empty); 400 naming the one that is malformed. */
int ctx_query_paging(ctx *c, int64_t def_per, int64_t max_per, int64_t *page, int64_t *per);

/* An optional positive id in the query string: 0 when absent or empty,
 * 400 naming the parameter when it is not a positive integer. */
int ctx_query_id(ctx *c, const char *key, int64_t *out);

/* An optional query parameter that must be one of `allowed` (NULL-ended);
 * returns the index, `def` when absent, 400 otherwise. */
int ctx_query_enum(ctx *c, const char *key, const char *const *allowed,
                   int def, int *out);

/* An optional date YYYY-MM-DD (a real day, years 2000-2999): *out NULL
 * when absent or empty, the arena copy otherwise; 400 naming it. */
int ctx_query_date(ctx *c, const char *key, const char **out);

#endif
