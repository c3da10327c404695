/* checkout: stub: compiles, refuses every call with 501. */
#include "checkout.h"

void checkout_register(void)
{
}

int64_t checkout_shipping_cost(const char *method, int64_t subtotal)
{
	(void)method;
	(void)subtotal;
	return -1;
}

int64_t checkout_tax(int64_t subtotal, int tax_bps)
{
	(void)subtotal;
	(void)tax_bps;
	return -1;
}

int checkout_quote(ctx *c, const cart *k, const char *method, checkout_totals *out)
{
	(void)c;
	(void)k;
	(void)method;
	(void)out;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int checkout_validate(ctx *c, const checkout_req *rq)
{
	(void)c;
	(void)rq;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int checkout_place(ctx *c, const checkout_req *rq, checkout_result *out)
{
	(void)c;
	(void)rq;
	(void)out;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

const char *const checkout_shipping_methods[] = {"standard", "express", NULL};
