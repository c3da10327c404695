/* test_throttle: lib/shop/throttle — SHA-256 fingerprints, back-off steps,
 * counters and locks on the live Redis, the card-testing refusal (429 with
 * Retry-After), and what the dispatcher sends for a 429. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/rnd.h"
#include "shop/throttle.h"
#include "store/rds.h"
#include "tests.h"
#include "http/resp.h"

static ctx *L; /* on the live Redis */

static int setup(void)
{
	L = t_ctx_new(0);
	rds_free(L->rds);
	L->rds = rds_new(getenv("SOUK_TEST_REDIS_URL"));
	return 0;
}

static int teardown(void)
{
	app_ctx_free(L);
	return 0;
}

/* A new request on c from address addr. */
static void begin(ctx *c, const char *addr)
{
	app_ctx_begin(c);
	char ra[96];
	snprintf(ra, sizeof(ra), "REMOTE_ADDR=%s", addr);
	char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x", ra, NULL};
	const char *why;
	CU_ASSERT_EQUAL_FATAL(t_req(c, env, &why), 0);
}

static long long redis_int(ctx *c, const char *cmd, const char *key)
{
	const char *argv[] = {cmd, key};
	redisReply *r = rds_cmd(c, 2, argv, NULL);
	return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -99;
}

static void test_sha256(void)
{
	ASSERT_STR(str_c(throttle_sha256_hex(t_c->a, STR("abc"))),
	           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ASSERT_STR(str_c(throttle_sha256_hex(t_c->a, STR(""))),
	           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_hmac_vector(void)
{
	/* RFC 4231, test case 2 */
	ASSERT_STR(str_c(digest_hmac_sha256_hex(t_c->a, "Jefe", 4, "what do ya want for nothing?", 28)),
	           "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	CU_ASSERT_PTR_NULL(digest_hmac_sha256_hex(t_c->a, "", 0, "x", 1)); /* no key, no fingerprint */
}

/* The card fingerprint is keyed: the same card gives the same one under
 * one secret (whatever its spelling), another secret gives another, and
 * neither the number nor its last 4 can be read from it or recomputed
 * from a bare hash. */
static void test_card_fingerprint(void)
{
	static const unsigned char k1[] = "0123456789abcdef0123456789abcdef";
	static const unsigned char k2[] = "fedcba9876543210fedcba9876543210";
	const char *card = "4000000000000002";
	const char *a = throttle_card_fingerprint(t_c->a, card, k1, 32);
	const char *b = throttle_card_fingerprint(t_c->a, "4000 0000-0000 0002", k1, 32);
	const char *o = throttle_card_fingerprint(t_c->a, card, k2, 32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(strlen(a), 64);
	ASSERT_CSTR(a, b);
	CU_ASSERT(strcmp(a, o) != 0);
	/* HMAC-SHA-256(k1, digits), as Python's hmac module computes it */
	ASSERT_CSTR(a, "e6da6920beb6bc2b32d22106f4d018abb7fa7d39a5262f56ffbcd864d56db1a2");
	CU_ASSERT_PTR_NULL(strstr(a, card));
	CU_ASSERT_PTR_NULL(strstr(a, "0002"));
	CU_ASSERT_PTR_NULL(strstr(o, "0002"));
	/* not the bare SHA-256 of the digits */
	CU_ASSERT(strcmp(a, throttle_sha256_hex(t_c->a, str_c(card))) != 0);
	/* another card, same secret: another fingerprint */
	CU_ASSERT(strcmp(a, throttle_card_fingerprint(t_c->a, "4242424242424242", k1, 32)) != 0);
	/* the keys of a payment carry the configured secret's fingerprint */
	begin(t_c, "192.0.2.7");
	const char *kk[3] = {0};
	CU_ASSERT_EQUAL_FATAL(throttle_card_keys(t_c, "cart-x", card, kk), SOUK_OK);
	const char *want = throttle_card_fingerprint(t_c->a, card, t_c->cfg->fingerprint_key,
	                                             t_c->cfg->fingerprint_key_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_PTR_NOT_NULL(strstr(kk[2], want));
	CU_ASSERT_PTR_NULL(strstr(kk[2], card));
}

static void test_addr_part(void)
{
	ASSERT_STR(str_c(throttle_addr_part(t_c->a, STR("127.0.0.1"))), "127.0.0.1");
	ASSERT_STR(str_c(throttle_addr_part(t_c->a, STR("2001:db8::1"))), "2001:db8::1");
	/* anything else never becomes part of a key as it is */
	const char *h = throttle_addr_part(t_c->a, STR("evil key\r\nDEL x"));
	CU_ASSERT_EQUAL(strlen(h), 64);
	CU_ASSERT_PTR_NULL(strchr(h, ' '));
	ASSERT_STR(str_c(throttle_key(t_c->a, "login:ip", "10.0.0.1")), "throttle:login:ip:10.0.0.1");
}

static void test_backoff(void)
{
	/* an account: nothing before the 5th failure, 15 s doubling, at most 60 s */
	CU_ASSERT_EQUAL(throttle_backoff(4, 5, 15, 60), 0);
	CU_ASSERT_EQUAL(throttle_backoff(5, 5, 15, 60), 15);
	CU_ASSERT_EQUAL(throttle_backoff(6, 5, 15, 60), 30);
	CU_ASSERT_EQUAL(throttle_backoff(7, 5, 15, 60), 60);
	CU_ASSERT_EQUAL(throttle_backoff(1000000, 5, 15, 60), 60);
	/* an address: from the 10th, up to 15 minutes */
	CU_ASSERT_EQUAL(throttle_backoff(9, 10, 15, 900), 0);
	CU_ASSERT_EQUAL(throttle_backoff(13, 10, 15, 900), 120);
	CU_ASSERT_EQUAL(throttle_backoff(16, 10, 15, 900), 900);
}

static void test_hit_wait_lock(void)
{
	begin(L, "10.9.0.1");
	const char *k = throttle_key(L->a, "test", rnd_hex(L->a, 8));
	const char *keys[] = {k};
	CU_ASSERT_EQUAL(throttle_wait(L, 1, keys, 1), 0); /* nothing yet */
	CU_ASSERT_EQUAL(throttle_hit(L, k, 100, false), 1);
	CU_ASSERT_EQUAL(throttle_hit(L, k, 100, false), 2);
	long long ttl = redis_int(L, "TTL", k);
	CU_ASSERT(ttl > 95 && ttl <= 100);
	/* below the threshold: no wait; at it: the counter's TTL */
	CU_ASSERT_EQUAL(throttle_wait(L, 1, keys, 3), 0);
	int w = throttle_wait(L, 1, keys, 2);
	CU_ASSERT(w > 95 && w <= 100);
	/* a sliding window renews; a fixed one does not */
	CU_ASSERT_EQUAL(throttle_hit(L, k, 500, true), 3);
	CU_ASSERT(redis_int(L, "TTL", k) > 495);
	CU_ASSERT_EQUAL(throttle_hit(L, k, 50, false), 4);
	CU_ASSERT(redis_int(L, "TTL", k) > 495);
	/* a lock: the longest of several keys wins */
	const char *lk = throttle_key(L->a, "test:lock", rnd_hex(L->a, 8));
	CU_ASSERT_EQUAL(throttle_lock(L, lk, 7, 30), SOUK_OK);
	const char *two[] = {lk, k};
	w = throttle_wait(L, 2, two, 1);
	CU_ASSERT(w > 495);
	throttle_forget(L, 2, two);
	CU_ASSERT_EQUAL(throttle_wait(L, 2, two, 1), 0);
	CU_ASSERT_EQUAL(redis_int(L, "EXISTS", lk), 0);
}

static void test_card_testing(void)
{
	char ip[32];
	snprintf(ip, sizeof(ip), "10.%u.%u.%u", (unsigned)(rand() % 200), (unsigned)(rand() % 250),
	         (unsigned)(rand() % 250));
	char cart[80], card[40], card2[40];
	begin(L, ip);
	snprintf(cart, sizeof(cart), "cart-%s", rnd_hex(L->a, 8));
	/* a random 16-digit number (not a real card) */
	const char *h = rnd_hex(L->a, 8);
	for (int i = 0; i < 16; i++)
		card[i] = (char)('0' + (h[i] % 10));
	card[16] = '\0';
	/* the same digits with separators: the same card */
	snprintf(card2, sizeof(card2), "%.4s %.4s-%.4s %.4s", card, card + 4, card + 8, card + 12);
	const char *k2[3], *kk[3];
	CU_ASSERT_EQUAL_FATAL(throttle_card_keys(L, cart, card, kk), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(throttle_card_keys(L, cart, card2, k2), SOUK_OK);
	/* own copies: every begin resets the arena */
	char kb[3][128];
	const char *k1[3];
	for (int i = 0; i < 3; i++) {
		snprintf(kb[i], sizeof(kb[i]), "%s", kk[i]);
		k1[i] = kb[i];
	}
	ASSERT_STR(str_c(k2[2]), k1[2]);
	for (int i = 0; i < 3; i++) /* never the card number or the cart id in clear */
		CU_ASSERT(strstr(k1[i], card) == NULL && strstr(k1[i], cart) == NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(k1[1], ip));
	for (int i = 0; i < THROTTLE_DECLINE_AFTER; i++) {
		begin(L, ip);
		CU_ASSERT_EQUAL(throttle_card_check(L, k1), SOUK_OK);
		throttle_card_declined(L, k1);
	}
	/* the 6th try is refused before anything else happens */
	begin(L, ip);
	CU_ASSERT_EQUAL(throttle_card_check(L, k1), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 429);
	ASSERT_STR(str_c(L->err_code), "too_many");
	CU_ASSERT(L->err_retry_after > THROTTLE_DECLINE_WINDOW - 10 &&
	          L->err_retry_after <= THROTTLE_DECLINE_WINDOW);
	CU_ASSERT_PTR_NOT_NULL(strstr(L->err_msg, "try again in"));
	/* another card from another address and cart is still fine ... */
	begin(L, "10.250.250.250");
	const char *k3[3];
	CU_ASSERT_EQUAL_FATAL(throttle_card_keys(L, "another-cart", "4242424242424242", k3), SOUK_OK);
	CU_ASSERT_EQUAL(throttle_card_check(L, k3), SOUK_OK);
	/* ... but the tested card is refused from anywhere */
	const char *k4[3];
	CU_ASSERT_EQUAL_FATAL(throttle_card_keys(L, "another-cart", card2, k4), SOUK_OK);
	CU_ASSERT_EQUAL(throttle_card_check(L, k4), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 429);
	throttle_forget(L, 3, k1);
}

static void test_redis_down(void)
{
	/* t_c's Redis points nowhere: the check lets the checkout go on (it
	 * needs Redis for the cart and answers 503 itself) */
	app_ctx_begin(t_c);
	const char *k[3];
	CU_ASSERT_EQUAL_FATAL(throttle_card_keys(t_c, "c", "4242424242424242", k), SOUK_OK);
	CU_ASSERT_EQUAL(throttle_card_check(t_c, k), SOUK_OK);
	CU_ASSERT_EQUAL(t_c->err_status, 0);
	CU_ASSERT_EQUAL(throttle_hit(t_c, k[0], 10, false), -1);
}

static int page(ctx *c)
{
	return ctx_fail_retry(c, 42, "slow down");
}

static void test_dispatch_429(void)
{
	static const route routes[] = {{"GET", "/limited", page, ROUTE_JSON}};
	static const app ap = {"t", routes, 1, NULL};
	app_ctx_begin(t_c);
	char *env[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/limited", NULL};
	app_dispatch(&ap, t_c, env, (str){"", 0});
	CU_ASSERT_EQUAL(t_c->rs->status, 429);
	CU_ASSERT_PTR_NOT_NULL(strstr(t_c->rs->headers.p, "Retry-After: 42\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t_c->rs->body.p, "\"too_many\""));
	/* a failure recorded after a cleared 429 does not inherit its Retry-After */
	app_ctx_begin(t_c);
	ctx_fail_retry(t_c, 9, "x");
	t_c->err_status = 0;
	ctx_fail(t_c, 429, "too_many", "y");
	CU_ASSERT_EQUAL(t_c->err_retry_after, 0);
}

void add_throttle_tests(void)
{
	CU_pSuite s = CU_add_suite("throttle", setup, teardown);
	CU_pSuite u = CU_add_suite("throttle (no Redis)", t_ctx_setup, t_ctx_teardown);
	CU_add_test(u, "SHA-256 hex (libcrypto)", test_sha256);
	CU_add_test(u, "HMAC-SHA-256 (RFC 4231)", test_hmac_vector);
	CU_add_test(u, "card fingerprint: keyed, stable, no digits", test_card_fingerprint);
	CU_add_test(u, "address key parts", test_addr_part);
	CU_add_test(u, "back-off steps and caps", test_backoff);
	CU_add_test(u, "Redis down: checks pass, counts fail", test_redis_down);
	CU_add_test(u, "a 429 carries Retry-After", test_dispatch_429);
	CU_add_test(s, "counters, windows, locks", test_hit_wait_lock);
	CU_add_test(s, "card testing: 5 declines, then 429", test_card_testing);
}
