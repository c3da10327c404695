/* app: a handler program: its route table, request loop and dispatcher. */
#ifndef SOUK_APP_H
#define SOUK_APP_H

#include "core/ctx.h"
#include "http/router.h"

typedef struct app {
	const char *name;         /* "storefront", used in logs */
	const route *routes;
	size_t nroutes;
	/* Renders c->err_* as an HTML page into c->rs (NULL: plain text). */
	void (*render_error)(ctx *c);
} app;

/* Runs the program: loads config and templates, then serves FastCGI on
 * SOUK_SOCKET with prefork workers, or plain CGI/inherited FastCGI when
 * SOUK_SOCKET is unset. Returns the process exit status. */
int app_main(const app *ap);

/* A context with process-lifetime db/redis handles from the config; used
 * by app_main, tools (souk-ctl) and tests. */
ctx *app_ctx_new(const cfg *cf);
void app_ctx_free(ctx *c);
/* Starts a request on c (resets its arena and state). */
void app_ctx_begin(ctx *c);

/* Dispatches one request given its CGI environment and body; the response
 * is left in c->rs-> Exposed so tests can drive handlers in memory. */
void app_dispatch(const app *ap, ctx *c, char *const *envp, str body);

/* GET /healthz: {"status":"ok","db":"ok","redis":"ok"}, 503 when either
 * dependency is down. Any program can route it. */
int app_healthz(ctx *c);

/* Who glibc's allocator is set for (app_tune_malloc). */
typedef enum app_malloc_kind {
	APP_MALLOC_POOL,    /* a handler pool's single-threaded workers */
	APP_MALLOC_SEARCHD, /* souk-searchd: threads, an index replaced whole */
} app_malloc_kind;

/* glibc's allocator settings (mallopt), in bytes where a size. */
typedef struct app_malloc {
	int mxfast;         /* M_MXFAST */
	int trim_threshold; /* M_TRIM_THRESHOLD */
	int top_pad;        /* M_TOP_PAD */
} app_malloc;

/* The settings app_tune_malloc applies for kind. */
app_malloc app_malloc_for(app_malloc_kind kind);

/* Sets glibc's allocator for kind's work: call once at start, before
 * forking or starting threads. */
void app_tune_malloc(app_malloc_kind kind);

/* Gives back what the calling thread's malloc arena keeps free at its
 * top (and, as malloc_trim, the free pages of every arena): after a
 * thread's large transient work, such as souk-searchd's load. */
void app_give_back_arena(void);

#endif
