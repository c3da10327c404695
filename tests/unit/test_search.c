/* test_search: lib/search query parsing and validation, the cache key and
 * result encoding; with SOUK_TEST_DATABASE_URL, searches on the live
 * catalog checked against SQL counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shop/catalog.h"
#include "store/db.h"
#include "search/search_frame.h"
#include "search/search_int.h"
#include "tests.h"

#define C t_c /* the suite's context (t_ctx_setup): no reachable db/redis */

/* A fresh request whose query string is q. */
static void with_query(const char *q)
{
	app_ctx_begin(C);
	buf b;
	buf_init(&b, C->a, 0);
	buf_printf(&b, "REQUEST_URI=/search?%s", q);
	char *env[] = {b.p, NULL};
	CU_ASSERT_EQUAL(t_req(C, env, NULL), 0);
}

static void assert_400(const char *msg)
{
	CU_ASSERT_EQUAL(C->err_status, 400);
	ASSERT_CSTR(C->err_code, "bad_request");
	ASSERT_CSTR(C->err_msg, msg);
}

static int parse(const char *qs, search_query *q, int64_t *page, int64_t *per_page)
{
	with_query(qs);
	return search_query_from_params(C, q, page, per_page);
}

static void test_init_defaults(void)
{
	search_query q;
	memset(&q, 0x5a, sizeof(q));
	search_query_init(&q);
	CU_ASSERT_EQUAL(q.q.len, 0);
	CU_ASSERT_DOUBLE_EQUAL(q.w.title, 3, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(q.w.brand, 2, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(q.w.description, 1, 1e-9);
	CU_ASSERT_EQUAL(q.price_min, -1);
	CU_ASSERT_EQUAL(q.price_max, -1);
	CU_ASSERT_EQUAL(q.sort, SEARCH_SORT_RELEVANCE);
	CU_ASSERT_EQUAL(q.limit, 20);
	CU_ASSERT_EQUAL(q.offset, 0);
	CU_ASSERT_TRUE(q.facets);
	CU_ASSERT_FALSE(q.in_stock);
	CU_ASSERT_FALSE(q.no_cache);
	CU_ASSERT_EQUAL(q.nbrands + q.ncolors + q.nsizes + q.nranges, 0);
	CU_ASSERT_PTR_NULL(q.category_slug);
	ASSERT_CSTR(search_sort_names[SEARCH_SORT_PRICE_DESC], "price_desc");
	CU_ASSERT_PTR_NULL(search_sort_names[SEARCH_SORT_NEWEST + 1]);
}

static void test_params(void)
{
	search_query q;
	int64_t page = 0, per = 0;
	CU_ASSERT_EQUAL(parse("q=red+sofa&category=18&brand=DHP&brand=&brand=Bestar&color=Grey"
	                      "&size=M&size=L&price_min=1000&price_max=5000&in_stock=1"
	                      "&rating_min=4&sort=price_asc&page=3&per_page=10&unknown=x",
	                      &q, &page, &per),
	                SOUK_OK);
	CU_ASSERT_EQUAL(C->err_status, 0);
	ASSERT_STR(q.q, "red sofa");
	CU_ASSERT_EQUAL(q.category_id, 18);
	CU_ASSERT_EQUAL(q.nbrands, 2); /* the empty value is ignored */
	ASSERT_STR(q.brands[0], "DHP");
	ASSERT_STR(q.brands[1], "Bestar");
	CU_ASSERT_EQUAL(q.ncolors, 1);
	ASSERT_STR(q.colors[0], "Grey");
	CU_ASSERT_EQUAL(q.nsizes, 2);
	CU_ASSERT_EQUAL(q.price_min, 1000);
	CU_ASSERT_EQUAL(q.price_max, 5000);
	CU_ASSERT_TRUE(q.in_stock);
	CU_ASSERT_EQUAL(q.rating_min, 4);
	CU_ASSERT_EQUAL(q.sort, SEARCH_SORT_PRICE_ASC);
	CU_ASSERT_EQUAL(page, 3);
	CU_ASSERT_EQUAL(per, 10);
	CU_ASSERT_EQUAL(q.limit, 10);
	CU_ASSERT_EQUAL(q.offset, 20);

	CU_ASSERT_EQUAL(parse("", &q, &page, &per), SOUK_OK);
	CU_ASSERT_EQUAL(page, 1);
	CU_ASSERT_EQUAL(per, 20);
	CU_ASSERT_EQUAL(q.offset, 0);
	CU_ASSERT_FALSE(q.in_stock);
	CU_ASSERT_EQUAL(parse("in_stock=false", &q, &page, &per), SOUK_OK);
	CU_ASSERT_FALSE(q.in_stock);
	CU_ASSERT_EQUAL(parse("in_stock=true", &q, &page, &per), SOUK_OK);
	CU_ASSERT_TRUE(q.in_stock);
}

static void test_params_bad(void)
{
	search_query q;
	int64_t page, per;
	CU_ASSERT_EQUAL(parse("per_page=101", &q, &page, &per), SOUK_ERR);
	assert_400("per_page must be an integer from 1 to 100");
	CU_ASSERT_EQUAL(parse("per_page=0", &q, &page, &per), SOUK_ERR);
	assert_400("per_page must be an integer from 1 to 100");
	CU_ASSERT_EQUAL(parse("sort=cheapest", &q, &page, &per), SOUK_ERR);
	assert_400("sort must be one of: relevance, price_asc, price_desc, rating, newest");
	CU_ASSERT_EQUAL(parse("in_stock=yes", &q, &page, &per), SOUK_ERR);
	assert_400("in_stock must be 1, true, 0 or false");
	CU_ASSERT_EQUAL(parse("price_min=12.50", &q, &page, &per), SOUK_ERR);
	assert_400("price_min must be an integer from 0 to 1000000000");
	CU_ASSERT_EQUAL(parse("rating_min=6", &q, &page, &per), SOUK_ERR);
	assert_400("rating_min must be an integer from 0 to 5");
	CU_ASSERT_EQUAL(parse("category=shoes", &q, &page, &per), SOUK_ERR);
	assert_400("category must be a positive integer");
	CU_ASSERT_EQUAL(parse("page=0", &q, &page, &per), SOUK_ERR);

	char qs[512]; /* 21 brands: one too many */
	size_t o = 0;
	for (int i = 0; i <= SEARCH_MAX_VALUES; i++)
		o += (size_t)snprintf(qs + o, sizeof(qs) - o, "%sbrand=b%d", i ? "&" : "", i);
	CU_ASSERT_EQUAL(parse(qs, &q, &page, &per), SOUK_ERR);
	assert_400("at most 20 brand values");
}

/* search_run refuses bad queries before touching Redis or PostgreSQL (the
 * suite's context has neither). */
static void run_expect_400(search_query *q, const char *msg)
{
	search_result r;
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_run(C, q, &r), SOUK_ERR);
	assert_400(msg);
	/* the daemon's entry (a query off the wire) checks the same */
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_execute(C, q, &search_sql_engine, &r), SOUK_ERR);
	assert_400(msg);
}

/* The bounds alone (search_query.c); the free text's bytes are checked
 * where it is normalised, so "sofa\x01" passes here. */
static void test_query_validate(void)
{
	search_query q;
	app_ctx_begin(C);
	search_query_init(&q);
	CU_ASSERT_EQUAL(search_query_validate(C, &q), SOUK_OK);
	q.q = STR("sofa\x01");
	CU_ASSERT_EQUAL(search_query_validate(C, &q), SOUK_OK);
	CU_ASSERT_EQUAL(C->err_status, 0);
	search_query_init(&q);
	q.rating_min = 6;
	CU_ASSERT_EQUAL(search_query_validate(C, &q), SOUK_ERR);
	assert_400("rating_min must be from 0 to 5");
	app_ctx_begin(C);
	search_query_init(&q);
	q.category_id = -3;
	CU_ASSERT_EQUAL(search_query_validate(C, &q), SOUK_ERR);
	assert_400("category must be a positive integer");
	app_ctx_begin(C);
	search_query_init(&q);
	q.ncolors = SEARCH_MAX_VALUES + 1;
	CU_ASSERT_EQUAL(search_query_validate(C, &q), SOUK_ERR);
	assert_400("at most 20 color values");
}

/* A facet bucket is "selected" when its value is one of the filter's,
 * ignoring ASCII case, whole values only. */
static void test_values_has(void)
{
	str v[] = {STR("Acme"), STR("blue")};
	CU_ASSERT_TRUE(search_values_has(v, 2, "acme"));
	CU_ASSERT_TRUE(search_values_has(v, 2, "BLUE"));
	CU_ASSERT_FALSE(search_values_has(v, 2, "acm"));
	CU_ASSERT_FALSE(search_values_has(v, 2, "acme "));
	CU_ASSERT_FALSE(search_values_has(v, 2, ""));
	CU_ASSERT_FALSE(search_values_has(v, 1, "blue"));
	CU_ASSERT_FALSE(search_values_has(NULL, 0, "blue"));
}

static void test_run_validation(void)
{
	search_query q;
	char long_q[SEARCH_MAX_QUERY + 2];
	memset(long_q, 'a', sizeof(long_q) - 1);
	long_q[sizeof(long_q) - 1] = '\0';
	search_query_init(&q);
	q.q = str_c(long_q);
	run_expect_400(&q, "q is longer than 200 bytes");

	search_query_init(&q);
	q.q = STR("sofa\x01");
	run_expect_400(&q, "q must be text without control characters");
	search_query_init(&q);
	q.q = STR("caf\xc3");
	run_expect_400(&q, "q must be text without control characters");

	search_query_init(&q);
	q.limit = 101;
	run_expect_400(&q, "per_page must be from 1 to 100");
	search_query_init(&q);
	q.offset = 9990;
	q.limit = 20;
	run_expect_400(&q, "results beyond the first 10000 cannot be paged to");
	search_query_init(&q);
	q.price_min = 5000;
	q.price_max = 1000;
	run_expect_400(&q, "price_min must not exceed price_max");
	search_query_init(&q);
	q.sort = (search_sort)9;
	run_expect_400(&q, "unknown sort");
	search_query_init(&q);
	q.w.title = -1;
	run_expect_400(&q, "field weights must be from 0 to 1000, not all 0");
	search_query_init(&q);
	q.w = (search_weights){0, 0, 0};
	run_expect_400(&q, "field weights must be from 0 to 1000, not all 0");
	search_query_init(&q);
	q.nranges = 1;
	q.ranges[0] = (search_range){5000, 1000, NULL};
	run_expect_400(&q, "price range 1 is empty or negative");
	search_query_init(&q);
	q.nbrands = 1;
	q.brands[0] = STR("");
	run_expect_400(&q, "brand values must be 1 to 100 bytes of text");

	/* A valid query with the database unreachable: 503, not a crash. */
	search_query_init(&q);
	q.q = STR("sofa");
	search_result r;
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_run(C, &q, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 503);
}

static void test_normalise(void)
{
	app_ctx_begin(C);
	ASSERT_CSTR(search_normalise(C, STR("  Red\tSOFA \r\n bed ")), "red sofa bed");
	ASSERT_CSTR(search_normalise(C, STR("")), "");
	ASSERT_CSTR(search_normalise(C, STR("   ")), "");
	ASSERT_CSTR(search_normalise(C, STR("D\xc3\xa9" "cor")), "d\xc3\xa9" "cor");
	CU_ASSERT_PTR_NULL(search_normalise(C, STR("a\x7f")));
	CU_ASSERT_PTR_NULL(search_normalise(C, STR("a\x1b[0m")));
	CU_ASSERT_PTR_NULL(search_normalise(C, STR("\xff")));
}

static void test_cache_key(void)
{
	search_query a, b;
	app_ctx_begin(C);
	search_query_init(&a);
	a.nbrands = 2;
	a.brands[0] = STR("Nike");
	a.brands[1] = STR("adidas");
	b = a;
	b.brands[0] = STR("ADIDAS");
	b.brands[1] = STR("nike");
	const char *ka = search_cache_key(C, &a, "sofa", STR("7"));
	const char *kb = search_cache_key(C, &b, "sofa", STR("7"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ka);
	ASSERT_CSTR(kb, ka); /* a set: order and case do not matter */
	CU_ASSERT_STRING_NOT_EQUAL(search_cache_key(C, &a, "sofa", STR("8")), ka);
	CU_ASSERT_STRING_NOT_EQUAL(search_cache_key(C, &a, "sofas", STR("7")), ka);
	CU_ASSERT_TRUE(strncmp(ka, "search:v7|", 10) == 0);
	b = a;
	b.offset = 20;
	CU_ASSERT_STRING_NOT_EQUAL(search_cache_key(C, &b, "sofa", STR("7")), ka);
	b = a;
	b.in_stock = true;
	CU_ASSERT_STRING_NOT_EQUAL(search_cache_key(C, &b, "sofa", STR("7")), ka);
	/* a brand value holding the separator cannot fake two values */
	search_query_init(&a);
	search_query_init(&b);
	a.nbrands = 1;
	a.brands[0] = STR("x|b1:y");
	b.nbrands = 2;
	b.brands[0] = STR("x");
	b.brands[1] = STR("y");
	CU_ASSERT_STRING_NOT_EQUAL(search_cache_key(C, &a, "", STR("1")),
	                           search_cache_key(C, &b, "", STR("1")));
}

static void test_result_json(void)
{
	app_ctx_begin(C);
	search_hit hits[2] = {
		{.id = 7, .ref = "B0X", .title = "Sofa \"big\"", .brand = "DHP", .image = "",
		 .price = 8960, .rating = 4.5, .rating_count = 81, .in_stock = true,
		 .sales_rank = 12, .score = 103.25},
		{.id = 9, .ref = "B0Y", .title = "Bed", .brand = "", .image = "https://x/y.jpg",
		 .price = -1, .rating = 0, .in_stock = false, .sales_rank = 40, .score = 0.5},
	};
	search_bucket brands[1] = {{"DHP", 0, 12, true}};
	search_bucket cats[1] = {{"Home", 18, 86, false}};
	search_price_bucket prices[2] = {{-1, 2500, NULL, 27}, {2500, -1, "cheap", 3}};
	const char *sugg[2] = {"soft", "sofia"};
	search_result r = {.total = 93, .hits = hits, .nhits = 2, .brands = brands, .nbrands = 1,
	                   .categories = cats, .ncategories = 1, .prices = prices, .nprices = 2,
	                   .corrected_query = "sofa", .suggestions = sugg, .nsuggestions = 2};
	/* as the Redis cache stores it: the daemon's frame */
	str j = search_result_to_frame(C, &r);
	search_result o;
	CU_ASSERT_EQUAL_FATAL(search_result_from_frame(C, j, &o), SOUK_OK);
	CU_ASSERT_EQUAL(o.total, 93);
	CU_ASSERT_EQUAL_FATAL(o.nhits, 2);
	CU_ASSERT_EQUAL(o.hits[0].id, 7);
	ASSERT_CSTR(o.hits[0].title, "Sofa \"big\"");
	CU_ASSERT_EQUAL(o.hits[0].price, 8960);
	CU_ASSERT_DOUBLE_EQUAL(o.hits[0].rating, 4.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(o.hits[0].score, 103.25, 1e-9);
	CU_ASSERT_TRUE(o.hits[0].in_stock);
	CU_ASSERT_EQUAL(o.hits[1].price, -1);
	CU_ASSERT_FALSE(o.hits[1].in_stock);
	ASSERT_CSTR(o.hits[1].image, "https://x/y.jpg");
	CU_ASSERT_EQUAL_FATAL(o.nbrands, 1);
	ASSERT_CSTR(o.brands[0].value, "DHP");
	CU_ASSERT_TRUE(o.brands[0].selected);
	CU_ASSERT_EQUAL(o.categories[0].id, 18);
	CU_ASSERT_EQUAL(o.ncolors, 0);
	CU_ASSERT_EQUAL_FATAL(o.nprices, 2);
	CU_ASSERT_EQUAL(o.prices[0].from, -1);
	CU_ASSERT_EQUAL(o.prices[0].count, 27);
	ASSERT_CSTR(o.prices[1].key, "cheap");
	ASSERT_CSTR(o.corrected_query, "sofa");
	CU_ASSERT_EQUAL_FATAL(o.nsuggestions, 2);
	ASSERT_CSTR(o.suggestions[1], "sofia");
	CU_ASSERT_FALSE(o.cache_hit);
	/* anything else is a miss, never a half-filled result */
	/* (an entry an older Souk cached as JSON included) */
	CU_ASSERT_EQUAL(search_result_from_frame(C, STR("{\"t\":1}"), &o), SOUK_ERR);
	CU_ASSERT_EQUAL(search_result_from_frame(C, STR("not json"), &o), SOUK_ERR);
	CU_ASSERT_EQUAL(search_result_from_frame(C, STR("{\"t\":1,\"h\":[[1]],\"p\":[],\"s\":[]}"), &o),
	                SOUK_ERR);
	CU_ASSERT_EQUAL(search_result_from_frame(C, (str){j.p, j.len - 1}, &o), SOUK_ERR);
}

/* ------------------------------------------------ on the live catalog */

static ctx *L;
static const db_stmt ut_sql[] = {
	{"ut_search_count",
	 "SELECT count(*) AS n FROM products WHERE status = 'active'"
	 " AND search_doc @@ websearch_to_tsquery('souk', $1)"},
	{"ut_search_instock",
	 "SELECT count(*) AS n FROM products WHERE status = 'active' AND in_stock"
	 " AND search_doc @@ websearch_to_tsquery('souk', $1)"},
};

static int live_setup(void)
{
	catalog_register();
	search_register();
	db_register(ut_sql, sizeof(ut_sql) / sizeof(ut_sql[0]));
	L = t_ctx_new(0);
	db_free(L->db);
	L->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	return 0;
}

static int live_teardown(void)
{
	app_ctx_free(L);
	return 0;
}

static int64_t sql_count(const char *stmt, const char *text)
{
	app_ctx_begin(L);
	const char *p[] = {text};
	db_res *r = db_exec(L, stmt, 1, p);
	return r ? db_i64(r, 0, "n") : -1;
}

static void test_live_total(void)
{
	int64_t want = sql_count("ut_search_count", "sofa");
	int64_t want_stock = sql_count("ut_search_instock", "sofa");
	CU_ASSERT_TRUE_FATAL(want >= SEARCH_MAX_PER_PAGE / 10);
	search_query q;
	search_result r;
	search_query_init(&q);
	q.q = STR("  SOFA ");
	q.no_cache = true;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(search_run(L, &q, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, want);
	CU_ASSERT_EQUAL(r.nhits, 20);
	CU_ASSERT_PTR_NULL(r.corrected_query);
	CU_ASSERT_FALSE(r.cache_hit);
	for (int i = 1; i < r.nhits; i++)
		CU_ASSERT_TRUE(r.hits[i - 1].score >= r.hits[i].score);
	int64_t sum = 0;
	for (int i = 0; i < r.nprices; i++)
		sum += r.prices[i].count;
	CU_ASSERT_TRUE(sum <= want && sum >= want - 5); /* products without a price */
	q.in_stock = true;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(search_run(L, &q, &r), SOUK_OK);
	CU_ASSERT_EQUAL(r.total, want_stock);
	CU_ASSERT_TRUE(r.nhits > 0 && r.hits[0].in_stock);
}

static void test_live_correction(void)
{
	search_query q;
	search_result r;
	search_query_init(&q);
	q.q = STR("sofaa");
	q.no_cache = true;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(search_run(L, &q, &r), SOUK_OK);
	ASSERT_CSTR(r.corrected_query, "sofa");
	CU_ASSERT_EQUAL(r.total, sql_count("ut_search_count", "sofa"));
	/* hostile text is a sane answer, never an error */
	static const char *const odd[] = {"&|!:*()", "\"unbalanced", "' OR 1=1; DROP TABLE products; --",
	                                  "-", "or or", "<->", "a:*", "\\"};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		search_query_init(&q);
		q.q = str_c(odd[i]);
		q.no_cache = true;
		app_ctx_begin(L);
		CU_ASSERT_EQUAL(search_run(L, &q, &r), SOUK_OK);
		CU_ASSERT_EQUAL(L->err_status, 0);
	}
}

static void test_live_suggest(void)
{
	search_suggestion *s;
	int n;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(search_suggest(L, STR("sof"), 8, &s, &n), SOUK_OK);
	CU_ASSERT_TRUE(n > 0 && n <= 8);
	bool title = false;
	for (int i = 0; i < n; i++)
		title |= strcmp(s[i].kind, "title") == 0 && strcasestr(s[i].text, "sof") != NULL;
	CU_ASSERT_TRUE(title);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(search_suggest(L, STR("%_\\"), 8, &s, &n), SOUK_OK);
	CU_ASSERT_EQUAL(n, 0);
}

/* Found by fuzz_search_es / fuzz_search_params: the text of a query
 * without q is {NULL, 0}; normalising it must not do pointer arithmetic
 * on NULL, and it is the empty text (no text pass). */
static void test_regress_normalise_query_without_text(void)
{
	app_ctx_begin(C);
	search_query q;
	search_query_init(&q);
	CU_ASSERT_PTR_NULL(q.q.p);
	ASSERT_CSTR(search_normalise(C, q.q), "");
}

void add_search_tests(void)
{
	CU_pSuite s = CU_add_suite("search", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "search_query_init defaults", test_init_defaults);
	CU_add_test(s, "query string: filters, repeated brand, paging", test_params);
	CU_add_test(s, "query string: bad values are clear 400s", test_params_bad);
	CU_add_test(s, "search_run validates before any I/O; db down is 503", test_run_validation);
	CU_add_test(s, "search_query_validate: the bounds, naming the field", test_query_validate);
	CU_add_test(s, "search_values_has: whole values, ASCII case ignored", test_values_has);
	CU_add_test(s, "free text normalised; control bytes refused", test_normalise);
	CU_add_test(s, "regress: normalising a query without text (NULL view)",
	            test_regress_normalise_query_without_text);
	CU_add_test(s, "cache key: sets, versions, no separator games", test_cache_key);
	CU_add_test(s, "cached result JSON round trip", test_result_json);

	const char *url = getenv("SOUK_TEST_DATABASE_URL");
	if (!url || !*url) {
		printf("live search tests skipped: SOUK_TEST_DATABASE_URL unset\n");
		return;
	}
	s = CU_add_suite("search_live", live_setup, live_teardown);
	CU_add_test(s, "total and in_stock equal SQL counts", test_live_total);
	CU_add_test(s, "typo corrected; hostile text answers", test_live_correction);
	CU_add_test(s, "suggest: prefix, LIKE characters inert", test_live_suggest);
}
