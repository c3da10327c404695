/* rds_eval: a Lua script run by its SHA-1 (EVALSHA), loaded once per process. */
#ifndef SOUK_RDS_EVAL_H
#define SOUK_RDS_EVAL_H

#include <stddef.h>

#include "core/ctx.h"

struct redisReply;

/* Runs script (a string of static lifetime: its address identifies it in
 * the process's table) with argv = numkeys, keys..., args... (binary-safe
 * with lens, or NUL-terminated when lens is NULL), as EVAL would, but
 * sends its text only the first time: a hot script (a status poll) is
 * then neither sent nor hashed again. When Redis forgot it (a restart,
 * SCRIPT FLUSH) it is loaded again and run once; a script that failed is
 * never run twice. Returns what rds_cmd returns (the reply, owned by the
 * request arena, or NULL when Redis is down or answered with an error).
 * The table is the process's, unlocked: for the single-threaded pools and
 * jobs, not for souk-searchd's threads. */
struct redisReply *rds_eval(ctx *c, const char *script, int argc, const char **argv,
                            const size_t *lens);

#endif
