/* test_arena: unit tests for lib/arena (alignment, growth, cap, cleanups). */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "tests.h"

/* Cleanups append their one-char tag here, so order is observable. */
static char ran[32];
static size_t nran;

static void tag(void *p)
{
	if (nran < sizeof(ran) - 1)
		ran[nran++] = *(const char *)p;
	ran[nran] = '\0';
}

static void ran_clear(void)
{
	nran = 0;
	ran[0] = '\0';
}

static void test_alignment(void)
{
	arena *a = arena_new(0);
	for (size_t n = 1; n <= 40; n++) {
		void *p = arena_alloc(a, n);
		CU_ASSERT_PTR_NOT_NULL(p);
		CU_ASSERT_EQUAL((uintptr_t)p % 16, 0);
	}
	CU_ASSERT_EQUAL((uintptr_t)arena_alloc(a, 0) % 16, 0);
	arena_free(a);
}

static void test_growth_past_block(void)
{
	arena *a = arena_new(0);
	char *p1 = arena_alloc(a, 10000);
	char *p2 = arena_alloc(a, 10000);  /* does not fit the first 16 KiB block */
	char *big = arena_alloc(a, 100000); /* larger than a block: its own block */
	CU_ASSERT(p1 && p2 && big);
	if (!(p1 && p2 && big)) {
		arena_free(a);
		return;
	}
	memset(p1, 'a', 10000);
	memset(p2, 'b', 10000);
	memset(big, 'c', 100000);
	CU_ASSERT(p1[0] == 'a' && p1[9999] == 'a');
	CU_ASSERT(p2[0] == 'b' && p2[9999] == 'b');
	CU_ASSERT(big[0] == 'c' && big[99999] == 'c');
	CU_ASSERT_EQUAL(arena_used(a), 120000);
	/* reset keeps only the first block: the next allocation reuses p1 */
	arena_reset(a);
	CU_ASSERT_EQUAL(arena_used(a), 0);
	CU_ASSERT_PTR_EQUAL(arena_alloc(a, 16), p1);
	arena_free(a);
}

static void test_cap_refusal(void)
{
	arena *a = arena_new(1024);
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(a, 1000)); /* 1008 after rounding */
	CU_ASSERT_PTR_NULL(arena_alloc(a, 17));       /* 1008 + 32 > 1024 */
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(a, 16));   /* exactly 1024 */
	CU_ASSERT_PTR_NULL(arena_alloc(a, 1));
	CU_ASSERT_PTR_NULL(arena_strdup(a, ""));
	CU_ASSERT_EQUAL(arena_used(a), 1024);
	arena_reset(a);
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(a, 1024));
	CU_ASSERT_PTR_NULL(arena_alloc(a, 1));
	arena_reset(a);
	CU_ASSERT_PTR_NULL(arena_alloc(a, 1025));
	CU_ASSERT_PTR_NULL(arena_alloc(a, SIZE_MAX));
	CU_ASSERT_PTR_NULL(arena_strndup(a, "x", SIZE_MAX));
	arena_free(a);
}

static void huge_uncapped_alloc(void)
{
	arena *a = arena_new(0);
	/* rounds to SIZE_MAX - 15: the block header then overflows size_t */
	void *p = arena_alloc(a, SIZE_MAX - 20);
	_exit(p == NULL ? 0 : 1);
}

/* Regression: arena_alloc must refuse a size whose block would overflow
 * size_t, not malloc a tiny block and hand out memory past its end. */
static void test_regress_huge_alloc_refused(void)
{
	CU_ASSERT_EQUAL(t_in_child(huge_uncapped_alloc), 0);
}

static void test_zalloc_zeroes(void)
{
	arena *a = arena_new(0);
	unsigned char *p = arena_alloc(a, 64);
	memset(p, 0xAA, 64);
	arena_reset(a);
	unsigned char *z = arena_zalloc(a, 64);
	CU_ASSERT_PTR_EQUAL(z, p); /* same bytes, dirty before */
	int nonzero = 0;
	for (int i = 0; i < 64; i++)
		nonzero += z[i] != 0;
	CU_ASSERT_EQUAL(nonzero, 0);
	arena_free(a);
}

static void test_strndup(void)
{
	arena *a = arena_new(0);
	char *s = arena_strndup(a, "hello world", 5);
	ASSERT_CSTR(s, "hello");
	const char raw[3] = {'x', 'y', 'z'}; /* not NUL-terminated */
	ASSERT_CSTR(arena_strndup(a, raw, 3), "xyz");
	ASSERT_CSTR(arena_strndup(a, "abc", 0), "");
	ASSERT_CSTR(arena_strdup(a, "dup"), "dup");
	arena_free(a);
}

static void test_defer_order(void)
{
	static const char k[] = "123ab";
	arena *a = arena_new(0);
	ran_clear();
	CU_ASSERT_EQUAL(arena_defer(a, tag, (void *)&k[0]), 0);
	CU_ASSERT_EQUAL(arena_defer(a, tag, (void *)&k[1]), 0);
	CU_ASSERT_EQUAL(arena_defer(a, tag, (void *)&k[2]), 0);
	CU_ASSERT_STRING_EQUAL(ran, ""); /* nothing runs early */
	arena_reset(a);
	CU_ASSERT_STRING_EQUAL(ran, "321");
	arena_reset(a);
	CU_ASSERT_STRING_EQUAL(ran, "321"); /* not run twice */
	ran_clear();
	arena_defer(a, tag, (void *)&k[3]);
	arena_defer(a, tag, (void *)&k[4]);
	arena_free(a);
	CU_ASSERT_STRING_EQUAL(ran, "ba");
	arena_free(NULL);
}

static void test_defer_at_cap(void)
{
	static const char x = 'x';
	arena *a = arena_new(64);
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(a, 64)); /* the arena is full */
	ran_clear();
	/* cleanup records do not count against the cap: callers keep using
	 * the object they deferred, so deferring must never fail */
	CU_ASSERT_EQUAL(arena_defer(a, tag, (void *)&x), 0);
	CU_ASSERT_STRING_EQUAL(ran, "");
	CU_ASSERT_PTR_NULL(arena_alloc(a, 1));
	arena_free(a);
	CU_ASSERT_STRING_EQUAL(ran, "x"); /* run once, at the end */
}

/* The records are outside the cap: deferring leaves the request all of
 * its bytes (it used to count them, refusing allocations sooner). */
static void test_defer_outside_cap(void)
{
	static const char y = 'y';
	arena *a = arena_new(64);
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(a, 32));
	ran_clear();
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(arena_defer(a, tag, (void *)&y), 0);
	CU_ASSERT_EQUAL(arena_used(a), 32);
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(a, 32)); /* the other half is still there */
	CU_ASSERT_PTR_NULL(arena_alloc(a, 1));
	CU_ASSERT_STRING_EQUAL(ran, "");
	arena_reset(a);
	CU_ASSERT_STRING_EQUAL(ran, "yyy");
	CU_ASSERT_PTR_NOT_NULL(arena_alloc(a, 64));
	arena_free(a);
}

static void test_used(void)
{
	arena *a = arena_new(0);
	CU_ASSERT_EQUAL(arena_used(a), 0);
	arena_alloc(a, 1);
	CU_ASSERT_EQUAL(arena_used(a), 16);
	arena_alloc(a, 17);
	CU_ASSERT_EQUAL(arena_used(a), 48);
	arena_strndup(a, "abc", 3);
	CU_ASSERT_EQUAL(arena_used(a), 64);
	arena_reset(a);
	CU_ASSERT_EQUAL(arena_used(a), 0);
	arena_free(a);
}

void add_arena_tests(void)
{
	CU_pSuite s = CU_add_suite("arena", NULL, NULL);
	CU_add_test(s, "alloc is 16-byte aligned", test_alignment);
	CU_add_test(s, "grows past a block; reset keeps the first", test_growth_past_block);
	CU_add_test(s, "cap refusal returns NULL", test_cap_refusal);
	CU_add_test(s, "regress: huge uncapped alloc refused", test_regress_huge_alloc_refused);
	CU_add_test(s, "zalloc zeroes reused memory", test_zalloc_zeroes);
	CU_add_test(s, "strndup copies n bytes + NUL", test_strndup);
	CU_add_test(s, "defer runs newest-first on reset and free", test_defer_order);
	CU_add_test(s, "defer at the cap still defers (never fails)", test_defer_at_cap);
	CU_add_test(s, "defer records are outside the cap and arena_used", test_defer_outside_cap);
	CU_add_test(s, "arena_used counts and resets", test_used);
}
