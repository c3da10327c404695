/* leader: one holder at a time among processes on any host (a PostgreSQL
 * session advisory lock), for worker jobs that must run once. */
#ifndef SOUK_LEADER_H
#define SOUK_LEADER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

/* Advisory-lock keys of the jobs that elect a leader (one namespace with
 * the relay's per-batch lock, 7367856001). */
#define LEADER_RELAY 7367856101LL
#define LEADER_PAYMENTS 7367856102LL

/* Registers the statement; call once at start, before connecting. */
void leader_register(void);

/* true while this process's connection holds the lock `key`, taking it
 * when free. Asked before each unit of work: the lock lives as long as
 * the connection, so when the connection is lost (the primary failed over,
 * the holder died) the next holder is whoever asks first on the new
 * primary. Never records a request failure: false when PostgreSQL is
 * down. */
bool leader_hold(ctx *c, int64_t key);

#endif
