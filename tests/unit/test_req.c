/* test_req: unit tests for lib/req (strict decoding, env parsing, bodies). */
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

#include "http/req.h"
#include "tests.h"

#define A t_a /* the suite's arena (t_arena_setup) */

#define S(lit) ((str){(lit), sizeof(lit) - 1}) /* keeps embedded NULs */

static void test_utf8(void)
{
	static const struct {
		str s;
		bool ok;
	} t[] = {
		{S(""), true},
		{S("plain ASCII /path?x=1"), true},
		{S("caf\xC3\xA9"), true},             /* 2 bytes */
		{S("\xE2\x82\xAC"), true},            /* 3 bytes: euro */
		{S("\xF0\x9F\x98\x80"), true},        /* 4 bytes: emoji */
		{S("\xF4\x8F\xBF\xBF"), true},        /* U+10FFFF */
		{S("\xC0\x80"), false},               /* overlong NUL */
		{S("\xC1\xBF"), false},               /* overlong */
		{S("\xE0\x80\xAF"), false},           /* overlong '/' */
		{S("\xF0\x80\x80\x80"), false},       /* overlong */
		{S("\xED\xA0\x80"), false},           /* surrogate U+D800 */
		{S("\xED\xBF\xBF"), false},           /* surrogate U+DFFF */
		{S("\xF4\x90\x80\x80"), false},       /* U+110000 */
		{S("\xF5\x80\x80\x80"), false},
		{S("\xC3"), false},                   /* truncated */
		{S("ab\xE2\x82"), false},             /* truncated */
		{S("\xF0\x9F\x98"), false},           /* truncated */
		{S("\x80"), false},                   /* lone continuation */
		{S("a\xBF" "b"), false},
		{S("\xC3\x28"), false},               /* bad continuation */
		{S("\xFF"), false},
		{S("\xF8\x88\x80\x80\x80"), false},   /* 5-byte form */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CU_ASSERT_EQUAL(utf8_valid(t[i].s), t[i].ok);
		if (utf8_valid(t[i].s) != t[i].ok)
			printf("\n  utf8_valid case %zu wrong\n", i);
	}
}

/* url_decode on a C string: 0 and *out, or -1. */
static int dec(const char *in, bool form, bool ws, str *out)
{
	*out = (str){NULL, 0};
	return url_decode(A, str_c(in), form, ws, out);
}

static void test_url_decode_ok(void)
{
	static const struct {
		const char *in;
		bool form, ws;
		const char *want;
	} t[] = {
		{"", false, false, ""},
		{"a+b", true, false, "a b"},
		{"a+b", false, false, "a+b"}, /* '+' is literal in a path */
		{"%2B", true, false, "+"},
		{"%41%42c", false, false, "ABc"},
		{"%6a%6A", false, false, "jj"},
		{"caf%C3%A9", false, false, "caf\xC3\xA9"},
		{"caf\xC3\xA9", false, false, "caf\xC3\xA9"},
		{"%09", true, true, "\t"},
		{"a%0D%0Ab", true, true, "a\r\nb"},
		{"a\nb", true, true, "a\nb"},
		{"%20", false, false, " "},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		str out;
		CU_ASSERT_EQUAL(dec(t[i].in, t[i].form, t[i].ws, &out), 0);
		ASSERT_STR(out, t[i].want);
		CU_ASSERT(out.p && out.p[out.len] == '\0');
	}
}

static void test_url_decode_refused(void)
{
	static const struct {
		const char *in;
		bool form, ws;
	} t[] = {
		{"%4", false, false},      {"%", false, false},       {"ab%", false, false},
		{"a%4", true, true},       {"%zz", false, false},     {"%4g", false, false},
		{"%g4", false, false},     {"%00", true, true},       {"%01", true, true},
		{"%7F", true, true},       {"a\x01" "b", true, true}, {"\x7F", true, true},
		{"%09", true, false},      {"%0A", false, false},     {"%0D", true, false},
		{"a\nb", true, false},     {"%0B", true, true},       {"%1B", true, true},
		{"%C3%28", false, false},  {"%C3", false, false},     {"%ED%A0%80", false, false},
		{"%C0%80", false, false},  {"%F4%90%80%80", true, true}, {"%80", false, false},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		str out;
		int rc = dec(t[i].in, t[i].form, t[i].ws, &out);
		CU_ASSERT_EQUAL(rc, -1);
		if (rc != -1)
			printf("\n  url_decode(\"%s\") accepted\n", t[i].in);
	}
}

static void test_urlencoded(void)
{
	kvlist l = {0};
	const char *why = NULL;
	CU_ASSERT_EQUAL(parse_urlencoded(A, STR("a=1&b=2&a=3"), 64, &l, &why), 0);
	CU_ASSERT_EQUAL(l.n, 3);
	if (l.n == 3) {
		ASSERT_STR(l.items[0].key, "a");
		ASSERT_STR(l.items[0].val, "1");
		ASSERT_STR(l.items[1].key, "b");
		ASSERT_STR(l.items[1].val, "2");
		ASSERT_STR(l.items[2].key, "a");
		ASSERT_STR(l.items[2].val, "3");
	}
	const str *v = kv_get(&l, "a");
	CU_ASSERT(v && str_eq_c(*v, "1")); /* the first one */
	CU_ASSERT_PTR_NULL(kv_get(&l, "c"));

	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_urlencoded(A, STR("a=1&&b=2&"), 64, &l, &why), 0);
	CU_ASSERT_EQUAL(l.n, 2);
	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_urlencoded(A, STR(""), 64, &l, &why), 0);
	CU_ASSERT_EQUAL(l.n, 0);

	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_urlencoded(A, STR("flag&x=&=v&t=a=b"), 64, &l, &why), 0);
	CU_ASSERT_EQUAL(l.n, 4);
	if (l.n == 4) {
		ASSERT_STR(l.items[0].key, "flag");
		ASSERT_STR(l.items[0].val, "");
		ASSERT_STR(l.items[1].key, "x");
		ASSERT_STR(l.items[1].val, "");
		ASSERT_STR(l.items[2].key, "");
		ASSERT_STR(l.items[2].val, "v");
		ASSERT_STR(l.items[3].key, "t");
		ASSERT_STR(l.items[3].val, "a=b");
	}

	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_urlencoded(A, STR("q=hello+world%21&k%20y=v&m=l1%0Al2"), 64, &l, &why), 0);
	v = kv_get(&l, "q");
	CU_ASSERT(v && str_eq_c(*v, "hello world!"));
	v = kv_get(&l, "k y");
	CU_ASSERT(v && str_eq_c(*v, "v"));
	v = kv_get(&l, "m"); /* values may hold newlines (textareas) */
	CU_ASSERT(v && str_eq_c(*v, "l1\nl2"));

	/* over many items: the list grows */
	buf b;
	buf_init(&b, A, 0);
	for (int i = 0; i < 40; i++)
		buf_printf(&b, "%sk%d=%d", i ? "&" : "", i, i);
	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_urlencoded(A, buf_str(&b), 64, &l, &why), 0);
	CU_ASSERT_EQUAL(l.n, 40);
	v = kv_get(&l, "k39");
	CU_ASSERT(v && str_eq_c(*v, "39"));
}

static void test_urlencoded_refused(void)
{
	kvlist l = {0};
	const char *why = NULL;
	CU_ASSERT_EQUAL(parse_urlencoded(A, STR("a=1&b=2&c=3"), 2, &l, &why), -1);
	ASSERT_CSTR(why, "too many parameters");
	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_urlencoded(A, STR("a=1&b=2&c=3"), 3, &l, &why), 0);

	static const char *const bad[] = {"a=%zz", "%zz=1", "a=%", "a=%00", "%C3%28=1",
	                                  "a=%C3%28", "k%0A=v", "a=%1B"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l = (kvlist){0};
		why = NULL;
		CU_ASSERT_EQUAL(parse_urlencoded(A, str_c(bad[i]), 64, &l, &why), -1);
		CU_ASSERT(why && strstr(why, "malformed"));
	}
}

static void test_cookies(void)
{
	kvlist l = {0};
	CU_ASSERT_EQUAL(parse_cookies(A, STR("a=1; b=2;c=3"), 64, &l), 0);
	CU_ASSERT_EQUAL(l.n, 3);
	const str *v = kv_get(&l, "c");
	CU_ASSERT(v && str_eq_c(*v, "3"));

	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_cookies(A, STR("  sid=abc  ;  theme=dark"), 64, &l), 0);
	CU_ASSERT_EQUAL(l.n, 2);
	v = kv_get(&l, "sid");
	CU_ASSERT(v && str_eq_c(*v, "abc"));
	v = kv_get(&l, "theme");
	CU_ASSERT(v && str_eq_c(*v, "dark"));

	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_cookies(A, STR("junk; a=1; t=x=y; e=;;;"), 64, &l), 0);
	CU_ASSERT_EQUAL(l.n, 3); /* "junk" has no '=': ignored */
	CU_ASSERT_PTR_NULL(kv_get(&l, "junk"));
	v = kv_get(&l, "t");
	CU_ASSERT(v && str_eq_c(*v, "x=y"));
	v = kv_get(&l, "e");
	CU_ASSERT(v && str_eq_c(*v, ""));

	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_cookies(A, STR("a=1; b=2; c=3"), 2, &l), -1);
	l = (kvlist){0};
	CU_ASSERT_EQUAL(parse_cookies(A, STR("a=1; b=2; c=3"), 3, &l), 0);
}

static void test_env_full(void)
{
	ctx *c = t_ctx_new(0);
	char *env[] = {"REQUEST_METHOD=POST",
	               "REQUEST_URI=/products/42?sort=price&x=%41",
	               "QUERY_STRING=ignored=1",
	               "PATH_INFO=/ignored",
	               "REMOTE_ADDR=10.0.0.1",
	               "HTTP_ACCEPT_LANGUAGE=fr-FR",
	               "HTTP_X_FORWARDED_FOR=1.2.3.4",
	               "HTTP_COOKIE=sid=abc; cart=9",
	               "CONTENT_TYPE=Application/JSON ; Charset=UTF-8",
	               "CONTENT_LENGTH=0",
	               NULL};
	const char *why = NULL;
	CU_ASSERT_EQUAL(t_req(c, env, &why), 0);
	req *r = c->rq;
	ASSERT_STR(r->method, "POST");
	ASSERT_STR(r->path, "/products/42");
	ASSERT_STR(r->raw_query, "sort=price&x=%41");
	ASSERT_STR(r->remote_addr, "10.0.0.1");
	ASSERT_STR(r->content_type, "application/json");
	CU_ASSERT_EQUAL(r->query.n, 2);
	const str *v = req_query(r, "x");
	CU_ASSERT(v && str_eq_c(*v, "A"));
	CU_ASSERT_PTR_NULL(req_query(r, "ignored"));
	v = req_header(r, "accept-language");
	CU_ASSERT(v && str_eq_c(*v, "fr-FR"));
	v = req_header(r, "x-forwarded-for");
	CU_ASSERT(v && str_eq_c(*v, "1.2.3.4"));
	CU_ASSERT_PTR_NULL(req_header(r, "X_FORWARDED_FOR"));
	CU_ASSERT_PTR_NULL(req_header(r, "content-type")); /* not an HTTP_ variable */
	v = req_cookie(r, "cart");
	CU_ASSERT(v && str_eq_c(*v, "9"));
	app_ctx_free(c);
}

static void test_env_defaults_and_cgi(void)
{
	ctx *c = t_ctx_new(0);
	char *none[] = {NULL};
	CU_ASSERT_EQUAL(t_req(c, none, NULL), 0);
	ASSERT_STR(c->rq->method, "GET");
	ASSERT_STR(c->rq->path, "/");
	ASSERT_STR(c->rq->raw_query, "");
	ASSERT_STR(c->rq->content_type, "");
	CU_ASSERT_EQUAL(c->rq->query.n + c->rq->headers.n + c->rq->cookies.n, 0);

	char *cgi[] = {"PATH_INFO=/c/shoes", "QUERY_STRING=page=2&q=red+shoes", NULL};
	CU_ASSERT_EQUAL(t_req(c, cgi, NULL), 0);
	ASSERT_STR(c->rq->path, "/c/shoes");
	const str *v = req_query(c->rq, "q");
	CU_ASSERT(v && str_eq_c(*v, "red shoes"));

	char *enc[] = {"REQUEST_URI=/p/caf%C3%A9+x?", NULL};
	CU_ASSERT_EQUAL(t_req(c, enc, NULL), 0);
	ASSERT_STR(c->rq->path, "/p/caf\xC3\xA9+x");
	ASSERT_STR(c->rq->raw_query, "");

	/* a prefix of another variable's name is not that variable */
	char *pre[] = {"REQUEST_URIX=/evil", "REQUEST_URI=/good", NULL};
	ASSERT_CSTR(env_get(pre, "REQUEST_URI"), "/good");
	CU_ASSERT_PTR_NULL(env_get(pre, "REQUEST"));
	app_ctx_free(c);
}

/* One "K=<prefix><n x fill>" environment string in the arena. */
static char *long_var(const char *k, const char *prefix, size_t n, char fill)
{
	buf b;
	buf_init(&b, A, 0);
	buf_printf(&b, "%s=%s", k, prefix);
	for (size_t i = 0; i < n; i++)
		buf_putc(&b, fill);
	return b.p;
}

static void test_env_limits(void)
{
	ctx *c = t_ctx_new(0);
	const char *why = NULL;
	char *env[3] = {NULL, NULL, NULL};

	env[0] = long_var("HTTP_X_BIG", "", 8192, 'h');
	CU_ASSERT_EQUAL(t_req(c, env, &why), 0);
	env[0] = long_var("HTTP_X_BIG", "", 8193, 'h');
	CU_ASSERT_EQUAL(t_req(c, env, &why), -1);
	ASSERT_CSTR(why, "request header too large");

	env[0] = long_var("REQUEST_URI", "/", 2047, 'p');
	CU_ASSERT_EQUAL(t_req(c, env, &why), 0);
	env[0] = long_var("REQUEST_URI", "/", 2048, 'p');
	CU_ASSERT_EQUAL(t_req(c, env, &why), -1);
	ASSERT_CSTR(why, "path too long");

	env[0] = long_var("REQUEST_URI", "/?", 8192, 'q');
	CU_ASSERT_EQUAL(t_req(c, env, &why), 0);
	env[0] = long_var("REQUEST_URI", "/?", 8193, 'q');
	CU_ASSERT_EQUAL(t_req(c, env, &why), -1);
	ASSERT_CSTR(why, "query string too long");
	env[0] = "PATH_INFO=/x";
	env[1] = long_var("QUERY_STRING", "", 8193, 'q');
	CU_ASSERT_EQUAL(t_req(c, env, &why), -1);
	ASSERT_CSTR(why, "query string too long");
	env[1] = NULL;

	buf b;
	buf_init(&b, A, 0);
	buf_puts(&b, "REQUEST_URI=/?");
	for (int i = 0; i < 65; i++)
		buf_printf(&b, "%sk%d=1", i ? "&" : "", i);
	env[0] = b.p;
	CU_ASSERT_EQUAL(t_req(c, env, &why), -1);
	ASSERT_CSTR(why, "too many parameters");

	buf_init(&b, A, 0);
	buf_puts(&b, "HTTP_COOKIE=");
	for (int i = 0; i < 65; i++)
		buf_printf(&b, "c%d=1; ", i);
	env[0] = b.p;
	CU_ASSERT_EQUAL(t_req(c, env, &why), -1);
	ASSERT_CSTR(why, "too many cookies");
	app_ctx_free(c);
}

static void test_env_bad_encoding(void)
{
	ctx *c = t_ctx_new(0);
	static const char *const bad_path[] = {"REQUEST_URI=/p/%zz", "REQUEST_URI=/p/%",
	                                       "REQUEST_URI=/p/%00", "REQUEST_URI=/p/%C3%28",
	                                       "REQUEST_URI=/p/%0A", "PATH_INFO=/p/%ED%A0%80"};
	for (size_t i = 0; i < sizeof(bad_path) / sizeof(bad_path[0]); i++) {
		char *env[] = {(char *)bad_path[i], NULL};
		const char *why = NULL;
		CU_ASSERT_EQUAL(t_req(c, env, &why), -1);
		ASSERT_CSTR(why, "malformed percent-encoding or invalid UTF-8 in path");
	}
	char *q[] = {"REQUEST_URI=/p?x=%zz", NULL};
	const char *why = NULL;
	CU_ASSERT_EQUAL(t_req(c, q, &why), -1);
	ASSERT_CSTR(why, "malformed percent-encoding or invalid UTF-8 in parameters");
	app_ctx_free(c);
}

static void test_content_type(void)
{
	ctx *c = t_ctx_new(0);
	static const struct {
		const char *env, *want;
	} t[] = {
		{"CONTENT_TYPE=application/x-www-form-urlencoded", "application/x-www-form-urlencoded"},
		{"CONTENT_TYPE=TEXT/Plain;charset=utf-8", "text/plain"},
		{"CONTENT_TYPE=multipart/form-data; boundary=XyZ", "multipart/form-data"},
		{"CONTENT_TYPE=", ""},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *env[] = {(char *)t[i].env, NULL};
		CU_ASSERT_EQUAL(t_req(c, env, NULL), 0);
		ASSERT_STR(c->rq->content_type, t[i].want);
	}
	app_ctx_free(c);
}

/* req_parse_body on a fresh request with this content type and body. */
static int body(req *r, const char *ctype, str b, size_t max_body, const char **why)
{
	memset(r, 0, sizeof(*r));
	r->content_type = str_c(ctype);
	r->body = b;
	req_limits lim = req_default_limits;
	lim.max_body = max_body;
	*why = NULL;
	return req_parse_body(r, A, &lim, why);
}

static const char *JSON = "application/json";
static const char *FORM = "application/x-www-form-urlencoded";

static void test_body_form_and_raw(void)
{
	req r;
	const char *why;
	CU_ASSERT_EQUAL(body(&r, JSON, STR(""), 1024, &why), 0);
	CU_ASSERT_PTR_NULL(r.json);
	CU_ASSERT_EQUAL(body(&r, FORM, STR("a=1&b=x+y"), 1024, &why), 0);
	CU_ASSERT_EQUAL(r.form.n, 2);
	const str *v = req_form(&r, "b");
	CU_ASSERT(v && str_eq_c(*v, "x y"));
	CU_ASSERT_EQUAL(body(&r, FORM, STR("a=%zz"), 1024, &why), -1);
	CU_ASSERT(why && strstr(why, "malformed"));
	CU_ASSERT_EQUAL(body(&r, "text/plain", STR("{\"a\":1}"), 1024, &why), 0);
	CU_ASSERT_PTR_NULL(r.json); /* other types stay raw */
	CU_ASSERT_EQUAL(r.form.n, 0);
	CU_ASSERT_EQUAL(body(&r, FORM, STR("0123456789abcdef"), 16, &why), 0);
	CU_ASSERT_EQUAL(body(&r, FORM, STR("0123456789abcdefg"), 16, &why), -1);
	ASSERT_CSTR(why, "request body too large");
}

static str nested(int depth)
{
	buf b;
	buf_init(&b, A, 0);
	for (int i = 0; i < depth; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < depth; i++)
		buf_putc(&b, ']');
	return buf_str(&b);
}

static void test_body_json(void)
{
	req r;
	const char *why;
	CU_ASSERT_EQUAL(body(&r, JSON, STR("{\"name\":\"x\",\"n\":2}"), 1024, &why), 0);
	CU_ASSERT(r.json && json_object_is_type(r.json, json_type_object));
	json_object *n = NULL;
	CU_ASSERT(r.json && json_object_object_get_ex(r.json, "n", &n) &&
	          json_object_get_int64(n) == 2);
	CU_ASSERT_EQUAL(body(&r, JSON, STR("{\"a\":1} \r\n\t"), 1024, &why), 0);
	CU_ASSERT_PTR_NOT_NULL(r.json);

	static const char *const malformed[] = {"{\"name\":", "{bad}", "]", "{\"a\":[1,2}"};
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		CU_ASSERT_EQUAL(body(&r, JSON, str_c(malformed[i]), 1024, &why), -1);
		ASSERT_CSTR(why, "malformed JSON body");
		CU_ASSERT_PTR_NULL(r.json);
	}
	CU_ASSERT_EQUAL(body(&r, JSON, STR("{\"a\":1} x"), 1024, &why), -1);
	ASSERT_CSTR(why, "trailing bytes after the JSON body");
	CU_ASSERT_EQUAL(body(&r, JSON, STR("{\"a\":1}{\"b\":2}"), 1024, &why), -1);
	CU_ASSERT_PTR_NULL(r.json);

	CU_ASSERT_EQUAL(body(&r, JSON, nested(32), 1024, &why), 0);
	CU_ASSERT_EQUAL(body(&r, JSON, nested(33), 1024, &why), -1);
	ASSERT_CSTR(why, "malformed JSON body");
	CU_ASSERT_EQUAL(body(&r, JSON, nested(5000), 1 << 20, &why), -1);

	CU_ASSERT_EQUAL(body(&r, JSON, STR("{\"a\":\"\xC3\x28\"}"), 1024, &why), -1);
	ASSERT_CSTR(why, "request body is not valid UTF-8");
	CU_ASSERT_EQUAL(body(&r, JSON, STR("{\"a\":\"\xED\xA0\x80\"}"), 1024, &why), -1);
	CU_ASSERT_EQUAL(body(&r, JSON, STR("{\"a\":\"0123456789\"}"), 16, &why), -1);
	ASSERT_CSTR(why, "request body too large");
}

/* Regression: when the arena is full, arena_defer frees the parsed tree
 * at once, and req_parse_body used to return 0 with r->json pointing at
 * it. Either fail, or hand out a live tree (the probe lets ASan tell). */
static void body_on_full_arena(void)
{
	arena *small = arena_new(4096);
	t_arena_fill(small);
	req r;
	memset(&r, 0, sizeof(r));
	r.content_type = STR("application/json");
	r.body = STR("{\"a\":1}");
	const char *why = NULL;
	if (req_parse_body(&r, small, &req_default_limits, &why) == 0 && r.json)
		(void)*(volatile char *)r.json;
	_exit(0);
}

static void test_regress_body_json_full_arena(void)
{
	CU_ASSERT_EQUAL(t_in_child(body_on_full_arena), 0);
}

/* Regression: "strict decoding" — json-c's default mode accepts trailing
 * commas and leading zeros, which no JSON client sends. */
static void test_regress_body_json_strict(void)
{
	req r;
	const char *why;
	static const char *const lenient[] = {"{\"a\":1,}", "{\"a\":[1,]}", "{\"qty\":007}"};
	for (size_t i = 0; i < sizeof(lenient) / sizeof(lenient[0]); i++) {
		CU_ASSERT_EQUAL(body(&r, JSON, str_c(lenient[i]), 1024, &why), -1);
		CU_ASSERT_PTR_NULL(r.json);
	}
}

static void test_content_length(void)
{
	req_limits lim = req_default_limits;
	lim.max_body = 100;
	static const struct {
		const char *env;
		long long want;
	} t[] = {
		{NULL, 0},
		{"CONTENT_LENGTH=", 0},
		{"CONTENT_LENGTH=12", 12},
		{"CONTENT_LENGTH=0", 0},
		{"CONTENT_LENGTH=100", 100},
		{"CONTENT_LENGTH=101", -1},
		{"CONTENT_LENGTH=-1", -1},
		{"CONTENT_LENGTH=abc", -1},
		{"CONTENT_LENGTH=+5", -1},
		{"CONTENT_LENGTH=5 ", -1},
		{"CONTENT_LENGTH=99999999999999999999", -1},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *env[] = {(char *)t[i].env, NULL};
		CU_ASSERT_EQUAL(req_content_length(env, &lim), t[i].want);
	}
}

/* Found by fuzz_search_es: a search without text hands utf8_valid the
 * query's empty view, whose pointer is NULL (search_query_init); NULL + 0
 * is undefined (clang's UBSan reports it; gcc's does not instrument it). */
static void test_regress_utf8_valid_empty_view_without_pointer(void)
{
	CU_ASSERT_TRUE(utf8_valid((str){NULL, 0}));
	CU_ASSERT_TRUE(utf8_valid((str){"", 0}));
	CU_ASSERT_FALSE(utf8_valid((str){"\xff", 1}));
}

void add_req_tests(void)
{
	CU_pSuite s = CU_add_suite("req", t_arena_setup, t_arena_teardown);
	CU_add_test(s, "utf8_valid", test_utf8);
	CU_add_test(s, "url_decode accepts", test_url_decode_ok);
	CU_add_test(s, "url_decode refuses", test_url_decode_refused);
	CU_add_test(s, "parse_urlencoded keeps order, skips empty pairs", test_urlencoded);
	CU_add_test(s, "parse_urlencoded limits and malformed input", test_urlencoded_refused);
	CU_add_test(s, "parse_cookies", test_cookies);
	CU_add_test(s, "req_from_env: method, path, query, headers, cookies", test_env_full);
	CU_add_test(s, "req_from_env: defaults and CGI fallback", test_env_defaults_and_cgi);
	CU_add_test(s, "req_from_env: header/path/query/param limits", test_env_limits);
	CU_add_test(s, "req_from_env: broken percent-encoding", test_env_bad_encoding);
	CU_add_test(s, "req_from_env: content type stripped, lower-cased", test_content_type);
	CU_add_test(s, "req_parse_body: empty, form, raw, limit", test_body_form_and_raw);
	CU_add_test(s, "req_parse_body: JSON", test_body_json);
	CU_add_test(s, "regress: JSON body on a full arena: no use-after-free", test_regress_body_json_full_arena);
	CU_add_test(s, "regress: JSON body parsed strictly", test_regress_body_json_strict);
	CU_add_test(s, "req_content_length", test_content_length);
	CU_add_test(s, "regress: utf8_valid of an empty view without a pointer",
	            test_regress_utf8_valid_empty_view_without_pointer);
}
