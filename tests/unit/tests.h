/* tests: CUnit suites, one per library module, and their shared fixtures. */
#ifndef SOUK_TESTS_H
#define SOUK_TESTS_H

#include <CUnit/CUnit.h>

#include "http/app.h"
#include "search/sx/sx_index.h"

void add_arena_tests(void);
void add_buf_tests(void);
void add_svgchart_tests(void);
void add_admin_tests(void);
void add_req_tests(void);
void add_resp_tests(void);
void add_router_tests(void);
void add_ctx_tests(void);
void add_cfg_tests(void);
void add_unixsock_tests(void);
void add_log_tests(void);
void add_js_tests(void);
void add_tmpl_tests(void);
void add_templates_tests(void);
void add_app_tests(void);
void add_prefork_tests(void);
void add_db_tests(void);
void add_rds_tests(void);
void add_rds_sentinel_tests(void);
void add_leader_tests(void);
void add_search_tests(void);
void add_typo_tests(void);
void add_search_es_tests(void);
void add_search_wire_tests(void);
void add_search_frame_tests(void);
void add_sx_sigs_tests(void);
void add_sx_entries_tests(void);
void add_sx_post_tests(void);
void add_sx_slab_tests(void);
void add_sx_pghash_tests(void);
void add_pay_remote_tests(void);
void add_pay_seal_tests(void);
void add_mail_tests(void);
void add_image_tests(void);
void add_multipart_tests(void);
void add_photo_tests(void);
void add_money_tests(void);
void add_postal_tests(void);
void add_maillink_tests(void);
void add_event_tests(void);
void add_ledger_tests(void);
void add_buybox_tests(void);
void add_cart_tests(void);
void add_payment_tests(void);
void add_order_tests(void);
void add_inventory_tests(void);
void add_checkout_tests(void);
void add_session_tests(void);
void add_auth_tests(void);
void add_seller_tests(void);
void add_csv_tests(void);
void add_throttle_tests(void);
void add_flash_tests(void);
void add_flash_push_tests(void);
void add_sx_index_tests(void);
void add_sx_tsq_tests(void);
void add_sx_rank_tests(void);
void add_sx_pg_grid_tests(void);
void add_sx_search_tests(void);

/* A request context whose db/redis handles point nowhere reachable (an
 * accidental use fails fast with 503 / -1); arena capped at cap (0 = no
 * cap). Free with app_ctx_free. */
ctx *t_ctx_new(size_t cap);

/* Suite fixtures: t_c is such a context (uncapped) for the suite's tests. */
extern ctx *t_c;
int t_ctx_setup(void);
int t_ctx_teardown(void);
/* Suite fixtures: t_a is an uncapped arena for the suite's tests. */
extern arena *t_a;
int t_arena_setup(void);
int t_arena_teardown(void);

/* Suite fixture of the sx_tsq and sx_rank suites (sx_cases_index.c):
 * t_sx_ix holds sx_pg_cases.h's documents, document i as product i + 1;
 * t_sx_cases_doc finds one by product id (NULL: none). */
extern sx_index *t_sx_ix;
int t_sx_cases_setup(void);
int t_sx_cases_teardown(void);
const sx_doc *t_sx_cases_doc(int64_t id);
/* Puts product id with document tsv (tsvector text) and bare columns. */
int t_sx_put(sx_index *ix, int64_t id, const char *tsv);

/* Fills c->rq from a fake CGI environment (NULL-terminated "K=V" array)
 * with the default limits; returns req_from_env's result, *why the reason. */
int t_req(ctx *c, char *const *envp, const char **why);

/* Allocates from a capped arena until it refuses: the cap is reached. */
void t_arena_fill(arena *a);

/* A listening socket on 127.0.0.1:port (0: any free port, written to
 * *bound when not NULL), SO_REUSEADDR so a test can listen again on the
 * port of a server it killed; -1 on failure. */
int t_listen_tcp(int port, int *bound);

/* Runs fn in a forked child and returns its exit status (0 when fn
 * returned; 1 from a sanitizer report, whose SUMMARY line is printed;
 * 128+sig when killed). For code that corrupts memory before a fix. */
int t_in_child(void (*fn)(void));

/* Captures what the code under test writes to fd 2 (logs, warnings);
 * t_stderr_end restores it and returns the text (static buffer). */
void t_stderr_begin(void);
const char *t_stderr_end(void);

/* Equality of a view / C string with an expected C string; a failure
 * shows both values. */
#define ASSERT_STR(got, want) t_assert_str((got), (want), __LINE__, __FILE__)
#define ASSERT_CSTR(got, want) t_assert_cstr((got), (want), __LINE__, __FILE__)
void t_assert_str(str got, const char *want, unsigned line, const char *file);
void t_assert_cstr(const char *got, const char *want, unsigned line, const char *file);

#endif
