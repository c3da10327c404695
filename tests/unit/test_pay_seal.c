/* test_pay_seal: a card sealed with the provider's public key opens with
 * its private key only: round trip, wrong key id, another key, a tampered
 * byte, malformed blobs. */
#include <string.h>

#include "shop/pay_seal.h"
#include "tests.h"

#define C t_c

typedef struct keypair {
	const char *id, *priv, *pub;
} keypair;

static keypair A, B; /* made once: 3072-bit keys take a moment */
static arena *keys;

static int seal_setup(void)
{
	if (t_ctx_setup() != 0)
		return -1;
	keys = arena_new(0);
	arena *req = C->a;
	C->a = keys; /* the pairs outlive each test's arena */
	int rc = pay_seal_keygen(C, &A.id, &A.priv, &A.pub) | pay_seal_keygen(C, &B.id, &B.priv, &B.pub);
	C->a = req;
	return rc == SOUK_OK ? 0 : -1;
}

static int seal_teardown(void)
{
	arena_free(keys);
	keys = NULL;
	return t_ctx_teardown();
}

static const pay_card card = {.number = "4242 4242-4242 4242", .exp_month = 12, .exp_year = 2099,
                              .cvc = "123"};

static const char *sealed_by(const keypair *k)
{
	const char *s = NULL;
	CU_ASSERT_EQUAL_FATAL(pay_seal_card(C, k->id, k->pub, &card, &s), SOUK_OK);
	return s;
}

/* A copy of s with its char at i replaced by ch (arena). */
static char *with_char(const char *s, size_t i, char ch)
{
	char *d = arena_strdup(C->a, s);
	d[i] = ch;
	return d;
}

static void expect_refused(const char *sealed, const keypair *k, const char *key_id)
{
	pay_card out;
	ctx_clear(C);
	CU_ASSERT_EQUAL(pay_unseal_card(C, sealed, key_id, k->priv, &out), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	ASSERT_CSTR(C->err_code, "bad_card");
	ctx_clear(C);
}

static void test_keys(void)
{
	CU_ASSERT_TRUE(pay_seal_key_id_ok(A.id));
	CU_ASSERT_EQUAL(strlen(A.id), 18); /* "k_" and 16 hex */
	CU_ASSERT_STRING_NOT_EQUAL(A.id, B.id);
	CU_ASSERT_PTR_NOT_NULL(strstr(A.pub, "-----BEGIN PUBLIC KEY-----"));
	CU_ASSERT_PTR_NOT_NULL(strstr(A.priv, "-----BEGIN PRIVATE KEY-----"));
	CU_ASSERT_PTR_NULL(strstr(A.pub, "PRIVATE"));
	CU_ASSERT_FALSE(pay_seal_key_id_ok("k_"));
	CU_ASSERT_FALSE(pay_seal_key_id_ok("k_ABC"));
	CU_ASSERT_FALSE(pay_seal_key_id_ok("x_abc"));
	CU_ASSERT_FALSE(pay_seal_key_id_ok(NULL));
}

static void test_round_trip(void)
{
	const char *s = sealed_by(&A);
	/* "sk1.<key id>.<base64 of 384 bytes>" and no trace of the card */
	size_t pre = strlen("sk1.") + strlen(A.id) + 1;
	CU_ASSERT_EQUAL(strncmp(s, "sk1.", 4), 0);
	CU_ASSERT_EQUAL(strncmp(s + 4, A.id, strlen(A.id)), 0);
	CU_ASSERT_EQUAL(strlen(s), pre + 512);
	CU_ASSERT_PTR_NULL(strstr(s, "4242424242424242"));
	CU_ASSERT_PTR_NULL(strstr(s, "4242 4242"));
	ASSERT_CSTR(pay_seal_key_of(C, s), A.id);
	/* OAEP is randomised: the same card seals differently each time */
	CU_ASSERT_STRING_NOT_EQUAL(s, sealed_by(&A));
	pay_card out;
	CU_ASSERT_EQUAL_FATAL(pay_unseal_card(C, s, A.id, A.priv, &out), SOUK_OK);
	ASSERT_CSTR(out.number, "4242424242424242"); /* normalised to digits */
	CU_ASSERT_EQUAL(out.exp_month, 12);
	CU_ASSERT_EQUAL(out.exp_year, 2099);
	ASSERT_CSTR(out.cvc, "123");
	CU_ASSERT_PTR_NULL(out.token);
}

static void test_wrong_key(void)
{
	const char *s = sealed_by(&A);
	/* opened as B's (the id it names is A's) */
	expect_refused(s, &B, B.id);
	/* A's id but B's private key */
	expect_refused(s, &B, A.id);
	/* the blob relabelled to B's id: B's key cannot open A's ciphertext */
	char *relabelled = arena_strdup(C->a, s);
	memcpy(relabelled + 4, B.id, strlen(B.id));
	ASSERT_CSTR(pay_seal_key_of(C, relabelled), B.id);
	expect_refused(relabelled, &B, B.id);
	/* relabelled, opened with the right private key: the id is the OAEP
	 * label, so a blob moved under another key id does not open */
	expect_refused(relabelled, &A, B.id);
}

static void test_tampered(void)
{
	const char *s = sealed_by(&A);
	size_t pre = strlen("sk1.") + strlen(A.id) + 1, n = strlen(s);
	size_t spots[] = {pre, pre + 200, n - 5};
	for (size_t i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		char ch = s[spots[i]] == 'A' ? 'B' : 'A';
		expect_refused(with_char(s, spots[i], ch), &A, A.id);
	}
	/* cut short, base64 broken, not a sealed card at all */
	expect_refused(arena_strndup(C->a, s, n - 4), &A, A.id);
	expect_refused(with_char(s, pre + 10, '*'), &A, A.id);
	expect_refused("sk1.k_00.AAAA", &A, A.id);
	expect_refused("4242424242424242", &A, A.id);
	expect_refused("", &A, A.id);
	expect_refused(NULL, &A, A.id);
	CU_ASSERT_PTR_NULL(pay_seal_key_of(C, "sk2.k_ab.AAAA"));
	CU_ASSERT_PTR_NULL(pay_seal_key_of(C, "sk1.K_AB.AAAA"));
}

static void test_seal_refused(void)
{
	const char *s = NULL;
	CU_ASSERT_EQUAL(pay_seal_card(C, "not-an-id", A.pub, &card, &s), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 500);
	ctx_clear(C);
	CU_ASSERT_EQUAL(pay_seal_card(C, A.id, "-----BEGIN PUBLIC KEY-----\nno\n", &card, &s), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 500);
	CU_ASSERT_PTR_NULL(s);
	ctx_clear(C);
}

void add_pay_seal_tests(void)
{
	CU_pSuite s = CU_add_suite("pay_seal", seal_setup, seal_teardown);
	CU_add_test(s, "key pairs and key ids", test_keys);
	CU_add_test(s, "seal and unseal: the card comes back, the blob shows none of it", test_round_trip);
	CU_add_test(s, "wrong key id or key: refused (the id is the OAEP label)", test_wrong_key);
	CU_add_test(s, "a tampered byte or a malformed blob: 400 bad_card", test_tampered);
	CU_add_test(s, "sealing with a bad key id or key: 500", test_seal_refused);
}
