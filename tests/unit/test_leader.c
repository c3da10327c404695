/* test_leader: one holder of a job's lock among several connections, handed over when the holder's connection goes. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"
#include "store/leader.h"
#include "tests.h"

#define KEY 7367856999LL /* not a real job's key: a stack under test may lead those */

static const db_stmt stmts[] = {
	{"ut_leader_count",
	 "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1"
	 " AND (classid::bigint << 32 | objid::bigint) = $1::bigint"},
};

static ctx *live_ctx(void)
{
	ctx *c = t_ctx_new(0);
	db_free(c->db);
	c->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	return c;
}

static int64_t holders(ctx *c)
{
	app_ctx_begin(c);
	const char *p[] = {db_param_i64(c, KEY)};
	db_res *r = db_exec(c, "ut_leader_count", 1, p);
	return r ? db_i64(r, 0, "n") : -1;
}

static void test_one_leader(void)
{
	leader_register();
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	ctx *a = live_ctx(), *b = live_ctx();
	app_ctx_begin(a);
	CU_ASSERT_TRUE(leader_hold(a, KEY));
	app_ctx_begin(b);
	CU_ASSERT_FALSE(leader_hold(b, KEY));
	for (int i = 0; i < 3; i++) { /* asking again neither stacks nor loses it */
		app_ctx_begin(a);
		CU_ASSERT_TRUE(leader_hold(a, KEY));
	}
	CU_ASSERT_EQUAL(holders(b), 1);
	app_ctx_begin(b);
	CU_ASSERT_FALSE(leader_hold(b, KEY));
	CU_ASSERT_EQUAL(b->err_status, 0);
	/* the leader's connection goes (its host died, a failover): the
	 * other takes over at its next question */
	app_ctx_free(a);
	int took = 0;
	for (int i = 0; i < 50 && !took; i++) {
		app_ctx_begin(b);
		took = leader_hold(b, KEY);
		if (!took)
			usleep(20000);
	}
	CU_ASSERT_TRUE(took);
	CU_ASSERT_EQUAL(holders(b), 1);
	app_ctx_free(b);

	/* PostgreSQL unreachable: not the leader, and no failure recorded */
	ctx *down = t_ctx_new(0); /* host=/nonexistent */
	CU_ASSERT_FALSE(leader_hold(down, KEY));
	CU_ASSERT_EQUAL(down->err_status, 0);
	app_ctx_free(down);
}

void add_leader_tests(void)
{
	const char *url = getenv("SOUK_TEST_DATABASE_URL");
	if (!url || !*url) {
		printf("leader tests skipped: SOUK_TEST_DATABASE_URL unset\n");
		return;
	}
	CU_pSuite s = CU_add_suite("leader", NULL, NULL);
	CU_add_test(s, "one leader; asking again keeps it; handed over when its connection goes",
	            test_one_leader);
}
