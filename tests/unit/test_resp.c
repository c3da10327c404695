/* test_resp: unit tests for lib/resp (headers, cookies, redirects, head). */
#include <string.h>

#include "http/resp.h"
#include "tests.h"

#define A t_a /* the suite's arena (t_arena_setup) */
static resp R;

static void fresh(void)
{
	arena_reset(A);
	resp_init(&R, A, 1024);
}

static void test_init(void)
{
	fresh();
	CU_ASSERT_EQUAL(R.status, 200);
	ASSERT_CSTR(R.content_type, "text/html; charset=utf-8");
	CU_ASSERT_EQUAL(R.headers.len, 0);
	CU_ASSERT_EQUAL(R.body.len, 0);
}

static void test_header_injection(void)
{
	fresh();
	CU_ASSERT_EQUAL(resp_header(&R, "X-A", STR("b")), 0);
	ASSERT_STR(buf_str(&R.headers), "X-A: b\r\n");
	CU_ASSERT_EQUAL(resp_header(&R, "X-B", STR("v\r\nSet-Cookie: evil=1")), -1);
	CU_ASSERT_EQUAL(resp_header(&R, "X-B", STR("v\nX: y")), -1);
	CU_ASSERT_EQUAL(resp_header(&R, "X-B", STR("v\rX: y")), -1);
	CU_ASSERT_EQUAL(resp_header(&R, "X-B", ((str){"a\0b", 3})), -1);
	CU_ASSERT_EQUAL(resp_header(&R, "X-B\r\nEvil", STR("1")), -1);
	ASSERT_STR(buf_str(&R.headers), "X-A: b\r\n"); /* nothing half-written */
	CU_ASSERT_EQUAL(resp_header(&R, "Cache-Control", STR("no-store")), 0);
	ASSERT_STR(buf_str(&R.headers), "X-A: b\r\nCache-Control: no-store\r\n");
}

static void test_cookie_attributes(void)
{
	fresh();
	cookie_opts o = {.max_age = 3600, .http_only = true, .same_site = "Lax", .path = "/"};
	CU_ASSERT_EQUAL(resp_cookie(&R, "sid", STR("abc123"), &o), 0);
	ASSERT_STR(buf_str(&R.headers),
	           "Set-Cookie: sid=abc123; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax\r\n");

	fresh();
	cookie_opts session = {.max_age = -1};
	CU_ASSERT_EQUAL(resp_cookie(&R, "cart", STR("9"), &session), 0);
	ASSERT_STR(buf_str(&R.headers), "Set-Cookie: cart=9; Path=/\r\n");

	fresh();
	cookie_opts del = {.max_age = 0, .same_site = "Strict", .path = "/account"};
	CU_ASSERT_EQUAL(resp_cookie(&R, "sid", STR(""), &del), 0);
	ASSERT_STR(buf_str(&R.headers), "Set-Cookie: sid=; Path=/account; Max-Age=0; SameSite=Strict\r\n");
}

static void test_cookie_bad_octets(void)
{
	fresh();
	cookie_opts o = {.max_age = -1, .http_only = true};
	static const char *const bad[] = {"a b", "a;b", "a,b", "a\"b", "a\\b", "\x7F", "caf\xC3\xA9",
	                                  "a\r\nSet-Cookie: x=1", "\t"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(resp_cookie(&R, "sid", str_c(bad[i]), &o), -1);
		CU_ASSERT_EQUAL(resp_cookie(&R, bad[i], STR("v"), &o), -1);
	}
	CU_ASSERT_EQUAL(resp_cookie(&R, "sid", (str){"a\0b", 3}, &o), -1);
	CU_ASSERT_EQUAL(R.headers.len, 0);
}

/* Regression: Path and SameSite are written into the header too; CR/LF
 * there splits the response and ';' smuggles attributes (Domain=). An
 * empty name is not a cookie. */
static void test_regress_cookie_attrs_validated(void)
{
	fresh();
	cookie_opts crlf = {.max_age = -1, .path = "/\r\nX-Evil: 1"};
	CU_ASSERT_EQUAL(resp_cookie(&R, "sid", STR("v"), &crlf), -1);
	cookie_opts semi = {.max_age = -1, .path = "/; Domain=evil.example"};
	CU_ASSERT_EQUAL(resp_cookie(&R, "sid", STR("v"), &semi), -1);
	cookie_opts ss = {.max_age = -1, .same_site = "Lax\r\nX-Evil: 1"};
	CU_ASSERT_EQUAL(resp_cookie(&R, "sid", STR("v"), &ss), -1);
	cookie_opts ok = {.max_age = -1};
	CU_ASSERT_EQUAL(resp_cookie(&R, "", STR("v"), &ok), -1);
	CU_ASSERT_PTR_NULL(strstr(R.headers.p, "X-Evil"));
}

static void test_redirect(void)
{
	fresh();
	buf_puts(&R.body, "stale");
	CU_ASSERT_EQUAL(resp_redirect(&R, 303, STR("/cart")), 0);
	CU_ASSERT_EQUAL(R.status, 303);
	ASSERT_STR(buf_str(&R.headers), "Location: /cart\r\n");
	ASSERT_CSTR(R.content_type, "text/plain; charset=utf-8");
	CU_ASSERT_EQUAL(R.body.len, 0);

	fresh();
	CU_ASSERT_EQUAL(resp_redirect(&R, 302, STR("/")), 0);
	CU_ASSERT_EQUAL(resp_redirect(&R, 302, STR("/search?next=//x")), 0);

	static const char *const bad[] = {"//evil.com", "http://x", "https://evil.com/", "\\x",
	                                  "/\\evil.com", "", "cart", "javascript:alert(1)",
	                                  "/cart\r\nSet-Cookie: x=1", " /cart"};
	fresh();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(resp_redirect(&R, 303, str_c(bad[i])), -1);
		if (R.headers.len)
			printf("\n  resp_redirect(\"%s\") accepted\n", bad[i]);
	}
	CU_ASSERT_EQUAL(R.status, 200);
	CU_ASSERT_EQUAL(R.headers.len, 0);
}

/* Regression: browsers drop TAB (and CR/LF) inside URLs, so "/\t/evil.com"
 * is followed as "//evil.com": an open redirect. */
static void test_regress_redirect_control_bytes(void)
{
	fresh();
	CU_ASSERT_EQUAL(resp_redirect(&R, 303, STR("/\t/evil.com")), -1);
	CU_ASSERT_EQUAL(resp_redirect(&R, 303, STR("/\\\t/evil.com")), -1);
	CU_ASSERT_EQUAL(resp_redirect(&R, 303, STR("/\x01/evil.com")), -1);
	CU_ASSERT_EQUAL(R.headers.len, 0);
	CU_ASSERT_EQUAL(R.status, 200);
}

static void test_head(void)
{
	fresh();
	R.status = 404;
	R.content_type = "application/json";
	buf_puts(&R.body, "{\"a\":1}");
	resp_header(&R, "X-A", STR("b"));
	buf out;
	buf_init(&out, A, 0);
	CU_ASSERT_EQUAL(resp_head(&R, &out), 0);
	ASSERT_STR(buf_str(&out), "Status: 404 Not Found\r\nContent-Type: application/json\r\n"
	                          "Content-Length: 7\r\nX-A: b\r\n\r\n");

	fresh();
	R.status = 204;
	R.content_type = NULL;
	buf_init(&out, A, 0);
	CU_ASSERT_EQUAL(resp_head(&R, &out), 0);
	ASSERT_STR(buf_str(&out), "Status: 204 No Content\r\nContent-Length: 0\r\n\r\n");

	fresh();
	buf_puts(&R.body, "caf\xC3\xA9"); /* bytes, not characters */
	buf_init(&out, A, 0);
	resp_head(&R, &out);
	ASSERT_STR(buf_str(&out), "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
	                          "Content-Length: 5\r\n\r\n");
}

static void test_csv(void)
{
	fresh();
	buf_puts(&R.body, "<p>half a page</p>");
	R.status = 400;
	CU_ASSERT_EQUAL(resp_csv(&R, "ledger.csv"), 0);
	CU_ASSERT_EQUAL(R.status, 200);
	ASSERT_CSTR(R.content_type, "text/csv; charset=utf-8");
	CU_ASSERT_EQUAL(R.body.len, 0); /* what was written before is gone */
	ASSERT_STR(buf_str(&R.headers), "Content-Disposition: attachment; filename=\"ledger.csv\"\r\n");

	fresh();
	CU_ASSERT_EQUAL(resp_csv(&R, NULL), 0); /* an API answer: no download */
	ASSERT_CSTR(R.content_type, "text/csv; charset=utf-8");
	CU_ASSERT_EQUAL(R.headers.len, 0);
	CU_ASSERT_EQUAL(resp_csv(&R, "a\"b.csv"), -1);
	CU_ASSERT_EQUAL(R.headers.len, 0);
}

static void test_reason(void)
{
	static const struct {
		int status;
		const char *want;
	} t[] = {
		{200, "OK"},           {201, "Created"},          {204, "No Content"},
		{301, "Moved Permanently"}, {302, "Found"},       {303, "See Other"},
		{304, "Not Modified"}, {400, "Bad Request"},      {401, "Unauthorized"},
		{403, "Forbidden"},    {404, "Not Found"},        {405, "Method Not Allowed"},
		{409, "Conflict"},     {413, "Payload Too Large"}, {414, "URI Too Long"},
		{415, "Unsupported Media Type"}, {422, "Unprocessable Entity"},
		{429, "Too Many Requests"}, {500, "Internal Server Error"},
		{503, "Service Unavailable"}, {299, "Unknown"},   {0, "Unknown"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ASSERT_CSTR(http_reason(t[i].status), t[i].want);
}

void add_resp_tests(void)
{
	CU_pSuite s = CU_add_suite("resp", t_arena_setup, t_arena_teardown);
	CU_add_test(s, "resp_init defaults", test_init);
	CU_add_test(s, "resp_csv: a CSV answer, a download when named", test_csv);
	CU_add_test(s, "resp_header refuses CR/LF/NUL", test_header_injection);
	CU_add_test(s, "resp_cookie attributes", test_cookie_attributes);
	CU_add_test(s, "resp_cookie refuses bad octets", test_cookie_bad_octets);
	CU_add_test(s, "regress: cookie Path/SameSite/name validated", test_regress_cookie_attrs_validated);
	CU_add_test(s, "resp_redirect: local paths only", test_redirect);
	CU_add_test(s, "regress: redirect refuses control bytes", test_regress_redirect_control_bytes);
	CU_add_test(s, "resp_head exact output", test_head);
	CU_add_test(s, "http_reason", test_reason);
}
