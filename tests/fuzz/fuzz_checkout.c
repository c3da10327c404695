/* fuzz_checkout: POST /api/v1/checkout's request: the Idempotency-Key
 * header and the JSON body through checkout_from_json (lib/shop/checkout_json.c,
 * the API's parser; the handler files are included for their helpers) and checkout_validate, which
 * needs no store. */
#include "../../handlers/api/api_cart.c"
#include "../../handlers/api/api_checkout.c"

#include "fuzz.h"

/* Input: the Idempotency-Key value, a newline, the body (no newline: no
 * header). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	c->json = true;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t off = 0;
	if (nl) {
		size_t klen = (size_t)(nl - data);
		kv_add(c->a, &c->rq->headers, STR("idempotency-key"),
		       (str){fuzz_cstr(c, data, klen), klen});
		off = klen + 1;
	}
	c->rq->body = (str){fuzz_cstr(c, data + off, size - off), size - off};
	c->rq->content_type = STR("application/json");
	const char *why = NULL;
	if (req_parse_body(c->rq, c->a, &req_default_limits, &why) < 0) {
		FUZZ_CHECK(why != NULL);
		return 0;
	}
	checkout_req rq;
	json_object *b = json_body_object(c);
	if (!b || checkout_from_json(c, b, true, &rq) < 0) {
		fuzz_check_failure(c);
		FUZZ_CHECK(c->err_status == 400);
		return 0;
	}
	FUZZ_CHECK(rq.cart_id && rq.email && rq.addr.name && rq.addr.line1 && rq.addr.city &&
	           rq.addr.postal_code && rq.addr.country && rq.card.number && rq.card.cvc &&
	           rq.idempotency_key);
	FUZZ_CHECK(rq.card.exp_month >= 1 && rq.card.exp_month <= 12);
	FUZZ_CHECK(rq.card.exp_year >= 2000 && rq.card.exp_year <= 2100);
	if (checkout_validate(c, &rq) < 0) {
		fuzz_check_failure(c);
		FUZZ_CHECK(c->err_status == 400 || c->err_status == 402);
		return 0;
	}
	/* what checkout_place relies on once the request is valid */
	FUZZ_CHECK(cart_id_valid(str_c(rq.cart_id)));
	FUZZ_CHECK(checkout_shipping_cost(rq.shipping_method, 0) >= 0);
	size_t kl = strlen(rq.idempotency_key);
	FUZZ_CHECK(kl >= 8 && kl <= 128);
	return 0;
}
