/* test_buf: unit tests for lib/buf. */
#include "tests.h"

void add_buf_tests(void)
{
	CU_pSuite s = CU_add_suite("buf", NULL, NULL);
	(void)s;
}
