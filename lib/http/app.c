/* app: the request loop, dispatcher and error rendering of a program. */
#include "http/app.h"

#include <fcgiapp.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "core/js.h"
#include "core/log.h"
#include "http/prefork.h"
#include "store/rds.h"
#include "store/store.h"
#include "http/tmpl.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"

static const app *the_app;

app_malloc app_malloc_for(app_malloc_kind kind)
{
	/* A request allocates many small json-c objects and a few large
	 * buffers, then frees them all: glibc's fastbins turn that into a
	 * malloc_consolidate per request, and trimming gives the heap back
	 * only to grow it again (perf, 16 clients on /search: 9 % of the
	 * CPU in malloc; without fastbins and trimming, 7 % more queries/s).
	 * tcache still serves the small sizes. */
	app_malloc m = {.mxfast = 0, .trim_threshold = 64 << 20, .top_pad = 16 << 20};
	if (kind == APP_MALLOC_SEARCHD) {
		/* souk-searchd's memory is its index, freed whole when a load
		 * replaces it, much of it in the malloc arenas of the threads
		 * that built it (the refresh thread's, the postings' second
		 * thread's). glibc shrinks a thread arena's top only in free()
		 * and only once it reaches the trim threshold (malloc_trim
		 * trims the main arena's alone), and a thread arena's heap is
		 * at most 64 MB: with the pools' 64 MB it never shrank, and
		 * ≈ 52 MB of freed postings stayed resident after each reload
		 * made by the refresh thread (malloc_info, bench/RESULTS.md).
		 * At 32 MB it shrinks to the pad. The pad stays 16 MB: a
		 * serving thread's query buffers come from its heap's top
		 * (≈ 1 MB used of 16); with a 1 MB pad those over 128 KB were
		 * mmap'ed and unmapped per query (category: 1.3 → 2.1 ms of
		 * CPU, in page faults and munmap's TLB flushes). */
		m.trim_threshold = 32 << 20;
	}
	return m;
}

static app_malloc tuned = {.trim_threshold = -1};

void app_tune_malloc(app_malloc_kind kind)
{
	app_malloc m = app_malloc_for(kind);
	mallopt(M_MXFAST, m.mxfast);
	mallopt(M_TRIM_THRESHOLD, m.trim_threshold);
	mallopt(M_TOP_PAD, m.top_pad);
	tuned = m;
}

/* glibc's own M_TRIM_THRESHOLD and M_TOP_PAD, when app_tune_malloc was
 * not called. */
#define GLIBC_TRIM_THRESHOLD (128 << 10)
#define GLIBC_TOP_PAD (128 << 10)
/* A free of a chunk this large makes glibc trim its arena's top
 * (FASTBIN_CONSOLIDATION_THRESHOLD in malloc.c). */
#define TRIM_TRIGGER (64 << 10)

void app_give_back_arena(void)
{
	/* glibc shrinks a thread arena's top only inside free(), only once
	 * the top reaches M_TRIM_THRESHOLD, and then keeps M_TOP_PAD of it;
	 * malloc_trim madvises free chunks in every arena but trims the main
	 * arena's top alone. So after a load souk-searchd's loading thread
	 * kept 14-16 MB of its top resident (the refresh's rows, the load's
	 * scratch), up to 48 MB with the settings above, in each arena a
	 * load had used: RSS 1,027-1,064 MB after reloads against 992 MB
	 * after a start (bench/RESULTS.md). For one free in this thread the
	 * trim has neither threshold nor pad; other threads freeing
	 * meanwhile may trim theirs too, which costs them page faults once. */
	mallopt(M_TOP_PAD, 0);
	mallopt(M_TRIM_THRESHOLD, 0);
	/* volatile: a compiler may drop a malloc whose memory is unused */
	void *volatile chunk = malloc(TRIM_TRIGGER);
	free(chunk);
	mallopt(M_TRIM_THRESHOLD, tuned.trim_threshold >= 0 ? tuned.trim_threshold : GLIBC_TRIM_THRESHOLD);
	mallopt(M_TOP_PAD, tuned.trim_threshold >= 0 ? tuned.top_pad : GLIBC_TOP_PAD);
	malloc_trim(0);
}

/* A context and the request/response it serves, in one allocation. */
typedef struct http_ctx {
	ctx c;
	req rq;
	resp rs;
} http_ctx;

ctx *app_ctx_new(const cfg *cf)
{
	http_ctx *h = calloc(1, sizeof(*h));
	if (!h)
		abort();
	store_ctx_open(&h->c, cf);
	h->c.rq = &h->rq;
	h->c.rs = &h->rs;
	app_ctx_begin(&h->c);
	return &h->c;
}

void app_ctx_free(ctx *c)
{
	if (!c)
		return;
	store_ctx_close(c);
	free((http_ctx *)c); /* c is the first member of its http_ctx */
}

void app_ctx_begin(ctx *c)
{
	ctx_begin(c);
	memset(c->rq, 0, sizeof(*c->rq));
	resp_init(c->rs, c->a, 16u << 20);
}

static void render_error(const app *ap, ctx *c)
{
	int status = c->err_status ? c->err_status : 500;
	if (status >= 500 && status != 503 && !c->err_msg)
		c->err_msg = "internal error";
	resp_drop_headers(c->rs);
	c->rs->status = status;
	if (c->json || !ap->render_error) {
		json_object *o = js_obj(c), *e = json_object_new_object();
		js_str(e, "code", c->err_code ? c->err_code : "internal");
		js_str(e, "message", c->err_msg ? c->err_msg : "internal error");
		if (c->err_details) {
			json_object_object_foreach(c->err_details, dk, dv)
				json_object_object_add(e, dk, json_object_get(dv));
		}
		json_object_object_add(o, "error", e);
		if (c->err_extra) {
			json_object_object_foreach(c->err_extra, xk, xv)
				json_object_object_add(o, xk, json_object_get(xv));
		}
		resp_json(c, status, o);
		if (!c->json && !ap->render_error)
			c->rs->content_type = "application/json";
	} else {
		buf_clear(&c->rs->body);
		ap->render_error(c);
		c->rs->status = status;
	}
	if (status == 429 && c->err_retry_after > 0) {
		char s[16];
		snprintf(s, sizeof(s), "%d", c->err_retry_after);
		resp_header(c->rs, "Retry-After", str_c(s));
	} else if (status == 503) {
		resp_header(c->rs, "Retry-After", STR("5"));
	}
}

/* The largest body the program reads: SOUK_MAX_BODY, or ROUTE_UPLOAD_MAX
 * when a route takes uploads (app_dispatch holds the others to the first). */
static size_t app_max_body(const app *ap, const cfg *cf)
{
	size_t m = cf->max_body;
	for (size_t i = 0; ap && i < ap->nroutes; i++)
		if ((ap->routes[i].flags & ROUTE_UPLOAD) && m < ROUTE_UPLOAD_MAX)
			m = ROUTE_UPLOAD_MAX;
	return m;
}

void app_dispatch(const app *ap, ctx *c, char *const *envp, str body)
{
	const char *why = NULL;
	req_limits lim = req_default_limits;
	lim.max_body = app_max_body(ap, c->cfg);
	const char *nginx_rid = env_get(envp, "REQUEST_ID");
	if (nginx_rid && strlen(nginx_rid) < sizeof(c->rid))
		snprintf(c->rid, sizeof(c->rid), "%s", nginx_rid); /* ties our log to nginx's */
	int rc = req_from_env(c->rq, c->a, envp, &lim, &why);
	c->json = str_starts(c->rq->path, "/api/");
	if (rc == 0) {
		c->rq->body = body;
		rc = req_parse_body(c->rq, c->a, &lim, &why);
	}
	if (rc < 0) {
		ctx_fail(c, 400, "bad_request", "%s", why ? why : "malformed request");
	} else {
		const route *rt = NULL;
		const char *allow = NULL;
		switch (router_match(ap->routes, ap->nroutes, c, &rt, &allow)) {
		case ROUTE_FOUND:
			c->json = (rt->flags & ROUTE_JSON) != 0;
			if (body.len > c->cfg->max_body && !(rt->flags & ROUTE_UPLOAD)) {
				ctx_fail(c, 413, "too_large", "request body too large");
				break;
			}
			rc = rt->fn(c);
			if (rc != SOUK_OK && !c->err_status)
				ctx_fail(c, 500, "internal", "internal error");
			break;
		case ROUTE_BAD_METHOD:
			ctx_fail(c, 405, "method_not_allowed", "%.*s is not allowed here",
			         (int)c->rq->method.len, c->rq->method.p);
			break;
		case ROUTE_NOT_FOUND:
			ctx_fail(c, 404, "not_found", "no page at this address");
			break;
		}
		if (c->err_status == 405 && allow) {
			render_error(ap, c);
			resp_header(c->rs, "Allow", str_c(allow));
			db_request_end(c->db);
			return;
		}
	}
	if (c->err_status)
		render_error(ap, c);
	db_request_end(c->db);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Where a request's body comes from and its response goes: libfcgi
 * streams under FastCGI, stdin/stdout under plain CGI. */
typedef struct io {
	int (*read)(void *src, char *p, int n);
	void (*write)(void *dst, const char *p, size_t n);
	void *src, *dst;
} io;

static int fcgx_read(void *src, char *p, int n) { return FCGX_GetStr(p, n, src); }
static void fcgx_write(void *dst, const char *p, size_t n) { FCGX_PutStr(p, (int)n, dst); }
static int stdio_read(void *src, char *p, int n) { return (int)fread(p, 1, (size_t)n, src); }
static void stdio_write(void *dst, const char *p, size_t n) { fwrite(p, 1, n, dst); }

/* One request: read the bounded body, dispatch, send. */
static void serve(ctx *c, const io *io, char **envp)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	app_ctx_begin(c);
	req_limits lim = req_default_limits;
	lim.max_body = app_max_body(the_app, c->cfg);
	long long len = req_content_length(envp, &lim);
	str body = {"", 0};
	bool too_big = len < 0;
	if (len > 0) {
		char *p = arena_alloc(c->a, (size_t)len + 1);
		int got = p ? io->read(io->src, p, (int)len) : -1;
		if (got != len) {
			too_big = true;
		} else {
			p[len] = '\0';
			body = (str){p, (size_t)len};
		}
	}
	if (too_big) {
		ctx_fail(c, 413, "too_large", "request body too large or incomplete");
		c->json = true;
		render_error(the_app, c);
	} else {
		app_dispatch(the_app, c, envp, body);
	}

	buf head;
	buf_init(&head, c->a, 128 * 1024);
	resp_head(c->rs, &head);
	io->write(io->dst, head.p, head.len);
	if (!str_eq_c(c->rq->method, "HEAD"))
		io->write(io->dst, c->rs->body.p, c->rs->body.len);

	log_msg(c->rs->status >= 500 ? LOG_WARN : LOG_DEBUG, c->rid,
	        "%.*s %.*s status=%d ms=%.2f arena=%zu", (int)c->rq->method.len, c->rq->method.p,
	        (int)c->rq->path.len, c->rq->path.p, c->rs->status, ms_since(&t0), arena_used(c->a));
	bool big = c->rs->body.len > 64 * 1024;
	app_ctx_begin(c); /* free the request's memory now, not at the next one */
	if (big)
		malloc_trim(0); /* json-c's many small blocks would otherwise stay resident */
}

static int worker_main(int fd)
{
	/* Large arena blocks (a 230 KB category list) come from mmap and go
	 * back to the kernel at the end of the request, so one big response
	 * does not leave a worker's resident size raised for good. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	ctx *c = app_ctx_new(cfg_get());
	FCGX_Request fr;
	if (FCGX_InitRequest(&fr, fd, 0) != 0)
		return 1;
	int failures = 0;
	while (!prefork_should_stop()) {
		prefork_set_busy(false);
		if (FCGX_Accept_r(&fr) < 0) {
			if (++failures > 100)
				break;
			usleep(10000);
			continue;
		}
		prefork_set_busy(true);
		failures = 0;
		io fio = {fcgx_read, fcgx_write, fr.in, fr.out};
		serve(c, &fio, fr.envp);
		FCGX_Finish_r(&fr);
		if (prefork_take_reload())
			tmpl_reload();
	}
	app_ctx_free(c);
	return 0;
}

int app_healthz(ctx *c)
{
	bool dbok = db_ping(c), rok = rds_ping(c);
	json_object *o = js_obj(c);
	js_str(o, "status", dbok && rok ? "ok" : "degraded");
	js_str(o, "db", dbok ? "ok" : "down");
	js_str(o, "redis", rok ? "ok" : "down");
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	return resp_json(c, dbok && rok ? 200 : 503, o);
}

int app_main(const app *ap)
{
	const cfg *cf = cfg_load();
	log_set_level(cf->log_level);
	app_tune_malloc(APP_MALLOC_POOL);
	the_app = ap;
	if (tmpl_init(cf->template_dir) < 0)
		return 1;
	if (cf->socket)
		return prefork_run(cf->socket, cf->workers, cf->pidfile, worker_main);

	ctx *c = app_ctx_new(cf);
	if (FCGX_IsCGI()) {
		/* Plain CGI (debugging, cgit-style): one request on stdio. */
		extern char **environ;
		io cgi = {stdio_read, stdio_write, stdin, stdout};
		serve(c, &cgi, environ);
		fflush(stdout);
	} else {
		/* FastCGI on an inherited socket (spawn-fcgi). */
		FCGX_Stream *in, *out, *err;
		FCGX_ParamArray envp;
		while (FCGX_Accept(&in, &out, &err, &envp) >= 0) {
			io fio = {fcgx_read, fcgx_write, in, out};
			serve(c, &fio, envp);
		}
	}
	app_ctx_free(c);
	return 0;
}
