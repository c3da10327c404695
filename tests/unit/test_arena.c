/* test_arena: unit tests for lib/arena. */
#include "tests.h"

void add_arena_tests(void)
{
	CU_pSuite s = CU_add_suite("arena", NULL, NULL);
	(void)s;
}
