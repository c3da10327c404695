/* search_stub: placeholder for lib/search.c until the engine branch is merged. */
#include "search.h"

const char *const search_sort_names[] = {"relevance", "price_asc", "price_desc", "rating",
                                         "newest", NULL};

void search_query_init(search_query *q)
{
	memset(q, 0, sizeof(*q));
	q->w = (search_weights){3, 2, 1};
	q->price_min = q->price_max = -1;
	q->limit = 20;
	q->facets = true;
}

void search_register(void) {}

int search_query_from_params(ctx *c, search_query *q, int64_t *page, int64_t *per_page)
{
	(void)page, (void)per_page;
	search_query_init(q);
	return ctx_fail(c, 503, "unavailable", "search is not built yet");
}

int search_run(ctx *c, const search_query *q, search_result *out)
{
	(void)q, (void)out;
	return ctx_fail(c, 503, "unavailable", "search is not built yet");
}

int search_suggest(ctx *c, str prefix, int max, search_suggestion **out, int *n)
{
	(void)prefix, (void)max, (void)out, (void)n;
	return ctx_fail(c, 503, "unavailable", "search is not built yet");
}
