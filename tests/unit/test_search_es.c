/* test_search_es: unit tests for lib/search_es (ES request -> query, result -> response). */
#include <json-c/json.h>

#include "core/js.h"
#include "search/search_es.h"
#include "tests.h"

#define C t_c

static search_es_request R;

/* Parses text as the body (NULL: no body) on a fresh request. */
static int parse(const char *text)
{
	app_ctx_begin(C);
	json_object *body = NULL;
	if (text) {
		body = js_parse(C, str_c(text));
		CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	}
	return search_es_parse(C, body, &R);
}

/* The body is refused with a 400 whose message is `msg`. */
static void refused(const char *text, const char *msg)
{
	int rc = parse(text);
	CU_ASSERT_EQUAL(rc, SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	ASSERT_CSTR(C->err_code, "bad_request");
	ASSERT_CSTR(C->err_msg, msg);
}

/* DESIGN.md section 4, verbatim. */
static const char *const design_query =
	"{ \"query\": { \"bool\": {"
	"    \"must\":   [ { \"multi_match\": { \"query\": \"running shoes\","
	"                                   \"fields\": [\"title^3\", \"description\", \"brand^2\"] } } ],"
	"    \"filter\": [ { \"term\":  { \"category\": \"footwear\" } },"
	"                { \"range\": { \"price\": { \"gte\": 50, \"lte\": 150 } } },"
	"                { \"term\":  { \"in_stock\": true } } ] } },"
	"  \"sort\": [ { \"_score\": \"desc\" }, { \"sales_rank\": \"asc\" } ],"
	"  \"aggs\": { \"brands\":       { \"terms\": { \"field\": \"brand\" } },"
	"            \"price_ranges\": { \"range\": { \"field\": \"price\","
	"                                         \"ranges\": [ { \"to\": 50 }, { \"from\": 50, \"to\": 100 }, { \"from\": 100 } ] } } } }";

static void test_design_query(void)
{
	CU_ASSERT_EQUAL_FATAL(parse(design_query), SOUK_OK);
	const search_query *q = &R.q;
	ASSERT_STR(q->q, "running shoes");
	CU_ASSERT_DOUBLE_EQUAL(q->w.title, 3, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(q->w.description, 1, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(q->w.brand, 2, 1e-9);
	ASSERT_CSTR(q->category_slug, "footwear");
	CU_ASSERT_EQUAL(q->category_id, 0);
	CU_ASSERT_EQUAL(q->price_min, 5000);
	CU_ASSERT_EQUAL(q->price_max, 15000);
	CU_ASSERT_TRUE(q->in_stock);
	CU_ASSERT_EQUAL(q->nbrands, 0);
	CU_ASSERT_EQUAL(q->ncolors, 0);
	CU_ASSERT_EQUAL(q->rating_min, 0);
	CU_ASSERT_EQUAL(q->sort, SEARCH_SORT_RELEVANCE);
	CU_ASSERT_EQUAL(q->offset, 0);
	CU_ASSERT_EQUAL(q->limit, 10);
	CU_ASSERT_TRUE(q->facets);
	CU_ASSERT_TRUE(q->no_correct);
	CU_ASSERT_FALSE(q->no_cache);
	CU_ASSERT_EQUAL_FATAL(R.naggs, 2);
	ASSERT_CSTR(R.aggs[0].name, "brands");
	CU_ASSERT_EQUAL(R.aggs[0].kind, SEARCH_ES_TERMS_BRAND);
	CU_ASSERT_EQUAL(R.aggs[0].size, 10);
	ASSERT_CSTR(R.aggs[1].name, "price_ranges");
	CU_ASSERT_EQUAL(R.aggs[1].kind, SEARCH_ES_RANGE_PRICE);
	/* asked as written, in cents, [from, to) */
	CU_ASSERT_EQUAL_FATAL(R.nasked, 3);
	CU_ASSERT_EQUAL(R.asked[0].from, -1);
	CU_ASSERT_EQUAL(R.asked[0].to, 5000);
	CU_ASSERT_EQUAL(R.asked[1].from, 5000);
	CU_ASSERT_EQUAL(R.asked[1].to, 10000);
	CU_ASSERT_EQUAL(R.asked[2].from, 10000);
	CU_ASSERT_EQUAL(R.asked[2].to, -1);
	/* counted within the 50..150 filter: "to 50" is empty, the last
	 * bucket ends after 150.00 */
	CU_ASSERT_EQUAL(R.range_slot[0], -1);
	CU_ASSERT_EQUAL(R.range_slot[1], 0);
	CU_ASSERT_EQUAL(R.range_slot[2], 1);
	CU_ASSERT_EQUAL_FATAL(q->nranges, 2);
	CU_ASSERT_EQUAL(q->ranges[0].from, 5000);
	CU_ASSERT_EQUAL(q->ranges[0].to, 10000);
	CU_ASSERT_EQUAL(q->ranges[1].from, 10000);
	CU_ASSERT_EQUAL(q->ranges[1].to, 15001);
}

static void test_defaults(void)
{
	static const char *const empty[] = {NULL, "{}", "{\"query\":{\"match_all\":{}}}",
	                                    "{\"query\":{\"bool\":{}}}"};
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(parse(empty[i]), SOUK_OK);
		CU_ASSERT_EQUAL(R.q.q.len, 0);
		CU_ASSERT_EQUAL(R.q.category_id, 0);
		CU_ASSERT_PTR_NULL(R.q.category_slug);
		CU_ASSERT_EQUAL(R.q.price_min, -1);
		CU_ASSERT_EQUAL(R.q.price_max, -1);
		CU_ASSERT_FALSE(R.q.in_stock);
		CU_ASSERT_EQUAL(R.q.sort, SEARCH_SORT_RELEVANCE);
		CU_ASSERT_EQUAL(R.q.limit, 10);
		CU_ASSERT_FALSE(R.q.facets);
		CU_ASSERT_EQUAL(R.naggs, 0);
		CU_ASSERT_EQUAL(R.q.nranges, 0);
		CU_ASSERT_DOUBLE_EQUAL(R.q.w.title, 3, 1e-9); /* the engine's defaults */
		CU_ASSERT_DOUBLE_EQUAL(R.q.w.brand, 2, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(R.q.w.description, 1, 1e-9);
	}
}

static void test_filters(void)
{
	CU_ASSERT_EQUAL_FATAL(
		parse("{\"query\":{\"bool\":{\"must\":{\"multi_match\":{\"query\":\"sofa\","
		      "\"fields\":[\"brand\",\"title^1.5\",\"description^0.25\"]}},"
		      "\"filter\":[{\"terms\":{\"brand\":[\"Acme\",\"Zinus\"]}},"
		      "{\"term\":{\"category\":{\"value\":591}}},{\"terms\":{\"color\":[\"Grey\"]}},"
		      "{\"term\":{\"size\":\"XL\"}},{\"range\":{\"price\":{\"gt\":9.99,\"lt\":20}}},"
		      "{\"range\":{\"rating\":{\"gte\":4}}},{\"match_all\":{}}]}},"
		      "\"from\":20,\"size\":5,\"sort\":{\"price\":{\"order\":\"desc\"}},"
		      "\"track_total_hits\":true}"),
		SOUK_OK);
	ASSERT_STR(R.q.q, "sofa");
	CU_ASSERT_DOUBLE_EQUAL(R.q.w.title, 1.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(R.q.w.brand, 1, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(R.q.w.description, 0.25, 1e-9);
	CU_ASSERT_EQUAL_FATAL(R.q.nbrands, 2);
	ASSERT_STR(R.q.brands[0], "Acme");
	ASSERT_STR(R.q.brands[1], "Zinus");
	CU_ASSERT_EQUAL(R.q.category_id, 591);
	CU_ASSERT_PTR_NULL(R.q.category_slug);
	CU_ASSERT_EQUAL_FATAL(R.q.ncolors, 1);
	ASSERT_STR(R.q.colors[0], "Grey");
	CU_ASSERT_EQUAL_FATAL(R.q.nsizes, 1);
	ASSERT_STR(R.q.sizes[0], "XL");
	CU_ASSERT_EQUAL(R.q.price_min, 1000); /* gt 9.99 */
	CU_ASSERT_EQUAL(R.q.price_max, 1999); /* lt 20 */
	CU_ASSERT_EQUAL(R.q.rating_min, 4);
	CU_ASSERT_EQUAL(R.q.offset, 20);
	CU_ASSERT_EQUAL(R.q.limit, 5);
	CU_ASSERT_EQUAL(R.q.sort, SEARCH_SORT_PRICE_DESC);

	/* the other sorts, in their short forms */
	static const struct {
		const char *sort;
		search_sort want;
	} sorts[] = {
		{"\"_score\"", SEARCH_SORT_RELEVANCE},
		{"[\"_score\"]", SEARCH_SORT_RELEVANCE},
		{"[{\"price\":\"asc\"}]", SEARCH_SORT_PRICE_ASC},
		{"\"price\"", SEARCH_SORT_PRICE_ASC},
		{"[{\"rating\":\"desc\"}]", SEARCH_SORT_RATING},
		{"[{\"created_at\":\"desc\"}]", SEARCH_SORT_NEWEST},
		{"{\"newest\":{\"order\":\"desc\"}}", SEARCH_SORT_NEWEST},
		{"[{\"sales_rank\":\"asc\"}]", SEARCH_SORT_RELEVANCE}, /* no text: the same order */
	};
	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		buf b;
		buf_init(&b, C->a, 0);
		buf_printf(&b, "{\"sort\":%s}", sorts[i].sort);
		CU_ASSERT_EQUAL(parse(b.p), SOUK_OK);
		CU_ASSERT_EQUAL(R.q.sort, sorts[i].want);
	}

	/* a category slug in a terms list; in_stock as a terms list */
	CU_ASSERT_EQUAL_FATAL(parse("{\"query\":{\"bool\":{\"filter\":[{\"terms\":{\"category\":"
	                            "[\"sofas-couches\"]}},{\"terms\":{\"in_stock\":[true]}}]}},"
	                            "\"aggregations\":{\"c\":{\"terms\":{\"field\":\"category\","
	                            "\"size\":50}},\"k\":{\"terms\":{\"field\":\"color\"}}}}"),
	                      SOUK_OK);
	ASSERT_CSTR(R.q.category_slug, "sofas-couches");
	CU_ASSERT_TRUE(R.q.in_stock);
	CU_ASSERT_TRUE(R.q.facets);
	CU_ASSERT_EQUAL_FATAL(R.naggs, 2);
	CU_ASSERT_EQUAL(R.aggs[0].kind, SEARCH_ES_TERMS_CATEGORY);
	CU_ASSERT_EQUAL(R.aggs[0].size, 50);
	CU_ASSERT_EQUAL(R.aggs[1].kind, SEARCH_ES_TERMS_COLOR);
	CU_ASSERT_EQUAL(R.q.nranges, 0);

	/* no price filter: the buckets are counted as asked */
	CU_ASSERT_EQUAL_FATAL(parse("{\"aggs\":{\"p\":{\"range\":{\"field\":\"price\",\"ranges\":"
	                            "[{\"from\":0.5,\"to\":10,\"key\":\"cheap\"},{\"from\":10}]}}}}"),
	                      SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(R.q.nranges, 2);
	CU_ASSERT_EQUAL(R.q.ranges[0].from, 50);
	CU_ASSERT_EQUAL(R.q.ranges[0].to, 1000);
	ASSERT_CSTR(R.q.ranges[0].key, "cheap");
	CU_ASSERT_EQUAL(R.q.ranges[1].from, 1000);
	CU_ASSERT_EQUAL(R.q.ranges[1].to, -1);
}

/* Every unsupported or malformed part is a 400 naming the clause. */
static void test_refused(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
		{"[]", "the body must be a JSON object"},
		{"{\"highlight\":{}}", "highlight is not supported"},
		{"{\"query\":{\"match\":{\"title\":\"x\"}}}",
		 "query.match is not supported (match_all, multi_match, bool)"},
		{"{\"query\":{}}", "query must be an object with one clause"},
		{"{\"query\":{\"bool\":{\"should\":[]}}}", "query.bool.should is not supported"},
		{"{\"query\":{\"bool\":{\"must_not\":[]}}}", "query.bool.must_not is not supported"},
		{"{\"query\":{\"bool\":{\"must\":[{\"term\":{\"brand\":\"x\"}}]}}}",
		 "query.bool.must[0].term is not supported here (must takes multi_match or match_all)"},
		{"{\"query\":{\"bool\":{\"filter\":[{\"multi_match\":{\"query\":\"x\"}}]}}}",
		 "query.bool.filter[0].multi_match is not supported here (filter takes term, terms, "
		 "range or match_all)"},
		{"{\"query\":{\"bool\":{\"filter\":\"x\"}}}",
		 "query.bool.filter must be an object or an array"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\",\"fields\":[\"title^3\",\"sku\"]}}}",
		 "query.multi_match.fields[1]: unknown field \"sku\" (title, description, brand)"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\",\"fields\":[\"title^3\",\"brand\"]}}}",
		 "query.multi_match.fields must name title, description and brand (with any boosts): "
		 "searching only some fields is not supported"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\",\"fields\":[\"title^x\",\"brand\","
		 "\"description\"]}}}",
		 "query.multi_match.fields[0]: the boost must be a number above 0 and at most 100"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\",\"fields\":[\"title^0\",\"brand\","
		 "\"description\"]}}}",
		 "query.multi_match.fields[0]: the boost must be a number above 0 and at most 100"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\",\"fields\":[\"title\",\"title\"]}}}",
		 "query.multi_match.fields[1]: field title given twice"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\",\"type\":\"phrase\"}}}",
		 "query.multi_match.type is not supported"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\",\"fuzziness\":\"AUTO\"}}}",
		 "query.multi_match.fuzziness is not supported"},
		{"{\"query\":{\"multi_match\":{\"query\":7}}}",
		 "query.multi_match.query must be a string"},
		{"{\"query\":{\"multi_match\":{\"query\":\"  \"}}}",
		 "query.multi_match.query must not be empty (use match_all)"},
		{"{\"query\":{\"bool\":{\"must\":[{\"multi_match\":{\"query\":\"a\"}},"
		 "{\"multi_match\":{\"query\":\"b\"}}]}}}",
		 "query.bool.must[1].multi_match: only one multi_match per query is supported"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"seller\":\"x\"}}}}}",
		 "query.bool.filter.term.seller: unknown field (category, brand, color, size, in_stock)"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"price\":5}}}}}",
		 "query.bool.filter.term.price: unknown field (category, brand, color, size, in_stock)"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"brand\":\"a\",\"color\":\"b\"}}}}}",
		 "query.bool.filter.term must be an object with one field"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"brand\":5}}}}}",
		 "query.bool.filter.term.brand must be a string"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"brand\":\"\"}}}}}",
		 "query.bool.filter.term.brand must be 1 to 200 bytes"},
		{"{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"brand\":\"a\"}},"
		 "{\"term\":{\"brand\":\"b\"}}]}}}",
		 "query.bool.filter[1].term.brand: a second filter on brand is not supported"},
		{"{\"query\":{\"bool\":{\"filter\":{\"terms\":{\"category\":[\"a\",\"b\"]}}}}}",
		 "query.bool.filter.terms.category[1]: only one category per query is supported"},
		{"{\"query\":{\"bool\":{\"filter\":{\"terms\":{\"brand\":[]}}}}}",
		 "query.bool.filter.terms.brand must be a non-empty array"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"category\":-3}}}}}",
		 "query.bool.filter.term.category must be a positive category id or a slug"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"category\":1.5}}}}}",
		 "query.bool.filter.term.category must be a positive category id or a slug"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"in_stock\":false}}}}}",
		 "query.bool.filter.term.in_stock: false is not supported (only in-stock filtering)"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"in_stock\":\"yes\"}}}}}",
		 "query.bool.filter.term.in_stock must be true or false"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"brand\":{\"value\":\"a\",\"boost\":2}}}}}}",
		 "query.bool.filter.term.brand.boost is not supported"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"price\":{\"gte\":\"50\"}}}}}}",
		 "query.bool.filter.range.price.gte must be a number (major units, e.g. 49.99)"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"price\":{\"gte\":-1}}}}}}",
		 "query.bool.filter.range.price.gte must be between 0 and 1000000000"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"price\":{\"gte\":1.234}}}}}}",
		 "query.bool.filter.range.price.gte must have at most two decimals"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"price\":{\"gte\":1,\"gt\":2}}}}}}",
		 "query.bool.filter.range.price.gt: give only one of gte and gt"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"price\":{\"from\":1}}}}}}",
		 "query.bool.filter.range.price.from is not supported (gte, gt, lte, lt)"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"price\":{}}}}}}",
		 "query.bool.filter.range.price needs gte, gt, lte or lt"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"rating\":{\"gte\":4.5}}}}}}",
		 "query.bool.filter.range.rating.gte must be a whole number from 1 to 5"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"rating\":{\"lte\":2}}}}}}",
		 "query.bool.filter.range.rating.lte is not supported (rating takes gte only)"},
		{"{\"query\":{\"bool\":{\"filter\":{\"range\":{\"created_at\":{\"gte\":2}}}}}}",
		 "query.bool.filter.range.created_at: unknown field (price, rating)"},
		{"{\"sort\":[{\"_score\":\"asc\"}]}",
		 "sort[0]._score asc is not supported (_score desc, sales_rank asc, price asc|desc, "
		 "rating desc, created_at desc)"},
		{"{\"sort\":[{\"_score\":\"desc\"},{\"price\":\"asc\"}]}",
		 "sort[1]: after _score only {\"sales_rank\": \"asc\"} is supported"},
		{"{\"sort\":[{\"price\":\"asc\"},{\"rating\":\"desc\"}]}",
		 "sort[1]: a second sort key after price is not supported"},
		{"{\"sort\":[{\"title\":\"asc\"}]}",
		 "sort[0].title asc is not supported (_score desc, sales_rank asc, price asc|desc, rating "
		 "desc, created_at desc)"},
		{"{\"sort\":[{\"price\":\"up\"}]}", "sort[0].price must be \"asc\" or \"desc\""},
		{"{\"sort\":[{\"price\":{\"order\":\"asc\",\"mode\":\"min\"}}]}",
		 "sort[0].price.mode is not supported"},
		{"{\"sort\":[]}", "sort must have one or two entries"},
		{"{\"query\":{\"multi_match\":{\"query\":\"x\"}},\"sort\":[{\"sales_rank\":\"asc\"}]}",
		 "sort[0]: sales_rank alone with a text query is not supported (use [{\"_score\": "
		 "\"desc\"}, {\"sales_rank\": \"asc\"}])"},
		{"{\"size\":101}", "size must be an integer from 0 to 100"},
		{"{\"size\":\"10\"}", "size must be an integer from 0 to 100"},
		{"{\"from\":-1}", "from must be an integer from 0 to 10000"},
		{"{\"from\":9950,\"size\":100}", "from + size must not exceed 10000"},
		{"{\"track_total_hits\":false}",
		 "track_total_hits: only true is supported (totals are exact)"},
		{"{\"aggs\":{\"a\":{\"avg\":{\"field\":\"price\"}}}}",
		 "aggs.a.avg is not supported (terms, range)"},
		{"{\"aggs\":{\"a\":{\"terms\":{\"field\":\"brand\"},\"aggs\":{}}}}",
		 "aggs.a.aggs (sub-aggregations) is not supported"},
		{"{\"aggs\":{\"a\":{}}}",
		 "aggs.a must be an object with one aggregation (terms or range)"},
		{"{\"aggs\":{\"a\":{\"terms\":{\"field\":\"seller\"}}}}",
		 "aggs.a.terms.field: terms on \"seller\" is not supported (brand, color, category)"},
		{"{\"aggs\":{\"a\":{\"terms\":{\"field\":\"brand\",\"size\":51}}}}",
		 "aggs.a.terms.size must be an integer from 1 to 50"},
		{"{\"aggs\":{\"a\":{\"terms\":{\"field\":\"brand\",\"order\":{\"_key\":\"asc\"}}}}}",
		 "aggs.a.terms.order is not supported"},
		{"{\"aggs\":{\"a\":{\"range\":{\"field\":\"rating\",\"ranges\":[{\"to\":3}]}}}}",
		 "aggs.a.range.field: range aggregations take field \"price\" only"},
		{"{\"aggs\":{\"a\":{\"range\":{\"field\":\"price\",\"ranges\":[]}}}}",
		 "aggs.a.range.ranges must be an array of 1 to 10 ranges"},
		{"{\"aggs\":{\"a\":{\"range\":{\"field\":\"price\",\"ranges\":[{\"from\":9,\"to\":3}]}}}}",
		 "aggs.a.range.ranges[0]: from must be below to"},
		{"{\"aggs\":{\"a\":{\"range\":{\"field\":\"price\",\"ranges\":[{\"to\":3}]}},"
		 "\"b\":{\"range\":{\"field\":\"price\",\"ranges\":[{\"to\":3}]}}}}",
		 "aggs.b.range: only one price range aggregation per query is supported"},
		{"{\"query\":{\"bool\":{\"filter\":{\"term\":{\"color\":\"red\"}}}},"
		 "\"aggs\":{\"k\":{\"terms\":{\"field\":\"color\"}}}}",
		 "aggs.k: a terms aggregation on color together with a color filter is not supported"},
		{"{\"aggs\":{},\"aggregations\":{}}",
		 "aggregations: give aggs or aggregations, not both"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		refused(cases[i].body, cases[i].msg);
}

/* The response shape, from a hand-made result. */
static void test_response(void)
{
	CU_ASSERT_EQUAL_FATAL(parse(design_query), SOUK_OK);
	search_hit hits[2] = {
		{.id = 42, .ref = "B0042", .title = "Trail running shoes", .brand = "Acme",
		 .image = "/i/42.jpg", .price = 5999, .rating = 4.5, .rating_count = 10,
		 .in_stock = true, .sales_rank = 7, .score = 0.75},
		{.id = 9, .ref = "B0009", .title = "Road shoes", .brand = "Zed", .image = "",
		 .price = 10000, .rating = 0, .rating_count = 0, .in_stock = true,
		 .sales_rank = 12, .score = 0.5},
	};
	search_bucket brands[3] = {{"Acme", 0, 5, false}, {"", 0, 2, false}, {"Zed", 0, 1, false}};
	search_price_bucket prices[2] = {{5000, 10000, NULL, 4}, {10000, 15001, NULL, 2}};
	search_result res = {.total = 6, .hits = hits, .nhits = 2, .brands = brands, .nbrands = 3,
	                     .prices = prices, .nprices = 2};
	json_object *o = search_es_response(C, &R, &res, 3);
	ASSERT_CSTR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE),
	            "{\"took\":3,\"timed_out\":false,"
	            "\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},"
	            "\"hits\":{\"total\":{\"value\":6,\"relation\":\"eq\"},\"max_score\":0.75,"
	            "\"hits\":[{\"_index\":\"products\",\"_id\":\"42\",\"_score\":0.75,\"_source\":"
	            "{\"id\":42,\"ref\":\"B0042\",\"title\":\"Trail running shoes\",\"brand\":\"Acme\","
	            "\"price\":59.99,\"in_stock\":true,\"rating\":4.5,\"rating_count\":10,"
	            "\"image\":\"/i/42.jpg\",\"sales_rank\":7}},"
	            "{\"_index\":\"products\",\"_id\":\"9\",\"_score\":0.5,\"_source\":"
	            "{\"id\":9,\"ref\":\"B0009\",\"title\":\"Road shoes\",\"brand\":\"Zed\","
	            "\"price\":100.0,\"in_stock\":true,\"rating\":null,\"rating_count\":0,"
	            "\"image\":\"\",\"sales_rank\":12}}]},"
	            "\"aggregations\":{"
	            "\"brands\":{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":0,"
	            "\"buckets\":[{\"key\":\"Acme\",\"doc_count\":5},{\"key\":\"Zed\",\"doc_count\":1}]},"
	            "\"price_ranges\":{\"buckets\":[{\"key\":\"*-50.0\",\"to\":50.0,\"doc_count\":0},"
	            "{\"key\":\"50.0-100.0\",\"from\":50.0,\"to\":100.0,\"doc_count\":4},"
	            "{\"key\":\"100.0-*\",\"from\":100.0,\"doc_count\":2}]}}}");

	/* A brand filter keeps only the selected brands' (exact) counts; a
	 * field sort has no scores; the terms size cuts the list. */
	CU_ASSERT_EQUAL_FATAL(parse("{\"query\":{\"bool\":{\"filter\":{\"terms\":{\"brand\":"
	                            "[\"Zed\",\"Nope\"]}}}},\"sort\":[{\"price\":\"asc\"}],"
	                            "\"aggs\":{\"b\":{\"terms\":{\"field\":\"brand\"}},"
	                            "\"one\":{\"terms\":{\"field\":\"brand\",\"size\":1}}}}"),
	                      SOUK_OK);
	search_bucket both[3] = {{"zed", 0, 3, true}, {"Other", 0, 2, false}, {"Nope", 0, 1, true}};
	search_result r2 = {.total = 4, .hits = hits + 1, .nhits = 1, .brands = both, .nbrands = 3};
	o = search_es_response(C, &R, &r2, 0);
	json_object *h, *ag;
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "hits", &h));
	ASSERT_CSTR(json_object_to_json_string_ext(h, JSON_C_TO_STRING_PLAIN),
	            "{\"total\":{\"value\":4,\"relation\":\"eq\"},\"max_score\":null,\"hits\":["
	            "{\"_index\":\"products\",\"_id\":\"9\",\"_score\":null,\"_source\":"
	            "{\"id\":9,\"ref\":\"B0009\",\"title\":\"Road shoes\",\"brand\":\"Zed\","
	            "\"price\":100.0,\"in_stock\":true,\"rating\":null,\"rating_count\":0,"
	            "\"image\":\"\",\"sales_rank\":12}}]}");
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "aggregations", &ag));
	ASSERT_CSTR(json_object_to_json_string_ext(ag, JSON_C_TO_STRING_PLAIN),
	            "{\"b\":{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":0,\"buckets\":["
	            "{\"key\":\"zed\",\"doc_count\":3},{\"key\":\"Nope\",\"doc_count\":1}]},"
	            "\"one\":{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":1,\"buckets\":["
	            "{\"key\":\"zed\",\"doc_count\":3}]}}");
}

void add_search_es_tests(void)
{
	CU_pSuite s = CU_add_suite("search_es", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "the DESIGN.md query", test_design_query);
	CU_add_test(s, "empty bodies are match_all", test_defaults);
	CU_add_test(s, "filters, boosts, sorts, aggs", test_filters);
	CU_add_test(s, "unsupported parts are 400s naming the clause", test_refused);
	CU_add_test(s, "Elasticsearch response shape", test_response);
}
