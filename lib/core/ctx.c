/* ctx: request context helpers and the failure record. */
#include "core/ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

static int record(ctx *c, int status, const char *code, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	c->err_status = status;
	c->err_code = code;
	c->err_msg = arena_strdup(c->a, msg);
	if (!c->err_msg)
		c->err_msg = "error";
	c->err_retry_after = 0; /* a failure cleared earlier must not lend its own */
	return SOUK_ERR;
}

int ctx_fail_retry(ctx *c, int seconds, const char *fmt, ...)
{
	if (c->err_status)
		return SOUK_ERR;
	va_list ap;
	va_start(ap, fmt);
	record(c, 429, "too_many", fmt, ap);
	va_end(ap);
	c->err_retry_after = seconds > 0 ? seconds : 1;
	return SOUK_ERR;
}

int ctx_fail(ctx *c, int status, const char *code, const char *fmt, ...)
{
	if (c->err_status)
		return SOUK_ERR;
	va_list ap;
	va_start(ap, fmt);
	record(c, status, code, fmt, ap);
	va_end(ap);
	return SOUK_ERR;
}

int ctx_fail_field(ctx *c, int status, const char *code, const char *field, const char *fmt, ...)
{
	if (c->err_status)
		return SOUK_ERR;
	va_list ap;
	va_start(ap, fmt);
	record(c, status, code, fmt, ap);
	va_end(ap);
	c->err_field = field;
	return SOUK_ERR;
}

int ctx_fail_json(ctx *c, int status, const char *code, struct json_object *details,
                  struct json_object *extra, const char *fmt, ...)
{
	if (c->err_status)
		return SOUK_ERR;
	va_list ap;
	va_start(ap, fmt);
	record(c, status, code, fmt, ap);
	va_end(ap);
	c->err_details = details;
	c->err_extra = extra;
	return SOUK_ERR;
}

void ctx_clear(ctx *c)
{
	c->err_status = 0;
	c->err_code = NULL;
	c->err_msg = NULL;
	c->err_field = NULL;
	c->err_details = NULL;
	c->err_extra = NULL;
	c->err_retry_after = 0;
}

void ctx_log(ctx *c, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(level, c->rid, "%s", msg);
}

const str *ctx_param(const ctx *c, const char *name)
{
	for (int i = 0; i < c->nparams; i++)
		if (strcmp(c->param_names[i], name) == 0)
			return &c->params[i];
	return NULL;
}

int ctx_param_id(ctx *c, const char *name, int64_t *out)
{
	const str *v = ctx_param(c, name);
	if (!v || str_to_i64(*v, 1, INT64_MAX, out) < 0)
		return ctx_fail(c, 400, "bad_request", "%s must be a positive integer", name);
	return SOUK_OK;
}

void ctx_begin(ctx *c)
{
	/* atomic: souk-searchd begins requests on several threads */
	static atomic_ullong seq;
	arena_reset(c->a);
	c->nparams = 0;
	ctx_clear(c);
	c->json = false;
	c->sess = NULL;
	snprintf(c->rid, sizeof(c->rid), "%05x%011llx", (unsigned)getpid() & 0xFFFFF,
	         (unsigned long long)((atomic_fetch_add(&seq, 1) + 1) & 0xFFFFFFFFFFFULL));
}
