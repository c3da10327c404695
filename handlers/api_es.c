/* api_es: POST /api/v1/products/_search (Elasticsearch query shape in and out). */
#include "api_es.h"

#include <time.h>

#include "js.h"
#include "search_es.h"

/* "X-Souk-Search-Cache: bypass" skips the Redis result cache, for the
 * latency bench's cold runs. Honoured only from loopback, so a shopper
 * cannot make every search expensive. */
static bool bypass_cache(const ctx *c)
{
	const str *h = req_header(&c->rq, "x-souk-search-cache");
	if (!h || !str_eq_c(*h, "bypass"))
		return false;
	return str_eq_c(c->rq.remote_addr, "127.0.0.1") || str_eq_c(c->rq.remote_addr, "::1");
}

static int64_t ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int api_es_search(ctx *c)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (c->rq.body.len && !c->rq.json)
		return ctx_fail(c, 415, "unsupported_media_type",
		                "send the query as a JSON body (Content-Type: application/json)");
	search_es_request r;
	if (search_es_parse(c, c->rq.json, &r) < 0)
		return SOUK_ERR;
	r.q.no_cache = bypass_cache(c);
	search_result res;
	if (search_run(c, &r.q, &res) < 0)
		return SOUK_ERR;
	resp_header(&c->rs, "X-Souk-Cache", res.cache_hit ? STR("hit") : STR("miss"));
	return resp_json(c, 200, search_es_response(c, &r, &res, ms_since(&t0)));
}
