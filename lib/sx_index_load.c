/* sx_index_load: fills the index from PostgreSQL and keeps it fresh. */
#include "sx_index_int.h"

int sx_index_load(sx_index *ix, ctx *c)
{
	(void)ix;
	return ctx_fail(c, 503, "unavailable", "the search index is not loaded yet");
}

int sx_index_refresh(sx_index *ix, ctx *c)
{
	(void)ix;
	return ctx_fail(c, 503, "unavailable", "the search index is not loaded yet");
}
