/* flash_push: a sale's state changes pushed to the waiting pages at once
 * through nginx's pub/sub module (nchan): the pages hold an EventSource
 * on /api/v1/flash/{id}/events and nginx, not a pool worker, keeps the
 * connections. docs/FLASH.md "Push". */
#ifndef SOUK_FLASH_PUSH_H
#define SOUK_FLASH_PUSH_H

#include <stdint.h>

#include "core/ctx.h"

/* The publisher's socket: SOUK_FLASH_PUSH_SOCKET (bin/souk: the private
 * nginx's var/run/push.sock), else $SOUK_VAR/run/push.sock; NULL when
 * neither is set (no push: unit tests). Static storage. */
const char *flash_push_socket(void);

/* The message of one change, JSON in the arena: {"sale", "state",
 * "units_left" (when >= 0), "at" (unix ms, so a client can tell how late
 * it heard)}. state: running | paused | sold_out | ended. */
const char *flash_push_message(ctx *c, int64_t sale, const char *state, int64_t units_left);

/* Publishes the change on the sale's channel (nginx keeps the latest
 * one, so a page that subscribes later hears it too). Best effort: the
 * pages keep polling the status, so a lost push costs one poll interval,
 * never the caller's request; failures are logged, nothing is recorded
 * in c. Waits for nginx's answer at most SOUK_FLASH_PUSH_TIMEOUT_MS
 * (default 50; a long line takes nginx longer to answer, the message is
 * out by then). 0 when nginx took it (or has it whole and did not answer
 * yet), -1 otherwise (also when push is off). */
int flash_push(ctx *c, int64_t sale, const char *state, int64_t units_left);

#endif
