/* test_session: lib/session — ids, constant-time compare, cookies, CSRF,
 * rotation at login, logout and Redis down (live Redis for most). */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shop/auth.h"
#include "shop/cart.h"
#include "store/rds.h"
#include "shop/session.h"
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

/* A new request on c carrying the session cookie `id` (NULL: none). */
static void begin(ctx *c, const char *id)
{
	app_ctx_begin(c);
	char cookie[160];
	snprintf(cookie, sizeof(cookie), "HTTP_COOKIE=other=1; souk_session=%s", id ? id : "");
	char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x", id ? cookie : NULL, NULL};
	const char *why;
	CU_ASSERT_EQUAL_FATAL(t_req(c, env, &why), 0);
}

static void form(ctx *c, const char *k, const char *v)
{
	kv_add(c->a, &c->rq->form, str_c(k), str_c(v));
}

static long long redis_int(ctx *c, const char *cmd, const char *key)
{
	const char *argv[] = {cmd, key};
	redisReply *r = rds_cmd(c, 2, argv, NULL);
	return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -99;
}

static const char *hget(ctx *c, const char *id, const char *field)
{
	char key[128];
	snprintf(key, sizeof(key), "session:%s", id);
	const char *argv[] = {"HGET", key, field};
	redisReply *r = rds_cmd(c, 3, argv, NULL);
	return r && r->type == REDIS_REPLY_STRING ? arena_strndup(c->a, r->str, r->len) : NULL;
}

static void test_token_eq(void)
{
	CU_ASSERT_TRUE(session_token_eq(STR("abc123"), STR("abc123")));
	CU_ASSERT_FALSE(session_token_eq(STR("abc123"), STR("abc124")));
	CU_ASSERT_FALSE(session_token_eq(STR("abc123"), STR("abc12")));
	CU_ASSERT_FALSE(session_token_eq(STR("bbc123"), STR("abc123")));
	CU_ASSERT_FALSE(session_token_eq(STR(""), STR(""))); /* an empty token never matches */
}

static void test_id_valid(void)
{
	char ok[65];
	memset(ok, 'a', 64);
	ok[64] = '\0';
	CU_ASSERT_TRUE(session_id_valid(str_c(ok)));
	ok[3] = 'A'; /* upper case is not what we issue */
	CU_ASSERT_FALSE(session_id_valid(str_c(ok)));
	ok[3] = 'g';
	CU_ASSERT_FALSE(session_id_valid(str_c(ok)));
	CU_ASSERT_FALSE(session_id_valid(STR("abcdef")));
	CU_ASSERT_FALSE(session_id_valid(STR("")));
}

static void test_roles(void)
{
	session_role r;
	CU_ASSERT_EQUAL(session_role_parse("admin", &r), 0);
	CU_ASSERT_EQUAL(r, ROLE_ADMIN);
	CU_ASSERT_EQUAL(session_role_parse("seller", &r), 0);
	CU_ASSERT_EQUAL(r, ROLE_SELLER);
	CU_ASSERT_EQUAL(session_role_parse("guest", &r), -1);
	CU_ASSERT_EQUAL(session_role_parse("Admin", &r), -1);
	ASSERT_STR(str_c(session_role_name(ROLE_SHOPPER)), "shopper");
}

/* A new guest session: 256-bit id, CSRF token, cookie attributes, TTL. */
static void test_ensure_cookie(void)
{
	begin(L, NULL);
	session *s = session_ensure(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->id);
	CU_ASSERT_TRUE(session_id_valid(str_c(s->id)));
	CU_ASSERT_EQUAL(strlen(s->csrf), 64);
	CU_ASSERT_NOT_EQUAL(strcmp(s->id, s->csrf), 0);
	CU_ASSERT_EQUAL(s->user_id, 0);
	char want[200];
	snprintf(want, sizeof(want),
	         "Set-Cookie: souk_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax\r\n", s->id,
	         SESSION_TTL);
	ASSERT_STR(str_c(L->rs->headers.p), want);
	ASSERT_STR(str_c(hget(L, s->id, "csrf")), s->csrf);
	char key[128];
	snprintf(key, sizeof(key), "session:%s", s->id);
	long long ttl = redis_int(L, "TTL", key);
	CU_ASSERT(ttl > SESSION_TTL - 5 && ttl <= SESSION_TTL);
	/* the same request asking again gets the same session */
	CU_ASSERT_PTR_EQUAL(session_ensure(L), s);
	/* two sessions never share an id */
	char first[65];
	snprintf(first, sizeof(first), "%s", s->id);
	begin(L, NULL);
	session *s2 = session_ensure(L);
	CU_ASSERT_NOT_EQUAL(strcmp(s2->id, first), 0);
}

/* Over HTTPS (nginx passes HTTPS=on) the cookie is Secure; over plain
 * HTTP (bin/souk up on loopback) it is not, so that keeps working. */
static void test_cookie_secure_over_https(void)
{
	app_ctx_begin(L);
	char *env[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/login", "HTTPS=on", NULL};
	const char *why;
	CU_ASSERT_EQUAL_FATAL(t_req(L, env, &why), 0);
	CU_ASSERT_TRUE(L->rq->https);
	session *s = session_ensure(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	char want[220];
	snprintf(want, sizeof(want),
	         "Set-Cookie: souk_session=%s; Path=/; Max-Age=%d; HttpOnly; Secure; SameSite=Lax\r\n",
	         s->id, SESSION_TTL);
	ASSERT_STR(str_c(L->rs->headers.p), want);
	/* logout over HTTPS expires it with the same attributes */
	CU_ASSERT_EQUAL(session_logout(L), SOUK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(L->rs->headers.p, "souk_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax"));
	/* plain HTTP: no Secure */
	begin(L, NULL);
	CU_ASSERT_FALSE(L->rq->https);
	CU_ASSERT_PTR_NOT_NULL_FATAL(session_ensure(L));
	CU_ASSERT_PTR_NULL(strstr(L->rs->headers.p, "Secure"));
}

/* Loading by cookie, fields, CSRF checks. */
static void test_load_fields_csrf(void)
{
	begin(L, NULL);
	session *s = session_ensure(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	char id[65], csrf[65];
	snprintf(id, sizeof(id), "%s", s->id);
	snprintf(csrf, sizeof(csrf), "%s", s->csrf);
	CU_ASSERT_EQUAL(session_set(L, "co_name", "Ada", "co_city", "Paris", NULL), SOUK_OK);

	begin(L, id);
	s = session_load(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->id);
	ASSERT_STR(str_c(s->csrf), csrf);
	ASSERT_STR(str_c(session_get(L, "co_city")), "Paris");
	ASSERT_STR(str_c(session_get(L, "nothing")), "");
	CU_ASSERT_EQUAL(L->rs->headers.len, 0); /* a loaded session sets no cookie */
	CU_ASSERT_EQUAL(session_del(L, "co_city", NULL), SOUK_OK);
	ASSERT_STR(str_c(session_get(L, "co_city")), "");
	CU_ASSERT_PTR_NULL(hget(L, id, "co_city"));
	ASSERT_STR(str_c(hget(L, id, "co_name")), "Ada");

	/* missing token */
	begin(L, id);
	CU_ASSERT_EQUAL(session_csrf_check(L), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 403);
	/* wrong token (one character off) */
	begin(L, id);
	char bad[65];
	snprintf(bad, sizeof(bad), "%s", csrf);
	bad[10] = bad[10] == '0' ? '1' : '0';
	form(L, "csrf", bad);
	CU_ASSERT_EQUAL(session_csrf_check(L), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 403);
	/* the right token */
	begin(L, id);
	form(L, "csrf", csrf);
	CU_ASSERT_EQUAL(session_csrf_check(L), SOUK_OK);
	/* the right token without the session cookie */
	begin(L, NULL);
	form(L, "csrf", csrf);
	CU_ASSERT_EQUAL(session_csrf_check(L), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 403);
	/* an id that is well-formed but unknown is no session */
	char unknown[65];
	memset(unknown, 'f', 64);
	unknown[64] = '\0';
	begin(L, unknown);
	CU_ASSERT_PTR_NULL(session_load(L)->id);
}

/* Login rotates the id (fixation) and the token; logout deletes it. */
static void test_login_rotates_logout(void)
{
	begin(L, NULL);
	session *s = session_ensure(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	char old[65], oldcsrf[65];
	snprintf(old, sizeof(old), "%s", s->id);
	snprintf(oldcsrf, sizeof(oldcsrf), "%s", s->csrf);

	begin(L, old);
	const char *prev = NULL;
	CU_ASSERT_EQUAL(session_login(L, 42, "ada@example.com", ROLE_ADMIN, 0, &prev), SOUK_OK);
	ASSERT_STR(str_c(prev), old);
	s = session_load(L);
	CU_ASSERT_NOT_EQUAL(strcmp(s->id, old), 0);
	CU_ASSERT_NOT_EQUAL(strcmp(s->csrf, oldcsrf), 0);
	CU_ASSERT_EQUAL(s->user_id, 42);
	CU_ASSERT_EQUAL(s->role, ROLE_ADMIN);
	ASSERT_STR(str_c(cart_caller(L)), "u:42"); /* every session of the account owns its cart */
	CU_ASSERT_PTR_NOT_NULL(strstr(L->rs->headers.p, s->id));
	char key[128];
	snprintf(key, sizeof(key), "session:%s", old);
	CU_ASSERT_EQUAL(redis_int(L, "EXISTS", key), 0); /* the pre-login id is dead */
	char now[65];
	snprintf(now, sizeof(now), "%s", s->id);

	begin(L, old); /* an attacker holding the old id is nobody */
	CU_ASSERT_PTR_NULL(session_load(L)->id);
	begin(L, now);
	s = session_load(L);
	CU_ASSERT_EQUAL(s->user_id, 42);
	ASSERT_STR(str_c(s->email), "ada@example.com");
	CU_ASSERT_EQUAL(session_require_role(L, ROLE_ADMIN), SOUK_OK);

	CU_ASSERT_EQUAL(session_logout(L), SOUK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(L->rs->headers.p, "souk_session=; Path=/; Max-Age=0; HttpOnly"));
	snprintf(key, sizeof(key), "session:%s", now);
	CU_ASSERT_EQUAL(redis_int(L, "EXISTS", key), 0);
	begin(L, now);
	CU_ASSERT_PTR_NULL(session_load(L)->id);
	CU_ASSERT_EQUAL(session_require_role(L, ROLE_SHOPPER), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 403);
}

static void test_roles_required(void)
{
	begin(L, NULL);
	CU_ASSERT_EQUAL(session_login(L, 7, "s@example.com", ROLE_SHOPPER, 0, NULL), SOUK_OK);
	CU_ASSERT_EQUAL(session_require_role(L, ROLE_SHOPPER), SOUK_OK);
	CU_ASSERT_EQUAL(session_require_role(L, ROLE_ADMIN), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 403);
}

/* Redis down: browsing works (empty session), state changes get 503. */
static void test_redis_down(void)
{
	ctx *c = t_ctx_new(0); /* its Redis points nowhere */
	char id[65];
	memset(id, 'a', 64);
	id[64] = '\0';
	begin(c, id);
	session *s = session_load(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NULL(s->id);
	CU_ASSERT_TRUE(s->down);
	CU_ASSERT_EQUAL(c->err_status, 0);
	form(c, "csrf", "x");
	CU_ASSERT_EQUAL(session_csrf_check(c), SOUK_ERR);
	CU_ASSERT_EQUAL(c->err_status, 503);
	begin(c, NULL);
	CU_ASSERT_PTR_NULL(session_ensure(c));
	CU_ASSERT_EQUAL(c->err_status, 503);
	CU_ASSERT_PTR_NULL(strstr(c->rs->headers.p ? c->rs->headers.p : "", "Set-Cookie"));
	app_ctx_free(c);
}

void add_session_tests(void)
{
	CU_pSuite s = CU_add_suite("session", setup, teardown);
	CU_add_test(s, "constant-time token compare", test_token_eq);
	CU_add_test(s, "session id format", test_id_valid);
	CU_add_test(s, "role names", test_roles);
	CU_add_test(s, "new session: id, token, cookie, TTL", test_ensure_cookie);
	CU_add_test(s, "cookie Secure over HTTPS (HTTPS=on), not over HTTP", test_cookie_secure_over_https);
	CU_add_test(s, "load by cookie, fields, CSRF check", test_load_fields_csrf);
	CU_add_test(s, "login rotates the id, logout deletes it", test_login_rotates_logout);
	CU_add_test(s, "require a role", test_roles_required);
	CU_add_test(s, "Redis down", test_redis_down);
}
