/* test_multipart: lib/http/multipart — fields and files as views into the body, binary content, every malformed shape refused. */
#include <string.h>

#include "http/multipart.h"
#include "tests.h"

static arena *A;

static int setup(void)
{
	A = arena_new(1 << 20);
	return A ? 0 : 1;
}

static int teardown(void)
{
	arena_free(A);
	return 0;
}

static int parse(const char *body, size_t n, size_t max_parts, kvlist *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	return multipart_parse(A, (str){body, n}, max_parts, out, why);
}

#define B "------b0undary"

static void test_fields_and_file(void)
{
	/* what a browser sends: a field, then a file whose bytes hold CR LF,
	 * NUL and a line one dash short of the delimiter */
	static const char body[] = "--" B "\r\n"
	                           "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	                           "abc123\r\n"
	                           "--" B "\r\n"
	                           "Content-Disposition: form-data; name=\"photo\"; filename=\"a b.jpg\"\r\n"
	                           "Content-Type: image/jpeg\r\n\r\n"
	                           "\xff\xd8\r\n-" B "x\0\r\n\xff\xd9\r\n"
	                           "--" B "--\r\n";
	kvlist f;
	const char *why;
	CU_ASSERT_EQUAL_FATAL(parse(body, sizeof body - 1, 8, &f, &why), 0);
	CU_ASSERT_EQUAL(f.n, 3);
	const str *csrf = kv_get(&f, "csrf"), *photo = kv_get(&f, "photo"), *fn = kv_get(&f, "photo_filename");
	CU_ASSERT_PTR_NOT_NULL_FATAL(csrf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(photo);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fn);
	CU_ASSERT(str_eq_c(*csrf, "abc123"));
	CU_ASSERT(str_eq_c(*fn, "a b.jpg"));
	static const char want[] = "\xff\xd8\r\n-" B "x\0\r\n\xff\xd9";
	CU_ASSERT_EQUAL(photo->len, sizeof want - 1);
	CU_ASSERT(memcmp(photo->p, want, sizeof want - 1) == 0);
	/* views into the body, not copies */
	CU_ASSERT(photo->p > body && photo->p + photo->len < body + sizeof body);
}

static void test_empty_file(void)
{
	static const char body[] = "--" B "\r\n"
	                           "Content-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n\r\n"
	                           "\r\n--" B "--";
	kvlist f;
	const char *why;
	CU_ASSERT_EQUAL_FATAL(parse(body, sizeof body - 1, 8, &f, &why), 0);
	const str *photo = kv_get(&f, "photo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(photo);
	CU_ASSERT_EQUAL(photo->len, 0);
}

static void test_refused(void)
{
	static const struct {
		const char *body, *why;
	} bad[] = {
		{"", "malformed multipart body"},
		{"abc", "malformed multipart body"},
		{"no delimiter here\r\n", "malformed multipart body"},
		/* the first line longer than "--" + 70 (RFC 2046's boundary) */
		{"--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
		 "Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--", "malformed multipart body"},
		/* headers never end */
		{"--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n", "malformed multipart body"},
		/* no closing delimiter: a truncated upload */
		{"--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxyz", "malformed multipart body"},
		/* a part without a name */
		{"--" B "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" B "--", "malformed multipart body"},
		/* an unterminated name="... */
		{"--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--" B "--", "malformed multipart body"},
		/* garbage after a delimiter */
		{"--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--" B "zz", "malformed multipart body"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kvlist f;
		const char *why;
		CU_ASSERT_EQUAL(parse(bad[i].body, strlen(bad[i].body), 8, &f, &why), -1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(why);
		CU_ASSERT_STRING_EQUAL(why, bad[i].why);
	}
}

static void test_too_many_parts(void)
{
	buf b;
	buf_init(&b, A, 0);
	for (int i = 0; i < 9; i++)
		buf_printf(&b, "--" B "\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n", i, i);
	buf_printf(&b, "--" B "--\r\n");
	kvlist f;
	const char *why;
	CU_ASSERT_EQUAL(parse(b.p, b.len, 8, &f, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "too many parts in the form");
	CU_ASSERT_EQUAL(parse(b.p, b.len, 9, &f, &why), 0);
	CU_ASSERT_EQUAL(f.n, 9);
	const str *v = kv_get(&f, "f8");
	CU_ASSERT(v && str_eq_c(*v, "8"));
}

void add_multipart_tests(void)
{
	CU_pSuite s = CU_add_suite("multipart", setup, teardown);
	CU_add_test(s, "a field and a binary file, as views", test_fields_and_file);
	CU_add_test(s, "an empty file part", test_empty_file);
	CU_add_test(s, "malformed bodies are refused", test_refused);
	CU_add_test(s, "more parts than allowed", test_too_many_parts);
}
