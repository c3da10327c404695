/* account: sign in, create an account, sign out (storefront pages). */
#include "shop/auth.h"
#include "shop/cart.h"
#include "core/log.h"
#include "storefront.h"
#include "http/req.h"

/* The login or register form with an optional error and status. A form
 * needs a session for its CSRF token (login CSRF): one is started here. */
static int account_form(ctx *c, bool reg, int status, const char *error, const char *email,
                        const char *next)
{
	session *s = session_ensure(c);
	if (!s)
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, reg ? "Create your account" : "Sign in");
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	tmpl_set(d, "EMAIL", email ? email : "");
	tmpl_set(d, "NEXT", shop_next(c, next));
	return shop_render(c, status, reg ? "register.tpl" : "login.tpl", d);
}

/* The password exactly as typed (not trimmed). */
static str password(ctx *c)
{
	const str *p = req_form(c->rq, "password");
	return p ? *p : STR("");
}

static const char *query_next(ctx *c)
{
	const str *n = req_query(c->rq, "next");
	return n ? str_dup(c->a, *n) : "/";
}

int page_login(ctx *c)
{
	return account_form(c, false, 200, NULL, NULL, query_next(c));
}

int page_register(ctx *c)
{
	return account_form(c, true, 200, NULL, NULL, query_next(c));
}

/* Signs the user in on a new session id and moves the guest cart over. */
static int sign_in(ctx *c, const auth_user *u)
{
	session *s = session_load(c);
	bool was_guest = s && s->id && s->user_id == 0;
	const char *old = NULL;
	if (session_login(c, u->id, u->email, u->role, u->seller_id, &old) < 0)
		return SOUK_ERR;
	if (was_guest && old && cart_merge(c, old, session_user_cart_id(c->a, u->id)) < 0) {
		/* the account works without the guest cart; say so in the log */
		int st;
		const char *why = shop_take_failure(c, &st);
		ctx_log(c, LOG_WARN, "account: guest cart merge failed (%d %s)", st, why);
	}
	return shop_redirect(c, shop_next(c, shop_field(c, "next")));
}

int post_login(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	const char *email = shop_field(c, "email");
	auth_user u;
	if (auth_login(c, str_c(email), password(c), &u) < 0) {
		if (c->err_status != 401)
			return SOUK_ERR;
		const char *m = shop_take_failure(c, NULL);
		return account_form(c, false, 401, m, email, shop_field(c, "next"));
	}
	return sign_in(c, &u);
}

int post_register(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	const char *email = shop_field(c, "email");
	auth_user u;
	if (auth_create(c, str_c(email), password(c), ROLE_SHOPPER, 0, &u) < 0) {
		if (c->err_status != 400 && c->err_status != 409)
			return SOUK_ERR;
		int st;
		const char *m = shop_take_failure(c, &st);
		return account_form(c, true, st, m, email, shop_field(c, "next"));
	}
	return sign_in(c, &u);
}

int post_logout(ctx *c)
{
	if (shop_post(c) < 0 || session_logout(c) < 0)
		return SOUK_ERR;
	return shop_redirect(c, "/");
}
