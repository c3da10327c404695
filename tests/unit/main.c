/* main: runs every CUnit suite; exit status 1 on any failure. */
#include <CUnit/Basic.h>
#include <stdlib.h>

#include "core/log.h"
#include "tests.h"

int main(void)
{
	/* Library logs would interleave with CUnit's report; SOUK_TEST_LOG=1
	 * keeps them. Sanitizer reports still go to stderr. */
	if (!getenv("SOUK_TEST_LOG"))
		log_set_level(LOG_ERROR + 1);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	add_arena_tests();
	add_buf_tests();
	add_req_tests();
	add_resp_tests();
	add_router_tests();
	add_ctx_tests();
	add_cfg_tests();
	add_unixsock_tests();
	add_log_tests();
	add_js_tests();
	add_tmpl_tests();
	add_templates_tests();
	add_app_tests();
	add_prefork_tests();
	add_db_tests();
	add_rds_tests();
	add_rds_sentinel_tests();
	add_leader_tests();
	add_search_tests();
	add_typo_tests();
	add_search_es_tests();
	add_search_wire_tests();
	add_search_frame_tests();
	add_sx_sigs_tests();
	add_sx_entries_tests();
	add_sx_post_tests();
	add_sx_slab_tests();
	add_sx_pghash_tests();
	add_pay_remote_tests();
	add_pay_seal_tests();
	add_mail_tests();
	add_image_tests();
	add_money_tests();
	add_postal_tests();
	add_maillink_tests();
	add_event_tests();
	add_ledger_tests();
	add_buybox_tests();
	add_cart_tests();
	add_payment_tests();
	add_order_tests();
	add_inventory_tests();
	add_checkout_tests();
	add_session_tests();
	add_auth_tests();
	add_seller_tests();
	add_csv_tests();
	add_throttle_tests();
	add_flash_tests();
	add_flash_push_tests();
	add_sx_index_tests();
	add_sx_tsq_tests();
	add_sx_rank_tests();
	add_sx_pg_grid_tests();
	add_sx_search_tests();
	add_svgchart_tests();
	add_admin_tests();
	add_multipart_tests();
	add_photo_tests();
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
	                  CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
