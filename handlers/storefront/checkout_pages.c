/* checkout_pages: address -> shipping -> payment -> review -> confirmation.
 * Each step is a server-rendered form with CSRF; what was entered is kept
 * in the session (co_* fields); the card never is: the payment step
 * hands it to the provider and keeps its token, brand and last 4 (co_pm,
 * co_brand, co_last4), or, while the provider cannot be reached, the card
 * sealed with its public key (co_sealed, which only the provider can
 * open) until the place step hands that to the order's deferred
 * authorization. Totals come from the checkout library. */
#include <stdarg.h>
#include <strings.h>
#include <time.h>

#include "shop/auth.h"
#include "shop/cart.h"
#include "shop/checkout.h"
#include "shop/order.h"
#include "shop/pay_seal_keys.h"
#include "shop/postal.h"
#include "core/rnd.h"
#include "storefront.h"

static const char *const countries[][2] = {
	{"US", "United States"}, {"CA", "Canada"},  {"GB", "United Kingdom"}, {"DE", "Germany"},
	{"FR", "France"},        {"NL", "Netherlands"}, {"ES", "Spain"},      {"IT", "Italy"},
	{"AU", "Australia"},     {"JP", "Japan"},
};
#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

/* A form number, 0 when it is not one. */
static int64_t num_or0(const char *s)
{
	int64_t v;
	return str_to_i64(str_c(s), 0, 9999, &v) == 0 ? v : 0;
}

static const char *country_name(const char *code)
{
	for (size_t i = 0; i < NCOUNTRIES; i++)
		if (strcmp(countries[i][0], code) == 0)
			return countries[i][1];
	return NULL;
}

/* The address fields: form name, session field, label, max length, required. */
static const struct {
	const char *form, *sess, *label;
	size_t max;
	bool required;
} addr_fields[] = {
	{"email", "co_email", "E-mail address", 254, true},
	{"name", "co_name", "Full name", 200, true},
	{"line1", "co_line1", "Address line 1", 200, true},
	{"line2", "co_line2", "Address line 2", 200, false},
	{"city", "co_city", "City", 100, true},
	{"postal_code", "co_postal", "Postal code", 20, true},
};
#define NADDR (sizeof(addr_fields) / sizeof(addr_fields[0]))

/* The priced cart of this session; an empty one sends the shopper back
 * to the cart page (returns 1 after the redirect). */
static int load_cart(ctx *c, cart *k)
{
	session *s = session_load(c);
	if (s && s->down)
		return ctx_fail(c, 503, "unavailable", "checkout is unavailable right now; please try again");
	const char *id = cart_of_session(c);
	memset(k, 0, sizeof(*k));
	if (id && cart_get(c, id, k) < 0)
		return SOUK_ERR;
	if (k->count == 0 || k->has_inactive)
		return shop_redirect(c, "/cart") == SOUK_OK ? 1 : SOUK_ERR;
	/* Stock moves while the shopper types: every step checks it again
	 * and sends them to the cart, with what changed, when it fell short. */
	for (int i = 0; i < k->nlines; i++) {
		int changed;
		if (k->lines[i].active && k->lines[i].available < k->lines[i].qty)
			return shop_cart_fit(c, id, &changed) < 0 ? SOUK_ERR
			       : shop_redirect(c, "/cart") == SOUK_OK ? 1 : SOUK_ERR;
	}
	return SOUK_OK;
}

static bool have_address(ctx *c)
{
	return *session_get(c, "co_name") && *session_get(c, "co_country");
}

static const char *method_of(ctx *c)
{
	const char *m = session_get(c, "co_method");
	return checkout_shipping_cost(m, 0) >= 0 ? m : NULL;
}

/* What a step starts from: the session, the priced cart, the method. */
typedef struct step_state {
	session *s;
	cart k;
	const char *method; /* from step 3 on */
} step_state;

/* The opening checks of every step page: a session and a cart with
 * something to buy (else 303 /cart), the steps before `step` done (else
 * 303 to the first one missing). Returns 1 after such a redirect (the
 * handler returns SOUK_OK), SOUK_ERR on a failure (Redis down: 503). */
static int step_open(ctx *c, int step, step_state *st)
{
	memset(st, 0, sizeof(*st));
	int rc = load_cart(c, &st->k);
	if (rc != SOUK_OK)
		return rc;
	/* a non-empty cart comes with a session; a guard all the same */
	if (!(st->s = session_load(c)))
		return shop_redirect(c, "/cart") == SOUK_OK ? 1 : SOUK_ERR;
	if (step >= 2 && !have_address(c))
		return shop_redirect(c, "/checkout") == SOUK_OK ? 1 : SOUK_ERR;
	if (step >= 3 && !(st->method = method_of(c)))
		return shop_redirect(c, "/checkout/shipping") == SOUK_OK ? 1 : SOUK_ERR;
	return SOUK_OK;
}

/* A failure shown in the form: next to its field (section ERR_<field>)
 * when it names one, else at the top (ERROR). */
static void form_error(ctx *c, tmpl_dict *d, const char *field, const char *msg)
{
	if (!msg)
		return;
	if (field)
		tmpl_set(tmpl_section(d, view_fmt(c->a, "ERR_%s", field)), "MESSAGE", msg);
	else
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", msg);
}

/* The order summary (lines and totals) of every step. */
static int summary(ctx *c, tmpl_dict *d, const cart *k, const char *method)
{
	tmpl_dict *s = tmpl_include(d, "SUMMARY", "checkout_summary.tpl");
	for (int i = 0; i < k->nlines; i++) {
		tmpl_dict *r = tmpl_section(s, "LINE");
		tmpl_set(r, "TITLE", view_title(c->a, k->lines[i].title));
		tmpl_set_i64(r, "QTY", k->lines[i].qty);
		if (k->lines[i].variant && *k->lines[i].variant)
			tmpl_set(tmpl_section(r, "VARIANT"), "TEXT", k->lines[i].variant);
		tmpl_set_money(r, "TOTAL", k->lines[i].line_total);
	}
	tmpl_set_money(s, "SUBTOTAL", k->subtotal);
	if (method) {
		checkout_totals t;
		if (checkout_quote(c, k, method, &t) < 0)
			return SOUK_ERR;
		tmpl_dict *q = tmpl_section(s, "QUOTED");
		if (t.shipping)
			tmpl_set_money(tmpl_section(q, "PAID_SHIP"), "SHIPPING", t.shipping);
		else
			tmpl_show(q, "FREE_SHIP");
		tmpl_set_money(q, "TAX", t.tax);
		tmpl_set_money(q, "TOTAL", t.total);
		/* the review page repeats it beside "Place your order" (a phone
		 * shows the summary only below the button) */
		tmpl_set_money(d, "ORDER_TOTAL", t.total);
	}
	return SOUK_OK;
}

static tmpl_dict *step_page(ctx *c, const char *title, int step)
{
	tmpl_dict *d = shop_page(c, title);
	shop_steps(tmpl_include(d, "STEPS", "checkout_steps.tpl"), step);
	return d;
}

/* ------------------------------------------------------------ 1 address */

/* Every field's error of a posted form (address, card), each shown next
 * to its field (ERR_<field>), so one submit tells everything to fix. */
#define MAX_FORM_ERRORS ((int)NADDR + 1)
typedef struct form_errors {
	int n;
	const char *field[MAX_FORM_ERRORS], *msg[MAX_FORM_ERRORS];
} form_errors;

static void form_err(ctx *c, form_errors *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void form_err(ctx *c, form_errors *e, const char *field, const char *fmt, ...)
{
	if (e->n >= MAX_FORM_ERRORS)
		return;
	buf b;
	buf_init(&b, c->a, 512);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	e->field[e->n] = field;
	e->msg[e->n++] = b.p;
}

static int address_page(ctx *c, int status, const form_errors *e)
{
	step_state st;
	int rc = step_open(c, 1, &st);
	if (rc != SOUK_OK)
		return rc < 0 ? SOUK_ERR : SOUK_OK;
	session *s = st.s;
	tmpl_dict *d = step_page(c, "Checkout: address", 1);
	for (int i = 0; e && i < e->n; i++)
		form_error(c, d, e->field[i], e->msg[i]);
	if (e && e->n > 1)
		form_error(c, d, NULL, view_fmt(c->a, "Please correct the %d fields marked below.", e->n));
	for (size_t i = 0; i < NADDR; i++) {
		/* a failed POST shows what was typed, else what the session has */
		const char *v = status != 200 ? shop_field(c, addr_fields[i].form)
		                              : session_get(c, addr_fields[i].sess);
		if (i == 0 && !*v && s->user_id)
			v = s->email;
		char key[32];
		snprintf(key, sizeof(key), "V_%s", addr_fields[i].form);
		tmpl_set(d, key, v);
	}
	const char *cc = status != 200 ? shop_field(c, "country") : session_get(c, "co_country");
	for (size_t i = 0; i < NCOUNTRIES; i++) {
		tmpl_dict *o = tmpl_section(d, "COUNTRY");
		tmpl_set(o, "CODE", countries[i][0]);
		tmpl_set(o, "NAME", countries[i][1]);
		if (strcmp(cc, countries[i][0]) == 0)
			tmpl_show(o, "SEL");
	}
	if (s->user_id)
		tmpl_show(d, "SIGNED_IN");
	else
		tmpl_show(d, "GUEST");
	if (summary(c, d, &st.k, NULL) < 0)
		return SOUK_ERR;
	return shop_render(c, status, "checkout_address.tpl", d);
}

int page_checkout(ctx *c)
{
	return address_page(c, 200, NULL);
}

static void check_address(ctx *c, form_errors *e)
{
	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < NADDR; i++) {
		const char *v = shop_field(c, addr_fields[i].form);
		size_t n = strlen(v);
		if (addr_fields[i].required && n == 0)
			form_err(c, e, addr_fields[i].form, "%s is required", addr_fields[i].label);
		else if (n > addr_fields[i].max)
			form_err(c, e, addr_fields[i].form, "%s is too long (at most %zu characters)",
			           addr_fields[i].label, addr_fields[i].max);
	}
	const char *email = shop_field(c, "email");
	if (*email && strlen(email) <= 254 && !auth_email_valid(str_c(email)))
		form_err(c, e, "email", "E-mail address is not a valid address");
	const char *cc = shop_field(c, "country"), *postal = shop_field(c, "postal_code"), *example;
	if (!country_name(cc))
		form_err(c, e, "country", "Country must be one we ship to");
	else if (*postal && strlen(postal) <= 20 && !postal_valid(cc, postal, &example))
		form_err(c, e, "postal_code", example ? "Postal code is not a postal code of %s: use the format %s"
		                                        : "Postal code of %s may have only letters, digits, spaces and hyphens%s",
		           country_name(cc), example ? example : "");
}

int post_checkout_address(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	form_errors e;
	check_address(c, &e);
	if (e.n)
		return address_page(c, 400, &e);
	if (session_set(c, "co_email", shop_field(c, "email"), "co_name", shop_field(c, "name"),
	                "co_line1", shop_field(c, "line1"), "co_line2", shop_field(c, "line2"),
	                "co_city", shop_field(c, "city"), "co_postal", shop_field(c, "postal_code"),
	                "co_country", shop_field(c, "country"), NULL) < 0)
		return SOUK_ERR;
	return shop_redirect(c, "/checkout/shipping");
}

/* ------------------------------------------------------------ 2 shipping */

static int shipping_page(ctx *c, int status, const char *error)
{
	step_state st;
	int rc = step_open(c, 2, &st);
	if (rc != SOUK_OK)
		return rc < 0 ? SOUK_ERR : SOUK_OK;
	tmpl_dict *d = step_page(c, "Checkout: shipping", 2);
	form_error(c, d, NULL, error);
	const char *cur = method_of(c);
	for (int i = 0; checkout_shipping_methods[i]; i++) {
		const char *m = checkout_shipping_methods[i];
		tmpl_dict *o = tmpl_section(d, "METHOD");
		tmpl_set(o, "VALUE", m);
		bool express = strcmp(m, "express") == 0;
		tmpl_set(o, "NAME", express ? "Express (1-2 business days)" : "Standard (3-5 business days)");
		int64_t cost = checkout_shipping_cost(m, st.k.subtotal);
		if (cost)
			tmpl_set_money(tmpl_section(o, "PAID"), "COST", cost);
		else
			tmpl_show(o, "FREE");
		if (cur ? strcmp(cur, m) == 0 : i == 0)
			tmpl_show(o, "SEL");
	}
	if (summary(c, d, &st.k, NULL) < 0)
		return SOUK_ERR;
	return shop_render(c, status, "checkout_shipping.tpl", d);
}

int page_checkout_shipping(ctx *c)
{
	return shipping_page(c, 200, NULL);
}

int post_checkout_shipping(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	const char *m = shop_field(c, "method");
	if (checkout_shipping_cost(m, 0) < 0)
		return shipping_page(c, 400, "Choose a shipping method");
	if (session_set(c, "co_method", m, NULL) < 0)
		return SOUK_ERR;
	return shop_redirect(c, "/checkout/payment");
}

/* ------------------------------------------------------------ 3 payment */

static int payment_page_errors(ctx *c, int status, const form_errors *e)
{
	step_state st;
	int rc = step_open(c, 3, &st);
	if (rc != SOUK_OK)
		return rc < 0 ? SOUK_ERR : SOUK_OK;
	tmpl_dict *d = step_page(c, "Checkout: payment", 3);
	for (int i = 0; e && i < e->n; i++)
		form_error(c, d, e->field[i], e->msg[i]);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	const char *em = status == 400 ? shop_field(c, "exp_month") : "";
	const char *ey = status == 400 ? shop_field(c, "exp_year") : "";
	for (int m = 1; m <= 12; m++) {
		tmpl_dict *o = tmpl_section(d, "MONTH");
		tmpl_set(o, "V", view_fmt(c->a, "%02d", m));
		if (num_or0(em) == m)
			tmpl_show(o, "SEL");
	}
	for (int y = tm.tm_year + 1900; y <= tm.tm_year + 1900 + 12; y++) {
		tmpl_dict *o = tmpl_section(d, "YEAR");
		tmpl_set_i64(o, "V", y);
		if (num_or0(ey) == y)
			tmpl_show(o, "SEL");
	}
	if (summary(c, d, &st.k, st.method) < 0)
		return SOUK_ERR;
	return shop_render(c, status, "checkout_payment.tpl", d);
}

static int payment_page(ctx *c, int status, const char *field, const char *error)
{
	form_errors e = {0};
	if (error) {
		e.field[0] = field;
		e.msg[0] = error;
		e.n = 1;
	}
	return payment_page_errors(c, status, &e);
}

int page_checkout_payment(ctx *c)
{
	return payment_page(c, 200, NULL, NULL);
}

/* A refused card (400 bad_card) back on the payment page, its message
 * next to the field it names. The card library speaks to API clients
 * ("payment.cvc must be ..."); the form names the field by its label. */
static const char *card_message(ctx *c, const char *field, const char *m);

static int card_refused(ctx *c)
{
	const char *field = c->err_field, *m = shop_take_failure(c, NULL);
	return payment_page(c, 400, field, card_message(c, field, m));
}

static const char *card_message(ctx *c, const char *field, const char *m)
{
	static const char *const labels[][2] = {
		{"card_number", "The card number"},
		{"exp_month", "The expiry month"},
		{"exp_year", "The expiry year"},
		{"cvc", "The security code"},
	};
	for (size_t i = 0; field && i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcmp(field, labels[i][0]) != 0)
			continue;
		/* the API message's subject is "payment.<field>" (capitalised
		 * by shop_take_failure); the label replaces it */
		const char *subject = view_fmt(c->a, "payment.%s ", field);
		if (subject && strncasecmp(m, subject, strlen(subject)) == 0)
			m = view_fmt(c->a, "%s%s", labels[i][1], m + strlen(subject) - 1);
	}
	return m;
}

/* Expiry not chosen: that, and what is wrong with the number or code
 * too (checked with a stand-in expiry), all on one page. 1 when the page
 * was answered, 0 when the expiry is fine. */
static int card_form_errors(ctx *c)
{
	form_errors e = {0};
	int64_t m, y;
	if (str_to_i64(str_c(shop_field(c, "exp_month")), 1, 12, &m) < 0)
		form_err(c, &e, "exp_month", "Choose the card's expiry month");
	if (str_to_i64(str_c(shop_field(c, "exp_year")), 2000, 2100, &y) < 0)
		form_err(c, &e, "exp_year", "Choose the card's expiry year");
	if (e.n == 0)
		return 0;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	pay_card card = {.number = shop_field(c, "card_number"), .cvc = shop_field(c, "cvc"),
	                 .exp_month = 12, .exp_year = tm.tm_year + 1900 + 1};
	const char *digits;
	char last4[5];
	if (pay_card_check(c, &card, tm.tm_year + 1900, tm.tm_mon + 1, &digits, last4) < 0) {
		const char *field = c->err_field;
		const char *msg = shop_take_failure(c, NULL);
		if (field && (!strcmp(field, "card_number") || !strcmp(field, "cvc")))
			form_err(c, &e, field, "%s", card_message(c, field, msg));
	}
	payment_page_errors(c, 400, &e);
	return 1;
}

/* The card of a payment/review form: 400 "bad_card" naming a bad field. */
static int card_fields(ctx *c, pay_card *card, const char **digits, char last4[5])
{
	int64_t m, y;
	memset(card, 0, sizeof(*card));
	card->number = shop_field(c, "card_number");
	card->cvc = shop_field(c, "cvc");
	if (str_to_i64(str_c(shop_field(c, "exp_month")), 1, 12, &m) < 0)
		return ctx_fail_field(c, 400, "bad_card", "exp_month", "Choose the card's expiry month");
	if (str_to_i64(str_c(shop_field(c, "exp_year")), 2000, 2100, &y) < 0)
		return ctx_fail_field(c, 400, "bad_card", "exp_year", "Choose the card's expiry year");
	card->exp_month = (int)m;
	card->exp_year = (int)y;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return pay_card_check(c, card, tm.tm_year + 1900, tm.tm_mon + 1, digits, last4);
}

/* The one idempotency key of this checkout: every review form (and so a
 * second tab) carries the same key until an order is placed or declined. */
static const char *checkout_key(ctx *c)
{
	const char *k = session_get(c, "co_key");
	if (*k)
		return k;
	char *n = rnd_hex(c->a, 16);
	if (!n || session_set(c, "co_key", n, NULL) < 0)
		return NULL;
	return n;
}

static int review_page(ctx *c);

/* POST /checkout/payment: the card is checked (Luhn, expiry) and sent to
 * the provider's tokenise call; the session keeps the token, brand and
 * last 4, and the review page is the answer. A provider that cannot be
 * reached: the card sealed with its key instead (as the API's checkout
 * does), kept in the session for the place step, which takes the order
 * with its authorization deferred; no key known: the 503 stands. */
int post_checkout_payment(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	pay_card card, paid;
	const char *digits;
	char last4[5];
	pay_result pm;
	if (card_form_errors(c))
		return c->err_status ? SOUK_ERR : SOUK_OK;
	if (card_fields(c, &card, &digits, last4) < 0 ||
	    pay_seal_keys_tokenize(c, &card, true, &pm, &paid) < 0) {
		if (c->err_status != 400)
			return SOUK_ERR;
		return card_refused(c);
	}
	/* one card at a time: the other kind of the previous one goes */
	if (session_del(c, paid.sealed ? "co_pm" : "co_sealed", NULL) < 0)
		return SOUK_ERR;
	if (paid.sealed) /* brand and last 4 of the card as typed: "card ending in 4242" */
		return session_set(c, "co_sealed", paid.sealed, "co_brand", "card", "co_last4", last4,
		                   NULL) < 0 ? SOUK_ERR : review_page(c);
	if (session_set(c, "co_pm", pm.provider_ref, "co_brand", pm.brand ? pm.brand : "card",
	                "co_last4", pm.last4, NULL) < 0)
		return SOUK_ERR;
	return review_page(c);
}

/* Step 4: what will be ordered and with which card (brand, last 4). */
static int review_page(ctx *c)
{
	step_state st;
	int rc = step_open(c, 3, &st);
	if (rc != SOUK_OK)
		return rc < 0 ? SOUK_ERR : SOUK_OK;
	const char *method = st.method;
	const char *key = checkout_key(c);
	if (!key)
		return SOUK_ERR;
	tmpl_dict *d = step_page(c, "Checkout: review your order", 4);
	tmpl_set(d, "KEY", key);
	tmpl_set(d, "BRAND", session_get(c, "co_brand"));
	tmpl_set(d, "LAST4", session_get(c, "co_last4"));
	tmpl_set(d, "EMAIL", session_get(c, "co_email"));
	tmpl_set(d, "NAME", session_get(c, "co_name"));
	tmpl_set(d, "LINE1", session_get(c, "co_line1"));
	if (*session_get(c, "co_line2"))
		tmpl_set(tmpl_section(d, "LINE2"), "TEXT", session_get(c, "co_line2"));
	tmpl_set(d, "CITY", session_get(c, "co_city"));
	tmpl_set(d, "POSTAL", session_get(c, "co_postal"));
	const char *cn = country_name(session_get(c, "co_country"));
	tmpl_set(d, "COUNTRY", cn ? cn : session_get(c, "co_country"));
	tmpl_set(d, "METHOD", strcmp(method, "express") == 0 ? "Express" : "Standard");
	if (summary(c, d, &st.k, method) < 0)
		return SOUK_ERR;
	return shop_render(c, 200, "checkout_review.tpl", d);
}

/* ------------------------------------------------------------ 4 place */

static const char *short_title(const cart *k, int64_t sku)
{
	for (int i = 0; i < k->nlines; i++)
		if (k->lines[i].sku_id == sku)
			return k->lines[i].title;
	return "An item";
}

/* After an order exists: this session may see it, the checkout is over. */
static int to_confirmation(ctx *c, const checkout_result *r, const char *key)
{
	char field[80];
	snprintf(field, sizeof(field), "o_%s", r->public_id);
	/* co_pm stays: a second submit of this form must still find the
	 * order (the next payment step replaces it); a sealed card does not:
	 * the order's authorization intent holds it now (or the provider
	 * tokenised it), and nothing else may */
	if (strcmp(session_get(c, "co_key"), key) == 0 && session_del(c, "co_key", NULL) < 0)
		return SOUK_ERR;
	if (*session_get(c, "co_sealed") && session_del(c, "co_sealed", NULL) < 0)
		return SOUK_ERR;
	if (session_set(c, field, "1", NULL) < 0)
		return SOUK_ERR;
	return shop_redirect(c, view_fmt(c->a, "/checkout/done/%s", r->public_id));
}

int post_checkout_place(ctx *c)
{
	if (shop_post(c) < 0)
		return SOUK_ERR;
	session *s = session_load(c);
	if (s && s->down)
		return ctx_fail(c, 503, "unavailable", "checkout is unavailable right now; please try again");
	if (!s) /* shop_post let it through only with a session; a guard all the same */
		return shop_redirect(c, "/cart");
	/* No empty-cart check here: a second submit of a placed order finds
	 * the cart cleared and must still answer with that order. */
	const char *method = method_of(c);
	if (!have_address(c) || !method)
		return shop_redirect(c, "/checkout");
	checkout_req rq = {0};
	const char *pm = session_get(c, "co_pm"), *sealed = session_get(c, "co_sealed");
	if (*pm)
		rq.card.token = pm;
	else if (*sealed) /* the provider was down at step 3 */
		rq.card.sealed = sealed;
	else /* no card yet (or it was declined): step 3 */
		return shop_redirect(c, "/checkout/payment");
	rq.cart_id = cart_of_session(c);
	if (!rq.cart_id) /* never had a cart: nothing to place */
		return shop_redirect(c, "/cart");
	rq.email = session_get(c, "co_email");
	rq.user_id = s->user_id;
	rq.addr.name = session_get(c, "co_name");
	rq.addr.line1 = session_get(c, "co_line1");
	rq.addr.line2 = session_get(c, "co_line2");
	rq.addr.city = session_get(c, "co_city");
	rq.addr.postal_code = session_get(c, "co_postal");
	rq.addr.country = session_get(c, "co_country");
	rq.shipping_method = method;
	rq.idempotency_key = shop_field(c, "key");
	rq.actor = "shopper";
	if (!*rq.idempotency_key)
		return ctx_fail(c, 400, "bad_request", "the form is missing its order key; reload the page");
	checkout_result r;
	int rc = checkout_place(c, &rq, &r);
	cart k = {0};
	switch (r.outcome) {
	case CHECKOUT_CONFIRMED:
	case CHECKOUT_PENDING: /* the provider will answer later: the page says so */
		return rc < 0 ? SOUK_ERR : to_confirmation(c, &r, rq.idempotency_key);
	case CHECKOUT_REPLAYED:
		if (rc < 0)
			return SOUK_ERR;
		if (r.status && strcmp(r.status, "CANCELLED") == 0) {
			/* the first submit of this form was declined or expired */
			session_del(c, "co_key", "co_pm", "co_sealed", NULL);
			return payment_page(c, 402, NULL, r.decline_message ? r.decline_message
			                                       : "This order was cancelled; please try again");
		}
		return to_confirmation(c, &r, rq.idempotency_key);
	case CHECKOUT_DECLINED: {
		shop_take_failure(c, NULL);
		/* a retry is a new attempt: a new key, and another card */
		if (session_del(c, "co_key", "co_pm", "co_sealed", NULL) < 0)
			return SOUK_ERR;
		const char *why = r.decline_message ? r.decline_message : "Your card was declined.";
		return payment_page(c, 402, NULL, view_fmt(c->a, "%s Please try another card.", why));
	}
	case CHECKOUT_OUT_OF_STOCK:
		shop_take_failure(c, NULL);
		if (cart_get(c, rq.cart_id, &k) < 0)
			return SOUK_ERR;
		return shop_cart_page(c, 409,
		                      view_fmt(c->a, "%s: you asked for %lld, only %lld left. Change the quantity to continue.",
		                               short_title(&k, r.short_sku), (long long)r.short_wanted,
		                               (long long)r.short_available));
	case CHECKOUT_EXPIRED:
		shop_take_failure(c, NULL);
		session_del(c, "co_key", NULL);
		return payment_page(c, 409, NULL, "The items were held too long before the payment completed; please try again.");
	case CHECKOUT_FAILED:
	default:
		if (c->err_status == 400 && c->err_code && strcmp(c->err_code, "bad_card") == 0)
			return card_refused(c);
		if (c->err_code && strcmp(c->err_code, "empty_cart") == 0) {
			shop_take_failure(c, NULL); /* nothing to buy (any more): the cart says so */
			return shop_redirect(c, "/cart");
		}
		return SOUK_ERR;
	}
}

/* ------------------------------------------------------------ 5 done */

int page_checkout_done(ctx *c)
{
	db_res *o = shop_order_for(c, ctx_param(c, "public_id"));
	if (!o)
		return SOUK_ERR;
	tmpl_dict *d = step_page(c, "Thank you for your order", 5);
	session *s = session_load(c); /* NULL: a guest with the token link only */
	const char *pid = db_val(o, 0, "public_id");
	/* PENDING after the place step: the provider did not answer and the
	 * authorization was deferred; the page must not call it placed */
	bool waiting = strcmp(db_val(o, 0, "status"), "PENDING") == 0;
	tmpl_dict *h = tmpl_section(d, waiting ? "PAY_WAIT" : "PLACED");
	tmpl_set(h, "PUBLIC_ID", pid);
	tmpl_set(h, "EMAIL", db_val(o, 0, "email"));
	tmpl_set(h, "STATUS", shop_status_text(c, db_val(o, 0, "status")));
	/* a guest keeps the token link: it is how they see the order later */
	if (s && s->user_id && s->user_id == db_i64(o, 0, "user_id"))
		tmpl_set(d, "ORDER_HREF", view_fmt(c->a, "/orders/%s", pid));
	else
		tmpl_set(d, "ORDER_HREF", view_fmt(c->a, "/orders/%s?token=%s", pid,
		                                   db_val(o, 0, "access_token")));
	if (shop_order_details(c, d, o) < 0)
		return SOUK_ERR;
	return shop_render(c, 200, "checkout_done.tpl", d);
}
