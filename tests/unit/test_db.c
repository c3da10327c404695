/* test_db: lib/db on a live PostgreSQL (SOUK_TEST_DATABASE_URL); 503 when down. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "tests.h"

static const db_stmt stmts[] = {
	{"ut_add", "SELECT $1::int + 1 AS n"},
	{"ut_types", "SELECT 42::bigint AS i, -7 AS neg, true AS t, false AS f, NULL::int AS z, "
	             "'x'::text AS s"},
	{"ut_pid", "SELECT pg_backend_pid() AS pid"},
	{"ut_kill", "SELECT pg_terminate_backend($1::int, 5000) AS ok"},
	{"ut_kill_self", "SELECT pg_terminate_backend(pg_backend_pid())"},
	/* a real unique / check violation on a TEMP table; the failed DO
	 * rolls the table back, so the statements can run again */
	{"ut_unique", "DO $$BEGIN CREATE TEMP TABLE ut_u (id int PRIMARY KEY); "
	              "INSERT INTO ut_u VALUES (1); INSERT INTO ut_u VALUES (1); END$$"},
	{"ut_check", "DO $$BEGIN CREATE TEMP TABLE ut_c (n int CHECK (n > 0)); "
	             "INSERT INTO ut_c VALUES (0); END$$"},
	{"ut_div", "SELECT 1 / $1::int AS q"},
	{"ut_set", "SELECT set_config('souk.ut', $1, true) AS v"},
	{"ut_get", "SELECT current_setting('souk.ut', true) AS v"},
	/* a session that refuses writes, as on a primary demoted by a failover */
	{"ut_ro", "SELECT set_config('default_transaction_read_only', 'on', false) AS v"},
	{"ut_write", "CREATE TEMP TABLE IF NOT EXISTS ut_w (n int)"},
};

static ctx *C, *C2; /* C2: a second connection, to kill C's backend */

static ctx *live_ctx(void)
{
	ctx *c = t_ctx_new(0);
	db_free(c->db);
	c->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	return c;
}

static int setup(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	C = live_ctx();
	C2 = live_ctx();
	return 0;
}

static int teardown(void)
{
	app_ctx_free(C);
	app_ctx_free(C2);
	return 0;
}

/* ut_add(v) on a fresh request: the result, or NULL with the failure in C. */
static db_res *add(ctx *c, const char *v)
{
	app_ctx_begin(c);
	const char *p[] = {v};
	return db_exec(c, "ut_add", 1, p);
}

static void assert_fail(ctx *c, int status, const char *code, const char *state)
{
	CU_ASSERT_EQUAL(c->err_status, status);
	ASSERT_CSTR(c->err_code, code);
	if (state)
		ASSERT_CSTR(db_sqlstate(c->db), state);
}

static void test_exec(void)
{
	db_res *r = add(C, "41");
	CU_ASSERT_PTR_NOT_NULL(r);
	if (!r)
		return;
	CU_ASSERT_EQUAL(db_rows(r), 1);
	CU_ASSERT_EQUAL(db_affected(r), 1);
	ASSERT_CSTR(db_val(r, 0, "n"), "42");
	CU_ASSERT_EQUAL(db_i64(r, 0, "n"), 42);
	CU_ASSERT_EQUAL(C->err_status, 0);
	ASSERT_CSTR(db_sqlstate(C->db), "");
	ASSERT_CSTR(db_param_i64(C, -9007199254740993), "-9007199254740993");
	r = add(C, NULL); /* SQL NULL parameter */
	CU_ASSERT(r && db_null(r, 0, "n") && db_i64(r, 0, "n") == 0);
}

/* A result dropped before its request's end: it reads as no rows, a second
 * drop and the request's end free nothing twice (ASan). */
static void test_res_drop(void)
{
	db_res *r = add(C, "41");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	ASSERT_CSTR(db_val(r, 0, "n"), "42");
	db_res_drop(r);
	CU_ASSERT_EQUAL(db_rows(r), 0);
	CU_ASSERT_PTR_NULL(db_val(r, 0, "n"));
	CU_ASSERT_EQUAL(db_i64(r, 0, "n"), 0);
	db_res_drop(r);
	r = add(C, "1"); /* the request's end ran the deferred clear */
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	ASSERT_CSTR(db_val(r, 0, "n"), "2");
}

static void test_getters(void)
{
	app_ctx_begin(C);
	db_res *r = db_exec(C, "ut_types", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL(r);
	if (!r)
		return;
	CU_ASSERT_EQUAL(db_i64(r, 0, "i"), 42);
	CU_ASSERT_EQUAL(db_i64(r, 0, "neg"), -7);
	CU_ASSERT_TRUE(db_bool(r, 0, "t"));
	CU_ASSERT_FALSE(db_bool(r, 0, "f"));
	CU_ASSERT_TRUE(db_null(r, 0, "z"));
	CU_ASSERT_PTR_NULL(db_val(r, 0, "z"));
	CU_ASSERT_FALSE(db_null(r, 0, "s"));
	ASSERT_CSTR(db_val(r, 0, "s"), "x");
	CU_ASSERT_FALSE(db_bool(r, 0, "s"));
	CU_ASSERT_PTR_NULL(db_val(r, 0, "nope")); /* unknown column */
	CU_ASSERT_TRUE(db_null(r, 0, "nope"));
	CU_ASSERT_EQUAL(db_i64(r, 0, "nope"), 0);
	CU_ASSERT_PTR_NULL(db_val(r, 1, "i")); /* row out of range */
	CU_ASSERT_PTR_NULL(db_val(r, -1, "i"));
	CU_ASSERT_EQUAL(db_i64(r, 0, "s"), 0); /* not a number */
}

static void test_error_mapping(void)
{
	app_ctx_begin(C);
	CU_ASSERT_PTR_NULL(db_exec(C, "ut_unique", 0, NULL));
	assert_fail(C, 409, "conflict", "23505");
	app_ctx_begin(C);
	CU_ASSERT_PTR_NULL(db_exec(C, "ut_check", 0, NULL));
	assert_fail(C, 409, "conflict", "23514");
	app_ctx_begin(C);
	const char *zero[] = {"0"};
	CU_ASSERT_PTR_NULL(db_exec(C, "ut_div", 1, zero));
	assert_fail(C, 500, "internal", "22012");
	ASSERT_CSTR(C->err_msg, "internal error"); /* no SQL detail for the client */
	CU_ASSERT_PTR_NULL(add(C, "abc"));
	assert_fail(C, 500, "internal", "22P02");
	app_ctx_begin(C);
	CU_ASSERT_PTR_NULL(db_exec(C, "ut_no_such_statement", 0, NULL));
	assert_fail(C, 500, "internal", "26000");
	CU_ASSERT_PTR_NOT_NULL(add(C, "1")); /* the connection is still fine */
	ASSERT_CSTR(db_sqlstate(C->db), "");
}

/* souk.ut as this connection sees it now ("" or NULL when unset). */
static const char *setting(ctx *c)
{
	db_res *r = db_exec(c, "ut_get", 0, NULL);
	const char *v = r ? db_val(r, 0, "v") : "(failed)";
	return v ? v : "";
}

static void test_transactions(void)
{
	const char *x[] = {"x"}, *y[] = {"y"};
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(db_begin(C), SOUK_OK);
	CU_ASSERT_PTR_NOT_NULL(db_exec(C, "ut_set", 1, x));
	ASSERT_CSTR(setting(C), "x");
	db_request_end(C->db); /* the dispatcher rolls back an open transaction */
	app_ctx_begin(C);
	ASSERT_CSTR(setting(C), "");

	CU_ASSERT_EQUAL(db_begin(C), SOUK_OK);
	CU_ASSERT_PTR_NOT_NULL(db_exec(C, "ut_set", 1, y));
	CU_ASSERT_EQUAL(db_commit(C), SOUK_OK);
	ASSERT_CSTR(setting(C), ""); /* SET LOCAL ends with the transaction */
	CU_ASSERT_EQUAL(db_begin(C), SOUK_OK);
	db_rollback(C);
	CU_ASSERT_EQUAL(C->err_status, 0);
	CU_ASSERT_TRUE(db_ping(C));
}

/* db_tx_join/leave: own a transaction only when none is open. */
static void test_tx_join(void)
{
	const char *x[] = {"x"};
	bool own;
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(db_tx_join(C, &own), SOUK_OK); /* none open: owns one */
	CU_ASSERT_TRUE(own);
	CU_ASSERT_TRUE(db_in_tx(C->db));
	CU_ASSERT_EQUAL(db_tx_leave(C, own, SOUK_ERR), SOUK_ERR); /* rolled back */
	CU_ASSERT_FALSE(db_in_tx(C->db));

	CU_ASSERT_EQUAL(db_begin(C), SOUK_OK); /* the caller's transaction */
	CU_ASSERT_EQUAL(db_tx_join(C, &own), SOUK_OK);
	CU_ASSERT_FALSE(own);
	CU_ASSERT_PTR_NOT_NULL(db_exec(C, "ut_set", 1, x));
	CU_ASSERT_EQUAL(db_tx_leave(C, own, SOUK_ERR), SOUK_ERR); /* not ours to end */
	CU_ASSERT_TRUE(db_in_tx(C->db));
	ASSERT_CSTR(setting(C), "x"); /* the caller's work is still there */
	db_rollback(C);
	CU_ASSERT_EQUAL(db_tx_join(C, &own), SOUK_OK);
	CU_ASSERT_EQUAL(db_tx_leave(C, own, SOUK_OK), SOUK_OK); /* committed */
	CU_ASSERT_FALSE(db_in_tx(C->db));
}

static int64_t backend_pid(ctx *c)
{
	app_ctx_begin(c);
	db_res *r = db_exec(c, "ut_pid", 0, NULL);
	return r ? db_i64(r, 0, "pid") : -1;
}

/* Kills C's backend from the second connection; returns the old pid. */
static int64_t kill_backend_of_c(void)
{
	int64_t pid = backend_pid(C);
	CU_ASSERT(pid > 0);
	app_ctx_begin(C2);
	const char *p[] = {db_param_i64(C2, pid)};
	db_res *k = db_exec(C2, "ut_kill", 1, p);
	CU_ASSERT(k && db_bool(k, 0, "ok"));
	return pid;
}

static void test_reconnect_after_kill(void)
{
	int64_t pid = kill_backend_of_c();
	app_ctx_begin(C);
	db_res *r = add(C, "1"); /* an idle dead connection is noticed first */
	CU_ASSERT(r && db_i64(r, 0, "n") == 2);
	CU_ASSERT_EQUAL(C->err_status, 0);
	int64_t pid2 = backend_pid(C);
	CU_ASSERT(pid2 > 0 && pid2 != pid);
}

static void test_kill_inside_transaction(void)
{
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(db_begin(C), SOUK_OK);
	int64_t pid = -1;
	db_res *r = db_exec(C, "ut_pid", 0, NULL);
	if (r)
		pid = db_i64(r, 0, "pid");
	app_ctx_begin(C2);
	const char *p[] = {db_param_i64(C2, pid)};
	CU_ASSERT_PTR_NOT_NULL(db_exec(C2, "ut_kill", 1, p));
	/* never a silent reconnect mid-transaction: the request gets 503 */
	CU_ASSERT_PTR_NULL(db_exec(C, "ut_pid", 0, NULL));
	assert_fail(C, 503, "unavailable", NULL);
	ASSERT_CSTR(C->err_msg, "the database is unavailable, please try again");
	db_request_end(C->db);
	app_ctx_begin(C);
	r = add(C, "1"); /* and the next request reconnects */
	CU_ASSERT(r && db_i64(r, 0, "n") == 2);
}

static void test_reconnect_after_self_kill(void)
{
	app_ctx_begin(C);
	CU_ASSERT_PTR_NULL(db_exec(C, "ut_kill_self", 0, NULL));
	assert_fail(C, 503, "unavailable", NULL);
	db_res *r = add(C, "2");
	CU_ASSERT(r && db_i64(r, 0, "n") == 3);
}

/* 25006 outside a transaction: the connection went to a server that is a
 * standby now; one reconnect (to the primary) and the statement runs. */
static void test_read_only_reconnects(void)
{
	app_ctx_begin(C);
	CU_ASSERT_PTR_NOT_NULL(db_exec(C, "ut_ro", 0, NULL));
	int64_t pid = backend_pid(C);
	app_ctx_begin(C);
	CU_ASSERT_PTR_NOT_NULL(db_exec(C, "ut_write", 0, NULL));
	CU_ASSERT_EQUAL(C->err_status, 0);
	int64_t pid2 = backend_pid(C);
	CU_ASSERT(pid2 > 0 && pid2 != pid);
	/* inside a transaction: never a silent reconnect, 503 */
	app_ctx_begin(C);
	CU_ASSERT_PTR_NOT_NULL(db_exec(C, "ut_ro", 0, NULL));
	CU_ASSERT_EQUAL(db_begin(C), SOUK_OK);
	CU_ASSERT_PTR_NULL(db_exec(C, "ut_write", 0, NULL));
	assert_fail(C, 503, "unavailable", NULL);
	db_request_end(C->db);
	app_ctx_begin(C);
	CU_ASSERT_PTR_NOT_NULL(db_exec(C, "ut_write", 0, NULL));
}

static void test_unreachable(void)
{
	ctx *c = t_ctx_new(0); /* host=/nonexistent/souk-unit */
	const char *p[] = {"1"};
	CU_ASSERT_PTR_NULL(db_exec(c, "ut_add", 1, p));
	CU_ASSERT_EQUAL(c->err_status, 503);
	ASSERT_CSTR(c->err_code, "unavailable");
	app_ctx_begin(c);
	CU_ASSERT_EQUAL(db_begin(c), SOUK_ERR);
	CU_ASSERT_EQUAL(c->err_status, 503);
	app_ctx_begin(c);
	CU_ASSERT_FALSE(db_ping(c));
	CU_ASSERT_EQUAL(c->err_status, 0); /* ping never records */
	app_ctx_free(c);
}

/* ---- COPY out ---- */

/* Two rows with what COPY must escape (tab, newline, backslash), a NULL,
 * an empty string, a number and an array. */
static const char copy_sql[] =
	"COPY (SELECT n, CASE n WHEN 1 THEN E'a\\tb\\\\c\\nd' ELSE '' END AS s,"
	" CASE n WHEN 1 THEN NULL ELSE 'x' END AS z, ARRAY['p q', 'r'] AS arr"
	" FROM generate_series(1, 2) n) TO STDOUT";

typedef struct {
	int rows, stop_at;
	char got[4][256];
	size_t lens[4][4];
	int ncols;
} copy_seen;

static int copy_row(void *arg, char **cols, const size_t *lens, int ncols)
{
	copy_seen *s = arg;
	if (++s->rows == s->stop_at)
		return -1;
	s->ncols = ncols;
	int r = s->rows - 1;
	size_t o = 0, cap = sizeof(s->got[0]);
	/* each field then '|' (NULL as "NULL"), bytes as they came */
	for (int i = 0; i < ncols && i < 4 && r < 4; i++) {
		s->lens[r][i] = lens[i];
		const char *v = cols[i] ? cols[i] : "NULL";
		size_t n = cols[i] ? lens[i] : 4;
		if (o + n + 2 > cap)
			break;
		memcpy(s->got[r] + o, v, n);
		o += n;
		s->got[r][o++] = '|';
		s->got[r][o] = '\0';
	}
	return 0;
}

static void test_copy_text(void)
{
	app_ctx_begin(C);
	copy_seen s = {0};
	CU_ASSERT_EQUAL(db_copy_out(C, copy_sql, false, copy_row, &s), SOUK_OK);
	CU_ASSERT_EQUAL(s.rows, 2);
	CU_ASSERT_EQUAL(s.ncols, 4);
	ASSERT_CSTR(s.got[0], "1|a\tb\\c\nd|NULL|{\"p q\",r}|");
	ASSERT_CSTR(s.got[1], "2||x|{\"p q\",r}|");
	CU_ASSERT_EQUAL(s.lens[0][1], 7);
	CU_ASSERT_EQUAL(s.lens[1][1], 0);
}

static void test_copy_binary(void)
{
	app_ctx_begin(C);
	copy_seen s = {0};
	char sql[512];
	snprintf(sql, sizeof(sql), "%.*s TO STDOUT (FORMAT binary)",
	         (int)(strlen(copy_sql) - strlen(" TO STDOUT")), copy_sql);
	CU_ASSERT_EQUAL(db_copy_out(C, sql, true, copy_row, &s), SOUK_OK);
	CU_ASSERT_EQUAL(s.rows, 2);
	CU_ASSERT_EQUAL(s.ncols, 4);
	/* int4 in network order, text as is, NULL as NULL */
	CU_ASSERT_EQUAL(s.lens[0][0], 4);
	CU_ASSERT_EQUAL(memcmp(s.got[0], "\0\0\0\1|a\tb\\c\nd|NULL|", 17), 0);
	CU_ASSERT_EQUAL(s.lens[1][1], 0);
	CU_ASSERT_EQUAL(s.lens[1][2], 1);
	/* a one-dimensional text[] of 2: 20 header bytes + (4 + 3) + (4 + 1) */
	CU_ASSERT_EQUAL(s.lens[0][3], 32);
}

static void test_copy_refused_row(void)
{
	app_ctx_begin(C);
	copy_seen s = {.stop_at = 1};
	CU_ASSERT_EQUAL(db_copy_out(C, copy_sql, false, copy_row, &s), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 500);
	/* the connection was dropped mid-COPY; the next use reconnects */
	db_res *r = add(C, "41");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(db_i64(r, 0, "n"), 42);
	/* not a COPY: an error, not a hang */
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(db_copy_out(C, "COPY (SELECT 1/0) TO STDOUT", false, copy_row, &s), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 500);
}

/* A row callback that runs a query on the COPY's own connection: libpq
 * ends the COPY under it, and the next PQgetCopyData answers -2 ("no COPY
 * in progress") with the connection status still OK. */
static int copy_row_query(void *arg, char **cols, const size_t *lens, int ncols)
{
	(void)cols, (void)lens, (void)ncols;
	db_exec(arg, "ut_pid", 0, NULL);
	return 0;
}

static void test_copy_minus_two(void)
{
	app_ctx_begin(C);
	CU_ASSERT_EQUAL_FATAL(db_begin(C), SOUK_OK); /* in_tx: no idle-socket check */
	db_res *r = db_exec(C, "ut_pid", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	int64_t pid = db_i64(r, 0, "pid");
	CU_ASSERT_EQUAL(db_copy_out(C, copy_sql, false, copy_row_query, C), SOUK_ERR);
	CU_ASSERT(C->err_status >= 500);
	/* the connection of the broken COPY was dropped, not kept */
	CU_ASSERT_FALSE(db_in_tx(C->db));
	db_request_end(C->db);
	r = add(C, "41"); /* the next query on the same db works */
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(db_i64(r, 0, "n"), 42);
	int64_t pid2 = backend_pid(C);
	CU_ASSERT(pid2 > 0 && pid2 != pid);
}

/* Registering the same statements again (several modules share one) is
 * a no-op: the statement still prepares and runs. */
/* ---- COPY out in parts ---- */

/* Part k: the numbers [lo, hi) with the backend and the snapshot seen. */
static const char parts_sql[] =
	"COPY (SELECT n, pg_backend_pid() AS pid, pg_current_snapshot()::text AS snap"
	" FROM generate_series(current_setting('souk.part_lo')::int,"
	" current_setting('souk.part_hi')::int - 1) n) TO STDOUT (FORMAT binary)";

typedef struct {
	int rows, seen[1001], stop_at;
	uint32_t pids[2];
	int npids;
	char snap[128];
	bool snap_differs;
} parts_seen;

static int parts_row(void *arg, char **cols, const size_t *lens, int ncols)
{
	parts_seen *s = arg;
	if (++s->rows == s->stop_at || ncols != 3 || lens[0] != 4 || lens[1] != 4)
		return -1;
	const unsigned char *u = (const unsigned char *)cols[0], *q = (const unsigned char *)cols[1];
	uint32_t n = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
	uint32_t pid = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	if (n < 1001)
		s->seen[n]++;
	if (!(s->npids > 0 && s->pids[0] == pid) && !(s->npids > 1 && s->pids[1] == pid) &&
	    s->npids < 2)
		s->pids[s->npids++] = pid;
	char snap[128];
	snprintf(snap, sizeof(snap), "%.*s", (int)lens[2], cols[2]);
	if (!s->snap[0])
		snprintf(s->snap, sizeof(s->snap), "%s", snap);
	s->snap_differs |= strcmp(snap, s->snap) != 0;
	return 0;
}

/* Two parts on two backends, one snapshot, every row once; a part that
 * fails or a refused row is an error, and the connection works after. */
static void test_copy_parts(void)
{
	app_ctx_begin(C);
	static parts_seen s;
	memset(&s, 0, sizeof(s));
	const char *lo[] = {"1", "400"}, *hi[] = {"400", "1001"};
	CU_ASSERT_EQUAL_FATAL(db_copy_out_parts(C, parts_sql, 2, lo, hi, parts_row, &s), SOUK_OK);
	CU_ASSERT_EQUAL(s.rows, 1000);
	int once = 0;
	for (int n = 1; n <= 1000; n++)
		once += s.seen[n] == 1;
	CU_ASSERT_EQUAL(once, 1000);
	CU_ASSERT_EQUAL(s.npids, 2);
	CU_ASSERT_FALSE(s.snap_differs);
	CU_ASSERT_FALSE(db_in_tx(C->db));
	db_res *r = add(C, "41");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(db_i64(r, 0, "n"), 42);

	/* a part's statement fails: an error, nothing left open */
	app_ctx_begin(C);
	memset(&s, 0, sizeof(s));
	const char *bad[] = {"1", "x"};
	CU_ASSERT_EQUAL(db_copy_out_parts(C, parts_sql, 2, bad, hi, parts_row, &s), SOUK_ERR);
	CU_ASSERT(C->err_status >= 500);
	/* a refused row */
	app_ctx_begin(C);
	memset(&s, 0, sizeof(s));
	s.stop_at = 10;
	CU_ASSERT_EQUAL(db_copy_out_parts(C, parts_sql, 2, lo, hi, parts_row, &s), SOUK_ERR);
	app_ctx_begin(C);
	r = add(C, "41");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(db_i64(r, 0, "n"), 42);
	/* one part: c's connection alone */
	app_ctx_begin(C);
	memset(&s, 0, sizeof(s));
	const char *all_lo[] = {"1"}, *all_hi[] = {"1001"};
	CU_ASSERT_EQUAL(db_copy_out_parts(C, parts_sql, 1, all_lo, all_hi, parts_row, &s), SOUK_OK);
	CU_ASSERT_EQUAL(s.rows, 1000);
	CU_ASSERT_EQUAL(s.npids, 1);
}

static void test_register_twice(void)
{
	static const db_stmt twice[] = {{"ut_twice", "SELECT 'twice'::text AS v"}};
	db_register(twice, 1);
	db_register(twice, 1);
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	app_ctx_begin(C);
	db_res *r = db_exec(C, "ut_twice", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	ASSERT_CSTR(db_val(r, 0, "v"), "twice");
	/* a fresh connection prepares everything once: no duplicate fails it */
	ctx *c = live_ctx();
	const char *p[] = {"1"};
	r = db_exec(c, "ut_twice", 0, NULL);
	CU_ASSERT(r && strcmp(db_val(r, 0, "v"), "twice") == 0);
	r = db_exec(c, "ut_add", 1, p);
	CU_ASSERT(r && db_i64(r, 0, "n") == 2);
	CU_ASSERT_EQUAL(c->err_status, 0);
	app_ctx_free(c);
	/* the same name for other SQL is a programmer error: abort */
	fflush(NULL);
	pid_t child = fork();
	if (child == 0) {
		static const db_stmt other[] = {{"ut_twice", "SELECT 'other'::text AS v"}};
		db_register(other, 1);
		_exit(0);
	}
	int st = 0;
	CU_ASSERT_FATAL(child > 0 && waitpid(child, &st, 0) == child);
	CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}

/* A module registering after the connection opened (souk-searchd's
 * index) gets its statements prepared on the next use. */
static void test_late_register(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(add(C, "1"));
	static const db_stmt late[] = {{"ut_late", "SELECT 'late'::text AS v"}};
	db_register(late, 1);
	app_ctx_begin(C);
	db_res *r = db_exec(C, "ut_late", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	ASSERT_CSTR(db_val(r, 0, "v"), "late");
	CU_ASSERT_PTR_NOT_NULL(add(C, "2"));
}

void add_db_tests(void)
{
	CU_pSuite s = CU_add_suite("db_down", NULL, NULL);
	CU_add_test(s, "unreachable database: 503, ping false", test_unreachable);

	const char *url = getenv("SOUK_TEST_DATABASE_URL");
	if (!url || !*url) {
		printf("db tests skipped: SOUK_TEST_DATABASE_URL unset\n");
		return;
	}
	s = CU_add_suite("db", setup, teardown);
	CU_add_test(s, "db_exec with a registered statement", test_exec);
	CU_add_test(s, "db_res_drop: rows freed early, no rows after, nothing freed twice",
	            test_res_drop);
	CU_add_test(s, "typed getters, unknown column, NULL", test_getters);
	CU_add_test(s, "SQLSTATE mapping: 23505/23514 -> 409, others 500", test_error_mapping);
	CU_add_test(s, "transactions: request end rolls back", test_transactions);
	CU_add_test(s, "db_tx_join/leave end only a transaction they began", test_tx_join);
	CU_add_test(s, "idle killed backend: noticed, reconnects, no error", test_reconnect_after_kill);
	CU_add_test(s, "backend killed mid-transaction: 503, then reconnect", test_kill_inside_transaction);
	CU_add_test(s, "self-terminated backend: 503, then reconnect", test_reconnect_after_self_kill);
	CU_add_test(s, "25006 (a demoted primary): reconnect once outside a transaction, 503 inside",
	            test_read_only_reconnects);
	CU_add_test(s, "COPY out, text: escapes, NULL, empty", test_copy_text);
	CU_add_test(s, "COPY out, binary: send formats", test_copy_binary);
	CU_add_test(s, "COPY out: a refused row, a failing COPY", test_copy_refused_row);
	CU_add_test(s, "statements registered after connecting", test_late_register);
	CU_add_test(s, "COPY out: -2 drops the connection, the next query works", test_copy_minus_two);
	CU_add_test(s, "db_register twice: a no-op; another text aborts", test_register_twice);
	CU_add_test(s, "COPY out in parts: two backends, one snapshot, every row once",
	            test_copy_parts);
}
