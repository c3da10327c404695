/* test_sx_pghash: hashtextextended() computed here gives PostgreSQL's
 * values (the reconciliation XORs the server's against the index's). */
#include <string.h>

#include "search/sx/sx_pghash.h"
#include "tests.h"

/* Expected values printed by PostgreSQL 15.20 (x86_64, C.UTF-8):
 * SELECT hashtextextended(text, seed). Lengths 0, 1, 7, 11, 12, 19, 25
 * and 30 cover the tail's every word and the 12-byte rounds; seeds 0
 * (none), 1, -1 and the extremes. */
static void test_hashtext(void)
{
	static const struct {
		const char *text;
		int64_t seed;
		int64_t want;
	} cases[] = {
		{"", 0, INT64_C(-6939563903564495251)},
		{"", 1, INT64_C(-150071773020461347)},
		{"a", 0, INT64_C(3591986179850072241)},
		{"740/740", 1, INT64_C(-8798374615955977698)},
		{"12345678/9876543210", 1000000, INT64_C(-7144234868822918454)},
		{"4294967295/18446744073709551615", INT64_MAX, INT64_C(-695660228886677988)},
		{"abcdefghijk", -1, INT64_C(2833918571160852060)},
		{"abcdefghijkl", 5, INT64_C(-2285050236391377581)},
		{"0123456789012345678901234", 77, INT64_C(-3831955516437036861)},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t got = sx_pg_hashtext(cases[i].text, strlen(cases[i].text),
		                              (uint64_t)cases[i].seed);
		CU_ASSERT_EQUAL(got, (uint64_t)cases[i].want);
		if (got != (uint64_t)cases[i].want)
			fprintf(stderr, "hashtextextended('%s', %lld): %lld\n", cases[i].text,
			        (long long)cases[i].seed, (long long)got);
	}
	/* unaligned keys hash the same (PostgreSQL has two paths for them) */
	char buf[40];
	memcpy(buf + 1, "abcdefghijkl", 12);
	CU_ASSERT_EQUAL(sx_pg_hashtext(buf + 1, 12, 5), (uint64_t)INT64_C(-2285050236391377581));
}

/* sx_index_load.c's SX_VER from the raw xmin and search_xid: the demo
 * catalog's first rows, SELECT p.id, p.xmin, p.search_xid,
 * hashtextextended(p.xmin::text || '/' || p.search_xid::text, p.id). */
static void test_row_version(void)
{
	CU_ASSERT_EQUAL(sx_pg_row_version(753, 753, 1), (uint64_t)INT64_C(-5415947622388381880));
	CU_ASSERT_EQUAL(sx_pg_row_version(753, 753, 2), (uint64_t)INT64_C(-4734797083934921022));
	CU_ASSERT_EQUAL(sx_pg_row_version(753, 753, 3), (uint64_t)INT64_C(-4621288665200838263));
	/* the widest of both: '4294967295/18446744073709551615' */
	CU_ASSERT_EQUAL(sx_pg_row_version(UINT32_MAX, UINT64_MAX, INT64_MAX),
	                (uint64_t)INT64_C(-695660228886677988));
	CU_ASSERT_EQUAL(sx_pg_row_version(740, 740, 1), (uint64_t)INT64_C(-8798374615955977698));
}

void add_sx_pghash_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_pghash", NULL, NULL);
	CU_add_test(s, "hashtextextended: PostgreSQL's values at every tail length", test_hashtext);
	CU_add_test(s, "a row's version from xmin and search_xid, as SX_VER", test_row_version);
}
