/* store: a context with its process-lifetime handles opened from the config. */
#include "store/store.h"

#include <signal.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/rds.h"

void store_ctx_open(ctx *c, const cfg *cf)
{
	/* A peer that went away (nginx, a restarted Redis) must cost an error
	 * return from write(), not the process. */
	signal(SIGPIPE, SIG_IGN);
	c->cfg = cf;
	c->a = arena_new(cf->arena_max);
	c->db = db_new(cf->database_url);
	c->rds = rds_new(cf->redis_url);
	ctx_begin(c);
}

void store_ctx_close(ctx *c)
{
	arena_free(c->a);
	db_free(c->db);
	rds_free(c->rds);
}

ctx *store_ctx_new(const cfg *cf)
{
	ctx *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	store_ctx_open(c, cf);
	return c;
}

void store_ctx_free(ctx *c)
{
	if (!c)
		return;
	store_ctx_close(c);
	free(c);
}
