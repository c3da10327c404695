/* cart: stub (being written): compiles, refuses every call with 501. */
#include "cart.h"

void cart_register(void)
{
}

bool cart_id_valid(str id)
{
	(void)id;
	return false;
}

int cart_create(ctx *c, const char **out_id)
{
	(void)c;
	(void)out_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_exists(ctx *c, const char *cart_id)
{
	(void)c;
	(void)cart_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_add(ctx *c, const char *cart_id, int64_t sku_id, int64_t qty)
{
	(void)c;
	(void)cart_id;
	(void)sku_id;
	(void)qty;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_set(ctx *c, const char *cart_id, int64_t sku_id, int64_t qty)
{
	(void)c;
	(void)cart_id;
	(void)sku_id;
	(void)qty;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_remove(ctx *c, const char *cart_id, int64_t sku_id)
{
	(void)c;
	(void)cart_id;
	(void)sku_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_clear(ctx *c, const char *cart_id)
{
	(void)c;
	(void)cart_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_merge(ctx *c, const char *from_id, const char *to_id)
{
	(void)c;
	(void)from_id;
	(void)to_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_get(ctx *c, const char *cart_id, cart *out)
{
	(void)c;
	(void)cart_id;
	(void)out;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int cart_count(ctx *c, const char *cart_id)
{
	(void)c;
	(void)cart_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}
