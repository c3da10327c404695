/* fuzz_cart: the JSON body of the cart API (POST /api/v1/carts/{id}/items,
 * PATCH .../items/{sku_id}): api_cart.c's own parsing, reached by
 * including the handler file (its helpers are static). */
#include "../../handlers/api/api_cart.c"

#include "fuzz.h"

/* First byte even: the body arrives as application/json and is parsed by
 * req_parse_body (the dispatcher's path); odd: another content type, so
 * api_body_object parses the raw body itself. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	bool as_json = (data[0] & 1) == 0;
	c->json = true;
	c->rq->body = (str){fuzz_cstr(c, data + 1, size - 1), size - 1};
	c->rq->content_type = as_json ? STR("application/json") : STR("text/plain");
	const char *why = NULL;
	if (req_parse_body(c->rq, c->a, &req_default_limits, &why) < 0) {
		FUZZ_CHECK(why != NULL && as_json);
		return 0;
	}
	json_object *b = api_body_object(c);
	if (!b) {
		fuzz_check_failure(c);
		return 0;
	}
	FUZZ_CHECK(json_object_is_type(b, json_type_object));
	/* api_cart_add's and api_cart_set's reading of the body */
	int64_t sku = 0, qty = 0;
	if (js_get_i64(b, "sku_id", &sku) != 1) {
		ctx_fail(c, 400, "bad_request", "sku_id must be an integer");
		fuzz_check_failure(c);
	}
	ctx_clear(c);
	if (body_qty(c, b, &qty) < 0) {
		fuzz_check_failure(c);
		FUZZ_CHECK(c->err_status == 400);
	}
	return 0;
}
