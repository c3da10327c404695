/* test_resp: unit tests for lib/resp. */
#include "tests.h"

void add_resp_tests(void)
{
	CU_pSuite s = CU_add_suite("resp", NULL, NULL);
	(void)s;
}
