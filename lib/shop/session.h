/* session: storefront sessions in Redis (cookie souk_session), CSRF tokens
 * and roles. */
#ifndef SOUK_SESSION_H
#define SOUK_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "http/req.h"

#define SESSION_COOKIE "souk_session"
#define SESSION_TTL (14 * 86400) /* seconds, sliding: refreshed on each load */
#define SESSION_ID_BYTES 32      /* 256-bit ids, 64 hex chars */
#define SESSION_CSRF_FIELD "csrf"

typedef enum session_role {
	ROLE_GUEST,   /* no account (maybe a guest cart) */
	ROLE_SHOPPER,
	ROLE_SELLER,
	ROLE_ADMIN,
} session_role;

/* One request's session. Strings live in the request arena. The Redis
 * hash session:{id} holds user_id, email, role, seller_id, csrf, created
 * and whatever else the pages keep there (checkout state "co_*"). */
typedef struct session {
	const char *id;       /* NULL: the request has no (live) session */
	const char *csrf;     /* 64 hex chars when id is set */
	int64_t user_id;      /* 0 for a guest */
	const char *email;    /* "" for a guest */
	session_role role;
	int64_t seller_id;    /* sellers.id for ROLE_SELLER, else 0 */
	bool down;            /* Redis did not answer while loading */
	bool touched;         /* this request set a cookie: the reply is personal */
	kvlist fields;        /* the whole hash as loaded (and set since) */
} session;

/* Loads the session named by the souk_session cookie and refreshes its
 * expiry. A missing, malformed or expired cookie gives an empty session
 * (id NULL); Redis down gives an empty session with down=true. Never
 * records a failure: browsing works without sessions. Cached per request
 * in c->sess, so calling it twice costs nothing. */
session *session_load(ctx *c);

/* The request's session, created (guest, new id and CSRF token, cookie
 * set) when there is none. 503 recorded when Redis is down. */
session *session_ensure(ctx *c);

/* Logs the user in: a NEW session id (the old one is deleted: no
 * fixation), a new CSRF token, the user's fields; the cookie is replaced.
 * *old_id (may be NULL) receives the id of the session it replaced (so the
 * caller can merge the guest cart), or NULL. 503 when Redis is down. */
int session_login(ctx *c, int64_t user_id, const char *email, session_role role,
                  int64_t seller_id, const char **old_id);

/* Deletes the session in Redis and expires the cookie. */
int session_logout(ctx *c);

/* A field of the loaded session ("" when absent or no session). */
const char *session_get(ctx *c, const char *field);
/* Sets fields (NULL-terminated name, value, name, value, ..., NULL) in the
 * session hash; the session must exist (session_ensure). 503 when Redis is
 * down. */
int session_set(ctx *c, ...) __attribute__((sentinel));
/* Deletes fields (NULL-terminated names). */
int session_del(ctx *c, ...) __attribute__((sentinel));

/* Checks the form field "csrf" of a state-changing POST against the
 * session's token in constant time: 403 "csrf" when the session, the
 * field or the match is missing. 503 when Redis is down (the token cannot
 * be checked). */
int session_csrf_check(ctx *c);

/* Constant-time equality of two strings (length leaks, contents do not). */
bool session_token_eq(str a, str b);

/* Refuses a request whose user lacks `role` (admin passes every check):
 * 403 "forbidden". A guest gets 403 too: pages redirect to /login first
 * when they want to. */
int session_require_role(ctx *c, session_role role);

/* Whether the request's session may see order public_id owned by
 * owner_user_id (0 = a guest order): its account, an admin, or the guest
 * session that placed it (field "o_<public_id>"). Never records a failure:
 * the caller answers 404, as for an unknown order. */
bool session_may_see_order(ctx *c, const char *public_id, int64_t owner_user_id);

/* "shopper", "seller", "admin", "guest"; and the reverse (-1 unknown). */
const char *session_role_name(session_role r);
int session_role_parse(const char *s, session_role *out);

/* true when s is a well-formed session id (64 lower-case hex chars). */
bool session_id_valid(str s);

#endif
