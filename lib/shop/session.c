/* session: Redis-backed storefront sessions, CSRF tokens and roles. */
#include "shop/session.h"

#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <time.h>

#include "core/cfg.h"
#include "core/log.h"
#include "store/rds.h"
#include "core/rnd.h"
#include "http/resp.h"

#define SESSION_MAX_FIELDS 256 /* a guest keeps one o_<order> field per order placed */

static const char *const role_names[] = {"guest", "shopper", "seller", "admin"};

const char *session_role_name(session_role r)
{
	return (unsigned)r < 4 ? role_names[r] : "guest";
}

int session_role_parse(const char *s, session_role *out)
{
	for (int i = 1; i < 4; i++)
		if (s && strcmp(s, role_names[i]) == 0) {
			*out = (session_role)i;
			return 0;
		}
	return -1;
}

bool session_id_valid(str s)
{
	if (s.len != SESSION_ID_BYTES * 2)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') || (s.p[i] >= 'a' && s.p[i] <= 'f')))
			return false;
	return true;
}

bool session_token_eq(str a, str b)
{
	if (a.len != b.len || a.len == 0)
		return false;
	volatile unsigned char diff = 0;
	for (size_t i = 0; i < a.len; i++)
		diff |= (unsigned char)(a.p[i] ^ b.p[i]);
	return diff == 0;
}

static const char *key_of(ctx *c, const char *id)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "session:%s", id);
	return b.p;
}

/* Fills the typed fields of s from s->fields. */
static void session_from_fields(session *s)
{
	const str *v;
	int64_t n;
	s->csrf = (v = kv_get(&s->fields, "csrf")) ? v->p : NULL;
	s->user_id = (v = kv_get(&s->fields, "user_id")) && str_to_i64(*v, 1, INT64_MAX, &n) == 0 ? n : 0;
	s->email = (v = kv_get(&s->fields, "email")) ? v->p : "";
	s->seller_id = (v = kv_get(&s->fields, "seller_id")) && str_to_i64(*v, 1, INT64_MAX, &n) == 0 ? n : 0;
	s->role = ROLE_GUEST;
	if (s->user_id && (v = kv_get(&s->fields, "role")))
		session_role_parse(v->p, &s->role);
	if (s->user_id && s->role == ROLE_GUEST)
		s->role = ROLE_SHOPPER;
}

static void set_cookie(ctx *c, const char *id, int max_age)
{
	/* Secure whenever the request came over HTTPS, so a TLS front needs no
	 * setting; plain-HTTP loopback (bin/souk up) keeps working. */
	cookie_opts o = {.max_age = max_age, .http_only = true, .same_site = "Lax", .path = "/",
	                 .secure = c->rq->https || (c->cfg && c->cfg->cookie_secure)};
	resp_cookie(c->rs, SESSION_COOKIE, str_c(id), &o);
	c->sess->touched = true;
}

session *session_load(ctx *c)
{
	if (c->sess)
		return c->sess;
	session *s = arena_alloc(c->a, sizeof(*s));
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->email = "";
	c->sess = s;
	const str *ck = req_cookie(c->rq, SESSION_COOKIE);
	if (!ck || !session_id_valid(*ck))
		return s;
	const char *id = str_dup(c->a, *ck);
	const char *key = key_of(c, id);
	const char *argv[] = {"HGETALL", key};
	redisReply *r = rds_cmd(c, 2, argv, NULL);
	if (!r || r->type != REDIS_REPLY_ARRAY) {
		s->down = true;
		return s;
	}
	if (r->elements == 0 || r->elements > 2 * SESSION_MAX_FIELDS)
		return s; /* expired or never ours: like no cookie */
	for (size_t i = 0; i + 1 < r->elements; i += 2) {
		redisReply *f = r->element[i], *v = r->element[i + 1];
		if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
			continue;
		kv_add(c->a, &s->fields, (str){str_dup(c->a, (str){f->str, f->len}), f->len},
		       (str){str_dup(c->a, (str){v->str, v->len}), v->len});
	}
	session_from_fields(s);
	if (!s->csrf)
		return s;
	s->id = id;
	/* Sliding expiry: a session lives SESSION_TTL after its last use. */
	char ttl[16];
	snprintf(ttl, sizeof(ttl), "%d", SESSION_TTL);
	const char *ex[] = {"EXPIRE", key, ttl};
	rds_cmd(c, 3, ex, NULL);
	return s;
}

/* Writes a fresh session hash under a new id and sets the cookie. */
static int session_create(ctx *c, session *s, int64_t user_id, const char *email,
                          session_role role, int64_t seller_id)
{
	char *id = rnd_hex(c->a, SESSION_ID_BYTES);
	char *csrf = rnd_hex(c->a, SESSION_ID_BYTES);
	if (!id || !csrf)
		return ctx_fail(c, 500, "internal", "a session could not be started");
	const char *key = key_of(c, id);
	char uid[24], sid[24], now[24], ttl[16];
	snprintf(uid, sizeof(uid), "%lld", (long long)user_id);
	snprintf(sid, sizeof(sid), "%lld", (long long)seller_id);
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	snprintf(ttl, sizeof(ttl), "%d", SESSION_TTL);
	const char *argv[] = {"HSET", key, "csrf", csrf, "created", now, "user_id", uid,
	                      "email", email ? email : "", "role", session_role_name(role),
	                      "seller_id", sid};
	redisReply *r = rds_cmd(c, 14, argv, NULL);
	const char *ex[] = {"EXPIRE", key, ttl};
	if (!r || !rds_cmd(c, 3, ex, NULL)) {
		s->down = true;
		return ctx_fail(c, 503, "unavailable", "sessions are unavailable right now; please try again");
	}
	memset(&s->fields, 0, sizeof(s->fields));
	for (size_t i = 2; i + 1 < 14; i += 2)
		kv_add(c->a, &s->fields, str_c(argv[i]), str_c(str_dup(c->a, str_c(argv[i + 1]))));
	session_from_fields(s);
	s->id = id;
	s->down = false;
	set_cookie(c, id, SESSION_TTL);
	return SOUK_OK;
}

session *session_ensure(ctx *c)
{
	session *s = session_load(c);
	if (!s) {
		ctx_fail(c, 500, "internal", "out of memory");
		return NULL;
	}
	if (s->id)
		return s;
	if (session_create(c, s, 0, "", ROLE_GUEST, 0) < 0)
		return NULL;
	return s;
}

int session_login(ctx *c, int64_t user_id, const char *email, session_role role,
                  int64_t seller_id, const char **old_id)
{
	session *s = session_load(c);
	if (!s)
		return ctx_fail(c, 500, "internal", "out of memory");
	const char *old = s->id;
	if (old_id)
		*old_id = old;
	if (session_create(c, s, user_id, email, role, seller_id) < 0)
		return SOUK_ERR;
	if (old) { /* the pre-login id must never be valid again */
		const char *argv[] = {"DEL", key_of(c, old)};
		rds_cmd(c, 2, argv, NULL);
	}
	return SOUK_OK;
}

int session_logout(ctx *c)
{
	session *s = session_load(c);
	if (s && s->id) {
		const char *argv[] = {"DEL", key_of(c, s->id)};
		if (!rds_cmd(c, 2, argv, NULL))
			return ctx_fail(c, 503, "unavailable", "sessions are unavailable right now; please try again");
	}
	if (s) {
		set_cookie(c, "", 0);
		s->id = NULL;
		s->csrf = NULL;
		s->user_id = 0;
		s->email = "";
		s->role = ROLE_GUEST;
		memset(&s->fields, 0, sizeof(s->fields));
	}
	return SOUK_OK;
}

const char *session_get(ctx *c, const char *field)
{
	session *s = session_load(c);
	if (!s || !s->id)
		return "";
	/* the last value wins: session_set appends */
	const char *out = "";
	for (size_t i = 0; i < s->fields.n; i++)
		if (str_eq_c(s->fields.items[i].key, field))
			out = s->fields.items[i].val.p;
	return out;
}

int session_set(ctx *c, ...)
{
	session *s = session_load(c);
	if (!s || !s->id)
		return ctx_fail(c, 500, "internal", "no session to store into");
	const char *argv[2 + 2 * SESSION_MAX_FIELDS];
	int argc = 0;
	argv[argc++] = "HSET";
	argv[argc++] = key_of(c, s->id);
	va_list ap;
	va_start(ap, c);
	const char *k;
	while ((k = va_arg(ap, const char *)) && argc + 2 <= (int)(sizeof(argv) / sizeof(argv[0]))) {
		const char *v = va_arg(ap, const char *);
		argv[argc++] = k;
		argv[argc++] = v ? v : "";
	}
	va_end(ap);
	if (!rds_cmd(c, argc, argv, NULL))
		return ctx_fail(c, 503, "unavailable", "sessions are unavailable right now; please try again");
	for (int i = 2; i + 1 < argc; i += 2)
		kv_add(c->a, &s->fields, str_c(argv[i]), str_c(str_dup(c->a, str_c(argv[i + 1]))));
	return SOUK_OK;
}

int session_del(ctx *c, ...)
{
	session *s = session_load(c);
	if (!s || !s->id)
		return SOUK_OK;
	const char *argv[2 + SESSION_MAX_FIELDS];
	int argc = 0;
	argv[argc++] = "HDEL";
	argv[argc++] = key_of(c, s->id);
	va_list ap;
	va_start(ap, c);
	const char *k;
	while ((k = va_arg(ap, const char *)) && argc < (int)(sizeof(argv) / sizeof(argv[0])))
		argv[argc++] = k;
	va_end(ap);
	if (argc == 2)
		return SOUK_OK;
	if (!rds_cmd(c, argc, argv, NULL))
		return ctx_fail(c, 503, "unavailable", "sessions are unavailable right now; please try again");
	for (int i = 2; i < argc; i++)
		for (size_t j = 0; j < s->fields.n; j++)
			if (str_eq_c(s->fields.items[j].key, argv[i]))
				s->fields.items[j].val = STR("");
	return SOUK_OK;
}

int session_csrf_check(ctx *c)
{
	session *s = session_load(c);
	if (s && s->down)
		return ctx_fail(c, 503, "unavailable",
		                "sessions are unavailable right now, so the form cannot be checked; please try again");
	const str *given = req_form(c->rq, SESSION_CSRF_FIELD);
	if (!s || !s->id || !s->csrf || !given ||
	    !session_token_eq(*given, str_c(s->csrf)))
		return ctx_fail(c, 403, "csrf",
		                "the form has expired or did not come from this site; go back, reload the page and try again");
	return SOUK_OK;
}

bool session_may_see_order(ctx *c, const char *public_id, int64_t owner_user_id)
{
	session *s = session_load(c);
	if (!s || !s->id)
		return false;
	if (s->role == ROLE_ADMIN || (s->user_id && s->user_id == owner_user_id))
		return true;
	if (owner_user_id) /* an account's order: only that account */
		return false;
	buf field;
	buf_init(&field, c->a, 0);
	if (buf_printf(&field, "o_%s", public_id) < 0)
		return false;
	return strcmp(session_get(c, field.p), "1") == 0;
}

int session_require_role(ctx *c, session_role role)
{
	session *s = session_load(c);
	if (s && s->down)
		return ctx_fail(c, 503, "unavailable", "sessions are unavailable right now; please try again");
	if (!s || !s->id || s->role == ROLE_GUEST)
		return ctx_fail(c, 403, "forbidden", "please sign in with an account that may see this page");
	if (s->role != ROLE_ADMIN && s->role != role)
		return ctx_fail(c, 403, "forbidden", "your account may not see this page");
	return SOUK_OK;
}
