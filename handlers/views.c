/* views: layout, error page and the storefront pages built from catalog data. */
#include "views.h"

#include "catalog.h"
#include "js.h"

/* ------------------------------------------------------------ small helpers */

/* A NUL-terminated printf result in the arena ("" when the arena is full). */
static const char *fmt(arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(arena *a, const char *f, ...)
{
	buf b;
	buf_init(&b, a, 0);
	va_list ap;
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	return b.p;
}

static str str_trim(str s)
{
	while (s.len && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n'))
		s.p++, s.len--;
	while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' ||
	                 s.p[s.len - 1] == '\r' || s.p[s.len - 1] == '\n'))
		s.len--;
	return s;
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
	return fmt(a, "/products/%lld/%s", (long long)id, view_slug(a, title));
}

const char *view_category_href(arena *a, int64_t id, const char *slug)
{
	return fmt(a, "/c/%lld/%s", (long long)id, view_slug(a, slug));
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
static const char *plural(arena *a, int64_t n, const char *one, const char *many)
{
	return fmt(a, "%s %s", view_count(a, n), n == 1 ? one : many);
}

/* ------------------------------------------------------------ layout */

tmpl_dict *view_page(ctx *c, const char *title, const char *canonical)
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
	tmpl_include(d, "FOOTER", "footer.tpl");
	return d;
}

int view_render(ctx *c, const char *file, tmpl_dict *d)
{
	c->rs.content_type = "text/html; charset=utf-8";
	if (tmpl_render(file, d, &c->rs.body) < 0)
		return ctx_fail(c, 500, "internal", "page could not be rendered");
	return SOUK_OK;
}

static const char *error_hint(int status)
{
	switch (status) {
	case 400: return "Something in the address is not right. Check it and try again.";
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
	c->rs.content_type = "text/html; charset=utf-8";
	if (tmpl_render("error.tpl", d, &c->rs.body) < 0) {
		buf_clear(&c->rs.body);
		c->rs.content_type = "text/plain; charset=utf-8";
		buf_printf(&c->rs.body, "%d %s\n", status, c->err_msg ? c->err_msg : reason);
	}
}

/* ------------------------------------------------------------ shared parts */

/* Stars as a CSS class: half-star steps r0..r10. */
static void set_rating(ctx *c, tmpl_dict *d, bool has, double v, int64_t count)
{
	if (!has || !(v >= 0 && v <= 5)) { /* NaN too */
		tmpl_show(d, "UNRATED");
		return;
	}
	tmpl_dict *r = tmpl_section(d, "RATED");
	tmpl_set(r, "RATING", fmt(c->a, "%.1f", v));
	tmpl_set(r, "STARS", fmt(c->a, "r%d", (int)(v * 2 + 0.5)));
	tmpl_set(r, "RATING_COUNT", view_count(c->a, count));
	tmpl_set(r, "RATINGS", plural(c->a, count, "rating", "ratings"));
}

/* A decimal from the database ("4.3"); false for NULL or junk. */
static bool parse_decimal(const char *s, double *out)
{
	if (!s || !*s)
		return false;
	char *end;
	*out = strtod(s, &end);
	return *end == '\0';
}

/* One product card (a PRODUCT section with the card.tpl include) from a
 * catalog_list / catalog_featured row. */
static void add_card(ctx *c, tmpl_dict *parent, const db_res *r, int i)
{
	tmpl_dict *d = tmpl_include(tmpl_section(parent, "PRODUCT"), "CARD", "card.tpl");
	const char *title = db_val(r, i, "title");
	tmpl_set(d, "HREF", view_product_href(c->a, db_i64(r, i, "id"), title));
	tmpl_set(d, "TITLE", title);
	const char *brand = db_val(r, i, "brand");
	if (brand && *brand)
		tmpl_set(tmpl_section(d, "BRAND"), "NAME", brand);
	double v;
	bool has = parse_decimal(db_val(r, i, "rating"), &v);
	set_rating(c, d, has, v, db_i64(r, i, "rating_count"));
	if (db_null(r, i, "price_min"))
		tmpl_show(d, "NO_PRICE");
	else
		tmpl_set_money(tmpl_section(d, "PRICE"), "AMOUNT", db_i64(r, i, "price_min"));
	tmpl_show(d, db_bool(r, i, "in_stock") ? "IN_STOCK" : "OUT_OF_STOCK");
}

/* A breadcrumb; href NULL marks the current page. */
static void add_crumb(tmpl_dict *d, const char *href, const char *name)
{
	tmpl_dict *s = tmpl_section(d, "CRUMB");
	tmpl_set(s, "NAME", name);
	if (href)
		tmpl_set(tmpl_section(s, "LINK"), "HREF", href);
	else
		tmpl_show(s, "CURRENT");
}

/* ------------------------------------------------------------ home */

int view_home(ctx *c, const db_res *roots, const db_res *featured)
{
	tmpl_dict *d = view_page(c, NULL, "/");
	/* The biggest departments as tiles, the rest as a compact list. */
	tmpl_dict *more = NULL;
	for (int i = 0; i < db_rows(roots); i++) {
		tmpl_dict *s;
		if (i < VIEW_HOME_TILES) {
			s = tmpl_section(d, "CATEGORY");
		} else {
			if (!more)
				more = tmpl_section(d, "MORE");
			s = tmpl_section(more, "OTHER");
		}
		tmpl_set(s, "HREF", view_category_href(c->a, db_i64(roots, i, "id"),
		                                       db_val(roots, i, "slug")));
		tmpl_set(s, "NAME", db_val(roots, i, "name"));
		int64_t n = db_i64(roots, i, "product_count");
		tmpl_set(s, "COUNT", more ? view_count(c->a, n) : plural(c->a, n, "product", "products"));
	}
	if (db_rows(roots) == 0)
		tmpl_show(d, "NO_CATEGORIES");
	for (int i = 0; i < db_rows(featured); i++)
		add_card(c, d, featured, i);
	if (db_rows(featured) == 0)
		tmpl_show(d, "NO_PRODUCTS");
	return view_render(c, "home.tpl", d);
}

/* ------------------------------------------------------------ all categories */

int view_categories(ctx *c, const db_res *all)
{
	tmpl_dict *d = view_page(c, "All categories", "/c/");
	tmpl_dict *group = NULL;
	for (int i = 0; i < db_rows(all); i++) {
		int64_t depth = db_i64(all, i, "depth");
		tmpl_dict *s;
		if (depth == 0 || !group) {
			group = tmpl_section(d, "ROOT");
			s = group;
		} else {
			s = tmpl_section(group, "SUB");
			tmpl_set(s, "DEPTH", fmt(c->a, "d%d", depth > 4 ? 4 : (int)depth));
		}
		tmpl_set(s, "HREF", view_category_href(c->a, db_i64(all, i, "id"),
		                                       db_val(all, i, "slug")));
		tmpl_set(s, "NAME", db_val(all, i, "name"));
		tmpl_set(s, "COUNT", view_count(c->a, db_i64(all, i, "product_count")));
	}
	if (db_rows(all) == 0)
		tmpl_show(d, "EMPTY");
	return view_render(c, "categories.tpl", d);
}

/* ------------------------------------------------------------ category */

static const char *const sort_labels[] = {
	[CATALOG_SORT_RANK] = "Best sellers",
	[CATALOG_SORT_PRICE_ASC] = "Price: low to high",
	[CATALOG_SORT_PRICE_DESC] = "Price: high to low",
	[CATALOG_SORT_RATING] = "Customer rating",
	[CATALOG_SORT_NEWEST] = "Newest arrivals",
};
#define NSORT ((int)(sizeof(sort_labels) / sizeof(sort_labels[0])))

/* The listing's address for a page, keeping sort and page size; defaults
 * are left out so there is one address per page. */
static const char *listing_href(ctx *c, const char *base, const view_listing *l, int64_t page)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_puts(&b, base);
	char sep = '?';
	if (l->sort != CATALOG_SORT_RANK) {
		buf_printf(&b, "%csort=%s", sep, catalog_sort_names[l->sort]);
		sep = '&';
	}
	if (l->per_page != VIEW_PER_PAGE) {
		buf_printf(&b, "%cper_page=%lld", sep, (long long)l->per_page);
		sep = '&';
	}
	if (page > 1)
		buf_printf(&b, "%cpage=%lld", sep, (long long)page);
	return b.p;
}

static void add_page_link(ctx *c, tmpl_dict *pager, const char *base, const view_listing *l,
                          int64_t n)
{
	tmpl_dict *s = tmpl_section(pager, "PG");
	tmpl_set_i64(s, "N", n);
	if (n == l->page)
		tmpl_show(s, "CUR");
	else
		tmpl_set(tmpl_section(s, "LINK"), "HREF", listing_href(c, base, l, n));
}

/* Previous/next and a window of page numbers: 1 … p-2 … p+2 … last. */
static void pager(ctx *c, tmpl_dict *d, const char *base, const view_listing *l, int64_t last)
{
	if (last <= 1 || l->page > last)
		return;
	tmpl_dict *pg = tmpl_section(d, "PAGER");
	if (l->page > 1)
		tmpl_set(tmpl_section(pg, "PREV"), "HREF", listing_href(c, base, l, l->page - 1));
	else
		tmpl_show(pg, "PREV_OFF");
	if (l->page < last)
		tmpl_set(tmpl_section(pg, "NEXT"), "HREF", listing_href(c, base, l, l->page + 1));
	else
		tmpl_show(pg, "NEXT_OFF");
	int64_t lo = l->page - 2 < 1 ? 1 : l->page - 2;
	int64_t hi = l->page + 2 > last ? last : l->page + 2;
	if (lo > 1) {
		add_page_link(c, pg, base, l, 1);
		if (lo > 2)
			tmpl_show(tmpl_section(pg, "PG"), "GAP");
	}
	for (int64_t n = lo; n <= hi; n++)
		add_page_link(c, pg, base, l, n);
	if (hi < last) {
		if (hi < last - 1)
			tmpl_show(tmpl_section(pg, "PG"), "GAP");
		add_page_link(c, pg, base, l, last);
	}
}

int view_category(ctx *c, const view_listing *l)
{
	int64_t id = db_i64(l->cat, 0, "id");
	const char *name = db_val(l->cat, 0, "name");
	const char *base = view_category_href(c->a, id, db_val(l->cat, 0, "slug"));
	tmpl_dict *d = view_page(c, name, base);
	tmpl_set(d, "NAME", name);
	tmpl_set(d, "HREF", base);

	/* Breadcrumbs: every ancestor links; the category itself is current. */
	tmpl_dict *cr = tmpl_include(d, "CRUMBS", "crumbs.tpl");
	int64_t parent = db_null(l->cat, 0, "parent_id") ? 0 : db_i64(l->cat, 0, "parent_id");
	for (int i = 0; i < db_rows(l->crumbs); i++) {
		int64_t cid = db_i64(l->crumbs, i, "id");
		const char *cname = db_val(l->crumbs, i, "name");
		add_crumb(cr, cid == id ? NULL
		                        : view_category_href(c->a, cid, db_val(l->crumbs, i, "slug")),
		          cname);
		if (cid == parent) {
			tmpl_dict *s = tmpl_section(d, "PARENT");
			tmpl_set(s, "PARENT_HREF", view_category_href(c->a, cid,
			                                              db_val(l->crumbs, i, "slug")));
			tmpl_set(s, "PARENT_NAME", cname);
		}
	}

	for (int i = 0; i < db_rows(l->children); i++) {
		tmpl_dict *s = tmpl_section(d, "CHILD");
		tmpl_set(s, "CHILD_HREF", view_category_href(c->a, db_i64(l->children, i, "id"),
		                                             db_val(l->children, i, "slug")));
		tmpl_set(s, "CHILD_NAME", db_val(l->children, i, "name"));
		tmpl_set(s, "CHILD_COUNT", view_count(c->a, db_i64(l->children, i, "product_count")));
	}
	tmpl_set(d, "TOTAL", plural(c->a, l->total, "product", "products"));

	/* Sort: a plain GET form (works without JavaScript). */
	for (int i = 0; i < NSORT && catalog_sort_names[i]; i++) {
		tmpl_dict *s = tmpl_section(d, "SORT");
		tmpl_set(s, "VALUE", catalog_sort_names[i]);
		tmpl_set(s, "LABEL", sort_labels[i]);
		if (i == l->sort)
			tmpl_show(s, "SELECTED");
	}
	if (l->per_page != VIEW_PER_PAGE)
		tmpl_set_i64(tmpl_section(d, "KEEP_PER_PAGE"), "PER_PAGE", l->per_page);

	int rows = db_rows(l->products);
	for (int i = 0; i < rows; i++)
		add_card(c, d, l->products, i);
	int64_t last = (l->total + l->per_page - 1) / l->per_page;
	if (last > VIEW_MAX_PAGE)
		last = VIEW_MAX_PAGE;
	if (rows) {
		int64_t first = (l->page - 1) * l->per_page + 1;
		tmpl_dict *s = tmpl_section(d, "RANGE");
		tmpl_set(s, "FROM", view_count(c->a, first));
		tmpl_set(s, "TO", view_count(c->a, first + rows - 1));
	} else if (l->total == 0) {
		tmpl_show(d, "EMPTY");
	} else {
		tmpl_dict *s = tmpl_section(d, "PAST_END");
		tmpl_set_i64(s, "PAGE", l->page);
		tmpl_set_i64(s, "LAST", last);
		tmpl_set(s, "FIRST_HREF", listing_href(c, base, l, 1));
		tmpl_set(s, "LAST_HREF", listing_href(c, base, l, last));
	}
	pager(c, d, base, l, last);
	return view_render(c, "category.tpl", d);
}

/* ------------------------------------------------------------ product */

static json_object *jget(json_object *o, const char *key, json_type t)
{
	json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || !v || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* A non-empty string member or NULL. */
static const char *jstr(json_object *o, const char *key)
{
	const char *s = NULL;
	if (js_get_str(o, key, &s) != 1 || !*s)
		return NULL;
	return s;
}

static int64_t ji64(json_object *o, const char *key, int64_t def)
{
	int64_t v;
	return js_get_i64(o, key, &v) == 1 ? v : def;
}

static bool jnum(json_object *o, const char *key, double *out)
{
	json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || !v ||
	    !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

static bool jbool(json_object *o, const char *key)
{
	bool b = false;
	return js_get_bool(o, key, &b) == 1 && b;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

typedef struct variant {
	int64_t id;
	const char *size, *color, *sku;
	int64_t price;         /* list price */
	json_object *offers;   /* array, Buy Box order */
	bool in_stock;         /* the first offer is in stock */
} variant;

static void stock_state(ctx *c, tmpl_dict *d, bool in_stock, int64_t available)
{
	if (!in_stock || available <= 0) {
		tmpl_set(d, "STOCK_CLASS", "out");
		tmpl_set(d, "STOCK", "Out of stock");
	} else if (available < 10) {
		tmpl_set(d, "STOCK_CLASS", "low");
		tmpl_set(d, "STOCK", fmt(c->a, "Only %lld left", (long long)available));
	} else {
		tmpl_set(d, "STOCK_CLASS", "in");
		tmpl_set(d, "STOCK", "In stock");
	}
}

static void shipping(tmpl_dict *d, int64_t cents)
{
	if (cents <= 0)
		tmpl_show(d, "FREE_SHIP");
	else
		tmpl_set_money(tmpl_section(d, "PAID_SHIP"), "SHIPPING", cents);
}

/* "new" -> "New", "used_like_new" -> "Used – like new". */
static const char *condition_label(arena *a, const char *cond)
{
	if (!cond)
		return "New";
	size_t n = strlen(cond);
	char *s = arena_alloc(a, n * 3 + 4);
	if (!s)
		return cond;
	size_t o = 0;
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		char ch = cond[i];
		if (ch == '_') {
			if (first) {
				memcpy(s + o, " \xE2\x80\x93 ", 5); /* en dash */
				o += 5;
				first = false;
			} else {
				s[o++] = ' ';
			}
		} else {
			s[o++] = (i == 0 && ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
		}
	}
	s[o] = '\0';
	return s;
}

/* The variant choice: a row per dimension (colour, size) when every
 * variant is one (colour, size) pair, else one row listing every variant.
 * Each option is a link to ?variant=N (works without JavaScript). */
static void add_option(ctx *c, tmpl_dict *dim, const char *href, const char *name,
                       const variant *target, bool selected, bool other)
{
	tmpl_dict *o = tmpl_section(dim, "OPT");
	tmpl_set(o, "NAME", name);
	tmpl_set(o, "HREF", fmt(c->a, "%s?variant=%lld", href, (long long)target->id));
	buf cls;
	buf_init(&cls, c->a, 0);
	buf_puts(&cls, "opt");
	if (selected)
		buf_puts(&cls, " sel");
	if (!target->in_stock)
		buf_puts(&cls, " oos");
	if (other)
		buf_puts(&cls, " other");
	tmpl_set(o, "CLASS", cls.p);
	tmpl_set(o, "TITLE", !target->in_stock ? fmt(c->a, "%s: out of stock", name)
	                     : other          ? fmt(c->a, "%s: in another option", name)
	                                      : name);
	if (selected)
		tmpl_show(o, "SEL");
}

static bool dims_usable(const variant *v, int n)
{
	bool any_size = false, all_size = true, any_color = false, all_color = true;
	for (int i = 0; i < n; i++) {
		if (v[i].size)
			any_size = true;
		else
			all_size = false;
		if (v[i].color)
			any_color = true;
		else
			all_color = false;
		for (int j = 0; j < i; j++)
			if (same(v[i].size, v[j].size) && same(v[i].color, v[j].color))
				return false;
	}
	return (any_size || any_color) && any_size == all_size && any_color == all_color;
}

static const char *variant_base_label(const variant *v)
{
	return v->size && v->color ? NULL : v->size ? v->size : v->color;
}

/* "Black, 9"; "9"; the SKU or "Option 2" when labels would repeat. */
static const char *variant_label(ctx *c, const variant *v, int n, int i)
{
	const char *base = v[i].size && v[i].color
	                       ? fmt(c->a, "%s, %s", v[i].color, v[i].size)
	                       : variant_base_label(&v[i]);
	bool dup = false;
	for (int j = 0; j < n && base && !dup; j++)
		dup = j != i && same(v[j].size, v[i].size) && same(v[j].color, v[i].color);
	if (base && !dup)
		return base;
	const char *which = v[i].sku ? v[i].sku : fmt(c->a, "Option %d", i + 1);
	return base ? fmt(c->a, "%s (%s)", base, which) : which;
}

/* How many different colours (color=true) or sizes the variants have. */
static int distinct(const variant *v, int n, bool color)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = color ? same(v[j].color, v[i].color) : same(v[j].size, v[i].size);
		k += !seen;
	}
	return k;
}

static void variant_choice(ctx *c, tmpl_dict *d, const char *href, const variant *v, int n,
                           int sel)
{
	if (n < 2)
		return;
	if (!dims_usable(v, n)) {
		tmpl_dict *dim = tmpl_section(d, "DIM");
		tmpl_set(dim, "LABEL", "Option");
		tmpl_set(dim, "CURRENT", variant_label(c, v, n, sel));
		for (int i = 0; i < n; i++)
			add_option(c, dim, href, variant_label(c, v, n, i), &v[i], i == sel, false);
		return;
	}
	/* Colour: keep the selected size when that pair exists. */
	if (v[sel].color) {
		tmpl_dict *dim = tmpl_section(d, "DIM");
		tmpl_set(dim, "LABEL", "Colour");
		tmpl_set(dim, "CURRENT", v[sel].color);
		bool many = distinct(v, n, true) > 1; /* one colour: a label, no choice */
		for (int i = 0; i < n && many; i++) {
			bool seen = false;
			for (int j = 0; j < i && !seen; j++)
				seen = same(v[j].color, v[i].color);
			if (seen)
				continue;
			int t = -1, any_in = -1;
			for (int j = 0; j < n; j++) {
				if (!same(v[j].color, v[i].color))
					continue;
				if (same(v[j].size, v[sel].size))
					t = j;
				if (any_in < 0 && v[j].in_stock)
					any_in = j;
			}
			if (t < 0)
				t = any_in >= 0 ? any_in : i;
			add_option(c, dim, href, v[i].color, &v[t], same(v[i].color, v[sel].color), false);
		}
	}
	/* Size: in the selected colour when it comes in it, else elsewhere. */
	if (v[sel].size) {
		tmpl_dict *dim = tmpl_section(d, "DIM");
		tmpl_set(dim, "LABEL", "Size");
		tmpl_set(dim, "CURRENT", v[sel].size);
		bool many = distinct(v, n, false) > 1;
		for (int i = 0; i < n && many; i++) {
			bool seen = false;
			for (int j = 0; j < i && !seen; j++)
				seen = same(v[j].size, v[i].size);
			if (seen)
				continue;
			int t = -1;
			for (int j = 0; j < n && t < 0; j++)
				if (same(v[j].size, v[i].size) && same(v[j].color, v[sel].color))
					t = j;
			bool other = t < 0;
			if (other)
				t = i;
			add_option(c, dim, href, v[i].size, &v[t], same(v[i].size, v[sel].size), other);
		}
	}
}

/* The Buy Box (first offer when in stock) and the table of every offer. */
static void offers(ctx *c, tmpl_dict *d, const variant *v)
{
	size_t n = v->offers ? json_object_array_length(v->offers) : 0;
	json_object *win = v->in_stock ? json_object_array_get_idx(v->offers, 0) : NULL;
	if (win) {
		tmpl_dict *w = tmpl_section(d, "WIN");
		int64_t price = ji64(win, "price", 0);
		tmpl_set_money(w, "PRICE", price);
		if (v->price > price && (v->price - price) * 100 / v->price >= 1) {
			tmpl_dict *lp = tmpl_section(w, "LIST");
			tmpl_set_money(lp, "LIST_PRICE", v->price);
			tmpl_set_money(lp, "SAVE", v->price - price);
			tmpl_set_i64(lp, "SAVE_PCT", (v->price - price) * 100 / v->price);
		}
		shipping(w, ji64(win, "shipping", 0));
		stock_state(c, w, true, ji64(win, "available", 0));
		const char *seller = jstr(jget(win, "seller", json_type_object), "name");
		tmpl_set(w, "SELLER", seller ? seller : "Unknown seller");
		if (same(jstr(win, "fulfillment"), "FBA"))
			tmpl_show(w, "FBA");
		else
			tmpl_show(w, "FBM");
		tmpl_set(w, "CONDITION", condition_label(c->a, jstr(win, "condition")));
	} else {
		tmpl_dict *no = tmpl_section(d, "NO_WIN");
		if (v->price > 0)
			tmpl_set_money(tmpl_section(no, "LIST"), "LIST_PRICE", v->price);
	}

	if (n == 0) {
		tmpl_show(d, "NO_OFFERS");
		return;
	}
	tmpl_dict *t = tmpl_section(d, "OFFERS");
	tmpl_set(t, "OFFER_COUNT", plural(c->a, (int64_t)n, "offer", "offers"));
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(v->offers, i);
		tmpl_dict *r = tmpl_section(t, "OFFER");
		json_object *s = jget(o, "seller", json_type_object);
		const char *seller = jstr(s, "name");
		tmpl_set(r, "SELLER", seller ? seller : "Unknown seller");
		double rating;
		if (jnum(s, "rating", &rating))
			tmpl_set(tmpl_section(r, "SELLER_RATED"), "SELLER_RATING", fmt(c->a, "%.1f", rating));
		if (i == 0 && win)
			tmpl_show(r, "WINNER");
		tmpl_set(r, "CONDITION", condition_label(c->a, jstr(o, "condition")));
		int64_t price = ji64(o, "price", 0), ship = ji64(o, "shipping", 0);
		tmpl_set_money(r, "PRICE", price);
		shipping(r, ship);
		tmpl_set_money(r, "TOTAL", ji64(o, "landed_price", price + ship));
		tmpl_show(r, same(jstr(o, "fulfillment"), "FBA") ? "FBA" : "FBM");
		stock_state(c, r, jbool(o, "in_stock"), ji64(o, "available", 0));
	}
}

/* Text split into its non-empty lines, each one repetition of `item`
 * inside section `outer` of d (created only when a line is there).
 * Bullets lose their leading marker ("- ", "* ", "•", "·", "–"). */
static void add_lines(tmpl_dict *d, const char *outer, const char *item, const char *text,
                      bool bullets)
{
	static const char *const marks[] = {"- ", "* ", "\xE2\x80\xA2", "\xC2\xB7", "\xE2\x80\x93"};
	tmpl_dict *sec = NULL;
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		str line = str_trim((str){p, nl ? (size_t)(nl - p) : strlen(p)});
		p = nl ? nl + 1 : NULL;
		for (size_t k = 0; bullets && k < sizeof(marks) / sizeof(marks[0]); k++)
			if (str_starts(line, marks[k])) {
				size_t m = strlen(marks[k]);
				line = str_trim((str){line.p + m, line.len - m});
				break;
			}
		if (!line.len)
			continue;
		if (!sec)
			sec = tmpl_section(d, outer);
		tmpl_setn(tmpl_section(sec, item), "TEXT", line);
	}
}

int view_product(ctx *c, json_object *doc, int64_t variant_id)
{
	int64_t id = ji64(doc, "id", 0);
	const char *title = jstr(doc, "title");
	if (!title)
		title = "Untitled product";
	const char *href = view_product_href(c->a, id, title);

	/* Variants, and the one to show. */
	json_object *vs = jget(doc, "variants", json_type_array);
	int n = vs ? (int)json_object_array_length(vs) : 0;
	variant *v = n ? arena_zalloc(c->a, (size_t)n * sizeof(*v)) : NULL;
	if (n && !v)
		return ctx_fail(c, 500, "internal", "product page too large");
	int sel = -1, def = -1;
	for (int i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(vs, (size_t)i);
		v[i].id = ji64(o, "id", 0);
		v[i].size = jstr(o, "size");
		v[i].color = jstr(o, "color");
		v[i].sku = jstr(o, "sku");
		v[i].price = ji64(o, "price", 0);
		v[i].offers = jget(o, "offers", json_type_array);
		json_object *first = v[i].offers ? json_object_array_get_idx(v[i].offers, 0) : NULL;
		v[i].in_stock = first && jbool(first, "in_stock");
		if (def < 0 && v[i].in_stock)
			def = i;
		if (variant_id && v[i].id == variant_id)
			sel = i;
	}
	if (variant_id && sel < 0)
		return ctx_fail(c, 404, "not_found", "product %lld has no variant %lld", (long long)id,
		                (long long)variant_id);
	if (sel < 0)
		sel = def >= 0 ? def : 0;

	tmpl_dict *d = view_page(c, title, href);
	tmpl_set(d, "TITLE", title);
	const char *brand = jstr(doc, "brand");
	if (brand)
		tmpl_set(tmpl_section(d, "BRAND"), "BRAND_NAME", brand);
	double rating;
	bool rated = jnum(doc, "rating", &rating);
	set_rating(c, d, rated, rated ? rating : 0, ji64(doc, "rating_count", 0));

	/* Breadcrumbs: the category path, then the product itself. */
	tmpl_dict *cr = tmpl_include(d, "CRUMBS", "crumbs.tpl");
	json_object *bc = jget(doc, "breadcrumbs", json_type_array);
	for (size_t i = 0; bc && i < json_object_array_length(bc); i++) {
		json_object *b = json_object_array_get_idx(bc, i);
		const char *name = jstr(b, "name");
		if (name)
			add_crumb(cr, view_category_href(c->a, ji64(b, "id", 0), jstr(b, "slug")), name);
	}
	add_crumb(cr, NULL, title);

	if (n) {
		variant_choice(c, d, href, v, n, sel);
		offers(c, d, &v[sel]);
	} else {
		tmpl_show(d, "NO_WIN");
		tmpl_show(d, "NO_OFFERS");
	}

	add_lines(d, "ABOUT", "BULLET", jstr(doc, "bullet_points"), true);
	add_lines(d, "DESCRIPTION", "PARA", jstr(doc, "description"), false);

	/* Details table. */
	tmpl_dict *det = tmpl_section(d, "DETAILS");
	if (brand)
		tmpl_set(tmpl_section(det, "D_BRAND"), "BRAND_NAME", brand);
	const char *color = n && v[sel].color ? v[sel].color : jstr(doc, "color");
	if (color)
		tmpl_set(tmpl_section(det, "D_COLOR"), "COLOR", color);
	if (n && v[sel].size)
		tmpl_set(tmpl_section(det, "D_SIZE"), "SIZE", v[sel].size);
	const char *ref = jstr(doc, "ref");
	if (ref)
		tmpl_set(tmpl_section(det, "D_REF"), "REF", ref);
	if (n && v[sel].sku)
		tmpl_set(tmpl_section(det, "D_SKU"), "SKU", v[sel].sku);
	int64_t rank = ji64(doc, "sales_rank", 0);
	if (rank > 0)
		tmpl_set(tmpl_section(det, "D_RANK"), "RANK", view_count(c->a, rank));
	json_object *cat = jget(doc, "category", json_type_object);
	if (jstr(cat, "name")) {
		tmpl_dict *s = tmpl_section(det, "D_CATEGORY");
		tmpl_set(s, "CATEGORY", jstr(cat, "name"));
		tmpl_set(s, "CATEGORY_HREF",
		         view_category_href(c->a, ji64(cat, "id", 0), jstr(cat, "slug")));
	}
	return view_render(c, "product.tpl", d);
}
