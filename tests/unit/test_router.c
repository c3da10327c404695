/* test_router: unit tests for lib/router. */
#include "tests.h"

void add_router_tests(void)
{
	CU_pSuite s = CU_add_suite("router", NULL, NULL);
	(void)s;
}
