/* tests: CUnit suites, one per library module. */
#ifndef SOUK_TESTS_H
#define SOUK_TESTS_H

#include <CUnit/CUnit.h>

void add_arena_tests(void);
void add_buf_tests(void);
void add_req_tests(void);
void add_resp_tests(void);
void add_router_tests(void);

#endif
