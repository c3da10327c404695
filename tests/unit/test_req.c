/* test_req: unit tests for lib/req. */
#include "tests.h"

void add_req_tests(void)
{
	CU_pSuite s = CU_add_suite("req", NULL, NULL);
	(void)s;
}
