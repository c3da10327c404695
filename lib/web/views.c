/* views: layout, error page and the small helpers every storefront page uses. */
#include "web/views.h"

#include <strings.h>

#include "shop/cart.h"
#include "shop/catalog.h"
#include "shop/session.h"
#include "core/js.h"
#include "http/resp.h"

/* ------------------------------------------------------------ small helpers */

/* A NUL-terminated printf result in the arena ("" when the arena is full). */
const char *view_fmt(arena *a, const char *f, ...)
{
	buf b;
	buf_init(&b, a, 0);
	va_list ap;
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	return b.p;
}


/* Latin-1 supplement (U+00C0..U+00FF) folded to ASCII for slugs; NULL
 * for the two symbols (multiplication and division signs). */
static const char *const latin1_fold[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e",  "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e",  "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};

/* The ASCII text a title byte sequence stands for in a slug: "" for
 * apostrophes ("Men's" -> "mens"), NULL for a separator; *adv is set to
 * the bytes consumed. `one` holds a single-letter result. */
static const char *slug_piece(const unsigned char *p, size_t *adv, char one[2])
{
	*adv = 1;
	if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')) {
		one[0] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		one[1] = '\0';
		return one;
	}
	if (*p == '\'')
		return "";
	if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99) { /* right single quotation mark */
		*adv = 3;
		return "";
	}
	if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
		*adv = 2;
		return latin1_fold[p[1] - 0x80];
	}
	if (*p >= 0x80)
		while (p[*adv] >= 0x80 && p[*adv] < 0xC0) /* the rest of the sequence */
			(*adv)++;
	return NULL;
}

const char *view_slug(arena *a, const char *title)
{
	char out[VIEW_SLUG_MAX + 1];
	size_t n = 0;
	bool sep = false;      /* a '-' is due before the next letter */
	bool mid_word = false; /* stopped inside a word: cut back to a boundary */
	const unsigned char *p = (const unsigned char *)(title ? title : "");
	while (*p) {
		char one[2];
		size_t adv;
		const char *piece = slug_piece(p, &adv, one);
		if (!piece) {
			sep = n > 0;
			p += adv;
			continue;
		}
		size_t len = strlen(piece);
		if (n + (sep ? 1 : 0) + len > VIEW_SLUG_MAX) {
			mid_word = !sep;
			break;
		}
		if (sep && len)
			out[n++] = '-', sep = false;
		memcpy(out + n, piece, len);
		n += len;
		p += adv;
	}
	if (mid_word) {
		size_t cut = n;
		while (cut > VIEW_SLUG_MAX / 2 && out[cut - 1] != '-')
			cut--;
		if (cut > VIEW_SLUG_MAX / 2)
			n = cut - 1;
	}
	if (n == 0)
		return "item";
	char *s = arena_strndup(a, out, n);
	return s ? s : "item";
}

const char *view_product_href(arena *a, int64_t id, const char *title)
{
	return view_fmt(a, "/products/%lld/%s", (long long)id, view_slug(a, title));
}

const char *view_category_href(arena *a, int64_t id, const char *slug)
{
	return view_fmt(a, "/c/%lld/%s", (long long)id, view_slug(a, slug));
}

const char *view_count(arena *a, int64_t n)
{
	char digits[32], out[48];
	unsigned long long v = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	int nd = snprintf(digits, sizeof(digits), "%llu", v);
	size_t o = 0;
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	char *s = arena_strndup(a, out, o);
	return s ? s : "";
}

/* "1 product" / "1,234 products" */
const char *view_dollars(arena *a, int64_t cents)
{
	buf b;
	buf_init(&b, a, MONEY_MAX);
	buf_money(&b, cents);
	return b.p;
}

const char *view_plural(arena *a, int64_t n, const char *one, const char *many)
{
	return view_fmt(a, "%s %s", view_count(a, n), n == 1 ? one : many);
}

/* ------------------------------------------------------------ layout */

tmpl_dict *view_page(ctx *c, const char *title, const char *canonical)
{
	return view_page_q(c, title, canonical, (str){"", 0});
}

tmpl_dict *view_page_q(ctx *c, const char *title, const char *canonical, str q)
{
	tmpl_dict *d = tmpl_dict_new(c->a);
	/* Include dictionaries do not see the parent's values: fill them. */
	tmpl_dict *h = tmpl_include(d, "HEADER", "header.tpl");
	if (title && *title) {
		tmpl_set(h, "PAGE_TITLE", title);
		tmpl_show(h, "TITLED");
	}
	if (canonical)
		tmpl_set(tmpl_section(h, "CANONICAL"), "HREF", canonical);
	tmpl_setn(h, "SEARCH_Q", q);
	tmpl_include(d, "FOOTER", "footer.tpl");
	view_account(c, d, h);
	return d;
}

/* The header's account links and cart count, and the CSRF token for the
 * page's forms. A page with a session is personal: never stored by nginx
 * or the browser. Without a session cookie nothing is looked up, so the
 * cached catalog pages stay anonymous. */
void view_account(ctx *c, tmpl_dict *d, tmpl_dict *h)
{
	session *s = session_load(c);
	if (s && (s->id || s->touched))
		resp_header(c->rs, "Cache-Control", STR("private, no-store"));
	int count = 0;
	if (s && s->id) {
		tmpl_set(d, "CSRF", s->csrf);
		int n = cart_count(c, cart_of_session(c));
		count = n > 0 ? n : 0;
	}
	if (s && s->id && s->user_id) {
		tmpl_dict *in = tmpl_section(h, "SIGNED_IN");
		tmpl_set(in, "EMAIL", s->email);
		tmpl_set(in, "CSRF", s->csrf);
		if (s->role == ROLE_ADMIN)
			tmpl_show(in, "ADMIN");
	} else {
		tmpl_show(h, "SIGNED_OUT");
	}
	tmpl_set_i64(h, "CART_COUNT", count);
}

int view_render(ctx *c, const char *file, tmpl_dict *d)
{
	c->rs->content_type = "text/html; charset=utf-8";
	if (tmpl_render(file, d, &c->rs->body) < 0)
		return ctx_fail(c, 500, "internal", "page could not be rendered");
	return SOUK_OK;
}

static const char *error_hint(int status)
{
	switch (status) {
	case 400: return "Something in the address or the form is not right. Check it and try again.";
	case 401: return "Please check what you entered and try again.";
	case 402: return "The payment did not go through.";
	case 403: return "You may not do this here.";
	case 409: return "This cannot be done in the current state.";
	case 404: return "We looked everywhere, but this page or item is not here.";
	case 405: return "This address does not accept that kind of request.";
	case 503: return "We cannot reach part of the shop right now. Please try again in a moment.";
	default:
		return status >= 500 ? "Something went wrong on our side. Please try again."
		                     : "The request could not be completed.";
	}
}

void view_error(ctx *c)
{
	int status = c->err_status ? c->err_status : 500;
	const char *reason = http_reason(status);
	tmpl_dict *d = view_page(c, reason, NULL);
	tmpl_set_i64(d, "STATUS", status);
	tmpl_set(d, "REASON", reason);
	tmpl_set(d, "HINT", error_hint(status));
	if (c->err_msg && *c->err_msg)
		tmpl_set(tmpl_section(d, "DETAIL"), "MESSAGE", c->err_msg);
	c->rs->content_type = "text/html; charset=utf-8";
	if (tmpl_render("error.tpl", d, &c->rs->body) < 0) {
		buf_clear(&c->rs->body);
		c->rs->content_type = "text/plain; charset=utf-8";
		buf_printf(&c->rs->body, "%d %s\n", status, c->err_msg ? c->err_msg : reason);
	}
}

/* ------------------------------------------------------------ shared parts */

/* Stars as a CSS class: half-star steps r0..r10. */
void view_rating(ctx *c, tmpl_dict *d, bool has, double v, int64_t count)
{
	if (!has || !(v >= 0 && v <= 5)) { /* NaN too */
		tmpl_show(d, "UNRATED");
		return;
	}
	tmpl_dict *r = tmpl_section(d, "RATED");
	tmpl_set(r, "RATING", view_fmt(c->a, "%.1f", v));
	tmpl_set(r, "STARS", view_fmt(c->a, "r%d", (int)(v * 2 + 0.5)));
	tmpl_set(r, "RATING_COUNT", view_count(c->a, count));
	tmpl_set(r, "RATINGS", view_plural(c->a, count, "rating", "ratings"));
}

/* A breadcrumb; href NULL marks the current page. */
void view_crumb(tmpl_dict *d, const char *href, const char *name)
{
	tmpl_dict *s = tmpl_section(d, "CRUMB");
	tmpl_set(s, "NAME", name);
	if (href)
		tmpl_set(tmpl_section(s, "LINK"), "HREF", href);
	else
		tmpl_show(s, "CURRENT");
}

void view_options(tmpl_dict *d, const char *section, const char *const *vals, int sel,
                  const char *any)
{
	for (int i = 0; vals[i]; i++) {
		tmpl_dict *o = tmpl_section(d, section);
		tmpl_set(o, "V", vals[i]);
		tmpl_set(o, "NAME", i ? vals[i] : any);
		if (i == sel)
			tmpl_show(o, "SEL");
	}
}

/* ------------------------------------------------------------ pictures */

const char *view_img(arena *a, const char *url, const char *size)
{
	static const char placeholder[] = "/static/img/placeholder.svg";
	size_t n = url ? strlen(url) : 0;
	if (n < 8 || strncmp(url, "/img/", 5) != 0)
		return placeholder;
	static const char card[] = "-card.webp";
	if (n > sizeof card - 1 && strcmp(url + n - (sizeof card - 1), card) == 0)
		n -= sizeof card - 1;
	else if (strchr(url, '.'))
		return placeholder;
	const char *s = view_fmt(a, "%.*s-%s.webp", (int)n, url, size);
	return *s ? s : placeholder;
}

void view_card_img(ctx *c, tmpl_dict *d, const char *image_url)
{
	tmpl_set(d, "IMG", view_img(c->a, image_url, "card"));
}

/* ------------------------------------------------------------ titles */

const char *view_title(arena *a, const char *title)
{
	static const char *const sizes[] = {
		"XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "2XL", "3XL", "4XL", "Small", "Medium",
		"Large", "X-Small", "X-Large", "XX-Large", "XXX-Large", "One Size",
	};
	if (!title)
		return "";
	size_t n = strlen(title);
	while (n && title[n - 1] == ' ')
		n--;
	const char *comma = NULL;
	for (size_t i = n; i > 0; i--)
		if (title[i - 1] == ',') {
			comma = title + i - 1;
			break;
		}
	if (!comma || comma == title)
		return title;
	const char *w = comma + 1;
	while (*w == ' ')
		w++;
	size_t wn = (size_t)(title + n - w);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (strlen(sizes[i]) == wn && strncasecmp(w, sizes[i], wn) == 0) {
			char *t = arena_strndup(a, title, (size_t)(comma - title));
			return t ? t : title;
		}
	return title;
}
