/* main: runs every CUnit suite; exit status 1 on any failure. */
#include <CUnit/Basic.h>

#include "tests.h"

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	add_arena_tests();
	add_buf_tests();
	add_req_tests();
	add_resp_tests();
	add_router_tests();
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
