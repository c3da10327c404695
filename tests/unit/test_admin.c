/* test_admin: unit tests for lib/web/admin_form (the admin pages' date,
 * price and title checks). */
#include "web/admin_form.h"
#include "tests.h"

static void test_dates(void)
{
	char d[11];
	CU_ASSERT_EQUAL(admin_date_parse(STR("2026-12-04"), d), 0);
	ASSERT_CSTR(d, "2026-12-04");
	CU_ASSERT_EQUAL(admin_date_parse(STR("2024-02-29"), d), 0); /* leap year */
	CU_ASSERT_EQUAL(admin_date_parse(STR("2000-02-29"), d), 0); /* divisible by 400 */
	static const char *const bad[] = {"2023-02-29", "2100-02-29", "2026-13-01", "2026-00-10",
	                                  "2026-04-31", "2026-1-01",  "26-12-04",   "2026/12/04",
	                                  "",           "2026-12-04x", "1999-12-31", "2026-12-0a",
	                                  "'; DROP"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(admin_date_parse(str_c(bad[i]), d), -1);
}

static void test_prices(void)
{
	static const struct {
		const char *in;
		int64_t cents;
	} ok[] = {{"12", 1200}, {"12.3", 1230}, {"12.34", 1234}, {"$1,234.50", 123450},
	          {"0.01", 1}, {"1,000,000", 100000000}, {"$7", 700}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t v = -1;
		CU_ASSERT_EQUAL(admin_price_parse(str_c(ok[i].in), 100000000, &v), 0);
		CU_ASSERT_EQUAL(v, ok[i].cents);
	}
	static const char *const bad[] = {"", "0", "0.00", "-5", "12.345", "12.", ".5", "abc",
	                                  "1,23", "12,34.00", ",123", "1e3", "$", "1 000",
	                                  "1,000,001", "99999999999", "1234,567"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = 42;
		CU_ASSERT_EQUAL(admin_price_parse(str_c(bad[i]), 100000000, &v), -1);
		CU_ASSERT_EQUAL(v, 42); /* untouched */
	}
}

static void test_titles(void)
{
	CU_ASSERT_EQUAL(admin_title_ok(STR("Wireless Mouse, Black")), 0);
	CU_ASSERT_EQUAL(admin_title_ok(STR("Caf\xc3\xa9 <b>&</b>")), 0); /* escaped when shown */
	CU_ASSERT_EQUAL(admin_title_ok(STR("")), -1);
	CU_ASSERT_EQUAL(admin_title_ok(STR("a\nb")), -1);
	CU_ASSERT_EQUAL(admin_title_ok(STR("a\x7f")), -1);
	char long_title[302];
	memset(long_title, 'x', 301);
	long_title[301] = '\0';
	CU_ASSERT_EQUAL(admin_title_ok(str_c(long_title)), -1);
	long_title[300] = '\0';
	CU_ASSERT_EQUAL(admin_title_ok(str_c(long_title)), 0);
}

void add_admin_tests(void)
{
	CU_pSuite s = CU_add_suite("admin_form", NULL, NULL);
	CU_add_test(s, "dates: real days only, YYYY-MM-DD", test_dates);
	CU_add_test(s, "prices in dollars to cents", test_prices);
	CU_add_test(s, "titles: length and control characters", test_titles);
}
