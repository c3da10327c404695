/* store: a context with its process-lifetime handles (arena, libpq,
 * hiredis) opened from the config; for every program, with or without HTTP. */
#ifndef SOUK_STORE_H
#define SOUK_STORE_H

#include "core/ctx.h"

/* Opens c's arena and its db and Redis handles (they connect lazily) in
 * a zeroed ctx the caller owns; ignores SIGPIPE for the whole process. */
void store_ctx_open(ctx *c, const cfg *cf);
/* Frees what store_ctx_open opened (not c itself). */
void store_ctx_close(ctx *c);
/* A new context (never NULL: allocation failure aborts), opened. */
ctx *store_ctx_new(const cfg *cf);
/* Closes and frees c (NULL: nothing). */
void store_ctx_free(ctx *c);

#endif
