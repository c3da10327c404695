/* rds: the Redis connection of a process (hiredis), reconnecting. */
#ifndef SOUK_RDS_H
#define SOUK_RDS_H

#include <stdbool.h>

#include "core/ctx.h"

struct redisReply;
typedef struct rds rds;

/* url: "redis://host:port/db", "unix:/path/to.sock", or
 * "sentinel://h1:p1,h2:p2,h3:p3/master[/db]": the Sentinels are asked
 * for the master at each (re)connect, and a READONLY reply (the master
 * was demoted) reconnects to the new one (rds_sentinel.h). Connects
 * lazily. */
rds *rds_new(const char *url);
void rds_free(rds *r);

/* Runs one command. argv is binary-safe with lens, or NUL-terminated
 * strings when lens is NULL (hiredis then takes strlen of each). Returns the reply (owned by the
 * request arena) or NULL when Redis is down or answered with an error.
 * Never records a request failure: callers degrade or fail themselves. */
struct redisReply *rds_cmd(ctx *c, int argc, const char **argv, const size_t *lens);

/* 1 hit (value copied into the arena), 0 miss, -1 Redis unavailable. */
int rds_get(ctx *c, const char *key, str *out);
int rds_setex(ctx *c, const char *key, int ttl, str val);
int rds_del(ctx *c, const char *key);
long long rds_incr(ctx *c, const char *key); /* -1 when unavailable */
bool rds_ping(ctx *c);

#endif
