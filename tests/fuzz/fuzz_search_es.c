/* fuzz_search_es: the Elasticsearch-shaped body of POST
 * /api/v1/products/_search: search_es_parse, then the search it asks for
 * (search_execute on souk-searchd's memory engine over a small index)
 * and search_es_response. */
#include "core/js.h"
#include "fuzz.h"
#include "search/search_es.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	c->json = true;
	c->rq->body = (str){fuzz_cstr(c, data, size), size};
	c->rq->content_type = STR("application/json");
	const char *why = NULL;
	if (req_parse_body(c->rq, c->a, &req_default_limits, &why) < 0) {
		FUZZ_CHECK(why != NULL);
		return 0;
	}
	search_es_request r;
	if (search_es_parse(c, c->rq->json, &r) < 0) {
		fuzz_check_failure(c);
		FUZZ_CHECK(c->err_status == 400);
		return 0;
	}
	FUZZ_CHECK(r.naggs >= 0 && r.naggs <= SEARCH_ES_MAX_AGGS);
	FUZZ_CHECK(r.nasked >= 0 && r.nasked <= SEARCH_MAX_RANGES);
	FUZZ_CHECK(r.q.nranges >= 0 && r.q.nranges <= r.nasked);
	for (int i = 0; i < r.nasked; i++)
		FUZZ_CHECK(r.range_slot[i] >= -1 && r.range_slot[i] < r.q.nranges);
	FUZZ_CHECK(r.q.limit >= 0 && r.q.limit <= SEARCH_ES_MAX_SIZE);
	FUZZ_CHECK(r.q.offset >= 0 && r.q.offset + r.q.limit <= SEARCH_ES_MAX_WINDOW);
	search_result res;
	if (fuzz_search_execute(c, &r.q, &res) < 0)
		return 0;
	fuzz_check_wire_roundtrip(c, &r.q);
	json_object *o = search_es_response(c, &r, &res, 1);
	FUZZ_CHECK(o != NULL);
	FUZZ_CHECK(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) != NULL);
	return 0;
}
