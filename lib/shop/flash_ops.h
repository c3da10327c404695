/* flash_ops: a sale's moves that span PostgreSQL and its line in Redis. */
#ifndef SOUK_FLASH_OPS_H
#define SOUK_FLASH_OPS_H

#include "shop/flash.h"

/* Over now: the unsold units go back to normal stock (flash.ended) and
 * Redis has none left to take. 404 unknown, 409 ended. */
int flash_end(ctx *c, int64_t id);
/* The dashboard's figures of a sale (Redis ones are null when Redis is
 * down). Owned by the arena. */
int flash_show(ctx *c, int64_t id, struct json_object **out);
/* The worker's every-second pass over live sales: checkpoints the queue,
 * announces starts, ends sales past their end. */
int flash_tick(ctx *c);

#endif
