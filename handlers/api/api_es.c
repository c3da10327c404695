/* api_es: POST /api/v1/products/_search (Elasticsearch query shape in and out). */
#include "api_es.h"

#include <time.h>

#include "core/js.h"
#include "search/search_es.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"

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
	if (c->rq->body.len && !c->rq->json)
		return ctx_fail(c, 415, "unsupported_media_type",
		                "send the query as a JSON body (Content-Type: application/json)");
	search_es_request r;
	if (search_es_parse(c, c->rq->json, &r) < 0)
		return SOUK_ERR;
	search_result res;
	if (search_query_from_headers(c, &r.q) < 0 || search_run(c, &r.q, &res) < 0)
		return SOUK_ERR;
	resp_header(c->rs, "X-Souk-Cache", res.cache_hit ? STR("hit") : STR("miss"));
	search_engine_header(c, &res);
	return resp_json(c, 200, search_es_response(c, &r, &res, ms_since(&t0)));
}
