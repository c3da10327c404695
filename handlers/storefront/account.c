/* account: sign in, create an account, sign out (storefront pages). */
#include "shop/auth.h"
#include "shop/cart.h"
#include "shop/mail.h"
#include "core/log.h"
#include "core/rnd.h"
#include "storefront.h"
#include "http/req.h"
#include "http/resp.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>

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
	/* the guest cart and its owner tag, taken before the session changes */
	const char *guest_cart = was_guest ? cart_of_session(c) : NULL;
	const char *guest_owner = guest_cart ? cart_caller(c) : NULL;
	const char *to;
	if (session_login(c, u->id, u->email, u->role, u->seller_id, NULL) < 0)
		return SOUK_ERR;
	if (guest_cart && guest_owner &&
	    (!(to = cart_for_session(c)) || cart_merge(c, guest_cart, guest_owner, to) < 0)) {
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
		int st = c->err_status, retry = c->err_retry_after;
		if (st != 401 && st != 429)
			return SOUK_ERR;
		const char *m = shop_take_failure(c, NULL);
		if (account_form(c, false, st, m, email, shop_field(c, "next")) < 0)
			return SOUK_ERR;
		if (retry > 0) /* the form tells the person; the header tells scripts */
			resp_header(c->rs, "Retry-After", str_c(view_fmt(c->a, "%d", retry)));
		return SOUK_OK;
	}
	return sign_in(c, &u);
}

/* Mails the person who registered: "welcome" for a new account, "you
 * already have one" for a known address, so the page never tells which.
 * An .eml in SOUK_MAIL_DIR, like the worker's order mails. A mail that
 * cannot be written is logged: the page must look the same either way. */
static void register_mail(ctx *c, const char *email, bool existed)
{
	const char *tpl = existed ? "mail/account_exists.tpl" : "mail/account_welcome.tpl";
	tmpl_dict *d = tmpl_dict_new(c->a);
	tmpl_set(d, "EMAIL", email);
	tmpl_set(d, "URL", cfg_env_str("SOUK_PUBLIC_URL", "http://127.0.0.1:8080"));
	buf body, out;
	buf_init(&body, c->a, 64 << 10);
	const char *id = rnd_hex(c->a, 16);
	const char *dir = cfg_env_str("SOUK_MAIL_DIR", "var/mail");
	const char *from = cfg_env_str("SOUK_MAIL_FROM", "orders@souk.example");
	const char *domain = strchr(from, '@');
	if (!id || tmpl_render_text(tpl, d, &body) < 0) {
		ctx_log(c, LOG_ERROR, "account: mail template %s failed", tpl);
		return;
	}
	str text = buf_str(&body);
	while (text.len && (text.p[0] == '\n' || text.p[0] == '\r')) /* after the marker line */
		text.p++, text.len--;
	mail m = {.from_name = cfg_env_str("SOUK_MAIL_FROM_NAME", "Souk"),
	          .from_addr = from,
	          .to_addr = email,
	          .subject = existed ? "You already have a Souk account" : "Welcome to Souk",
	          .message_id = view_fmt(c->a, "account-%s%s", id, domain ? domain : "@souk.example"),
	          .date = time(NULL),
	          .body = text};
	buf_init(&out, c->a, 128 << 10);
	if (mail_render(&m, &out) < 0) {
		ctx_log(c, LOG_WARN, "account: cannot mail %s (address refused)", email);
		return;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		ctx_log(c, LOG_ERROR, "account: cannot create mail dir %s: %s", dir, strerror(errno));
	else if (mail_write_file(dir, view_fmt(c->a, "account-%s.eml", id), buf_str(&out)) < 0)
		ctx_log(c, LOG_ERROR, "account: writing a mail to %s: %s", dir, strerror(errno));
}

int post_register(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	const char *email = shop_field(c, "email");
	auth_user u;
	bool existed = false;
	if (auth_create(c, str_c(email), password(c), ROLE_SHOPPER, 0, &u) < 0) {
		if (c->err_status != 400 && c->err_status != 409)
			return SOUK_ERR;
		int st;
		const char *m = shop_take_failure(c, &st);
		if (st == 400) /* the input itself: says nothing about existing accounts */
			return account_form(c, true, st, m, email, shop_field(c, "next"));
		existed = true;
	}
	/* The same page for a new and a known address (no account
	 * enumeration): the mail says which it was. Nobody is signed in here. */
	register_mail(c, email, existed);
	if (!session_ensure(c))
		return SOUK_ERR;
	tmpl_dict *d = shop_page(c, "Check your e-mail");
	tmpl_set(d, "EMAIL", email);
	return shop_render(c, 200, "register_sent.tpl", d);
}

int post_logout(ctx *c)
{
	if (shop_post(c) < 0 || session_logout(c) < 0)
		return SOUK_ERR;
	return shop_redirect(c, "/");
}
