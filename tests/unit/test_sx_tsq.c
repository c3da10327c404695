/* test_sx_tsq: tsquery text -> tree, and @@ on one document and over the
 * whole index, against what PostgreSQL 15 answers (sx_pg_cases.h). */
#include <stdlib.h>
#include <string.h>

#include "sx_pg_cases.h"
#include "sx_tsq.h"
#include "tests.h"

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

/* An index holding the documents of sx_pg_cases.h: document i is product
 * i + 1. */
static sx_index *pg_index(void)
{
	sx_index *ix = sx_index_new();
	for (int i = 0; i < SX_PG_NDOCS; i++)
		CU_ASSERT_EQUAL_FATAL(put(ix, i + 1, sx_pg_docs[i]), SOUK_OK);
	return ix;
}

static const sx_doc *pg_doc(const sx_index *ix, int i)
{
	sx_slot s = sx_index_slot_of(ix, i + 1);
	CU_ASSERT_FATAL(s != SX_NONE);
	return sx_index_doc(ix, s);
}

/* The tree printed back the way PostgreSQL prints a tsquery (every
 * operand's weights and prefix flag, parentheses around any operator
 * below another), to check the shape the parser built. */
static void show(buf *b, const sx_qnode *n, int parent_prio)
{
	static const int prio[] = {[SX_Q_VAL] = 5, [SX_Q_NOT] = 4, [SX_Q_PHRASE] = 3,
	                           [SX_Q_AND] = 2, [SX_Q_OR] = 1};
	if (n->op == SX_Q_VAL) {
		buf_printf(b, "'%s'", n->text);
		if (n->weights || n->prefix)
			buf_putc(b, ':');
		if (n->prefix)
			buf_putc(b, '*');
		for (int w = 3; w >= 0; w--)
			if (n->weights & (1u << w))
				buf_putc(b, (char)('A' + 3 - w));
		if (n->lex == SX_NONE)
			buf_puts(b, "?");
		return;
	}
	bool paren = parent_prio > 0 && n->op != SX_Q_NOT;
	if (paren)
		buf_puts(b, "(");
	if (n->op == SX_Q_NOT) {
		buf_puts(b, "!");
		show(b, n->left, prio[SX_Q_NOT]);
	} else {
		show(b, n->left, prio[n->op]);
		if (n->op == SX_Q_PHRASE)
			buf_printf(b, " <%u> ", (unsigned)n->distance);
		else
			buf_puts(b, n->op == SX_Q_AND ? " & " : " | ");
		show(b, n->right, prio[n->op]);
	}
	if (paren)
		buf_puts(b, ")");
}

static const char *parsed(const sx_index *ix, const char *text)
{
	sx_tsq q;
	if (sx_tsq_parse(t_a, ix, text, &q) != SOUK_OK)
		return "ERR";
	if (!q.root)
		return "EMPTY";
	buf b;
	buf_init(&b, t_a, 0);
	show(&b, q.root, 0);
	buf_puts(&b, " #");
	for (int i = 0; i < q.noperands; i++)
		buf_printf(&b, " %s", q.operands[i]->text);
	return b.p;
}

static void test_parse(void)
{
	sx_index *ix = sx_index_new();
	CU_ASSERT_EQUAL(put(ix, 1, "'a':1 'ab':2 'b':3 'c':4 'it''s':5 'x\\\\y':6"), SOUK_OK);
	/* precedence ! > <-> > & > |, equal operators group to the left */
	ASSERT_CSTR(parsed(ix, "'a' | 'b' & 'c'"), "'a' | ('b' & 'c') # a b c");
	ASSERT_CSTR(parsed(ix, "'a' & 'b' | 'c'"), "('a' & 'b') | 'c' # a b c");
	ASSERT_CSTR(parsed(ix, "'a' <-> 'b' & 'c'"), "('a' <1> 'b') & 'c' # a b c");
	ASSERT_CSTR(parsed(ix, "'a' & 'b' & 'c'"), "('a' & 'b') & 'c' # a b c");
	ASSERT_CSTR(parsed(ix, "'a' <-> 'b' <2> 'c'"), "('a' <1> 'b') <2> 'c' # a b c");
	ASSERT_CSTR(parsed(ix, "'a' <-> ( 'b' <-> 'c' )"), "'a' <1> ('b' <1> 'c') # a b c");
	ASSERT_CSTR(parsed(ix, "!'a' & 'b'"), "!'a' & 'b' # a b");
	ASSERT_CSTR(parsed(ix, "!( 'a' | 'b' )"), "!('a' | 'b') # a b");
	ASSERT_CSTR(parsed(ix, "!!'a'"), "!!'a' # a");
	ASSERT_CSTR(parsed(ix, "'a' <0> 'b' <16384> 'c'"), "('a' <0> 'b') <16384> 'c' # a b c");
	/* quoting as tsqueryout writes it; weights; unknown lexemes */
	ASSERT_CSTR(parsed(ix, "'it''s' & 'x\\\\y'"), "'it's' & 'x\\y' # it's x\\y");
	ASSERT_CSTR(parsed(ix, "'a':AB & 'b':d | 'zz':C"), "('a':AB & 'b':D) | 'zz':C? # a b zz");
	/* operands: tsCompareString order (bytes, then the shorter first),
	 * each once, as SortAndUniqItems leaves them */
	ASSERT_CSTR(parsed(ix, "'b' & 'ab' & 'b' | 'a' & 'c' & 'ab'"),
	            "(('b' & 'ab') & 'b') | (('a' & 'c') & 'ab') # a ab b c");
	/* empty query; prefixes and broken text are not ours to answer */
	ASSERT_CSTR(parsed(ix, ""), "EMPTY");
	ASSERT_CSTR(parsed(ix, "  "), "EMPTY");
	ASSERT_CSTR(parsed(ix, NULL), "EMPTY");
	ASSERT_CSTR(parsed(ix, "'a':* & 'b'"), "ERR");
	ASSERT_CSTR(parsed(ix, "'a':A* & 'b'"), "ERR");
	ASSERT_CSTR(parsed(ix, "'a' &"), "ERR");
	ASSERT_CSTR(parsed(ix, "'a"), "ERR");
	ASSERT_CSTR(parsed(ix, "( 'a'"), "ERR");
	ASSERT_CSTR(parsed(ix, "'a' 'b'"), "ERR");
	ASSERT_CSTR(parsed(ix, "'a' <x> 'b'"), "ERR");
	ASSERT_CSTR(parsed(ix, "'a' <16385> 'b'"), "ERR");
	sx_index_free(ix);
}

/* Every (document, query) pair, whole document and ts_filter'ed. */
static void test_match_pg(void)
{
	sx_index *ix = pg_index();
	int checked = 0;
	for (int k = 0; k < SX_PG_NCASES; k++) {
		const sx_pg_case *c = &sx_pg_cases[k];
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, sx_pg_queries[c->query], &q), SOUK_OK);
		const sx_doc *d = pg_doc(ix, c->doc);
		bool m = sx_tsq_match(d, &q, SX_MASK_ALL);
		bool ma = sx_tsq_match(d, &q, SX_MASK_A);
		bool mab = sx_tsq_match(d, &q, SX_MASK_A | SX_MASK_B);
		if (m != (bool)c->m || ma != (bool)c->ma || mab != (bool)c->mab)
			fprintf(stderr, "\n  doc %d query %d (%s): got %d %d %d, PostgreSQL %d %d %d", c->doc,
			        c->query, sx_pg_queries[c->query], m, ma, mab, c->m, c->ma, c->mab);
		CU_ASSERT_EQUAL(m, (bool)c->m);
		CU_ASSERT_EQUAL(ma, (bool)c->ma);
		CU_ASSERT_EQUAL(mab, (bool)c->mab);
		checked++;
	}
	CU_ASSERT_EQUAL(checked, SX_PG_NDOCS * SX_PG_NQUERIES);
	sx_index_free(ix);
}

/* sx_tsq_match_all over the index equals PostgreSQL's @@ row by row. */
static void test_match_all_pg(void)
{
	sx_index *ix = pg_index();
	for (int j = 0; j < SX_PG_NQUERIES; j++) {
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, sx_pg_queries[j], &q), SOUK_OK);
		sx_slot *got;
		uint32_t n;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, ix, &q, &got, &n), SOUK_OK);
		/* expected: the slots of the matching documents, ascending */
		bool want[64] = {false};
		uint32_t nwant = 0;
		for (int k = 0; k < SX_PG_NCASES; k++)
			if (sx_pg_cases[k].query == j && sx_pg_cases[k].m) {
				want[sx_index_slot_of(ix, sx_pg_cases[k].doc + 1)] = true;
				nwant++;
			}
		CU_ASSERT_EQUAL(n, nwant);
		if (n != nwant)
			fprintf(stderr, "\n  query %d (%s): %u slots, PostgreSQL %u", j, sx_pg_queries[j],
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

/* A replaced document answers with its new text only; stale postings
 * of its old lexemes are not matches. */
static void test_replaced(void)
{
	sx_index *ix = sx_index_new();
	CU_ASSERT_EQUAL(put(ix, 1, "'black':1A 'shoe':2A"), SOUK_OK);
	CU_ASSERT_EQUAL(put(ix, 2, "'black':1A 'boot':2A"), SOUK_OK);
	CU_ASSERT_EQUAL(put(ix, 1, "'red':1A 'shoe':2A"), SOUK_OK);
	const char *qs[] = {"'black'", "'black' & 'shoe'", "!'red'", "'black' | 'red'",
	                    "'black' <-> 'shoe'", "!'black' & 'shoe'"};
	const uint32_t want[] = {1, 0, 1, 2, 0, 1};
	for (int i = 0; i < 6; i++) {
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, qs[i], &q), SOUK_OK);
		sx_slot *got;
		uint32_t n;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, ix, &q, &got, &n), SOUK_OK);
		CU_ASSERT_EQUAL(n, want[i]);
		for (uint32_t k = 0; k < n; k++)
			CU_ASSERT_TRUE(sx_index_doc(ix, got[k])->live &&
			               sx_tsq_match(sx_index_doc(ix, got[k]), &q, SX_MASK_ALL));
	}
	sx_index_free(ix);
}

static uint32_t rnd_next(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*seed >> 33);
}

/* A bigger random index: match_all (postings, galloping, complements)
 * agrees with sx_tsq_match on every slot, itself checked against
 * PostgreSQL above. Lexeme k is in about 1 document in 2^k, so the
 * posting lists differ in size by orders of magnitude. */
static void test_match_all_random(void)
{
	sx_index *ix = sx_index_new();
	uint64_t seed = 42;
#define RND() rnd_next(&seed)
	const char *lex[] = {"l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "l10"};
	for (int id = 1; id <= 6000; id++) {
		buf b;
		buf_init(&b, t_a, 0);
		for (int k = 0; k < 11; k++) {
			if (RND() % (1u << (k < 9 ? k : 9)) != 0)
				continue;
			buf_printf(&b, "'%s':", lex[k]);
			/* distinct ascending positions, as a tsvector holds them */
			unsigned p = 0;
			int np = 1 + (int)(RND() % 3);
			for (int i = 0; i < np; i++) {
				p += 1 + RND() % 5;
				uint32_t w = RND() % 4;
				buf_printf(&b, "%s%u%s", i ? "," : "", p, (const char *[]){"A", "B", "C", ""}[w]);
			}
			buf_putc(&b, ' ');
		}
		CU_ASSERT_EQUAL_FATAL(put(ix, id, b.p ? b.p : ""), SOUK_OK);
	}
	for (int id = 1; id <= 6000; id += 7) /* replacements leave stale postings */
		CU_ASSERT_EQUAL_FATAL(put(ix, id, "'l0':3A 'l9':4A"), SOUK_OK);
#undef RND
	const char *qs[] = {
		"'l0' & 'l8'", "'l8' & 'l0'", "'l1' | 'l7'", "'l0' & !'l1'", "!'l1'", "!'l0' | 'l9'",
		"'l0' <-> 'l9'", "'l1' <2> 'l2'", "'l3' <-> !'l1'", "!'l2' <-> 'l3'",
		"'l0' & ( 'l5' | 'l6' ) & !'l2'", "'l0':A & 'l2':BC", "!( 'l0' <-> 'l1' )",
		"'l1' & 'l2' & 'l3' & 'l5'", "'l4' <-> 'l4'", "!'l1' & !'l2'", "'nope' | 'l9'",
		"'l0' & 'nope'", "!'nope'", "'l2' | 'l3' & !'l0'", "( 'l1' | !'l2' ) & 'l3'",
		"'l1' <-> ( 'l2' | 'l3' ) & 'l0'", "'l9' & 'l0' <0> 'l9'", "'l10' & 'l1'",
	};
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, ix, qs[i], &q), SOUK_OK);
		sx_slot *got;
		uint32_t n, k = 0;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, ix, &q, &got, &n), SOUK_OK);
		bool ok = true;
		for (sx_slot s = 0; s < sx_index_nslots(ix); s++) {
			const sx_doc *d = sx_index_doc(ix, s);
			if (!d->live || !sx_tsq_match(d, &q, SX_MASK_ALL))
				continue;
			if (k >= n || got[k] != s)
				ok = false;
			k++;
		}
		if (!ok || k != n)
			fprintf(stderr, "\n  %s: match_all %u, one by one %u", qs[i], n, k);
		CU_ASSERT_TRUE(ok && k == n);
		if (n == 0 && i != 17)
			fprintf(stderr, "\n  %s: no match, the test proves little", qs[i]);
		CU_ASSERT_TRUE(n > 0 || i == 17);
	}
	sx_index_free(ix);
}

void add_sx_tsq_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_tsq", t_arena_setup, t_arena_teardown);
	CU_add_test(s, "tsquery text -> tree, operands in ranking order", test_parse);
	CU_add_test(s, "@@ on one document as PostgreSQL (whole, {a}, {a,b})", test_match_pg);
	CU_add_test(s, "@@ over the index as PostgreSQL", test_match_all_pg);
	CU_add_test(s, "replaced documents", test_replaced);
	CU_add_test(s, "postings agree with one-by-one matching", test_match_all_random);
}
