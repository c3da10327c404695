/* test_sx_rank: unit tests for lib/sx_rank (ts_rank and ts_rank_cd give
 * PostgreSQL's float4 values). */
#include <math.h>
#include <string.h>

#include "sx_pg_cases.h"
#include "search/sx/sx_rank.h"
#include "tests.h"

/* The same float4 as PostgreSQL (the brief allows 1e-6; the port is
 * exact, so a difference of one bit is reported). */
static int check(const char *what, const struct sx_expect *e, float got, float want)
{
	if (got == want)
		return 0;
	fprintf(stderr, "\n%s doc %d, %s: got %.9g, PostgreSQL %.9g\n", what, e->doc,
	        sx_queries[e->q], got, want);
	return 1;
}

/* Every (document, query) pair of the PostgreSQL cases: phrases across
 * fields, NOT, repeated lexemes, lexemes absent from the index, the
 * empty query; ts_rank on ts_filter(v, '{a,b}') with norm 0 and on the
 * whole document with norm 1, ts_rank_cd with norm 1 and 0. */
static void test_rank_like_postgres(void)
{
	int failures = 0;
	for (int i = 0; i < SX_NEXPECTED; i++) {
		const struct sx_expect *e = &sx_expected[i];
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, t_sx_ix, sx_queries[e->q], &q), SOUK_OK);
		const sx_doc *d = t_sx_cases_doc(e->doc + 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		failures += check("ts_rank {a,b} 0", e, sx_rank(sx_w15, d, SX_MASK_A | SX_MASK_B, &q, 0),
		                  e->rank_ab0);
		failures += check("ts_rank 1", e, sx_rank(sx_wb, d, SX_MASK_ALL, &q, 1), e->rank1);
		failures += check("ts_rank_cd 1", e, sx_rank_cd(sx_w15, d, &q, 1), e->cd1);
		failures += check("ts_rank_cd 0", e, sx_rank_cd(sx_wb, d, &q, 0), e->cd0);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

/* Spot checks whose numbers can be followed by hand. */
static void test_rank_known_values(void)
{
	sx_tsq q;
	const sx_doc *d = t_sx_cases_doc(8); /* 'black':1A 'leather':2A 'run':3A 'shoe':4A */
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, t_sx_ix, "'run' <-> 'shoe'", &q), SOUK_OK);
	/* one cover of two A positions, no noise: 2 / (1/1 + 1/1) */
	CU_ASSERT_EQUAL(sx_rank_cd(sx_wb, d, &q, 0), 1.0f);
	/* normalised by log(4 positions + 1) */
	CU_ASSERT(fabsf(sx_rank_cd(sx_wb, d, &q, 1) - (float)(1.0 / log(5.0))) < 1e-7f);
	/* the title-only pass of a document whose words are all in C: the
	 * filtered document is empty, so 0 (not 1e-20) */
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, t_sx_ix, "'run' & 'shoe'", &q), SOUK_OK);
	CU_ASSERT_EQUAL(sx_rank(sx_w15, d, SX_MASK_C, &q, 0), 0.0f);
	/* and when the words are missing from a non-empty document: 1e-20 */
	CU_ASSERT_EQUAL(sx_rank(sx_w15, t_sx_cases_doc(7), SX_MASK_ALL, &q, 0), 1e-20f);
	/* the empty query ranks 0 */
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, t_sx_ix, "", &q), SOUK_OK);
	CU_ASSERT_EQUAL(sx_rank(sx_w15, d, SX_MASK_ALL, &q, 0), 0.0f);
	CU_ASSERT_EQUAL(sx_rank_cd(sx_w15, d, &q, 1), 0.0f);
}

/* Negative weights mean PostgreSQL's defaults {0.1, 0.2, 0.4, 1}:
 * ts_rank_cd('{-1,-1,-1,-1}', 'black:1A leather:2A run:3A shoe:4A',
 * 'run <-> shoe') is 1 as with explicit weights; ts_rank with a C
 * document: PostgreSQL 15 gives 0.12158542 for
 * ts_rank('{-1,-1,-1,-1}', 'shoe:5C run:8C', 'shoe | run'). */
static void test_rank_default_weights(void)
{
	static const float neg[4] = {-1, -1, -1, -1};
	sx_index *x = sx_index_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL_FATAL(t_sx_put(x, 1, "'run':8C 'shoe':5C"), SOUK_OK);
	sx_tsq q;
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, x, "'shoe' | 'run'", &q), SOUK_OK);
	const sx_doc *d = sx_index_doc(x, sx_index_slot_of(x, 1));
	CU_ASSERT_EQUAL(sx_rank(neg, d, SX_MASK_ALL, &q, 0), 0.12158542f);
	sx_index_free(x);
}

void add_sx_rank_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_rank", t_sx_cases_setup, t_sx_cases_teardown);
	CU_add_test(s, "ts_rank and ts_rank_cd equal PostgreSQL's", test_rank_like_postgres);
	CU_add_test(s, "known values: covers, empty filter, 1e-20", test_rank_known_values);
	CU_add_test(s, "negative weights are PostgreSQL's defaults", test_rank_default_weights);
}
