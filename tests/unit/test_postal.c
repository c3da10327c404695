/* test_postal: postal codes per country (US, CA, GB, DE, FR and the rest offered). */
#include <string.h>

#include "shop/postal.h"
#include "tests.h"

static void ok(const char *cc, const char *code)
{
	const char *ex;
	CU_ASSERT_TRUE(postal_valid(cc, code, &ex));
	if (!postal_valid(cc, code, &ex))
		fprintf(stderr, "\nrefused %s %s\n", cc, code);
}

static void bad(const char *cc, const char *code, const char *example)
{
	const char *ex;
	CU_ASSERT_FALSE(postal_valid(cc, code, &ex));
	if (postal_valid(cc, code, &ex))
		fprintf(stderr, "\naccepted %s %s\n", cc, code);
	if (example) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(ex);
		CU_ASSERT_STRING_EQUAL(ex, example);
	}
}

static void test_countries(void)
{
	ok("US", "12345");
	ok("US", "12345-6789");
	ok("US", " 02134 ");
	bad("US", "!!!!", "12345 or 12345-6789");
	bad("US", "1234", "12345 or 12345-6789");
	bad("US", "123456", NULL);
	bad("US", "ABCDE", NULL);
	ok("CA", "K1A 0B1");
	ok("CA", "k1a0b1");
	bad("CA", "12345", "A1A 1A1");
	bad("CA", "K1A 0B", NULL);
	ok("GB", "SW1A 1AA");
	ok("GB", "M1 1AE");
	ok("GB", "b33 8th");
	ok("GB", "CR2 6XH");
	ok("GB", "DN55 1PT");
	bad("GB", "12345", "SW1A 1AA");
	bad("GB", "SW1A", NULL);
	ok("DE", "10115");
	bad("DE", "1011", "12345");
	bad("DE", "D-10115", NULL);
	ok("FR", "75001");
	bad("FR", "7500A", "75001");
	ok("NL", "1234 AB");
	ok("JP", "100-0001");
	bad("JP", "1000001", "123-4567");
	bad("US", "", NULL);
	bad("US", "   ", NULL);
}

static void test_unknown_country(void)
{
	const char *ex = "x";
	CU_ASSERT_TRUE(postal_valid("ZZ", "AB-12 3", &ex));
	CU_ASSERT_PTR_NULL(ex);
	CU_ASSERT_FALSE(postal_valid("ZZ", "!!!!", &ex));
	CU_ASSERT_FALSE(postal_valid(NULL, "--", &ex));
}

void add_postal_tests(void)
{
	CU_pSuite s = CU_add_suite("postal", NULL, NULL);
	CU_add_test(s, "formats of the countries offered", test_countries);
	CU_add_test(s, "other countries: letters, digits, spaces, hyphens", test_unknown_country);
}
