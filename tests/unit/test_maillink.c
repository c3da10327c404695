/* test_maillink: signed order links: shape, tampering, other orders, expiry (no database needed before the use is recorded). */
#include <stdlib.h>
#include <string.h>

#include "shop/maillink.h"
#include "tests.h"

#define NOW ((time_t)1795728407)

static int setup(void)
{
	/* the key from the environment: no database is reached for it */
	setenv("SOUK_MAIL_LINK_KEY", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1);
	return t_ctx_setup();
}

static maillink_state use(const char *pid, const char *v, time_t now, int *rc)
{
	maillink_state st = MAILLINK_OK;
	ctx_begin(t_c);
	*rc = maillink_use(t_c, pid, str_c(v), now, &st);
	return st;
}

static void test_shape(void)
{
	const char *v = maillink_make(t_c, "SK-ABC123", NOW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	/* expiry . 32 hex . 64 hex */
	CU_ASSERT_EQUAL(strlen(v), 10 + 1 + 32 + 1 + 64);
	CU_ASSERT_EQUAL(strtoll(v, NULL, 10), (long long)NOW + MAILLINK_TTL);
	const char *w = maillink_make(t_c, "SK-ABC123", NOW);
	CU_ASSERT_STRING_NOT_EQUAL(v, w); /* a fresh nonce each time */
}

static void test_refused(void)
{
	int rc;
	const char *v = maillink_make(t_c, "SK-ABC123", NOW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	char *t = str_dup(t_c->a, str_c(v));
	t[strlen(t) - 1] = t[strlen(t) - 1] == '0' ? '1' : '0';
	CU_ASSERT_EQUAL(use("SK-ABC123", t, NOW, &rc), MAILLINK_BAD); /* signature changed */
	CU_ASSERT_EQUAL(rc, 0);
	t = str_dup(t_c->a, str_c(v));
	t[0] = t[0] == '9' ? '8' : '9';
	CU_ASSERT_EQUAL(use("SK-ABC123", t, NOW, &rc), MAILLINK_BAD); /* expiry moved */
	CU_ASSERT_EQUAL(use("SK-OTHER", v, NOW, &rc), MAILLINK_BAD);   /* another order */
	CU_ASSERT_EQUAL(use("SK-ABC123", "", NOW, &rc), MAILLINK_BAD);
	CU_ASSERT_EQUAL(use("SK-ABC123", "123.abc.def", NOW, &rc), MAILLINK_BAD);
	CU_ASSERT_EQUAL(use("SK-ABC123", v + 1, NOW, &rc), MAILLINK_BAD); /* cut */
	/* upper-case hex is not what we sign: refused, not normalised */
	t = str_dup(t_c->a, str_c(v));
	for (char *p = t; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 32);
	CU_ASSERT_EQUAL(use("SK-ABC123", t, NOW, &rc), MAILLINK_BAD);
	/* the real link, past its time */
	CU_ASSERT_EQUAL(use("SK-ABC123", v, NOW + MAILLINK_TTL + 1, &rc), MAILLINK_EXPIRED);
	CU_ASSERT_EQUAL(rc, 0);
	/* a good link reaches the database to be recorded: unreachable here, 503 */
	use("SK-ABC123", v, NOW, &rc);
	CU_ASSERT_EQUAL(rc, SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 503);
}

void add_maillink_tests(void)
{
	CU_pSuite s = CU_add_suite("maillink", setup, t_ctx_teardown);
	CU_add_test(s, "link shape, expiry, fresh nonce", test_shape);
	CU_add_test(s, "tampered, cut, other order, expired refused", test_refused);
}
