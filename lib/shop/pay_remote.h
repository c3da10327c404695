/* pay_remote: the payment provider that lives in another process
 * (souk-payd): HTTP/1.1 + JSON over its Unix socket, one connection per
 * call, a deadline per call (SOUK_PAYD_TIMEOUT_MS, default 2000). */
#ifndef SOUK_PAY_REMOTE_H
#define SOUK_PAY_REMOTE_H

#include <json-c/json.h>

#include "core/ctx.h"
#include "shop/payment.h"

/* The provider (name "payd"); chosen with SOUK_PAY_PROVIDER=payd. */
extern const pay_provider pay_remote;

/* souk-payd's socket: SOUK_PAYD_SOCKET, else $SOUK_VAR/run/payd.sock;
 * NULL when neither is set (or the path is too long). Static storage. */
const char *pay_remote_socket(void);

/* Splits a raw HTTP/1.x response: status code and body (Content-Length
 * bytes when the header is there, else the rest). 0, or -1 when it is
 * not a complete response. Views point into raw. For tests. */
int pay_remote_parse(str raw, int *status, str *body);

/* One call: POST (body non-NULL) or GET `path` with the Idempotency-Key
 * `key` (may be NULL). *status and *out (arena-owned JSON object) on
 * success. Transport failures, timeouts and 5xx answers record 503
 * "payment_unavailable" (Retry-After follows from the dispatcher) and
 * return SOUK_ERR; a 4xx is handed back in *status for the caller. */
int pay_remote_call(ctx *c, const char *path, const char *key, json_object *body, int *status,
                    json_object **out);

#endif
