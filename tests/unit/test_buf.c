/* test_buf: unit tests for lib/buf (views, growable buffer, numbers, money). */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "tests.h"

static void test_views(void)
{
	arena *a = arena_new(0);
	CU_ASSERT_EQUAL(str_c("hello").len, 5);
	str n = str_c(NULL);
	CU_ASSERT_EQUAL(n.len, 0);
	CU_ASSERT_PTR_NOT_NULL(n.p);
	CU_ASSERT_TRUE(str_eq(STR("abc"), str_c("abc")));
	CU_ASSERT_FALSE(str_eq(STR("abc"), STR("abd")));
	CU_ASSERT_FALSE(str_eq(STR("abc"), STR("ab")));
	CU_ASSERT_TRUE(str_eq((str){NULL, 0}, STR("")));
	CU_ASSERT_TRUE(str_eq_c((str){"abcdef", 3}, "abc")); /* a view, not a C string */
	CU_ASSERT_FALSE(str_eq_c((str){"abcdef", 3}, "abcd"));
	CU_ASSERT_TRUE(str_starts(STR("/api/v1"), "/api/"));
	CU_ASSERT_FALSE(str_starts(STR("/ap"), "/api/"));
	CU_ASSERT_FALSE(str_starts((str){"/api/", 4}, "/api/"));
	CU_ASSERT_TRUE(str_starts(STR("x"), ""));
	ASSERT_CSTR(str_dup(a, (str){"abcdef", 3}), "abc");
	arena_free(a);
}

static void test_append_growth(void)
{
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 0);
	ASSERT_CSTR(b.p, "");
	CU_ASSERT_EQUAL(b.len, 0);
	int rc = 0;
	for (int i = 0; i < 1000; i++)
		rc |= buf_putc(&b, (char)('a' + i % 26));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(b.len, 1000);
	CU_ASSERT(b.cap > 1000);
	CU_ASSERT_EQUAL(b.p[0], 'a');
	CU_ASSERT_EQUAL(b.p[999], 'a' + 999 % 26);
	CU_ASSERT_EQUAL(b.p[1000], '\0');
	CU_ASSERT_EQUAL(buf_puts(&b, "xyz"), 0);
	CU_ASSERT_EQUAL(buf_printf(&b, "%d-%s", 42, "z"), 0);
	CU_ASSERT_EQUAL(b.len, 1007);
	ASSERT_CSTR(b.p + 999, "lxyz42-z");
	CU_ASSERT_EQUAL(buf_printf(&b, "%05000d", 7), 0); /* one call past the cap */
	CU_ASSERT_EQUAL(b.len, 6007);
	CU_ASSERT_EQUAL(b.p[6006], '7');
	CU_ASSERT_EQUAL(b.p[6007], '\0');
	CU_ASSERT_EQUAL(b.p[1007], '0');
	CU_ASSERT_EQUAL(buf_append(&b, "a\0b", 3), 0); /* binary-safe */
	CU_ASSERT_EQUAL(b.len, 6010);
	CU_ASSERT_EQUAL(memcmp(b.p + 6007, "a\0b", 4), 0);
	CU_ASSERT_EQUAL(buf_append(&b, NULL, 0), 0);
	arena_free(a);
}

static void test_max_refusal(void)
{
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 10);
	CU_ASSERT_EQUAL(buf_puts(&b, "hello"), 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "world"), 0); /* exactly max */
	CU_ASSERT_EQUAL(buf_putc(&b, '!'), -1);
	CU_ASSERT_TRUE(b.failed);
	ASSERT_STR(buf_str(&b), "helloworld");
	CU_ASSERT_EQUAL(b.p[b.len], '\0');
	CU_ASSERT_EQUAL(buf_puts(&b, ""), -1); /* failed sticks */
	CU_ASSERT_EQUAL(buf_printf(&b, "%s", ""), -1);
	buf_clear(&b);
	CU_ASSERT_FALSE(b.failed);
	CU_ASSERT_EQUAL(b.len, 0);
	ASSERT_CSTR(b.p, "");
	CU_ASSERT_EQUAL(buf_puts(&b, "abc"), 0);
	ASSERT_CSTR(b.p, "abc");

	buf_init(&b, a, 8);
	CU_ASSERT_EQUAL(buf_printf(&b, "%s", "123456789"), -1);
	CU_ASSERT_TRUE(b.failed);
	CU_ASSERT_EQUAL(b.len, 0);
	ASSERT_CSTR(b.p, "");
	buf_clear(&b); /* never grown: must not write to the shared "" */
	ASSERT_CSTR(b.p, "");
	arena_free(a);
}

static void test_arena_cap_refusal(void)
{
	arena *a = arena_new(300);
	buf b;
	buf_init(&b, a, 0);
	char chunk[201];
	memset(chunk, 'q', 200);
	chunk[200] = '\0';
	CU_ASSERT_EQUAL(buf_puts(&b, chunk), 0);        /* 256-byte buffer */
	CU_ASSERT_EQUAL(buf_puts(&b, chunk + 100), -1); /* 512 > cap 300 */
	CU_ASSERT_TRUE(b.failed);
	CU_ASSERT_EQUAL(b.len, 200);
	ASSERT_CSTR(b.p, chunk);
	arena_free(a);
}

static void test_str_to_i64(void)
{
	static const struct {
		const char *in;
		int64_t min, max;
		int rc;
		int64_t want;
	} t[] = {
		{"0", INT64_MIN, INT64_MAX, 0, 0},
		{"123", INT64_MIN, INT64_MAX, 0, 123},
		{"-45", INT64_MIN, INT64_MAX, 0, -45},
		{"007", INT64_MIN, INT64_MAX, 0, 7},
		{"9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX},
		{"-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN},
		{"9223372036854775808", INT64_MIN, INT64_MAX, -1, 0},
		{"-9223372036854775809", INT64_MIN, INT64_MAX, -1, 0},
		{"18446744073709551616", INT64_MIN, INT64_MAX, -1, 0},
		{"99999999999999999999", INT64_MIN, INT64_MAX, -1, 0},
		{"+5", INT64_MIN, INT64_MAX, -1, 0},
		{" 5", INT64_MIN, INT64_MAX, -1, 0},
		{"5 ", INT64_MIN, INT64_MAX, -1, 0},
		{"", INT64_MIN, INT64_MAX, -1, 0},
		{"-", INT64_MIN, INT64_MAX, -1, 0},
		{"--5", INT64_MIN, INT64_MAX, -1, 0},
		{"12a", INT64_MIN, INT64_MAX, -1, 0},
		{"1.5", INT64_MIN, INT64_MAX, -1, 0},
		{"0x10", INT64_MIN, INT64_MAX, -1, 0},
		{"1", 1, 10, 0, 1},
		{"10", 1, 10, 0, 10},
		{"0", 1, 10, -1, 0},
		{"11", 1, 10, -1, 0},
		{"-1", 0, 10, -1, 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t out = 12345;
		int rc = str_to_i64(str_c(t[i].in), t[i].min, t[i].max, &out);
		CU_ASSERT_EQUAL(rc, t[i].rc);
		CU_ASSERT_EQUAL(out, t[i].rc == 0 ? t[i].want : 12345); /* untouched on error */
		if (rc != t[i].rc)
			printf("\n  str_to_i64(\"%s\") = %d, want %d\n", t[i].in, rc, t[i].rc);
	}
	int64_t out = 0;
	CU_ASSERT_EQUAL(str_to_i64((str){"123456", 3}, 0, 1000, &out), 0); /* a view */
	CU_ASSERT_EQUAL(out, 123);
}

static void test_money(void)
{
	static const struct {
		int64_t cents;
		const char *want;
	} t[] = {
		{0, "0.00"},
		{5, "0.05"},
		{99, "0.99"},
		{100, "1.00"},
		{1234, "12.34"},
		{-1234, "-12.34"},
		{-5, "-0.05"},
		{INT64_MAX, "92233720368547758.07"},
		{INT64_MIN, "-92233720368547758.08"},
	};
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 0);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_clear(&b);
		CU_ASSERT_EQUAL(buf_money(&b, t[i].cents), 0);
		ASSERT_STR(buf_str(&b), t[i].want);
	}
	arena_free(a);
}

void add_buf_tests(void)
{
	CU_pSuite s = CU_add_suite("buf", NULL, NULL);
	CU_add_test(s, "str_c/str_eq/str_starts/str_dup", test_views);
	CU_add_test(s, "append/putc/puts/printf grow, NUL-terminated", test_append_growth);
	CU_add_test(s, "max refusal sets failed, keeps content; clear", test_max_refusal);
	CU_add_test(s, "arena cap refusal keeps content", test_arena_cap_refusal);
	CU_add_test(s, "str_to_i64", test_str_to_i64);
	CU_add_test(s, "buf_money", test_money);
}
