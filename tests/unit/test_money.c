/* test_money: the one display formatter of amounts (thousands separators). */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "tests.h"
#include "web/views.h"

static void test_display(void)
{
	static const struct {
		int64_t cents;
		const char *want;
	} t[] = {
		{0, "0.00"},          {5, "0.05"},           {99999, "999.99"},
		{100000, "1,000.00"}, {1054845, "10,548.45"}, {-100000, "-1,000.00"},
		{123456789, "1,234,567.89"},
		{INT64_MAX, "92,233,720,368,547,758.07"},
		{INT64_MIN, "-92,233,720,368,547,758.08"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char s[MONEY_MAX];
		money_display(s, t[i].cents);
		CU_ASSERT_STRING_EQUAL(s, t[i].want);
	}
}

/* the plain form the seller's forms and ledger show: exact, no separators */
static void test_view_dollars(void)
{
	arena *a = arena_new(0);
	CU_ASSERT_STRING_EQUAL(view_dollars(a, 123456), "1234.56");
	CU_ASSERT_STRING_EQUAL(view_dollars(a, -5), "-0.05");
	CU_ASSERT_STRING_EQUAL(view_dollars(a, -150), "-1.50");
	CU_ASSERT_STRING_EQUAL(view_dollars(a, 0), "0.00");
	arena_free(a);
}

void add_money_tests(void)
{
	CU_pSuite s = CU_add_suite("money", NULL, NULL);
	CU_add_test(s, "thousands separators, signs, extremes", test_display);
	CU_add_test(s, "view_dollars: plain and exact", test_view_dollars);
}
