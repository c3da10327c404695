/* ctx: the execution context (arena, config, database and Redis handles,
 * the recorded failure) and the one error path. A program without HTTP
 * (souk-worker, souk-searchd, souk-ctl) uses it with no request. */
#ifndef SOUK_CTX_H
#define SOUK_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/cfg.h"

#define SOUK_OK 0
#define SOUK_ERR (-1)
#define CTX_MAX_PARAMS 4

struct db;
struct rds;
struct json_object;
struct req;
struct resp;

typedef struct ctx {
	arena *a;            /* request lifetime: reset after the response */
	struct req *rq;      /* the HTTP request (http/app.c); NULL without one */
	struct resp *rs;     /* its response; NULL without a request */
	const cfg *cfg;      /* process lifetime */
	struct db *db;       /* process lifetime, may be disconnected */
	struct rds *rds;     /* process lifetime, may be disconnected */
	char rid[33];        /* request id for logs (nginx's $request_id) */
	const char *param_names[CTX_MAX_PARAMS];
	str params[CTX_MAX_PARAMS]; /* {name} captures from the route */
	int nparams;
	/* the recorded failure: the first one wins */
	int err_status;
	const char *err_code;
	const char *err_msg;
	const char *err_field; /* the form field at fault, or NULL */
	/* JSON errors only: members added to the "error" object (details)
	 * and beside it (extra); arena-owned roots (js_obj), or NULL */
	struct json_object *err_details;
	struct json_object *err_extra;
	int err_retry_after; /* seconds for Retry-After on a 429 (ctx_fail_retry), else 0 */
	bool json;           /* errors are rendered as JSON (API routes) */
	struct session *sess; /* storefront: the session once loaded (session.h) */
} ctx;

/* Records a failure once (public message for the client) and returns
 * SOUK_ERR; the dispatcher alone turns it into an HTTP response. `code` is
 * a stable machine word ("not_found", "bad_request", ...). */
int ctx_fail(ctx *c, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ctx_fail naming the form field at fault (c->err_field), so a page can
 * show the message next to that field. */
int ctx_fail_field(ctx *c, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* ctx_fail with extra JSON for an API client: the members of details go
 * into the "error" object, those of extra beside it (either NULL). Both
 * must be arena-owned roots (js_obj). */
int ctx_fail_json(ctx *c, int status, const char *code, struct json_object *details,
                  struct json_object *extra, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Forgets the recorded failure: it was expected and the caller carries
 * on (a retry, a fallback, a page that shows it in its form). */
void ctx_clear(ctx *c);
/* Records 429 "too_many" with a Retry-After of `seconds` (at least 1):
 * the one way a limit tells the client when to come back. */
int ctx_fail_retry(ctx *c, int seconds, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Log-only detail for the failure (never shown to the client). */
void ctx_log(ctx *c, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A route capture ("{id}") or NULL. */
const str *ctx_param(const ctx *c, const char *name);

/* A route capture that must be a positive id: 400 when it is not. */
int ctx_param_id(ctx *c, const char *name, int64_t *out);

/* Starts a unit of work on c: resets its arena, the failure record, the
 * route captures and the session, and numbers it (rid) for the logs. */
void ctx_begin(ctx *c);

#endif
