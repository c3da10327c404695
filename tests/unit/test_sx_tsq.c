/* test_sx_tsq: unit tests for lib/sx_tsq (parsing PostgreSQL's tsquery
 * text, @@ on one document with weight masks, @@ over the index). */
#include <stdlib.h>
#include <string.h>

#include "sx_pg_cases.h"
#include "search/sx/sx_tsq.h"
#include "tests.h"

static sx_tsq parse_ok(const char *text)
{
	sx_tsq q;
	int rc = sx_tsq_parse(t_a, t_sx_ix, text, &q);
	CU_ASSERT_EQUAL_FATAL(rc, SOUK_OK);
	return q;
}

/* The tree printed back the way PostgreSQL prints it (tsqueryout's
 * infix, with its parentheses), from the parsed nodes. */
static void print_node(buf *b, const sx_qnode *n, int parent, bool right_phrase)
{
	static const int prio[] = {[SX_Q_NOT] = 4, [SX_Q_PHRASE] = 3, [SX_Q_AND] = 2, [SX_Q_OR] = 1};
	if (n->op == SX_Q_VAL) {
		buf_putc(b, '\'');
		for (const char *p = n->text; *p; p++) {
			if (*p == '\'' || *p == '\\')
				buf_putc(b, *p);
			buf_putc(b, *p);
		}
		buf_putc(b, '\'');
		if (n->weights || n->prefix) {
			buf_putc(b, ':');
			if (n->prefix)
				buf_putc(b, '*');
			for (int w = 3; w >= 0; w--)
				if (n->weights & (1u << w))
					buf_putc(b, "DCBA"[w]);
		}
		return;
	}
	int p = prio[n->op];
	bool paren = p < parent || (n->op == SX_Q_PHRASE && right_phrase);
	if (paren)
		buf_puts(b, "( ");
	if (n->op == SX_Q_NOT) {
		buf_putc(b, '!');
		print_node(b, n->left, p, false);
	} else {
		print_node(b, n->left, p, false);
		if (n->op == SX_Q_PHRASE && n->distance != 1)
			buf_printf(b, " <%d> ", n->distance);
		else
			buf_puts(b, n->op == SX_Q_AND ? " & " : n->op == SX_Q_OR ? " | " : " <-> ");
		print_node(b, n->right, p, n->op == SX_Q_PHRASE);
	}
	if (paren)
		buf_puts(b, " )");
}

static const char *reprint(const sx_tsq *q)
{
	buf b;
	buf_init(&b, t_a, 0);
	if (q->root)
		print_node(&b, q->root, 0, false);
	return b.p ? b.p : "";
}

static void test_parse_precedence(void)
{
	sx_tsq q = parse_ok("'black' & 'run' <-> 'shoe' | !'leather'");
	/* | lowest, then &, then <->, ! highest */
	CU_ASSERT_EQUAL(q.root->op, SX_Q_OR);
	CU_ASSERT_EQUAL(q.root->left->op, SX_Q_AND);
	CU_ASSERT_EQUAL(q.root->left->right->op, SX_Q_PHRASE);
	CU_ASSERT_EQUAL(q.root->left->right->distance, 1);
	ASSERT_CSTR(q.root->left->right->left->text, "run");
	CU_ASSERT_EQUAL(q.root->right->op, SX_Q_NOT);
	ASSERT_CSTR(q.root->right->left->text, "leather");

	q = parse_ok("!'a' <-> 'b'");
	CU_ASSERT_EQUAL(q.root->op, SX_Q_PHRASE);
	CU_ASSERT_EQUAL(q.root->left->op, SX_Q_NOT);

	q = parse_ok("'a' <-> 'b' <-> 'c'"); /* (a <-> b) <-> c */
	CU_ASSERT_EQUAL(q.root->left->op, SX_Q_PHRASE);
	q = parse_ok("'a' <-> ( 'b' <-> 'c' )");
	CU_ASSERT_EQUAL(q.root->left->op, SX_Q_VAL);
	CU_ASSERT_EQUAL(q.root->right->op, SX_Q_PHRASE);

	q = parse_ok("'a' <2> 'b' <0> 'c'");
	CU_ASSERT_EQUAL(q.root->distance, 0);
	CU_ASSERT_EQUAL(q.root->left->distance, 2);
}

/* Every query text of the PostgreSQL cases, and a few more of
 * PostgreSQL's outputs, print back identically. */
static void test_parse_round_trip(void)
{
	static const char *const more[] = {
	    "!( 'a' <-> 'b' )",
	    "'a' <-> ( 'b' <-> 'c' )",
	    "( 'a' | 'b' ) & 'c'",
	    "!!'a'",
	    "'it''s' & 'b\\\\c'",
	    "'a':AB & 'b':D <-> 'c':C",
	    "( 't-shirt' & 'shirt' ) <-> 'black'",
	    "'a' <-> 'b' <-> ( 'c' | 'd' ) <3> !'e'",
	};
	for (int i = 0; i < SX_NQUERIES; i++) {
		sx_tsq q = parse_ok(sx_queries[i]);
		ASSERT_CSTR(reprint(&q), sx_queries[i]);
	}
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		sx_tsq q = parse_ok(more[i]);
		ASSERT_CSTR(reprint(&q), more[i]);
	}
}

static void test_parse_escapes_and_weights(void)
{
	sx_tsq q = parse_ok("'it''s' & 'b\\\\c':AB");
	ASSERT_CSTR(q.root->left->text, "it's");
	ASSERT_CSTR(q.root->right->text, "b\\c");
	CU_ASSERT_EQUAL(q.root->right->weights, SX_MASK_A | SX_MASK_B);
	CU_ASSERT_EQUAL(q.root->left->weights, 0);
	q = parse_ok("'x':d");
	CU_ASSERT_EQUAL(q.root->weights, SX_MASK_D);
}

static void test_parse_empty_and_bad(void)
{
	sx_tsq q = parse_ok(NULL);
	CU_ASSERT_PTR_NULL(q.root);
	CU_ASSERT_EQUAL(q.noperands, 0);
	q = parse_ok("");
	CU_ASSERT_PTR_NULL(q.root);
	q = parse_ok("  ");
	CU_ASSERT_PTR_NULL(q.root);
	static const char *const bad[] = {"'a' &", "( 'a'", "'a' )", "'a' <x> 'b'", "'a' <-",
	                                  "'a", "a", "'a' 'b'", "'a' <16385> 'b'", "!", "&'a'"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(sx_tsq_parse(t_a, t_sx_ix, bad[i], &q), SOUK_ERR);
	}
	/* prefix matching is not implemented: the SQL engine answers */
	CU_ASSERT_EQUAL(sx_tsq_parse(t_a, t_sx_ix, "'shoe' & 'bla':*", &q), SOUK_ERR);
}

/* operands: distinct, in SortAndUniqItems' order (bytes, then length) */
static void test_parse_operands(void)
{
	sx_tsq q = parse_ok("'shoe' & 'run' <-> 'shoe' | !'black' & 'runner' | 'shoe':A");
	CU_ASSERT_EQUAL_FATAL(q.noperands, 4);
	ASSERT_CSTR(q.operands[0]->text, "black");
	ASSERT_CSTR(q.operands[1]->text, "run");
	ASSERT_CSTR(q.operands[2]->text, "runner");
	ASSERT_CSTR(q.operands[3]->text, "shoe");
	CU_ASSERT_NOT_EQUAL(q.operands[3]->lex, SX_NONE);
	q = parse_ok("'absent' & 'shoe'");
	CU_ASSERT_EQUAL(q.operands[0]->lex, SX_NONE);
	CU_ASSERT_EQUAL(q.operands[1]->lex, sx_index_lexeme(t_sx_ix, "shoe", 4));
}

/* sx_tsq_match against PostgreSQL's v @@ q, ts_filter(v, '{a}') @@ q and
 * ts_filter(v, '{a,b}') @@ q. */
static void test_match_like_postgres(void)
{
	static const unsigned masks[3] = {SX_MASK_ALL, SX_MASK_A, SX_MASK_A | SX_MASK_B};
	int failures = 0;
	for (int i = 0; i < SX_NEXPECTED; i++) {
		const struct sx_expect *e = &sx_expected[i];
		sx_tsq q = parse_ok(sx_queries[e->q]);
		const sx_doc *d = t_sx_cases_doc(e->doc + 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		for (int m = 0; m < 3; m++) {
			bool got = sx_tsq_match(d, &q, masks[m]);
			if (got != (e->match[m] == 't')) {
				failures++;
				fprintf(stderr, "\nmatch: doc %d @@ %s (mask %x): got %d\n", e->doc,
				        sx_queries[e->q], masks[m], got);
			}
		}
	}
	CU_ASSERT_EQUAL(failures, 0);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The ids of q's matches over the whole index, ascending by slot and
 * every slot live; sorted by id for comparison. */
static int match_ids(const char *text, int64_t *ids, int max)
{
	sx_tsq q = parse_ok(text);
	sx_slot *s;
	uint32_t n;
	CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, t_sx_ix, &q, &s, &n), SOUK_OK);
	CU_ASSERT_FATAL((int)n <= max);
	for (uint32_t i = 0; i < n; i++) {
		if (i > 0)
			CU_ASSERT(s[i - 1] < s[i]);
		const sx_doc *d = sx_index_doc(t_sx_ix, s[i]);
		CU_ASSERT_FATAL(d && d->live);
		ids[i] = d->id;
	}
	qsort(ids, n, sizeof(int64_t), cmp_i64);
	return (int)n;
}

/* sx_tsq_match_all gives exactly the documents PostgreSQL matches:
 * phrases, NOT (top-level difference, pure negation), absent lexemes,
 * the empty query. */
static void test_match_all_like_postgres(void)
{
	for (int qi = 0; qi < SX_NQUERIES; qi++) {
		int64_t want[SX_NDOCS], got[SX_NDOCS + 8];
		int nwant = 0;
		for (int i = 0; i < SX_NEXPECTED; i++)
			if (sx_expected[i].q == qi && sx_expected[i].match[0] == 't')
				want[nwant++] = sx_expected[i].doc + 1;
		qsort(want, (size_t)nwant, sizeof(int64_t), cmp_i64);
		int ngot = match_ids(sx_queries[qi], got, SX_NDOCS + 8);
		bool same = ngot == nwant &&
		            memcmp(got, want, sizeof(int64_t) * (size_t)nwant) == 0;
		if (!same)
			fprintf(stderr, "\nmatch_all %s: %d, PostgreSQL %d\n", sx_queries[qi], ngot,
			        nwant);
		CU_ASSERT(same);
	}
}

static void test_match_all_counts(void)
{
	int64_t got[SX_NDOCS + 8];
	/* PostgreSQL: docs 1-5 and 8 have run <-> shoe (4 across C) */
	CU_ASSERT_EQUAL(match_ids("'run' <-> 'shoe'", got, SX_NDOCS + 8), 6);
	/* !'shoe': docs 6 (t-shirt) and 7 (lamp) */
	CU_ASSERT_EQUAL(match_ids("!'shoe'", got, SX_NDOCS + 8), 2);
	CU_ASSERT_EQUAL(got[0], 6);
	CU_ASSERT_EQUAL(got[1], 7);
	CU_ASSERT_EQUAL(match_ids("!'absent'", got, SX_NDOCS + 8), SX_NDOCS);
	CU_ASSERT_EQUAL(match_ids("'absent'", got, SX_NDOCS + 8), 0);
	CU_ASSERT_EQUAL(match_ids("'absent' <-> 'shoe'", got, SX_NDOCS + 8), 0);
	CU_ASSERT_EQUAL(match_ids("'shoe' | !'shoe'", got, SX_NDOCS + 8), SX_NDOCS);
	CU_ASSERT_EQUAL(match_ids("'shoe' & !'shoe'", got, SX_NDOCS + 8), 0);
	/* a phrase of negations only: every document is a candidate */
	CU_ASSERT_EQUAL(match_ids("!'lamp' <-> !'desk'", got, SX_NDOCS + 8), SX_NDOCS);

	sx_tsq q = parse_ok("");
	sx_slot *s = (sx_slot *)1;
	uint32_t n = 9;
	CU_ASSERT_EQUAL(sx_tsq_match_all(t_a, t_sx_ix, &q, &s, &n), SOUK_OK);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_FALSE(sx_tsq_match(t_sx_cases_doc(1), &q, SX_MASK_ALL));
}

/* A tiny deterministic generator for the index-wide comparisons. */
static uint32_t rnd_state = 12345;
static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static const char *const vocab[] = {"common", "half", "rare", "tiny", "mid", "x"};

/* 3000 documents where "common" is in all, "half" in every other one,
 * "rare" in 1 of 40 and "tiny" in 1 of 500 (so intersections take the
 * galloping path); every way of combining them matches the same
 * documents over the posting lists as one by one. */
static void test_match_all_equals_per_doc(void)
{
	sx_index *big = sx_index_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	for (int id = 1; id <= 3000; id++) {
		buf b;
		buf_init(&b, t_a, 0);
		buf_printf(&b, "'common':%uA,%uC", 1 + rnd(5), 10 + rnd(5));
		if (id % 2 == 0)
			buf_printf(&b, " 'half':%u%s", 1 + rnd(8), rnd(2) ? "A" : "B");
		if (id % 40 == 0)
			buf_printf(&b, " 'rare':%u,%uC", 1 + rnd(8), 20 + rnd(4));
		if (id % 500 == 7)
			buf_printf(&b, " 'tiny':%u", 1 + rnd(8));
		if (rnd(3) == 0)
			buf_printf(&b, " 'mid':%uB", 2 + rnd(6));
		CU_ASSERT_EQUAL_FATAL(t_sx_put(big, id, b.p), SOUK_OK);
	}
	static const char *const ops[] = {" & ", " | ", " <-> ", " <2> ", " & !"};
	int checked = 0, nonempty = 0;
	for (int t = 0; t < 400; t++) {
		buf b;
		buf_init(&b, t_a, 0);
		int nterms = 1 + (int)rnd(4);
		if (rnd(5) == 0)
			buf_putc(&b, '!');
		for (int i = 0; i < nterms; i++) {
			if (i > 0)
				buf_puts(&b, ops[rnd(5)]);
			bool paren = i > 0 && rnd(4) == 0;
			buf_printf(&b, "%s'%s'", paren ? "( " : "", vocab[rnd(6)]);
			if (paren)
				buf_printf(&b, "%s'%s' )", ops[rnd(5)], vocab[rnd(6)]);
		}
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, big, b.p, &q), SOUK_OK);
		sx_slot *s;
		uint32_t n, k = 0;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, big, &q, &s, &n), SOUK_OK);
		int bad = 0;
		for (sx_slot slot = 0; slot < sx_index_nslots(big); slot++) {
			const sx_doc *d = sx_index_doc(big, slot);
			if (!d || !d->live || !sx_tsq_match(d, &q, SX_MASK_ALL))
				continue;
			if (k >= n || s[k] != slot)
				bad++;
			k++;
		}
		if (bad || k != n)
			fprintf(stderr, "\n%s: postings %u, one by one %u\n", b.p, n, k);
		CU_ASSERT(bad == 0 && k == n);
		checked++;
		nonempty += n > 0;
	}
	CU_ASSERT_EQUAL(checked, 400);
	CU_ASSERT(nonempty > 100);
	sx_index_free(big);
}

/* A product replaced under the same id (new text) no longer matches its
 * old lexemes, through the postings or one by one. */
static void test_match_all_replaced_product(void)
{
	sx_index *x = sx_index_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL_FATAL(t_sx_put(x, 1, "'old':1A 'keep':2A"), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(t_sx_put(x, 2, "'old':1A"), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(t_sx_put(x, 1, "'new':1A 'keep':2A"), SOUK_OK);
	sx_tsq q;
	sx_slot *s;
	uint32_t n;
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, x, "'old'", &q), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, x, &q, &s, &n), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(sx_index_doc(x, s[0])->id, 2);
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, x, "'keep' & !'new'", &q), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, x, &q, &s, &n), SOUK_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(t_a, x, "!'old'", &q), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(sx_tsq_match_all(t_a, x, &q, &s, &n), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(sx_index_doc(x, s[0])->id, 1);
	sx_index_free(x);
}

void add_sx_tsq_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_tsq", t_sx_cases_setup, t_sx_cases_teardown);
	CU_add_test(s, "parse: PostgreSQL's precedence and grouping", test_parse_precedence);
	CU_add_test(s, "parse: PostgreSQL's outputs print back the same", test_parse_round_trip);
	CU_add_test(s, "parse: '' and backslash escapes, weights", test_parse_escapes_and_weights);
	CU_add_test(s, "parse: empty query; bad text and prefixes refused", test_parse_empty_and_bad);
	CU_add_test(s, "parse: operands distinct, in tsrank.c's order", test_parse_operands);
	CU_add_test(s, "match: as PostgreSQL's @@, with ts_filter masks", test_match_like_postgres);
	CU_add_test(s, "match_all: PostgreSQL's matches over the index", test_match_all_like_postgres);
	CU_add_test(s, "match_all: NOT, absent lexemes, empty query", test_match_all_counts);
	CU_add_test(s, "match_all equals one-by-one @@ on 3000 docs", test_match_all_equals_per_doc);
	CU_add_test(s, "match_all: a replaced product's old lexemes", test_match_all_replaced_product);
}
