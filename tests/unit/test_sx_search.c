/* test_sx_search: the memory engine on a small index built without
 * PostgreSQL (sx_index_put_for_test), with the free text's terms given
 * as statement search_parse would give them. Expected counts are worked
 * out by hand below; expected scores and first-pass ranks were computed
 * by PostgreSQL 15 with search.c's S_SCORE expression over the same
 * tsvectors (the SQL is in the comment at the top of the text tests). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/sx/sx_index.h"
#include "search/sx/sx_search.h"
#include "search/sx/sx_search_int.h"
#include "tests.h"

#define C t_c

static sx_index *ix;

/* Categories: Home(1) > Furniture(2) > Sofas(3); Home > Lamps(4);
 * Home > Outdoor(8); Garden(5) > Outdoor(7) (two categories, one slug). */
static int setup_failed; /* CUnit asserts are not allowed in a suite's setup */

static void put_cat(int64_t id, int64_t parent, const char *name, const char *slug,
                    const char *path)
{
	if (sx_index_put_category_for_test(ix, id, parent, name, slug, path) != SOUK_OK)
		setup_failed++;
}

static void put(int64_t id, int64_t cat, int64_t price, int rating10, int sales_rank,
                const char *brand, const char *colors, const char *sizes, bool in_stock,
                const char *tsv)
{
	const char *cv[4], *sv[4];
	int nc = 0, ns = 0;
	char cbuf[64], sbuf[64];
	snprintf(cbuf, sizeof(cbuf), "%s", colors);
	snprintf(sbuf, sizeof(sbuf), "%s", sizes);
	for (char *t = strtok(cbuf, ","); t; t = strtok(NULL, ","))
		cv[nc++] = t;
	for (char *t = strtok(sbuf, ","); t; t = strtok(NULL, ","))
		sv[ns++] = t;
	char ref[32], title[32];
	snprintf(ref, sizeof(ref), "REF-%lld", (long long)id);
	snprintf(title, sizeof(title), "Product %lld", (long long)id);
	sx_doc d;
	memset(&d, 0, sizeof(d));
	d.id = id;
	d.category_id = cat;
	d.price = price;
	d.created_at = id * 1000;
	d.sales_rank = sales_rank;
	d.rating_count = (int32_t)(id % 7);
	d.rating10 = (int16_t)rating10;
	d.live = true;
	d.in_stock = in_stock;
	d.ref = ref;
	d.title = title;
	d.image = "/img.png";
	if (sx_index_put_for_test(ix, &d, brand, cv, nc, sv, ns, tsv) != SOUK_OK)
		setup_failed++;
}

static int setup(void)
{
	t_ctx_setup();
	ix = sx_index_new();
	put_cat(1, 0, "Home", "home", "1");
	put_cat(2, 1, "Furniture", "furniture", "1.2");
	put_cat(3, 2, "Sofas", "sofas", "1.2.3");
	put_cat(4, 1, "Lamps", "lamps", "1.4");
	put_cat(5, 0, "Garden", "garden", "5");
	put_cat(7, 5, "Outdoor", "outdoor", "5.7");
	put_cat(8, 1, "Outdoor", "outdoor", "1.8");
	put(101, 3, 50000, 45, 5, "Acme", "red", "L", true, "'red':1A 'sofa':2A 'acm':3B 'comfort':4C");
	put(102, 3, 30000, 40, 3, "ACME", "blue", "M", true, "'blue':1A 'sofa':2A 'acm':3B");
	put(103, 4, -1, -1, 9, "Lumo", "red,white", "", true, "'sofa':1A 'lamp':2A 'lumo':3B 'red':5C");
	put(104, 5, 2000, 31, 1, "", "", "", false, "'garden':1A 'chair':2A 'sofa':4C");
	put(105, 8, 2500, 20, 2, "acme", "red", "", true, "'red':1A 'lamp':2A 'acm':3B");
	put(106, 7, 10000, 50, 7, "Zed", "green", "", true, "'outdoor':1A 'sofa':2A 'zed':3B");
	return setup_failed;
}

static int teardown(void)
{
	sx_index_free(ix);
	ix = NULL;
	sx_parse_cache_clear();
	return t_ctx_teardown();
}

static const search_range default_ranges[] = {
	{-1, 2500, NULL}, {2500, 5000, NULL}, {5000, 10000, NULL}, {10000, 20000, NULL},
	{20000, -1, NULL},
};

static void init(search_query *q)
{
	search_query_init(q);
	q->limit = 10;
}

/* Resolves q's category with the memory engine, then runs one pass. */
static int run(const search_query *q, const sx_terms *t, search_result *r)
{
	app_ctx_begin(C);
	search_engine e;
	sx_search_engine(ix, &e);
	search_scope sc;
	memset(&sc, 0, sizeof(sc));
	if (e.resolve(C, e.self, q, &sc) < 0)
		return SOUK_ERR;
	sc.ranges = q->nranges ? q->ranges : default_ranges;
	sc.nranges = q->nranges ? q->nranges : 5;
	return sx_search_run_terms(C, ix, q, &sc, t, r);
}

/* "101,102" from the hits */
static const char *ids(const search_result *r)
{
	static char s[256];
	size_t n = 0;
	s[0] = '\0';
	for (int i = 0; i < r->nhits; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%lld", i ? "," : "",
		                      (long long)r->hits[i].id);
	return s;
}

/* "value:count" of a facet */
static const char *facet(const search_bucket *b, int n)
{
	static char s[512];
	size_t k = 0;
	s[0] = '\0';
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(s + k, sizeof(s) - k, "%s%s%s:%lld", i ? "," : "", b[i].value,
		                      b[i].selected ? "*" : "", (long long)b[i].count);
	return s;
}

static const char *cats(const search_result *r)
{
	static char s[256];
	size_t k = 0;
	s[0] = '\0';
	for (int i = 0; i < r->ncategories; i++)
		k += (size_t)snprintf(s + k, sizeof(s) - k, "%s%lld %s:%lld", i ? "," : "",
		                      (long long)r->categories[i].id, r->categories[i].value,
		                      (long long)r->categories[i].count);
	return s;
}

static const char *prices(const search_result *r)
{
	static char s[256];
	size_t k = 0;
	s[0] = '\0';
	for (int i = 0; i < r->nprices; i++)
		k += (size_t)snprintf(s + k, sizeof(s) - k, "%s%lld", i ? "," : "",
		                      (long long)r->prices[i].count);
	return s;
}

static void test_listing_and_facets(void)
{
	search_query q;
	search_result r;
	init(&q);
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 6);
	ASSERT_CSTR(ids(&r), "104,105,102,101,106,103"); /* sales rank */
	/* acme: three spellings, shown as the smallest (C order) */
	ASSERT_CSTR(facet(r.brands, r.nbrands), "ACME:3,Lumo:1,Zed:1");
	ASSERT_CSTR(facet(r.colors, r.ncolors), "red:3,blue:1,green:1,white:1");
	ASSERT_CSTR(cats(&r), "1 Home:4,5 Garden:2");
	ASSERT_CSTR(facet(r.ratings, r.nratings), "4:3,3:4,2:5,1:5");
	ASSERT_CSTR(prices(&r), "1,1,0,1,2"); /* 103 has no price: no bucket */
	const search_hit *h = &r.hits[3];
	CU_ASSERT_EQUAL(h->id, 101);
	ASSERT_CSTR(h->ref, "REF-101");
	ASSERT_CSTR(h->title, "Product 101");
	ASSERT_CSTR(h->brand, "Acme");
	ASSERT_CSTR(h->image, "/img.png");
	CU_ASSERT_EQUAL(h->price, 50000);
	CU_ASSERT_DOUBLE_EQUAL(h->rating, 4.5, 1e-12);
	CU_ASSERT_EQUAL(h->rating_count, 101 % 7);
	CU_ASSERT_TRUE(h->in_stock);
	CU_ASSERT_EQUAL(h->sales_rank, 5);
	CU_ASSERT_EQUAL(h->score, 0);
	CU_ASSERT_EQUAL(r.hits[5].price, -1);
	CU_ASSERT_EQUAL(r.hits[5].rating, 0);

	q.facets = false;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 6);
	CU_ASSERT_EQUAL(r.nbrands + r.ncolors + r.ncategories + r.nratings + r.nprices, 0);
}

static void test_disjunctive_filters(void)
{
	search_query q;
	search_result r;
	init(&q);
	q.brands[q.nbrands++] = STR("acme");
	q.colors[q.ncolors++] = STR("RED");
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 2);
	ASSERT_CSTR(ids(&r), "105,101");
	/* the brand facet ignores the brand filter, keeps the colour one;
	 * its spelling is the smallest among the red products (not "ACME") */
	ASSERT_CSTR(facet(r.brands, r.nbrands), "Acme*:2,Lumo:1");
	ASSERT_CSTR(facet(r.colors, r.ncolors), "red*:2,blue:1");
	ASSERT_CSTR(cats(&r), "1 Home:2");

	init(&q);
	q.price_min = 2500;
	q.price_max = 30000;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "105,102,106"); /* no price: out */
	ASSERT_CSTR(prices(&r), "1,1,0,1,2");  /* ignores the price filter */
	ASSERT_CSTR(facet(r.ratings, r.nratings), "4:2,3:2,2:3,1:3");

	init(&q);
	q.rating_min = 4;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "102,101,106");
	ASSERT_CSTR(facet(r.ratings, r.nratings), "4*:3,3:4,2:5,1:5"); /* ignores its filter */
	ASSERT_CSTR(prices(&r), "0,0,0,1,2");

	init(&q);
	q.in_stock = true;
	q.sizes[q.nsizes++] = STR("L");
	q.sizes[q.nsizes++] = STR("XXL");
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "101");
	ASSERT_CSTR(facet(r.brands, r.nbrands), "Acme:1"); /* sizes are not disjunctive */

	init(&q);
	q.sizes[q.nsizes++] = STR("l"); /* sizes are exact */
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 0);
	ASSERT_CSTR(facet(r.ratings, r.nratings), "4:0,3:0,2:0,1:0");
	ASSERT_CSTR(prices(&r), "0,0,0,0,0");

	init(&q);
	q.brands[q.nbrands++] = STR("nobody");
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 0);
	ASSERT_CSTR(facet(r.brands, r.nbrands), "ACME:3,Lumo:1,Zed:1");
}

static void test_price_ranges(void)
{
	search_query q;
	search_result r;
	init(&q);
	/* overlapping, open at both ends (counts the product without a
	 * price), and an empty one */
	q.ranges[0] = (search_range){-1, -1, "all"};
	q.ranges[1] = (search_range){2000, 30001, NULL};
	q.ranges[2] = (search_range){2500, 2500, NULL};
	q.ranges[3] = (search_range){10000, -1, NULL};
	q.ranges[4] = (search_range){-1, 2001, NULL};
	q.nranges = 5;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(prices(&r), "6,4,0,3,1");
	ASSERT_CSTR(r.prices[0].key, "all");
	CU_ASSERT_EQUAL(r.prices[1].from, 2000);
	CU_ASSERT_EQUAL(r.prices[1].to, 30001);
}

static void test_categories(void)
{
	search_query q;
	search_result r;
	init(&q);
	q.category_id = 1;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 4);
	ASSERT_CSTR(ids(&r), "105,102,101,103");
	ASSERT_CSTR(cats(&r), "2 Furniture:2,4 Lamps:1,8 Outdoor:1");

	q.category_id = 2;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "102,101");
	ASSERT_CSTR(cats(&r), "3 Sofas:2");

	q.category_id = 3; /* a leaf: no children to count */
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 2);
	CU_ASSERT_EQUAL(r.ncategories, 0);

	q.category_id = 0;
	q.category_slug = "outdoor"; /* both categories of that slug */
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "105,106");

	q.category_slug = "nowhere"; /* nothing matches, no facets at all */
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 0);
	CU_ASSERT_EQUAL(r.nhits + r.nratings + r.nprices, 0);

	q.category_slug = NULL;
	q.category_id = 999;
	CU_ASSERT_EQUAL(run(&q, NULL, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 404);
	ASSERT_CSTR(C->err_msg, "no category with id 999");
}

static void test_sorts_and_pages(void)
{
	search_query q;
	search_result r;
	init(&q);
	q.sort = SEARCH_SORT_PRICE_ASC;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "104,105,106,102,101,103");
	q.sort = SEARCH_SORT_PRICE_DESC;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "101,102,106,105,104,103");
	q.sort = SEARCH_SORT_RATING;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "106,101,102,104,105,103");
	q.sort = SEARCH_SORT_NEWEST;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "106,105,104,103,102,101");
	q.offset = 2;
	q.limit = 3;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "104,103,102");
	q.offset = 5;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "101");
	q.offset = 6;
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.nhits, 0);
	CU_ASSERT_EQUAL(r.total, 6);
	q.offset = 0;
	q.limit = 0; /* facets and total only */
	CU_ASSERT_EQUAL_FATAL(run(&q, NULL, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.nhits, 0);
	CU_ASSERT_EQUAL(r.total, 6);
	CU_ASSERT_EQUAL(r.nbrands, 3);
}

/* PostgreSQL's values for the text tests (psql, PostgreSQL 15, with
 * extra_float_digits = 3), search.c's S_SCORE over the same tsvectors:
 *   SELECT id, 100 * COALESCE((d @@ andq)::int, 0) + COALESCE((SELECT
 *     sum(x.i * (CASE WHEN ts_filter(d, '{a}') @@ x.t THEN 3.000000::float8
 *     * 2.2 / ((160 + 4 * length(ts_filter(d, '{a}'))) / 100.0) WHEN
 *     ts_filter(d, '{b}') @@ x.t THEN 2.000000::float8 ELSE 1.000000::float8
 *     END + CASE WHEN ts_filter(d, '{a}') @@ x.t AND ts_filter(d, '{b}') @@
 *     x.t THEN 2.000000::float8 * 0.5 ELSE 0 END)) FROM unnest(terms, idfs)
 *     x(t, i) WHERE d @@ x.t), 0) + ts_rank_cd('{0,0.333333,0.666667,1}', d,
 *     tsq, 1) + (SELECT count(*) FROM unnest(bigrams) b WHERE ts_filter(d,
 *     '{a}') @@ b) + 2 * COALESCE((ts_filter(d, '{a}') @@ andq)::int, 0)
 *   FROM (VALUES (101, 'red:1A sofa:2A acm:3B comfort:4C'::tsvector), ...) */
typedef struct {
	int64_t id;
	double score;
} want_hit;

static void check_hits(const search_result *r, const want_hit *w, int n)
{
	CU_ASSERT_EQUAL_FATAL(r->nhits, n);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(r->hits[i].id, w[i].id);
		CU_ASSERT_DOUBLE_EQUAL(r->hits[i].score, w[i].score, 1e-9);
	}
}

static const char *sofa_terms[] = {"'sofa'"};
static const double sofa_idfs[] = {1.5};

static void test_text_one_word(void)
{
	search_query q;
	search_result r;
	sx_terms t = {"'sofa'", "'sofa'", "'sofa'", sofa_terms, sofa_idfs, 1, NULL, 0};
	init(&q);
	CU_ASSERT_EQUAL_FATAL(run(&q, &t, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 5);
	/* equal scores fall back on sales rank */
	const want_hit w[] = {{102, 108.6142046536718}, {106, 108.6142046536718},
	                      {101, 108.5141920532499}, {103, 108.5141920532499},
	                      {104, 101.74044892191887}};
	check_hits(&r, w, 5);
	ASSERT_CSTR(facet(r.brands, r.nbrands), "ACME:2,Lumo:1,Zed:1");

	/* another sort: score 0, the sort's order */
	q.sort = SEARCH_SORT_PRICE_ASC;
	CU_ASSERT_EQUAL_FATAL(run(&q, &t, &r), SOUK_OK);
	ASSERT_CSTR(ids(&r), "104,106,102,101,103");
	CU_ASSERT_EQUAL(r.hits[0].score, 0);

	/* a page of the relevance order */
	q.sort = SEARCH_SORT_RELEVANCE;
	q.offset = 1;
	q.limit = 2;
	CU_ASSERT_EQUAL_FATAL(run(&q, &t, &r), SOUK_OK);
	check_hits(&r, w + 1, 2);
}

static void test_text_and_relaxed(void)
{
	static const char *terms[] = {"'red'", "'sofa'"};
	static const double idfs[] = {2.0, 1.5};
	static const char *bigrams[] = {"'red' <-> 'sofa'"};
	sx_terms t = {"'red' & 'sofa'", "'red' & 'sofa'", "'red' | 'sofa'", terms, idfs, 2,
	              bigrams, 1};
	search_query q;
	search_result r;
	init(&q);
	CU_ASSERT_EQUAL_FATAL(run(&q, &t, &r), SOUK_OK);
	const want_hit w[] = {{101, 117.37133491039276}, {103, 107.97052394705159}};
	check_hits(&r, w, 2);

	t.tsq = "'red' | 'sofa'"; /* relaxed: any word; every word first */
	CU_ASSERT_EQUAL_FATAL(run(&q, &t, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 6);
	const want_hit w2[] = {{101, 117.99266982078552}, {103, 108.72130353110177},
	                       {105, 8.578490367957524}, {102, 6.61420465367181},
	                       {106, 6.61420465367181}, {104, 1.740448921918869}};
	check_hits(&r, w2, 6);
}

static void test_text_without(void)
{
	static const char *terms[] = {"'sofa'", "'red'"};
	static const double idfs[] = {1.5, -1.0};
	sx_terms t = {"'sofa'", "'sofa'", "'sofa'", terms, idfs, 2, NULL, 0};
	search_query q;
	search_result r;
	init(&q);
	CU_ASSERT_EQUAL_FATAL(run(&q, &t, &r), SOUK_OK);
	const want_hit w[] = {{102, 108.6142046536718}, {106, 108.6142046536718},
	                      {103, 107.5141920532499}, {101, 104.58562062467847},
	                      {104, 101.74044892191887}};
	check_hits(&r, w, 5);
}

static void test_text_nothing(void)
{
	search_query q;
	search_result r;
	init(&q);
	/* stop words only: tsq NULL matches nothing, the facets still count 0 */
	sx_terms t = {NULL, NULL, NULL, NULL, NULL, 0, NULL, 0};
	CU_ASSERT_EQUAL_FATAL(run(&q, &t, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 0);
	CU_ASSERT_EQUAL(r.nhits, 0);
	ASSERT_CSTR(facet(r.ratings, r.nratings), "4:0,3:0,2:0,1:0");
	CU_ASSERT_EQUAL(r.nprices, 5);
	/* a word no product has */
	sx_terms u = {"'zzz'", "'zzz'", "'zzz'", NULL, NULL, 0, NULL, 0};
	CU_ASSERT_EQUAL_FATAL(run(&q, &u, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 0);
}

static void test_unsupported(void)
{
	search_query q;
	search_result r;
	init(&q);
	sx_terms t = {"'sofa' & (", "'sofa'", "'sofa'", NULL, NULL, 0, NULL, 0};
	CU_ASSERT_EQUAL(run(&q, &t, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 501);
	ASSERT_CSTR(C->err_code, "unsupported");
	sx_terms u = {"'sof':*", "'sof':*", "'sof':*", NULL, NULL, 0, NULL, 0};
	CU_ASSERT_EQUAL(run(&q, &u, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 501);
}

/* A query whose match sets outgrow the request's arena (SOUK_ARENA_MAX)
 * answers 501, which sends the pools to the SQL engine; it was a 500
 * "out of memory" (30 common words at 1M). 20,000 documents hold the
 * same 8 words: one word fits a 512 KB arena, their OR (8 decoded lists
 * and the unions, ≈ 1.7 MB) does not, and fits an uncapped one. */
static void test_arena_outgrown(void)
{
	enum { N = 20000 };
	sx_index *big = sx_index_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	const char *tsv = "'w1':1 'w2':2 'w3':3 'w4':4 'w5':5 'w6':6 'w7':7 'w8':8";
	int bad = 0;
	for (int i = 0; i < N; i++)
		bad += t_sx_put(big, i + 1, tsv) != SOUK_OK;
	CU_ASSERT_EQUAL_FATAL(bad, 0);
	const char *words[] = {"'w1'", "'w2'", "'w3'", "'w4'", "'w5'", "'w6'", "'w7'", "'w8'"};
	const double idfs[] = {1, 1, 1, 1, 1, 1, 1, 1};
	const char *orq = "'w1' | 'w2' | 'w3' | 'w4' | 'w5' | 'w6' | 'w7' | 'w8'";
	const char *andq = "'w1' & 'w2' & 'w3' & 'w4' & 'w5' & 'w6' & 'w7' & 'w8'";
	sx_terms one = {"'w1'", "'w1'", "'w1'", words, idfs, 1, NULL, 0};
	sx_terms eight = {orq, andq, orq, words, idfs, 8, NULL, 0};
	search_query q;
	search_result r;
	init(&q);
	search_engine e;
	sx_search_engine(big, &e);
	ctx *small = t_ctx_new(512 * 1024);
	ctx *roomy = t_ctx_new(0);
	struct {
		ctx *c;
		const sx_terms *t;
		int want_rc, want_status;
	} cases[] = {{small, &one, SOUK_OK, 0}, {small, &eight, SOUK_ERR, 501},
	             {roomy, &eight, SOUK_OK, 0}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctx *c = cases[i].c;
		app_ctx_begin(c);
		search_scope sc;
		memset(&sc, 0, sizeof(sc));
		CU_ASSERT_EQUAL_FATAL(e.resolve(c, e.self, &q, &sc), SOUK_OK);
		sc.ranges = default_ranges;
		sc.nranges = 5;
		int rc = sx_search_run_terms(c, big, &q, &sc, cases[i].t, &r);
		CU_ASSERT_EQUAL(rc, cases[i].want_rc);
		if (rc == SOUK_OK) {
			CU_ASSERT_EQUAL(r.total, N);
		} else {
			CU_ASSERT_EQUAL(c->err_status, cases[i].want_status);
			ASSERT_CSTR(c->err_code, "unsupported");
			/* the matches', not the parser's: the one word parsed */
			CU_ASSERT_PTR_NOT_NULL(c->err_msg ? strstr(c->err_msg, "more memory") : NULL);
		}
	}
	app_ctx_free(small);
	app_ctx_free(roomy);
	sx_index_free(big);
}

static void test_pg_array(void)
{
	const char **v;
	int n;
	arena *t_a = C->a;
	CU_ASSERT_EQUAL(sx_pg_array(t_a, "{}", &v, &n), SOUK_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(sx_pg_array(t_a, "{'sofa',\"'red' & 'bed'\",\"a\\\"b\\\\c\",NULL,\"NULL\"}",
	                            &v, &n), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 5);
	ASSERT_CSTR(v[0], "'sofa'");
	ASSERT_CSTR(v[1], "'red' & 'bed'");
	ASSERT_CSTR(v[2], "a\"b\\c");
	CU_ASSERT_PTR_NULL(v[3]);
	ASSERT_CSTR(v[4], "NULL");
	CU_ASSERT_EQUAL(sx_pg_array(t_a, "{1.5,-0.25}", &v, &n), SOUK_OK);
	CU_ASSERT_EQUAL(n, 2);
	ASSERT_CSTR(v[1], "-0.25");
	CU_ASSERT_EQUAL(sx_pg_array(t_a, "sofa", &v, &n), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_pg_array(t_a, "{\"open", &v, &n), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_pg_array(t_a, "{a}b", &v, &n), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_pg_array(t_a, NULL, &v, &n), SOUK_ERR);
}

static void test_parse_cache(void)
{
	sx_parse_cache_clear();
	static const char *terms[] = {"'red'", "'sofa'"};
	static const double idfs[] = {2.0, 1.5};
	static const char *bigrams[] = {"'red' <-> 'sofa'"};
	sx_terms t = {"'red' & 'sofa'", NULL, "'red' | 'sofa'", terms, idfs, 2, bigrams, 1}, g;
	app_ctx_begin(C);
	CU_ASSERT_FALSE(sx_parse_cache_get(C, "red sofa", 0, &g));
	sx_parse_cache_put("red sofa", 0, &t);
	CU_ASSERT_FALSE(sx_parse_cache_get(C, "red sofa", 1, &g)); /* relaxed is in the key */
	CU_ASSERT_TRUE_FATAL(sx_parse_cache_get(C, "red sofa", 0, &g));
	ASSERT_CSTR(g.tsq, "'red' & 'sofa'");
	CU_ASSERT_PTR_NULL(g.andq);
	ASSERT_CSTR(g.orq, "'red' | 'sofa'");
	CU_ASSERT_EQUAL_FATAL(g.nterms, 2);
	ASSERT_CSTR(g.terms[1], "'sofa'");
	CU_ASSERT_EQUAL(g.idfs[0], 2.0);
	CU_ASSERT_EQUAL_FATAL(g.nbigrams, 1);
	ASSERT_CSTR(g.bigrams[0], "'red' <-> 'sofa'");
	CU_ASSERT(g.tsq != t.tsq); /* a copy in the arena */
	/* bounded: the least recently used go first */
	char key[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(key, sizeof(key), "w%d", i);
		sx_parse_cache_put(key, 0, &t);
		if (i % 100 == 0)
			CU_ASSERT_TRUE(sx_parse_cache_get(C, "w0", 0, &g)); /* kept fresh */
	}
	CU_ASSERT(sx_parse_cache_size() <= 2048);
	CU_ASSERT(sx_parse_cache_size() >= 2000);
	CU_ASSERT_TRUE(sx_parse_cache_get(C, "w0", 0, &g));
	CU_ASSERT_FALSE(sx_parse_cache_get(C, "w1", 0, &g));
	CU_ASSERT_TRUE(sx_parse_cache_get(C, "w2999", 0, &g));
	sx_parse_cache_clear();
	CU_ASSERT_EQUAL(sx_parse_cache_size(), 0);
}

/* Threads share the index and the cache: each runs searches in its own
 * context and must see the single-threaded answer. */
static void *worker(void *arg)
{
	int *bad = arg;
	ctx *c = t_ctx_new(0);
	sx_terms t = {"'sofa'", "'sofa'", "'sofa'", sofa_terms, sofa_idfs, 1, NULL, 0}, g;
	for (int i = 0; i < 200; i++) {
		app_ctx_begin(c);
		search_query q;
		init(&q);
		search_scope sc = {.depth = -1, .ranges = default_ranges, .nranges = 5};
		search_result r;
		char key[16];
		snprintf(key, sizeof(key), "k%d", i % 50);
		sx_parse_cache_put(key, 0, &t);
		if (sx_parse_cache_get(c, key, 0, &g) && strcmp(g.tsq, "'sofa'") != 0)
			(*bad)++;
		if (sx_search_run_terms(c, ix, &q, &sc, i % 2 ? &t : NULL, &r) < 0 ||
		    r.total != (i % 2 ? 5 : 6) || r.nbrands != 3)
			(*bad)++;
	}
	app_ctx_free(c);
	return NULL;
}

static void test_threads(void)
{
	pthread_t th[4];
	int bad[4] = {0};
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, worker, &bad[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(bad[i], 0);
	}
	sx_parse_cache_clear();
}

static void test_engine(void)
{
	search_engine e;
	sx_search_engine(ix, &e);
	ASSERT_CSTR(e.name, "memory");
	CU_ASSERT_PTR_EQUAL(e.self, ix);
	search_query q;
	init(&q);
	search_scope sc = {.depth = -1, .ranges = default_ranges, .nranges = 5};
	search_result r;
	app_ctx_begin(C);
	CU_ASSERT_EQUAL_FATAL(e.run_once(C, e.self, &q, &sc, NULL, 0, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 6);
	/* free text needs PostgreSQL (search_parse): the unit context has
	 * none, so the failure is the database's, recorded, not a crash */
	CU_ASSERT_EQUAL(e.run_once(C, e.self, &q, &sc, "sofa", 0, &r), SOUK_ERR);
	CU_ASSERT(C->err_status >= 500);
}

/* The first ranking pass picks the candidates (title and brand only):
 * a product matching in its description alone is not among the first
 * 200 of 206, so it is not a hit on page 1 even though its full score
 * (every word: +100) would put it first; a page deep enough makes it a
 * candidate and then it comes first, as the SQL statement does. */
static sx_index *wide;

static int wide_setup(void)
{
	t_ctx_setup();
	wide = sx_index_new();
	int bad = sx_index_put_category_for_test(wide, 1, 0, "All", "all", "1");
	for (int i = 0; i < 206; i++) {
		sx_doc d;
		memset(&d, 0, sizeof(d));
		d.id = 1000 + i;
		d.category_id = 1;
		d.price = 100;
		d.rating10 = 40;
		d.sales_rank = i == 205 ? 1 : 10 + i;
		d.live = d.in_stock = true;
		d.ref = d.title = d.image = "x";
		/* 60 brands: 26 with 4 products, 34 with 3; one spelt twice */
		char brand[16];
		snprintf(brand, sizeof(brand), i == 120 ? "BRAND%02d" : "Brand%02d", i % 60);
		bad |= sx_index_put_for_test(wide, &d, brand, NULL, 0, NULL, 0,
		                             i == 205 ? "'gadget':6C 'widget':5C" : "'widget':1A");
	}
	return bad;
}

static int wide_teardown(void)
{
	sx_index_free(wide);
	return t_ctx_teardown();
}

static void test_candidate_window(void)
{
	static const char *terms[] = {"'widget'", "'gadget'"};
	static const double idfs[] = {1.0, 1.0};
	sx_terms t = {"'widget' | 'gadget'", "'widget' & 'gadget'", "'widget' | 'gadget'", terms,
	              idfs, 2, NULL, 0};
	search_query q;
	search_result r;
	search_scope sc = {.depth = -1, .ranges = default_ranges, .nranges = 5};
	init(&q);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL_FATAL(sx_search_run_terms(C, wide, &q, &sc, &t, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, 206);
	CU_ASSERT_EQUAL_FATAL(r.nhits, 10);
	CU_ASSERT_EQUAL(r.hits[0].id, 1000); /* equal scores: sales rank */
	CU_ASSERT(r.hits[0].score > 0 && r.hits[0].score < 100);
	/* 60 brands, the first 50 by count then name */
	CU_ASSERT_EQUAL_FATAL(r.nbrands, 50);
	ASSERT_CSTR(r.brands[0].value, "BRAND00"); /* min(brand) of the group */
	CU_ASSERT_EQUAL(r.brands[0].count, 4);
	ASSERT_CSTR(r.brands[1].value, "Brand01");
	ASSERT_CSTR(r.brands[25].value, "Brand25");
	CU_ASSERT_EQUAL(r.brands[25].count, 4);
	ASSERT_CSTR(r.brands[26].value, "Brand26");
	CU_ASSERT_EQUAL(r.brands[26].count, 3);
	ASSERT_CSTR(r.brands[49].value, "Brand49");
	/* window 200: the description match is no candidate */
	q.offset = 100;
	q.limit = 100;
	CU_ASSERT_EQUAL_FATAL(sx_search_run_terms(C, wide, &q, &sc, &t, &r), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(r.nhits, 100);
	CU_ASSERT_EQUAL(r.hits[0].id, 1100);
	CU_ASSERT_EQUAL(r.hits[99].id, 1199);
	/* window 206: it is, and goes first, so the page shifts by one */
	q.offset = 106;
	CU_ASSERT_EQUAL_FATAL(sx_search_run_terms(C, wide, &q, &sc, &t, &r), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(r.nhits, 100);
	CU_ASSERT_EQUAL(r.hits[0].id, 1105);
	CU_ASSERT_EQUAL(r.hits[99].id, 1204);
}

/* Brand detection and the title holding every word (S_SCORE): "acme
 * drill" against the drill made by Acme (201: "acm" in the title and the
 * brand), a drill whose title names Acme but whose brand is Bolt (202: an
 * accessory or a compatible part, the same title otherwise), and a drill
 * that mentions Acme in its description only (203: every word, but not in
 * the title). Scores from PostgreSQL with the expression above. */
static sx_index *rk;

static int rk_setup(void)
{
	t_ctx_setup();
	rk = sx_index_new();
	int bad = sx_index_put_category_for_test(rk, 1, 0, "All", "all", "1");
	static const struct {
		int64_t id;
		const char *brand, *tsv;
	} docs[] = {{201, "Acme", "'acm':1A,3B 'drill':2A"},
	            {202, "Bolt", "'acm':1A 'drill':2A 'bolt':3B"},
	            {203, "Zed", "'drill':1A 'zed':2B 'acm':3C"}};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		sx_doc d;
		memset(&d, 0, sizeof(d));
		d.id = docs[i].id;
		d.category_id = 1;
		d.price = 100;
		d.rating10 = 40;
		d.sales_rank = 10 - (int32_t)i; /* ties would put 203 first */
		d.live = d.in_stock = true;
		d.ref = d.title = d.image = "x";
		bad |= sx_index_put_for_test(rk, &d, docs[i].brand, NULL, 0, NULL, 0, docs[i].tsv);
	}
	return bad;
}

static int rk_teardown(void)
{
	sx_index_free(rk);
	return t_ctx_teardown();
}

static void test_brand_and_title(void)
{
	static const char *terms[] = {"'acm'", "'drill'"};
	static const double idfs[] = {2.0, 1.5};
	static const char *bigrams[] = {"'acm' <-> 'drill'"};
	sx_terms t = {"'acm' & 'drill'", "'acm' & 'drill'", "'acm' | 'drill'", terms, idfs, 2,
	              bigrams, 1};
	search_query q;
	search_result r;
	search_scope sc = {.depth = -1, .ranges = default_ranges, .nranges = 5};
	init(&q);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL_FATAL(sx_search_run_terms(C, rk, &q, &sc, &t, &r), SOUK_OK);
	const want_hit w[] = {{201, 120.04842567443848},
	                      {202, 117.47134751081467},
	                      {203, 108.21692210944687}};
	check_hits(&r, w, 3);
	/* the brand's share: idf 2 x half the brand weight 2, the rest is
	 * ts_rank_cd reading 201's second (brand) position */
	CU_ASSERT(r.hits[0].score - r.hits[1].score > 2.0);
}

void add_sx_search_tests(void)
{
	CU_pSuite w = CU_add_suite("sx_search candidates", wide_setup, wide_teardown);
	CU_add_test(w, "first-pass window", test_candidate_window);
	CU_pSuite k = CU_add_suite("sx_search rank", rk_setup, rk_teardown);
	CU_add_test(k, "brand detection, every word in the title", test_brand_and_title);
	CU_pSuite s = CU_add_suite("sx_search", setup, teardown);
	CU_add_test(s, "listing and facets", test_listing_and_facets);
	CU_add_test(s, "disjunctive filters", test_disjunctive_filters);
	CU_add_test(s, "price ranges", test_price_ranges);
	CU_add_test(s, "categories", test_categories);
	CU_add_test(s, "sorts and pages", test_sorts_and_pages);
	CU_add_test(s, "text: one word", test_text_one_word);
	CU_add_test(s, "text: every word, relaxed", test_text_and_relaxed);
	CU_add_test(s, "text: without", test_text_without);
	CU_add_test(s, "text: nothing to match", test_text_nothing);
	CU_add_test(s, "unsupported -> 501", test_unsupported);
	CU_add_test(s, "a query outgrowing the arena -> 501", test_arena_outgrown);
	CU_add_test(s, "array literals", test_pg_array);
	CU_add_test(s, "parse cache", test_parse_cache);
	CU_add_test(s, "threads", test_threads);
	CU_add_test(s, "engine", test_engine);
}
