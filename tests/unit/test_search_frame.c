/* test_search_frame: souk-searchd's binary result frame: every field
 * round trips, and anything but a whole version-1 frame is refused. */
#include <string.h>

#include "search/search_frame.h"
#include "search/search_int.h"
#include "tests.h"

#define C t_c

static search_result sample(void)
{
	static search_hit hits[2] = {
		{.id = 7, .ref = "P-7", .title = "Red sofa \xc3\xa9t\xc3\xa9", .brand = "ACME",
		 .image = "", .price = 12999, .rating = 4.5, .rating_count = 12, .in_stock = true,
		 .sales_rank = 3, .score = 101.25},
		{.id = INT64_MAX, .ref = "P-9", .title = "x", .brand = NULL, .image = "/i.webp",
		 .price = -1, .rating = 0, .rating_count = 0, .in_stock = false,
		 .sales_rank = -5, .score = -0.0},
	};
	static search_bucket brands[] = {{"ACME", 0, 10, true}, {"Dhp", 0, 3, false}};
	static search_bucket cats[] = {{"Sofas", 42, 9, false}};
	static search_bucket ratings[] = {{"4", 0, 1, false}, {"3", 0, 2, true}};
	static search_price_bucket prices[] = {{-1, 2500, "cheap", 4}, {2500, -1, NULL, 6}};
	static const char *sugg[] = {"soft", "sofas"};
	return (search_result){.total = 1234567890123, .hits = hits, .nhits = 2,
	                       .brands = brands, .nbrands = 2, .colors = NULL, .ncolors = 0,
	                       .categories = cats, .ncategories = 1, .ratings = ratings,
	                       .nratings = 2, .prices = prices, .nprices = 2,
	                       .corrected_query = "sofa", .suggestions = sugg,
	                       .nsuggestions = 2, .engine = "memory"};
}

static void test_round_trip(void)
{
	app_ctx_begin(C);
	search_result in = sample(), out;
	str f = search_result_to_frame(C, &in);
	CU_ASSERT_FATAL(f.p != NULL);
	CU_ASSERT_TRUE(search_is_frame(f));
	CU_ASSERT_EQUAL(f.p[3], SEARCH_FRAME_VERSION);
	CU_ASSERT_EQUAL_FATAL(search_result_from_frame(C, f, &out), SOUK_OK);
	CU_ASSERT_EQUAL(out.total, 1234567890123);
	CU_ASSERT_EQUAL_FATAL(out.nhits, 2);
	CU_ASSERT_EQUAL(out.hits[0].id, 7);
	ASSERT_CSTR(out.hits[0].title, "Red sofa \xc3\xa9t\xc3\xa9");
	ASSERT_CSTR(out.hits[0].image, "");
	CU_ASSERT_EQUAL(out.hits[0].price, 12999);
	CU_ASSERT_EQUAL(out.hits[0].rating, 4.5);
	CU_ASSERT_EQUAL(out.hits[0].rating_count, 12);
	CU_ASSERT_TRUE(out.hits[0].in_stock);
	CU_ASSERT_EQUAL(out.hits[0].sales_rank, 3);
	CU_ASSERT_EQUAL(out.hits[0].score, 101.25);
	CU_ASSERT_EQUAL(out.hits[1].id, INT64_MAX);
	CU_ASSERT_PTR_NULL(out.hits[1].brand);
	CU_ASSERT_EQUAL(out.hits[1].price, -1);
	CU_ASSERT_EQUAL(out.hits[1].sales_rank, -5);
	CU_ASSERT_FALSE(out.hits[1].in_stock);
	CU_ASSERT_EQUAL_FATAL(out.nbrands, 2);
	ASSERT_CSTR(out.brands[1].value, "Dhp");
	CU_ASSERT_TRUE(out.brands[0].selected);
	CU_ASSERT_EQUAL(out.brands[0].count, 10);
	CU_ASSERT_EQUAL(out.ncolors, 0);
	CU_ASSERT_EQUAL_FATAL(out.ncategories, 1);
	CU_ASSERT_EQUAL(out.categories[0].id, 42);
	CU_ASSERT_EQUAL_FATAL(out.nratings, 2);
	CU_ASSERT_TRUE(out.ratings[1].selected);
	CU_ASSERT_EQUAL_FATAL(out.nprices, 2);
	CU_ASSERT_EQUAL(out.prices[0].from, -1);
	CU_ASSERT_EQUAL(out.prices[0].to, 2500);
	ASSERT_CSTR(out.prices[0].key, "cheap");
	CU_ASSERT_PTR_NULL(out.prices[1].key);
	CU_ASSERT_EQUAL(out.prices[1].count, 6);
	ASSERT_CSTR(out.corrected_query, "sofa");
	CU_ASSERT_EQUAL_FATAL(out.nsuggestions, 2);
	ASSERT_CSTR(out.suggestions[1], "sofas");
	ASSERT_CSTR(out.engine, "memory");
	/* the same result: it writes the same frame again (what the cache stores) */
	CU_ASSERT_TRUE(str_eq(search_result_to_frame(C, &in), search_result_to_frame(C, &out)));
	/* and an empty one */
	search_result e = {0};
	CU_ASSERT_EQUAL(search_result_from_frame(C, search_result_to_frame(C, &e), &out), SOUK_OK);
	CU_ASSERT_EQUAL(out.total, 0);
	CU_ASSERT_EQUAL(out.nhits, 0);
	CU_ASSERT_PTR_NULL(out.corrected_query);
	CU_ASSERT_PTR_NULL(out.engine);
}

static void test_refused(void)
{
	app_ctx_begin(C);
	search_result in = sample(), out;
	str f = search_result_to_frame(C, &in);
	/* every shorter prefix is cut short */
	for (size_t n = 0; n < f.len; n++)
		CU_ASSERT_EQUAL(search_result_from_frame(C, (str){f.p, n}, &out), SOUK_ERR);
	CU_ASSERT_EQUAL(out.nhits, 0);
	/* a byte too many */
	char *x = arena_alloc(C->a, f.len + 1);
	memcpy(x, f.p, f.len);
	x[f.len] = 0;
	CU_ASSERT_EQUAL(search_result_from_frame(C, (str){x, f.len + 1}, &out), SOUK_ERR);
	/* another version; not a frame at all (JSON) */
	x[3] = SEARCH_FRAME_VERSION + 1;
	CU_ASSERT_EQUAL(search_result_from_frame(C, (str){x, f.len}, &out), SOUK_ERR);
	CU_ASSERT_FALSE(search_is_frame(STR("{\"ok\":false}")));
	CU_ASSERT_EQUAL(search_result_from_frame(C, STR("{\"ok\":false}"), &out), SOUK_ERR);
	/* a forged hit count larger than the bytes could hold */
	memcpy(x, f.p, f.len);
	x[12] = (char)0x7f;
	CU_ASSERT_EQUAL(search_result_from_frame(C, (str){x, f.len}, &out), SOUK_ERR);
	/* a flag byte other than 0 or 1 (hit 0's in_stock) */
	memcpy(x, f.p, f.len);
	size_t at = 4 + 8 + 4 + 8 + (4 + 3) + (4 + strlen(in.hits[0].title)) + (4 + 4) + 4 + 8 + 8 + 8;
	CU_ASSERT_EQUAL(x[at], 1);
	x[at] = 2;
	CU_ASSERT_EQUAL(search_result_from_frame(C, (str){x, f.len}, &out), SOUK_ERR);
	/* a NUL inside a string (hit 0's ref "P-7") */
	memcpy(x, f.p, f.len);
	x[4 + 8 + 4 + 8 + 4 + 1] = 0;
	CU_ASSERT_EQUAL(search_result_from_frame(C, (str){x, f.len}, &out), SOUK_ERR);
}

void add_search_frame_tests(void)
{
	CU_pSuite s = CU_add_suite("search_frame", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "result frame: every field round trips", test_round_trip);
	CU_add_test(s, "result frame: cut, extended, other version, forged: refused", test_refused);
}
