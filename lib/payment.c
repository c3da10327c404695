/* payment: stub: compiles, refuses every call with 501. */
#include "payment.h"

void pay_register(void)
{
}

bool pay_luhn_ok(const char *digits)
{
	(void)digits;
	return false;
}

const char *pay_card_brand(const char *digits)
{
	(void)digits;
	return NULL;
}

int pay_card_check(ctx *c, const pay_card *card, int now_year, int now_month, const char **digits, char last4[5])
{
	(void)c;
	(void)card;
	(void)now_year;
	(void)now_month;
	(void)digits;
	(void)last4;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

const pay_provider *pay_provider_get(void)
{
	return NULL;
}

int pay_authorize_order(ctx *c, int64_t order_id, int64_t amount, const pay_card *card, pay_result *out)
{
	(void)c;
	(void)order_id;
	(void)amount;
	(void)card;
	(void)out;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int pay_capture_order(ctx *c, int64_t order_id, bool *done)
{
	(void)c;
	(void)order_id;
	(void)done;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int pay_void_order(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int pay_refund_order(ctx *c, int64_t order_id, int64_t amount, const char *reason)
{
	(void)c;
	(void)order_id;
	(void)amount;
	(void)reason;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int pay_settle_cancel(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

const pay_provider pay_sandbox = {"sandbox", NULL, NULL, NULL, NULL};
