/* fuzz_req: the request parser (req_from_env, req_parse_body, the router,
 * the dispatcher's error path) on a fake FastCGI environment. */
#include <string.h>

#include "core/js.h"
#include "fuzz.h"

/* A handler that reads what real handlers read: captures, typed query
 * parameters, cookies, headers, form fields, the JSON body. */
static int h_item(ctx *c)
{
	int64_t id, n, page;
	int sort;
	static const char *const sorts[] = {"relevance", "price_asc", NULL};
	if (ctx_param_id(c, "id", &id) < 0 || ctx_query_id(c, "category", &n) < 0 ||
	    ctx_query_int(c, "page", 1, 10000, 1, &page) < 0 ||
	    ctx_query_enum(c, "sort", sorts, 0, &sort) < 0)
		return SOUK_ERR;
	FUZZ_CHECK(id > 0 && n >= 0 && page >= 1 && page <= 10000 && sort >= 0 && sort <= 1);
	const str *s = req_cookie(c->rq, "souk_session");
	json_object *o = js_obj(c);
	js_i64(o, "id", id);
	js_strn(o, "session", s ? *s : STR(""));
	s = req_form(c->rq, "qty");
	js_strn(o, "qty", s ? *s : STR(""));
	s = req_header(c->rq, "accept-language");
	js_strn(o, "lang", s ? *s : STR(""));
	if (c->rq->json)
		json_object_object_add(o, "body", json_object_get(c->rq->json));
	return resp_json(c, 200, o);
}

static int h_slug(ctx *c)
{
	const str *slug = ctx_param(c, "slug");
	FUZZ_CHECK(slug && slug->len > 0 && !memchr(slug->p, '/', slug->len));
	return resp_redirect(c->rs, 303, STR("/"));
}

static int h_home(ctx *c)
{
	FUZZ_CHECK(ctx_param(c, "slug") == NULL);
	return resp_redirect(c->rs, 303, STR("/products/1"));
}

static const route routes[] = {
	{"GET", "/products/{id}", h_item, 0},
	{"POST", "/products/{id}", h_item, 0},
	{"GET", "/products/{id}/{slug}", h_slug, 0},
	{"POST", "/api/v1/items/{id}", h_item, ROUTE_JSON},
	{"GET", "/", h_home, 0},
};
static const app fuzz_app = {"fuzz", routes, sizeof(routes) / sizeof(routes[0]), NULL};

static void check_kv(const kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		FUZZ_CHECK(utf8_valid(l->items[i].key) && utf8_valid(l->items[i].val));
		FUZZ_CHECK(!memchr(l->items[i].key.p, '\0', l->items[i].key.len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	str body;
	char **env = fuzz_env(c, data, size, &body);

	/* The parser alone, with its promises checked. */
	req r;
	const char *why = NULL;
	if (req_from_env(&r, c->a, env, &req_default_limits, &why) == 0) {
		FUZZ_CHECK(r.path.len >= 1 && r.path.p[0] == '/' && utf8_valid(r.path));
		for (size_t i = 0; i < r.path.len; i++)
			FUZZ_CHECK((unsigned char)r.path.p[i] >= 0x20 && r.path.p[i] != 0x7f);
		FUZZ_CHECK(r.query.n <= req_default_limits.max_params);
		FUZZ_CHECK(r.cookies.n <= req_default_limits.max_params);
		check_kv(&r.query);
		for (size_t i = 0; i < r.content_type.len; i++)
			FUZZ_CHECK(!(r.content_type.p[i] >= 'A' && r.content_type.p[i] <= 'Z'));
		r.body = body;
		why = NULL;
		if (req_parse_body(&r, c->a, &req_default_limits, &why) == 0)
			check_kv(&r.form);
		else
			FUZZ_CHECK(why != NULL);
	} else {
		FUZZ_CHECK(why != NULL);
	}
	(void)req_content_length(env, &req_default_limits);

	/* The whole dispatcher: route, handler, one rendered failure (same
	 * arena: env and body live in it; the parse above used a local req). */
	app_dispatch(&fuzz_app, c, env, body);
	if (c->err_status)
		fuzz_check_failure(c);
	FUZZ_CHECK(c->rs->status >= 200 && c->rs->status <= 599);
	return 0;
}
