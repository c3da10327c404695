/* fuzz_search_params: the search page's and GET /api/v1/search's query
 * string (search_query_from_params, search_query_from_headers), then
 * validation and normalisation (search_execute on the memory engine),
 * the Redis cache key and the souk-searchd wire round trip. */
#include <string.h>

#include "fuzz.h"
#include "search/search_int.h"

/* Input: the query string; after a newline, an X-Souk-Search-Engine
 * value (the request then comes from the loopback). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	const uint8_t *nl = memchr(data, '\n', size);
	size_t qlen = nl ? (size_t)(nl - data) : size;
	buf uri, eng;
	buf_init(&uri, c->a, 0);
	buf_puts(&uri, "REQUEST_URI=/search?");
	buf_append(&uri, (const char *)data, qlen);
	buf_init(&eng, c->a, 0);
	buf_puts(&eng, "HTTP_X_SOUK_SEARCH_ENGINE=");
	if (nl)
		buf_append(&eng, (const char *)nl + 1, size - qlen - 1);
	char *env[] = {"REQUEST_METHOD=GET", uri.p,
	               nl ? "REMOTE_ADDR=127.0.0.1" : "REMOTE_ADDR=192.0.2.1",
	               "HTTP_X_SOUK_SEARCH_CACHE=bypass", nl ? eng.p : NULL, NULL};
	FUZZ_CHECK(!uri.failed && !eng.failed);
	const char *why = NULL;
	if (req_from_env(c->rq, c->a, env, &req_default_limits, &why) < 0) {
		FUZZ_CHECK(why != NULL);
		return 0;
	}
	search_query q;
	int64_t page = 0, per_page = 0;
	if (search_query_from_params(c, &q, &page, &per_page) < 0) {
		fuzz_check_failure(c);
		FUZZ_CHECK(c->err_status == 400);
		return 0;
	}
	FUZZ_CHECK(page >= 1 && per_page >= 1 && per_page <= SEARCH_MAX_PER_PAGE);
	FUZZ_CHECK(q.nbrands <= SEARCH_MAX_VALUES && q.ncolors <= SEARCH_MAX_VALUES &&
	           q.nsizes <= SEARCH_MAX_VALUES);
	if (search_query_from_headers(c, &q) < 0) {
		fuzz_check_failure(c);
		FUZZ_CHECK(c->err_status == 400 && nl);
		return 0;
	}
	search_result res;
	if (fuzz_search_execute(c, &q, &res) < 0)
		return 0;
	const char *norm = search_normalise(c, q.q);
	FUZZ_CHECK(norm != NULL);
	for (const char *p = norm; *p; p++)
		FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z') && (unsigned char)*p >= 0x20);
	FUZZ_CHECK(norm[0] != ' ' && (!*norm || norm[strlen(norm) - 1] != ' '));
	const char *key = search_cache_key(c, &q, norm, STR("7"));
	FUZZ_CHECK(key && strncmp(key, "search:v7", 9) == 0);
	fuzz_check_wire_roundtrip(c, &q);
	return 0;
}
