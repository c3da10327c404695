/* inventory: stub: compiles, refuses every call with 501. */
#include "inventory.h"

void inv_register(void)
{
}

int inv_reserve(ctx *c, int64_t order_id, const inv_line *lines, int n, int hold_seconds, inv_short *sh)
{
	(void)c;
	(void)order_id;
	(void)lines;
	(void)n;
	(void)hold_seconds;
	(void)sh;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int inv_commit_order(ctx *c, int64_t order_id, int *n)
{
	(void)c;
	(void)order_id;
	(void)n;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int inv_release_order(ctx *c, int64_t order_id, int *n)
{
	(void)c;
	(void)order_id;
	(void)n;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int inv_restock_order(ctx *c, int64_t order_id, int *n)
{
	(void)c;
	(void)order_id;
	(void)n;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int inv_held_count(ctx *c, int64_t order_id)
{
	(void)c;
	(void)order_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int inv_expire_batch(ctx *c, int limit, int *cancelled)
{
	(void)c;
	(void)limit;
	(void)cancelled;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}

int inv_outbox_changed(ctx *c, int64_t sku_id, int64_t warehouse_id)
{
	(void)c;
	(void)sku_id;
	(void)warehouse_id;
	return ctx_fail(c, 501, "not_implemented", "not implemented yet");
}
