/* test_payment: card checks (Luhn, expiry, brands) and the sandbox
 * provider's idempotency on the live database. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buy_live.h"
#include "shop/pay_choose.h"
#include "shop/pay_sandbox.h"
#include "shop/payment.h"

static void test_luhn(void)
{
	CU_ASSERT_TRUE(pay_luhn_ok("4242424242424242"));
	CU_ASSERT_TRUE(pay_luhn_ok("4000000000000002"));
	CU_ASSERT_TRUE(pay_luhn_ok("4000000000009995"));
	CU_ASSERT_TRUE(pay_luhn_ok("5555555555554444"));
	CU_ASSERT_TRUE(pay_luhn_ok("378282246310005"));
	CU_ASSERT_FALSE(pay_luhn_ok("4242424242424241"));
	CU_ASSERT_FALSE(pay_luhn_ok("4242424242424243"));
	CU_ASSERT_FALSE(pay_luhn_ok("42424242424"));          /* 11 digits */
	CU_ASSERT_FALSE(pay_luhn_ok("42424242424242424242")); /* 20 digits */
	CU_ASSERT_FALSE(pay_luhn_ok("4242 4242 4242 4242"));  /* separators are stripped earlier */
	CU_ASSERT_FALSE(pay_luhn_ok(""));
	CU_ASSERT_FALSE(pay_luhn_ok(NULL));
}

static void test_brand(void)
{
	ASSERT_CSTR(pay_card_brand("4242424242424242"), "visa");
	ASSERT_CSTR(pay_card_brand("5555555555554444"), "mastercard");
	ASSERT_CSTR(pay_card_brand("2223003122003222"), "mastercard");
	ASSERT_CSTR(pay_card_brand("378282246310005"), "amex");
	ASSERT_CSTR(pay_card_brand("6011111111111117"), "discover");
	ASSERT_CSTR(pay_card_brand("3056930009020004"), "card");
}

/* pay_card_check as of November 2026. */
static int check(const char *num, int m, int y, const char *cvc)
{
	app_ctx_begin(t_c);
	pay_card card = {num, m, y, cvc, NULL, NULL};
	return pay_card_check(t_c, &card, 2026, 11, NULL, NULL);
}

static void test_card_check(void)
{
	const char *digits;
	char last4[5];
	app_ctx_begin(t_c);
	pay_card ok = {"4242 4242-4242 4242", 11, 2026, "123", NULL, NULL};
	CU_ASSERT_EQUAL(pay_card_check(t_c, &ok, 2026, 11, &digits, last4), SOUK_OK);
	ASSERT_CSTR(digits, "4242424242424242");
	ASSERT_CSTR(last4, "4242");
	CU_ASSERT_EQUAL(check("4242424242424242", 12, 2030, "1234"), SOUK_OK);
	CU_ASSERT_EQUAL(check("4242424242424242", 10, 2026, "123"), SOUK_ERR); /* expired last month */
	CU_ASSERT_EQUAL(t_c->err_status, 400);
	ASSERT_CSTR(t_c->err_msg, "the card has expired");
	CU_ASSERT_EQUAL(check("4242424242424242", 12, 2025, "123"), SOUK_ERR);
	CU_ASSERT_EQUAL(check("4242424242424242", 13, 2027, "123"), SOUK_ERR);
	CU_ASSERT_EQUAL(check("4242424242424242", 0, 2027, "123"), SOUK_ERR);
	CU_ASSERT_EQUAL(check("4242424242424242", 1, 2027, "12"), SOUK_ERR);
	CU_ASSERT_EQUAL(check("4242424242424242", 1, 2027, "12a"), SOUK_ERR);
	CU_ASSERT_EQUAL(check("4242424242424241", 1, 2027, "123"), SOUK_ERR);
	CU_ASSERT_PTR_NOT_NULL(strstr(t_c->err_msg, "card_number"));
	CU_ASSERT_EQUAL(check("4242x242424242424", 1, 2027, "123"), SOUK_ERR);
	CU_ASSERT_EQUAL(check("", 1, 2027, "123"), SOUK_ERR);
	CU_ASSERT_EQUAL(check(NULL, 1, 2027, NULL), SOUK_ERR);
}

/* The provider comes from its name at start: an unknown or missing name
 * is refused (the program then exits), the known one is put in use. */
static void test_test_cards(void)
{
	ASSERT_CSTR(pay_test_decline("4000000000000002"), "card_declined");
	ASSERT_CSTR(pay_test_decline("4000000000009995"), "insufficient_funds");
	ASSERT_CSTR(pay_test_decline("4000000000000069"), "expired_card");
	CU_ASSERT_PTR_NULL(pay_test_decline("4242424242424242"));
	CU_ASSERT_PTR_NULL(pay_test_decline(NULL));
	ASSERT_CSTR(pay_decline_message("insufficient_funds"), "Your card has insufficient funds.");
	ASSERT_CSTR(pay_decline_message("do_not_honor"), "The payment could not be completed.");
	CU_ASSERT_PTR_NULL(pay_decline_message(NULL));
}

static void test_pay_choose(void)
{
	CU_ASSERT_EQUAL(pay_choose("nope"), -1);
	CU_ASSERT_EQUAL(pay_choose(""), -1);
	CU_ASSERT_EQUAL(pay_choose(NULL), -1);
	CU_ASSERT_EQUAL(pay_choose("Sandbox"), -1);
	CU_ASSERT_EQUAL_FATAL(pay_choose("sandbox"), 0);
	CU_ASSERT_PTR_EQUAL(pay_provider_get(), &pay_sandbox);
	ASSERT_CSTR(pay_provider_get()->name, "sandbox");
}

/* ---- the sandbox on the live database ---- */

static const db_stmt stmts[] = {
	{"ut_pay_ops", "SELECT count(*) AS n FROM pay_sandbox_ops WHERE key = $1"},
	{"ut_pay_charge",
	 "SELECT status, captured, refunded FROM pay_sandbox_charges WHERE ref = $1"},
};

static ctx *L;

static int live_setup(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	L = buy_live_ctx();
	return 0;
}

static int live_teardown(void)
{
	app_ctx_free(L);
	return 0;
}

static const char *ukey(const char *what)
{
	static unsigned seq;
	buf b;
	buf_init(&b, L->a, 128);
	buf_printf(&b, "ut:%s:%d:%u:%ld", what, (int)getpid(), ++seq, (long)time(NULL));
	return b.p;
}

static int64_t ops(const char *key)
{
	const char *p[] = {key};
	db_res *r = db_exec(L, "ut_pay_ops", 1, p);
	return r ? db_i64(r, 0, "n") : -1;
}

static db_res *charge(const char *ref)
{
	const char *p[] = {ref};
	return db_exec(L, "ut_pay_charge", 1, p);
}

static void test_sandbox_authorize(void)
{
	app_ctx_begin(L);
	const pay_provider *pv = pay_provider_get();
	pay_card card = {"4242424242424242", 12, 2099, "123", NULL, NULL};
	pay_result a, b;
	const char *key = ukey("auth");
	CU_ASSERT_EQUAL_FATAL(pv->authorize(L, key, 1234, "USD", &card, &a), SOUK_OK);
	CU_ASSERT_TRUE(a.approved);
	ASSERT_CSTR(a.brand, "visa");
	ASSERT_CSTR(a.last4, "4242");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a.provider_ref);
	/* the same key: the same charge, no second one */
	CU_ASSERT_EQUAL(pv->authorize(L, key, 1234, "USD", &card, &b), SOUK_OK);
	CU_ASSERT_TRUE(b.approved);
	ASSERT_CSTR(b.provider_ref, a.provider_ref);
	CU_ASSERT_EQUAL(ops(key), 1);
	db_res *ch = charge(a.provider_ref);
	ASSERT_CSTR(db_val(ch, 0, "status"), "authorized");

	/* test cards decline deterministically, also on replay */
	pay_card dec = {"4000000000000002", 12, 2099, "123", NULL, NULL};
	pay_card nsf = {"4000 0000 0000 9995", 12, 2099, "123", NULL, NULL};
	const char *dk = ukey("dec");
	CU_ASSERT_EQUAL(pv->authorize(L, dk, 500, "USD", &dec, &b), SOUK_OK);
	CU_ASSERT_FALSE(b.approved);
	ASSERT_CSTR(b.decline_code, "card_declined");
	CU_ASSERT_PTR_NULL(b.provider_ref);
	CU_ASSERT_EQUAL(pv->authorize(L, dk, 500, "USD", &card, &b), SOUK_OK); /* same key, other card */
	CU_ASSERT_FALSE(b.approved);
	ASSERT_CSTR(b.decline_code, "card_declined");
	CU_ASSERT_EQUAL(pv->authorize(L, ukey("nsf"), 500, "USD", &nsf, &b), SOUK_OK);
	CU_ASSERT_FALSE(b.approved);
	ASSERT_CSTR(b.decline_code, "insufficient_funds");
	ASSERT_CSTR(b.last4, "9995");
	/* a bad card never reaches the processor's books */
	pay_card bad = {"4242424242424241", 12, 2099, "123", NULL, NULL};
	const char *bk = ukey("bad");
	CU_ASSERT_EQUAL(pv->authorize(L, bk, 500, "USD", &bad, &b), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(ops(bk), 0);
}

static void test_sandbox_capture_void_refund(void)
{
	app_ctx_begin(L);
	const pay_provider *pv = pay_provider_get();
	pay_card card = {"4242424242424242", 12, 2099, "123", NULL, NULL};
	pay_result a, r;
	CU_ASSERT_EQUAL_FATAL(pv->authorize(L, ukey("a"), 1000, "USD", &card, &a), SOUK_OK);
	const char *ck = ukey("cap");
	CU_ASSERT_EQUAL(pv->capture(L, ck, a.provider_ref, 1000, &r), SOUK_OK);
	CU_ASSERT_TRUE(r.approved);
	CU_ASSERT_EQUAL(pv->capture(L, ck, a.provider_ref, 1000, &r), SOUK_OK); /* replay */
	CU_ASSERT_TRUE(r.approved);
	CU_ASSERT_EQUAL(pv->capture(L, ukey("cap2"), a.provider_ref, 1000, &r), SOUK_OK);
	CU_ASSERT_FALSE(r.approved); /* a second capture under a new key: refused */
	ASSERT_CSTR(r.decline_code, "invalid_state");
	CU_ASSERT_EQUAL(pv->void_auth(L, ukey("void"), a.provider_ref, &r), SOUK_OK);
	CU_ASSERT_FALSE(r.approved); /* captured cannot be voided */
	const char *rk = ukey("ref");
	CU_ASSERT_EQUAL(pv->refund(L, rk, a.provider_ref, 600, &r), SOUK_OK);
	CU_ASSERT_TRUE(r.approved);
	CU_ASSERT_EQUAL(pv->refund(L, rk, a.provider_ref, 600, &r), SOUK_OK); /* replay: once */
	CU_ASSERT_TRUE(r.approved);
	CU_ASSERT_EQUAL(pv->refund(L, ukey("ref2"), a.provider_ref, 500, &r), SOUK_OK);
	CU_ASSERT_FALSE(r.approved); /* 600 + 500 > 1000 */
	CU_ASSERT_EQUAL(pv->refund(L, ukey("ref3"), a.provider_ref, 400, &r), SOUK_OK);
	CU_ASSERT_TRUE(r.approved);
	db_res *ch = charge(a.provider_ref);
	ASSERT_CSTR(db_val(ch, 0, "status"), "captured");
	CU_ASSERT_EQUAL(db_i64(ch, 0, "captured"), 1000);
	CU_ASSERT_EQUAL(db_i64(ch, 0, "refunded"), 1000);

	pay_result b;
	CU_ASSERT_EQUAL_FATAL(pv->authorize(L, ukey("b"), 700, "USD", &card, &b), SOUK_OK);
	const char *vk = ukey("v");
	CU_ASSERT_EQUAL(pv->void_auth(L, vk, b.provider_ref, &r), SOUK_OK);
	CU_ASSERT_TRUE(r.approved);
	CU_ASSERT_EQUAL(pv->void_auth(L, vk, b.provider_ref, &r), SOUK_OK);
	CU_ASSERT_TRUE(r.approved);
	CU_ASSERT_EQUAL(pv->capture(L, ukey("c"), b.provider_ref, 700, &r), SOUK_OK);
	CU_ASSERT_FALSE(r.approved); /* voided cannot be captured */
	ASSERT_CSTR(db_val(charge(b.provider_ref), 0, "status"), "voided");
	/* a key reused for another operation is a conflict, not a replay */
	CU_ASSERT_EQUAL(pv->capture(L, vk, b.provider_ref, 700, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 409);
}

void add_payment_tests(void)
{
	CU_pSuite s = CU_add_suite("payment", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "Luhn checksum", test_luhn);
	CU_add_test(s, "card brands", test_brand);
	CU_add_test(s, "card check: number, expiry, month, cvc", test_card_check);
	CU_add_test(s, "test cards: one table for every sandbox provider", test_test_cards);
	CU_add_test(s, "pay_choose: unknown provider refused, sandbox chosen", test_pay_choose);
	s = CU_add_suite("payment_sandbox", live_setup, live_teardown);
	CU_add_test(s, "authorize: approve, declines, idempotent by key", test_sandbox_authorize);
	CU_add_test(s, "capture, void, refund: guarded and idempotent", test_sandbox_capture_void_refund);
}
