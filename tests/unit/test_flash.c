/* test_flash: lib/shop/flash* — signed tickets and passes (a tampered
 * byte, another session, expiry), the admission rule, the pre-queue
 * shuffle (a permutation, the same in every process), and the Lua
 * scripts' edge cases on the live Redis. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buy_live.h"
#include "shop/flash.h"
#include "shop/flash_pass.h"

#define SECRET "0123456789abcdef0123456789abcdef-test"

static ctx *L; /* on the live Redis and PostgreSQL */
static int64_t sale_id;

static int setup(void)
{
	setenv("SOUK_FLASH_SECRET", SECRET, 1);
	flash_register();
	L = buy_live_ctx();
	srand((unsigned)time(NULL));
	/* far above any real sale: these keys are this suite's own */
	sale_id = 900000000 + rand() % 1000000;
	return 0;
}

static int teardown(void)
{
	app_ctx_free(L);
	return 0;
}

static void test_token_roundtrip(void)
{
	str k = STR(SECRET);
	flash_token t = {42, 7, 1700000000}, got;
	const char *tok = flash_token_sign(t_a, k, FLASH_PASS, &t, "s:abc");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT(flash_token_verify(t_a, k, FLASH_PASS, str_c(tok), "s:abc", &got));
	CU_ASSERT_EQUAL(got.sale, 42);
	CU_ASSERT_EQUAL(got.ticket, 7);
	CU_ASSERT_EQUAL(got.n, 1700000000);
	/* every byte matters: flip each one in turn */
	size_t n = strlen(tok);
	char *bad = arena_alloc(t_a, n + 1);
	for (size_t i = 0; i < n; i++) {
		memcpy(bad, tok, n + 1);
		bad[i] = bad[i] == '1' ? '2' : '1';
		CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, str_c(bad), "s:abc", NULL));
	}
	/* another session, another kind, another key, cut or padded */
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, str_c(tok), "s:abd", NULL));
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, str_c(tok), "", NULL));
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_TICKET, str_c(tok), "s:abc", NULL));
	CU_ASSERT_FALSE(flash_token_verify(t_a, STR("another secret of enough length....."),
	                                   FLASH_PASS, str_c(tok), "s:abc", NULL));
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, (str){tok, n - 1}, "s:abc", NULL));
	memcpy(bad, tok, n);
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, (str){bad, n - 2}, "s:abc", NULL));
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, STR(""), "s:abc", NULL));
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, STR("1.2.3.zz"), "s:abc", NULL));
	CU_ASSERT_FALSE(flash_token_verify(t_a, k, FLASH_PASS, STR("-1.2.3.00"), "s:abc", NULL));
	/* no secret: nothing is signed, nothing verifies */
	CU_ASSERT_PTR_NULL(flash_token_sign(t_a, STR(""), FLASH_PASS, &t, "s:abc"));
	CU_ASSERT_FALSE(flash_token_verify(t_a, STR(""), FLASH_PASS, str_c(tok), "s:abc", NULL));
}

static void test_pass_expiry(void)
{
	str k = STR(SECRET);
	int64_t now = 1800000000;
	flash_token live = {5, 9, now + 60}, dead = {5, 9, now}, got;
	const char *a = flash_token_sign(t_a, k, FLASH_PASS, &live, "u:12");
	const char *b = flash_token_sign(t_a, k, FLASH_PASS, &dead, "u:12");
	CU_ASSERT(flash_pass_live(t_a, k, str_c(a), "u:12", now, &got));
	CU_ASSERT_EQUAL(got.ticket, 9);
	CU_ASSERT_FALSE(flash_pass_live(t_a, k, str_c(a), "u:12", now + 60, NULL));
	CU_ASSERT_FALSE(flash_pass_live(t_a, k, str_c(b), "u:12", now, NULL));
	CU_ASSERT_FALSE(flash_pass_live(t_a, k, str_c(a), "u:13", now, NULL));
	/* a ticket is not a pass, however its number reads */
	const char *t = flash_token_sign(t_a, k, FLASH_TICKET, &live, "u:12");
	CU_ASSERT_FALSE(flash_pass_live(t_a, k, str_c(t), "u:12", now, NULL));
}

static void test_admit_rule(void)
{
	/* active, max_active, tokens, units_left, over_pct, waiting */
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 1000, 1000, 150, 5000), 100); /* max_active */
	CU_ASSERT_EQUAL(flash_admit_count(40, 100, 1000, 1000, 150, 5000), 60);
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 7, 1000, 150, 5000), 7);      /* the rate */
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 1000, 1000, 150, 3), 3);      /* who waits */
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 1000, 10, 150, 5000), 15);    /* 1.5 x units */
	CU_ASSERT_EQUAL(flash_admit_count(14, 100, 1000, 10, 150, 5000), 1);
	CU_ASSERT_EQUAL(flash_admit_count(15, 100, 1000, 10, 150, 5000), 0);
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 1000, 1, 150, 5000), 2);      /* rounds up */
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 1000, 1, 100, 5000), 1);
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 1000, 0, 150, 5000), 0);      /* sold out */
	CU_ASSERT_EQUAL(flash_admit_count(120, 100, 1000, 1000, 150, 5000), 0); /* never negative */
	CU_ASSERT_EQUAL(flash_admit_count(0, 100, 0, 1000, 150, 5000), 0);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void test_shuffle(void)
{
	enum { N = 5000 };
	static int64_t t[N], u[N];
	for (int i = 0; i < N; i++)
		t[i] = u[i] = i + 1;
	flash_shuffle(STR(SECRET), 3, t, N);
	/* shuffled: far from arrival order */
	int fixed = 0;
	for (int i = 0; i < N; i++)
		fixed += t[i] == i + 1;
	CU_ASSERT(fixed < 50);
	/* the same order every time (any process, a rebuild after a loss) */
	flash_shuffle(STR(SECRET), 3, u, N);
	CU_ASSERT_EQUAL(memcmp(t, u, sizeof(t)), 0);
	/* another sale draws another order */
	for (int i = 0; i < N; i++)
		u[i] = i + 1;
	flash_shuffle(STR(SECRET), 4, u, N);
	CU_ASSERT_NOT_EQUAL(memcmp(t, u, sizeof(t)), 0);
	/* a permutation: every ticket once */
	qsort(t, N, sizeof(t[0]), cmp64);
	for (int i = 0; i < N; i++)
		CU_ASSERT_EQUAL_FATAL(t[i], i + 1);
	/* pre-queue scores are below every post-start score, which keep
	 * arrival order */
	CU_ASSERT(flash_queue_score(STR(SECRET), 3, 99999, true) < FLASH_POST_START);
	CU_ASSERT(flash_queue_score(STR(SECRET), 3, 1, false) < flash_queue_score(STR(SECRET), 3, 2, false));
	CU_ASSERT(flash_queue_score(STR(SECRET), 3, 1, false) >= FLASH_POST_START);
}

static redisReply *cmd(const char *a, const char *b, const char *c)
{
	const char *argv[] = {a, b, c};
	return rds_cmd(L, c ? 3 : 2, argv, NULL);
}

static const char *k(const char *name)
{
	buf b;
	buf_init(&b, L->a, 64);
	buf_printf(&b, "flash:%lld:%s", (long long)sale_id, name);
	return b.p;
}

static int64_t get_int(const char *name)
{
	redisReply *r = cmd("GET", k(name), NULL);
	return r && r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : -999;
}

static void wipe(void)
{
	static const char *const names[] = {"seq", "q", "adm", "admitted", "passes", "pexp", "spent",
	                                    "left", "bought", "bucket", "admlog", "sess", "hold", "given", NULL};
	for (int i = 0; names[i]; i++)
		cmd("DEL", k(names[i]), NULL);
}

static flash_sale sale(int64_t units)
{
	int64_t now = time(NULL);
	return (flash_sale){.id = sale_id, .units = units, .price = 100, .prequeue_at = now - 60,
	                    .starts_at = now - 30, .ends_at = now + 3600, .per_customer = 2,
	                    .max_active = 2, .admit_per_min = 60000, .pass_minutes = 5,
	                    .over_admit_pct = 150, .state = "scheduled"};
}

static void test_lua_stock(void)
{
	app_ctx_begin(L);
	wipe();
	flash_sale s = sale(3);
	cmd("SET", k("left"), "3");
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:a", 2), SOUK_OK);
	CU_ASSERT_EQUAL(get_int("left"), 1);
	/* over the per-customer limit: refused, nothing taken */
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:a", 1), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 409);
	ASSERT_STR(str_c(L->err_code), "over_limit");
	CU_ASSERT_EQUAL(get_int("left"), 1);
	ctx_clear(L);
	/* more than is left: refused, nothing taken */
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:b", 2), SOUK_ERR);
	ASSERT_STR(str_c(L->err_code), "sold_out");
	CU_ASSERT_EQUAL(get_int("left"), 1);
	ctx_clear(L);
	/* exactly what is left */
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:b", 1), SOUK_OK);
	CU_ASSERT_EQUAL(get_int("left"), 0);
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:c", 1), SOUK_ERR);
	ASSERT_STR(str_c(L->err_code), "sold_out");
	ctx_clear(L);
	/* giving back: the units and the customer's count; a customer at 0
	 * leaves the hash */
	flash_stock_give(L, &s, "s:b", 1, 0);
	CU_ASSERT_EQUAL(get_int("left"), 1);
	redisReply *r = cmd("HEXISTS", k("bought"), "s:b");
	CU_ASSERT(r && r->type == REDIS_REPLY_INTEGER && r->integer == 0);
	flash_stock_give(L, &s, "s:a", 1, 0);
	r = cmd("HGET", k("bought"), "s:a");
	CU_ASSERT(r && r->type == REDIS_REPLY_STRING && strcmp(r->str, "1") == 0);
	CU_ASSERT_EQUAL(get_int("left"), 2);
	/* keyed by the order: its units come back once, whoever gives them
	 * (the purchase's give-back and a concurrent cancel) */
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:c", 1), SOUK_OK);
	CU_ASSERT_EQUAL(get_int("left"), 1);
	CU_ASSERT_EQUAL(flash_stock_give(L, &s, "s:c", 1, 4242), 1); /* what it gave */
	CU_ASSERT_EQUAL(get_int("left"), 2);
	CU_ASSERT_EQUAL(flash_stock_give(L, &s, "s:c", 1, 4242), 0);
	CU_ASSERT_EQUAL(get_int("left"), 2);
	r = cmd("HEXISTS", k("bought"), "s:c");
	CU_ASSERT(r && r->type == REDIS_REPLY_INTEGER && r->integer == 0);
	/* another order of the same customer is its own give */
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:c", 1), SOUK_OK);
	flash_stock_give(L, &s, "s:c", 1, 4243);
	CU_ASSERT_EQUAL(get_int("left"), 2);
	/* a give into a cold sale (Redis lost it) adds nothing: PostgreSQL's
	 * figures are read again at the warm-up */
	cmd("DEL", k("left"), NULL);
	CU_ASSERT_EQUAL(flash_stock_give(L, &s, "s:a", 1, 0), 0);
	CU_ASSERT_EQUAL(get_int("left"), -999);
	/* a cold sale that PostgreSQL does not know: 404, never a crash */
	CU_ASSERT_EQUAL(flash_stock_take(L, &s, "s:a", 1), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 404);
	wipe();
}

static void test_lua_admission(void)
{
	app_ctx_begin(L);
	wipe();
	flash_sale s = sale(10);
	cmd("SET", k("left"), "10");
	int64_t now = (int64_t)time(NULL) * 1000;
	flash_token t[4];
	for (int i = 0; i < 4; i++) {
		t[i] = (flash_token){sale_id, i + 1, 0};
		CU_ASSERT_EQUAL(flash_rejoin(L, &s, "s:v", "x", &t[i]),
		                SOUK_OK);
	}
	flash_status st;
	/* max_active 2: the first two in line are admitted, the others wait */
	CU_ASSERT_EQUAL(flash_poll(L, &s, &t[3], now, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "waiting");
	CU_ASSERT_EQUAL(st.ahead, 1);
	CU_ASSERT_EQUAL(st.position, 2);
	CU_ASSERT(st.eta_s >= 1);
	CU_ASSERT_EQUAL(flash_poll(L, &s, &t[0], now, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "admitted");
	CU_ASSERT_EQUAL(st.pass_expires, (now + 5 * 60000) / 1000);
	CU_ASSERT_EQUAL(flash_poll(L, &s, &t[1], now, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "admitted");
	CU_ASSERT_EQUAL(flash_poll(L, &s, &t[2], now, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "waiting");
	CU_ASSERT_EQUAL(st.ahead, 0);
	/* paused: nobody more is admitted */
	s.state = "paused";
	CU_ASSERT_EQUAL(flash_poll(L, &s, &t[2], now + 10 * 60000, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "paused");
	/* once the passes expired the next two go in */
	s.state = "scheduled";
	CU_ASSERT_EQUAL(flash_poll(L, &s, &t[2], now + 10 * 60000, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "admitted");
	CU_ASSERT_EQUAL(get_int("admitted"), 4);
	/* an expired pass's owner is told the turn is over, not "admitted" */
	CU_ASSERT_EQUAL(flash_poll(L, &s, &t[0], now + 10 * 60000, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "ended");
	/* no unit left: sold out for everyone, and no admission */
	cmd("SET", k("left"), "0");
	flash_token late = {sale_id, 5, 0};
	CU_ASSERT_EQUAL(flash_rejoin(L, &s, "s:w", "y", &late), SOUK_OK);
	CU_ASSERT_EQUAL(flash_poll(L, &s, &late, now + 30 * 60000, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "sold_out");
	CU_ASSERT_EQUAL(get_int("admitted"), 4);
	wipe();
}

static void test_lua_over_admission(void)
{
	app_ctx_begin(L);
	wipe();
	flash_sale s = sale(1);
	s.max_active = 100;
	cmd("SET", k("left"), "1");
	int64_t now = (int64_t)time(NULL) * 1000;
	for (int i = 1; i <= 10; i++) {
		flash_token t = {sale_id, i, 0};
		flash_rejoin(L, &s, "s:z", "z", &t);
	}
	flash_token last = {sale_id, 10, 0};
	flash_status st;
	CU_ASSERT_EQUAL(flash_poll(L, &s, &last, now, &st), SOUK_OK);
	/* one unit left, factor 1.5: two passes, not a hundred */
	CU_ASSERT_EQUAL(get_int("admitted"), 2);
	CU_ASSERT_EQUAL(st.ahead, 7);
	wipe();
}

static const char *hget(const char *name, const char *field)
{
	redisReply *r = cmd("HGET", k(name), field);
	return r && r->type == REDIS_REPLY_STRING ? r->str : "";
}

/* bench/flash.sh: thousands in line poll; a poll that admits nobody must
 * write nothing (each write was an AOF append, and the AOF's rewrites took
 * the status poll's CPU), and the rate must come out the same. */
static void test_lua_poll_writes_nothing(void)
{
	app_ctx_begin(L);
	wipe();
	flash_sale s = sale(100);
	s.max_active = 100;
	s.admit_per_min = 60; /* one a second, a bucket of 10 */
	cmd("SET", k("left"), "100");
	int64_t now = (int64_t)time(NULL) * 1000;
	char at[32];
	for (int i = 1; i <= 12; i++) {
		flash_token t = {sale_id, i, 0};
		flash_rejoin(L, &s, "s:r", "r", &t);
	}
	flash_token last = {sale_id, 12, 0};
	flash_status st;
	CU_ASSERT_EQUAL(flash_poll(L, &s, &last, now, &st), SOUK_OK);
	CU_ASSERT_EQUAL(get_int("admitted"), 10);
	snprintf(at, sizeof(at), "%lld", (long long)now);
	ASSERT_STR(str_c(hget("bucket", "ts")), at);
	/* half a token later: nobody admitted, the bucket untouched */
	CU_ASSERT_EQUAL(flash_poll(L, &s, &last, now + 500, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "waiting");
	CU_ASSERT_EQUAL(get_int("admitted"), 10);
	ASSERT_STR(str_c(hget("bucket", "ts")), at);
	/* a second after the admission: the token the two polls earned */
	CU_ASSERT_EQUAL(flash_poll(L, &s, &last, now + 1000, &st), SOUK_OK);
	CU_ASSERT_EQUAL(get_int("admitted"), 11);
	snprintf(at, sizeof(at), "%lld", (long long)(now + 1000));
	ASSERT_STR(str_c(hget("bucket", "ts")), at);
	/* Redis forgot the scripts (a restart, SCRIPT FLUSH): loaded again */
	cmd("SCRIPT", "FLUSH", NULL);
	CU_ASSERT_EQUAL(flash_poll(L, &s, &last, now + 1500, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "waiting");
	CU_ASSERT_EQUAL(st.ahead, 0);
	CU_ASSERT_EQUAL(flash_poll(L, &s, &last, now + 2000, &st), SOUK_OK);
	ASSERT_STR(str_c(st.state), "admitted");
	CU_ASSERT_EQUAL(get_int("admitted"), 12);
	wipe();
}

static void test_origin(void)
{
	const char *good[] = {"https://flash.example.com", "http://127.0.0.1:8081", "https://FLASH.shop-1.example:443"};
	const char *bad[] = {NULL, "", "flash.example.com", "https://", "ftp://flash.example.com",
	                     "https://flash.example.com/", "https://flash.example.com/flash", "https://a@b.example",
	                     "https://flash.example.com:", "https://flash.example.com:123456", "https://x.example?q",
	                     "https://x.example\"><script>", "javascript:alert(1)", "https://-x.example",
	                     "https://x.example:80x"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		CU_ASSERT_TRUE(flash_origin_ok(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (flash_origin_ok(bad[i]))
			fprintf(stderr, "flash_origin_ok accepted %s\n", bad[i] ? bad[i] : "NULL");
		CU_ASSERT_FALSE(flash_origin_ok(bad[i]));
	}
	char longer[260] = "https://";
	memset(longer + 8, 'a', 240);
	longer[248] = '\0';
	CU_ASSERT_FALSE(flash_origin_ok(longer));
}

void add_flash_tests(void)
{
	CU_pSuite u = CU_add_suite("flash", t_arena_setup, t_arena_teardown);
	CU_add_test(u, "tokens: round trip, every tampered byte, another session/kind/key", test_token_roundtrip);
	CU_add_test(u, "pass expiry", test_pass_expiry);
	CU_add_test(u, "the admission rule", test_admit_rule);
	CU_add_test(u, "the pre-queue shuffle is a stable permutation", test_shuffle);
	CU_add_test(u, "SOUK_FLASH_ORIGIN: bare http(s) origins only", test_origin);
	CU_pSuite s = CU_add_suite("flash (live Redis)", setup, teardown);
	CU_add_test(s, "Lua: take / give edge cases", test_lua_stock);
	CU_add_test(s, "Lua: admission, pause, expiry, sold out", test_lua_admission);
	CU_add_test(s, "Lua: over-admission stops at 1.5 x units", test_lua_over_admission);
	CU_add_test(s, "Lua: a poll that admits nobody writes nothing; scripts reloaded", test_lua_poll_writes_nothing);
}
