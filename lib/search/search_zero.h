/* search_zero: the searches that found nothing, counted per day in Redis
 * (sorted sets search:zero:YYYYMMDD, 35 days) for the admin dashboard. */
#ifndef SOUK_SEARCH_ZERO_H
#define SOUK_SEARCH_ZERO_H

#include "search/search.h"

/* Counts q's text when the first page of its answer found nothing (a
 * shopper's search: the page and the JSON API call it). Cheap: one
 * ZINCRBY and one EXPIRE, only on empty answers; Redis down costs the
 * count only. */
void search_zero_note(ctx *c, const search_query *q, const search_result *res);

typedef struct search_zero_row {
	const char *text;
	int64_t count;
} search_zero_row;
/* The most frequent texts of the last `days` days (today included),
 * most first, at most max; *n rows in *out (arena). 0, or -1 when Redis
 * is down (nothing recorded in c: the dashboard shows the rest). */
int search_zero_top(ctx *c, int days, int max, search_zero_row **out, int *n);
/* The text as counted: blanks trimmed and collapsed, ASCII lower-cased,
 * at most 100 bytes (cut at a UTF-8 boundary); "" when nothing is left. */
const char *search_zero_text(arena *a, str q);

#endif
