/* test_sx_pg_grid: sx_tsq and sx_rank against a grid of PostgreSQL 15.20
 * answers (sx_pg_grid.h): @@ on the whole document and ts_filter'ed to
 * {a} and {a,b}, match_all over the index, ts_rank and ts_rank_cd with
 * two weight sets and several normalisations, all bit for bit. */
#include <stdlib.h>
#include <string.h>

#include "sx_pg_grid.h"
#include "search/sx/sx_rank.h"
#include "search/sx/sx_tsq.h"
#include "tests.h"

static const float W1[4] = {0.1f, 0.2f, 0.4f, 1.0f};
/* search.c's shape: D 0 (never weighted), the others scaled to max 1 */
static const float W2[4] = {0.0f, 0.333333f, 0.5f, 1.0f};

static sx_doc cols(int64_t id)
{
	return (sx_doc){.id = id, .category_id = 1, .price = 100, .sales_rank = 1,
	                .in_stock = true, .ref = "R", .title = "T", .image = "I"};
}

static int put(sx_index *ix, int64_t id, const char *tsv)
{
	sx_doc d = cols(id);
	return sx_index_put_for_test(ix, &d, "", NULL, 0, NULL, 0, tsv);
}

/* An index holding the documents of sx_grid_cases.h: document i is product
 * i + 1. */
static sx_index *pg_index(void)
{
	sx_index *ix = sx_index_new();
	for (int i = 0; i < SX_GRID_NDOCS; i++)
		CU_ASSERT_EQUAL_FATAL(put(ix, i + 1, sx_grid_docs[i]), SOUK_OK);
	return ix;
}

static const sx_doc *pg_doc(const sx_index *ix, int i)
{
	sx_slot s = sx_index_slot_of(ix, i + 1);
	CU_ASSERT_FATAL(s != SX_NONE);
	return sx_index_doc(ix, s);
}

/* Every (document, query) pair, whole document and ts_filter'ed. */
static void test_match_pg(void)
{
	sx_index *ix = pg_index();
	int checked = 0;
	for (int k = 0; k < SX_GRID_NCASES; k++) {
		const sx_grid_case *c = &sx_grid_cases[k];
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, sx_grid_queries[c->query], &q), SOUK_OK);
		const sx_doc *d = pg_doc(ix, c->doc);
		bool m = sx_tsq_match(d, &q, SX_MASK_ALL);
		bool ma = sx_tsq_match(d, &q, SX_MASK_A);
		bool mab = sx_tsq_match(d, &q, SX_MASK_A | SX_MASK_B);
		if (m != (bool)c->m || ma != (bool)c->ma || mab != (bool)c->mab)
			fprintf(stderr, "\n  doc %d query %d (%s): got %d %d %d, PostgreSQL %d %d %d", c->doc,
			        c->query, sx_grid_queries[c->query], m, ma, mab, c->m, c->ma, c->mab);
		CU_ASSERT_EQUAL(m, (bool)c->m);
		CU_ASSERT_EQUAL(ma, (bool)c->ma);
		CU_ASSERT_EQUAL(mab, (bool)c->mab);
		checked++;
	}
	CU_ASSERT_EQUAL(checked, SX_GRID_NDOCS * SX_GRID_NQUERIES);
	sx_index_free(ix);
}

/* sx_tsq_match_all over the index equals PostgreSQL's @@ row by row. */
static void test_match_all_pg(void)
{
	sx_index *ix = pg_index();
	for (int j = 0; j < SX_GRID_NQUERIES; j++) {
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, sx_grid_queries[j], &q), SOUK_OK);
		sx_slot *got;
		uint32_t n;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, ix, &q, &got, &n), SOUK_OK);
		/* expected: the slots of the matching documents, ascending */
		bool want[64] = {false};
		uint32_t nwant = 0;
		for (int k = 0; k < SX_GRID_NCASES; k++)
			if (sx_grid_cases[k].query == j && sx_grid_cases[k].m) {
				want[sx_index_slot_of(ix, sx_grid_cases[k].doc + 1)] = true;
				nwant++;
			}
		CU_ASSERT_EQUAL(n, nwant);
		if (n != nwant)
			fprintf(stderr, "\n  query %d (%s): %u slots, PostgreSQL %u", j, sx_grid_queries[j],
			        n, nwant);
		for (uint32_t i = 0; i < n; i++) {
			CU_ASSERT_TRUE(got[i] < 64 && want[got[i]]);
			if (i)
				CU_ASSERT_TRUE(got[i - 1] < got[i]);
		}
	}
	/* the empty query matches nothing */
	sx_tsq q;
	CU_ASSERT_EQUAL(sx_tsq_parse(t_a, ix, "", &q), SOUK_OK);
	sx_slot *got = (sx_slot *)1;
	uint32_t n = 7;
	CU_ASSERT_EQUAL(sx_tsq_match_all(t_a, ix, &q, &got, &n), SOUK_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NULL(got);
	CU_ASSERT_FALSE(sx_tsq_match(pg_doc(ix, 0), &q, SX_MASK_ALL));
	sx_index_free(ix);
}

static int mismatches;

static void same(float got, const char *want, const sx_grid_case *c, const char *what)
{
	float w = strtof(want, NULL);
	if (got != w) {
		mismatches++;
		fprintf(stderr, "\n  doc %d query %d (%s) %s: got %.9g, PostgreSQL %s", c->doc, c->query,
		        sx_grid_queries[c->query], what, (double)got, want);
	}
	CU_ASSERT_EQUAL(got, w);
}

static void test_rank_pg(void)
{
	sx_index *ix = pg_index();
	mismatches = 0;
	for (int k = 0; k < SX_GRID_NCASES; k++) {
		const sx_grid_case *c = &sx_grid_cases[k];
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, sx_grid_queries[c->query], &q), SOUK_OK);
		const sx_doc *d = sx_index_doc(ix, sx_index_slot_of(ix, c->doc + 1));
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		same(sx_rank(W1, d, SX_MASK_A | SX_MASK_B, &q, 0), c->r_ab, c, "ts_rank {a,b}");
		same(sx_rank(W1, d, SX_MASK_ALL, &q, 0), c->r, c, "ts_rank");
		same(sx_rank(W1, d, SX_MASK_ALL, &q, 1), c->r1, c, "ts_rank norm 1");
		same(sx_rank(W2, d, SX_MASK_A | SX_MASK_B, &q, 0), c->r_ab2, c, "ts_rank W2 {a,b}");
		same(sx_rank_cd(W1, d, &q, 0), c->cd, c, "ts_rank_cd");
		same(sx_rank_cd(W1, d, &q, 1), c->cd1, c, "ts_rank_cd norm 1");
		same(sx_rank_cd(W2, d, &q, 1), c->cd2, c, "ts_rank_cd W2 norm 1");
		same(sx_rank_cd(W1, d, &q, 2 | 4 | 8 | 16 | 32), c->cd62, c, "ts_rank_cd norm 62");
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	sx_index_free(ix);
}

/* Hand-checked corner cases: the empty query and an empty document rank
 * 0; a negative weight means PostgreSQL's default for that weight. */
static void test_rank_edges(void)
{
	sx_index *ix = pg_index();
	const sx_doc *d0 = sx_index_doc(ix, sx_index_slot_of(ix, 1));
	const sx_doc *d5 = sx_index_doc(ix, sx_index_slot_of(ix, 6)); /* "" */
	sx_tsq empty, q;
	CU_ASSERT_EQUAL(sx_tsq_parse(t_a, ix, "", &empty), SOUK_OK);
	CU_ASSERT_EQUAL(sx_tsq_parse(t_a, ix, "'black' & 'shoe'", &q), SOUK_OK);
	CU_ASSERT_EQUAL(sx_rank(W1, d0, SX_MASK_ALL, &empty, 0), 0.0f);
	CU_ASSERT_EQUAL(sx_rank_cd(W1, d0, &empty, 1), 0.0f);
	CU_ASSERT_EQUAL(sx_rank(W1, d5, SX_MASK_ALL, &q, 0), 0.0f);
	CU_ASSERT_EQUAL(sx_rank_cd(W1, d5, &q, 1), 0.0f);
	const float dflt[4] = {-1, -1, -1, -1};
	CU_ASSERT_EQUAL(sx_rank(dflt, d0, SX_MASK_ALL, &q, 0), sx_rank(W1, d0, SX_MASK_ALL, &q, 0));
	CU_ASSERT_EQUAL(sx_rank_cd(dflt, d0, &q, 1), sx_rank_cd(W1, d0, &q, 1));
	sx_index_free(ix);
}

/* More operands than calc_rank_and keeps on the stack (16), far apart.
 * PostgreSQL 15.20: ts_rank('{0.1,0.2,0.4,1}', v, q) = 6.1506356e-14,
 * over ts_filter(v, '{a,b}') 3.1086245e-14, ts_rank_cd(.., 1)
 * 3.1128748e-05. */
static void test_rank_many_operands(void)
{
	sx_index *ix = sx_index_new();
	buf v, q;
	buf_init(&v, t_a, 0);
	buf_init(&q, t_a, 0);
	for (int i = 0; i < 18; i++) {
		buf_printf(&v, "%s'w%02d':%d%s", i ? " " : "", i, i * 150 + 1,
		           (const char *[]){"A", "B", "C", ""}[i % 4]);
		buf_printf(&q, "%s'w%02d'", i ? " & " : "", i);
	}
	sx_doc d = {.id = 1, .ref = "R", .title = "T", .image = "I"};
	CU_ASSERT_EQUAL_FATAL(sx_index_put_for_test(ix, &d, "", NULL, 0, NULL, 0, v.p), SOUK_OK);
	sx_tsq tq;
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, q.p, &tq), SOUK_OK);
	CU_ASSERT_EQUAL(tq.noperands, 18);
	const sx_doc *doc = sx_index_doc(ix, sx_index_slot_of(ix, 1));
	CU_ASSERT_TRUE(sx_tsq_match(doc, &tq, SX_MASK_ALL));
	CU_ASSERT_EQUAL(sx_rank(W1, doc, SX_MASK_ALL, &tq, 0), strtof("6.1506356e-14", NULL));
	CU_ASSERT_EQUAL(sx_rank(W1, doc, SX_MASK_A | SX_MASK_B, &tq, 0),
	                strtof("3.1086245e-14", NULL));
	CU_ASSERT_EQUAL(sx_rank_cd(W1, doc, &tq, 1), strtof("3.1128748e-05", NULL));
	sx_index_free(ix);
}

void add_sx_pg_grid_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_pg_grid", t_arena_setup, t_arena_teardown);
	CU_add_test(s, "@@ on one document as PostgreSQL (whole, {a}, {a,b})", test_match_pg);
	CU_add_test(s, "@@ over the index as PostgreSQL", test_match_all_pg);
	CU_add_test(s, "ts_rank / ts_rank_cd eight ways as PostgreSQL", test_rank_pg);
	CU_add_test(s, "empty query, empty document, default weights", test_rank_edges);
	CU_add_test(s, "more operands than calc_rank_and's stack arrays", test_rank_many_operands);
}
