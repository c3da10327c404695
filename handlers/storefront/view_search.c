/* view_search: the search page (facet sidebar, results, pager, typo banner) and its URLs. */
#include "storefront.h"

#include "shop/catalog.h"
#include "http/query.h"
#include "http/req.h"

#define FACET_SHOWN 8       /* values shown before "More ..." */
/* The engine pages through the first 10,000 results only (like
 * Elasticsearch's max_result_window); the pager stops there. */
#define VIEW_SEARCH_WINDOW 10000
#define VIEW_MAX_DOLLARS 10000000

static const char *const sort_labels[] = {
	[SEARCH_SORT_RELEVANCE] = "Best match",
	[SEARCH_SORT_PRICE_ASC] = "Price: low to high",
	[SEARCH_SORT_PRICE_DESC] = "Price: high to low",
	[SEARCH_SORT_RATING] = "Customer rating",
	[SEARCH_SORT_NEWEST] = "Newest arrivals",
};
#define NSORT ((int)(sizeof(sort_labels) / sizeof(sort_labels[0])))

/* ------------------------------------------------------------ parameters */

/* "49.99" / "50" dollars -> cents; empty -> -1 (no bound). */
static int dollars(ctx *c, const char *key, int64_t *out)
{
	const str *v = req_query(c->rq, key);
	if (!v || v->len == 0)
		return SOUK_OK;
	str s = *v, whole = s, frac = {"", 0};
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == '.') {
			whole = (str){s.p, i};
			frac = (str){s.p + i + 1, s.len - i - 1};
			break;
		}
	int64_t d = 0, f = 0;
	bool ok = (whole.len > 0 || frac.len > 0) && frac.len <= 2 &&
	          (whole.len == 0 || str_to_i64(whole, 0, VIEW_MAX_DOLLARS, &d) == 0) &&
	          (frac.len == 0 || str_to_i64(frac, 0, 99, &f) == 0);
	if (!ok || (frac.len && (frac.p[0] == '+' || frac.p[0] == '-')))
		return ctx_fail(c, 400, "bad_request", "%s must be a price in dollars, such as 49.99", key);
	if (frac.len == 1)
		f *= 10;
	*out = d * 100 + f;
	return SOUK_OK;
}

int view_search_params(ctx *c, view_search_page *s)
{
	memset(s, 0, sizeof(*s));
	if (search_query_from_params(c, &s->q, &s->page, &s->per_page) < 0)
		return SOUK_ERR;
	/* The page's own: prices in dollars (min, max), exact=1 (no typo
	 * correction), and a page size that fills the four-column grid. */
	if (!req_query(c->rq, "per_page"))
		s->per_page = VIEW_PER_PAGE;
	if (s->page > VIEW_SEARCH_WINDOW / s->per_page)
		return ctx_fail(c, 400, "bad_request",
		                "page must be at most %lld: results beyond the first %d are not shown",
		                (long long)(VIEW_SEARCH_WINDOW / s->per_page), VIEW_SEARCH_WINDOW);
	int64_t lo = -1, hi = -1;
	if (dollars(c, "min", &lo) < 0 || dollars(c, "max", &hi) < 0)
		return SOUK_ERR;
	if (lo >= 0)
		s->q.price_min = lo;
	if (hi >= 0)
		s->q.price_max = hi;
	if (s->q.price_min >= 0 && s->q.price_max >= 0 && s->q.price_min > s->q.price_max)
		return ctx_fail(c, 400, "bad_request", "the lowest price is above the highest");
	int64_t exact;
	if (ctx_query_int(c, "exact", 0, 1, 0, &exact) < 0)
		return SOUK_ERR;
	s->q.no_correct = exact == 1;
	s->q.limit = s->per_page;
	s->q.offset = (s->page - 1) * s->per_page;
	s->q.facets = true;
	return SOUK_OK;
}

/* ------------------------------------------------------------ addresses */

static void put_enc(buf *b, str v)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < v.len; i++) {
		unsigned char ch = (unsigned char)v.p[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_' || ch == '*') /* as browsers encode forms */
			buf_putc(b, (char)ch);
		else if (ch == ' ')
			buf_putc(b, '+');
		else
			buf_printf(b, "%%%c%c", hex[ch >> 4], hex[ch & 15]);
	}
}

static void put_param(buf *b, const char *key, str v)
{
	buf_putc(b, b->len == strlen("/search") ? '?' : '&');
	buf_puts(b, key);
	buf_putc(b, '=');
	put_enc(b, v);
}

/* Cents as a dollar amount for a URL or an input: 5000 -> "50", 4999 -> "49.99". */
static const char *dollar_text(arena *a, int64_t cents)
{
	if (cents % 100 == 0)
		return view_fmt(a, "%lld", (long long)(cents / 100));
	return view_fmt(a, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

/* The one address of a search: parameters in a fixed order, defaults
 * left out, so equal searches share a URL (and the nginx log reads well). */
const char *view_search_href(ctx *c, const search_query *q, int64_t page, int64_t per_page)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_puts(&b, "/search");
	if (q->q.len)
		put_param(&b, "q", q->q);
	if (q->category_id)
		put_param(&b, "category", str_c(view_fmt(c->a, "%lld", (long long)q->category_id)));
	for (int i = 0; i < q->nbrands; i++)
		put_param(&b, "brand", q->brands[i]);
	for (int i = 0; i < q->ncolors; i++)
		put_param(&b, "color", q->colors[i]);
	for (int i = 0; i < q->nsizes; i++)
		put_param(&b, "size", q->sizes[i]);
	if (q->price_min >= 0)
		put_param(&b, "min", str_c(dollar_text(c->a, q->price_min)));
	if (q->price_max >= 0)
		put_param(&b, "max", str_c(dollar_text(c->a, q->price_max)));
	if (q->in_stock)
		put_param(&b, "in_stock", STR("1"));
	if (q->rating_min)
		put_param(&b, "rating_min", str_c(view_fmt(c->a, "%d", q->rating_min)));
	if (q->sort != SEARCH_SORT_RELEVANCE)
		put_param(&b, "sort", str_c(search_sort_names[q->sort]));
	if (q->no_correct)
		put_param(&b, "exact", STR("1"));
	if (per_page != VIEW_PER_PAGE)
		put_param(&b, "per_page", str_c(view_fmt(c->a, "%lld", (long long)per_page)));
	if (page > 1)
		put_param(&b, "page", str_c(view_fmt(c->a, "%lld", (long long)page)));
	return b.p ? b.p : "/search";
}

/* The same search, first page, with a change applied by the caller. */
static const char *href_first(ctx *c, const view_search_page *s, const search_query *q)
{
	return view_search_href(c, q, 1, s->per_page);
}

/* q without the value at index i of a (brands / colors). */
static void drop_value(str *arr, int *n, int i)
{
	for (int k = i; k + 1 < *n; k++)
		arr[k] = arr[k + 1];
	(*n)--;
}

/* ------------------------------------------------------------ page parts */

/* A result card (card.tpl) for one hit. */
static void add_card(ctx *c, tmpl_dict *parent, const search_hit *h)
{
	tmpl_dict *d = tmpl_include(tmpl_section(parent, "PRODUCT"), "CARD", "card.tpl");
	tmpl_set(d, "HREF", view_product_href(c->a, h->id, h->title));
	tmpl_set(d, "TITLE", view_title(c->a, h->title));
	view_card_img(c, d, h->image);
	if (h->brand && *h->brand)
		tmpl_set(tmpl_section(d, "BRAND"), "NAME", h->brand);
	view_rating(c, d, h->rating_count > 0 && h->rating > 0, h->rating, h->rating_count);
	if (h->price < 0)
		tmpl_show(d, "NO_PRICE");
	else
		tmpl_set_money(tmpl_section(d, "PRICE"), "AMOUNT", h->price);
	tmpl_show(d, h->in_stock ? "IN_STOCK" : "OUT_OF_STOCK");
}

/* Hidden inputs carrying the state a form does not show itself. */
static void hidden(tmpl_dict *d, const char *name, const char *value)
{
	tmpl_dict *h = tmpl_section(d, "HIDDEN");
	tmpl_set(h, "NAME", name);
	tmpl_set(h, "VALUE", value);
}

static void hidden_values(ctx *c, tmpl_dict *d, const char *name, const str *v, int n)
{
	for (int i = 0; i < n; i++)
		hidden(d, name, str_dup(c->a, v[i]));
}

/* An "applied filter" chip whose link removes it. */
static void chip(tmpl_dict *d, const char *label, const char *value, const char *href)
{
	tmpl_dict *s = tmpl_section(d, "CHIP");
	tmpl_set(s, "LABEL", label);
	tmpl_set(s, "VALUE", value);
	tmpl_set(s, "HREF", href);
}

/* Brand / colour checkboxes: the first FACET_SHOWN in view, the rest
 * (and no selected one) inside a <details>. */
static void checkbox_facet(ctx *c, tmpl_dict *d, const char *title, const char *name,
                           const search_bucket *b, int n)
{
	if (n == 0)
		return;
	tmpl_dict *f = tmpl_section(d, "FACET");
	tmpl_set(f, "TITLE", title);
	tmpl_set(f, "NAME", name);
	tmpl_dict *more = NULL;
	int shown = 0;
	for (int i = 0; i < n; i++) {
		if (!b[i].value || !*b[i].value)
			continue;
		tmpl_dict *s;
		if (shown < FACET_SHOWN || b[i].selected) {
			s = tmpl_section(f, "OPT");
			shown++;
		} else {
			if (!more)
				more = tmpl_section(f, "MORE");
			s = tmpl_section(more, "OPT");
		}
		tmpl_set(s, "NAME", name);
		tmpl_set(s, "VALUE", b[i].value);
		tmpl_set(s, "ID", view_fmt(c->a, "f-%s-%d", name, i));
		tmpl_set(s, "COUNT", view_count(c->a, b[i].count));
		if (b[i].selected)
			tmpl_show(s, "CHECKED");
	}
}

static void sidebar(ctx *c, tmpl_dict *d, const view_search_page *s)
{
	const search_query *q = &s->q;
	const search_result *r = &s->res;
	search_query t;

	/* Department: the current one (with the way out) and its children. */
	if (s->cat) {
		tmpl_dict *cs = tmpl_section(d, "CAT_CURRENT");
		tmpl_set(cs, "NAME", db_val(s->cat, 0, "name"));
		t = *q;
		t.category_id = db_null(s->cat, 0, "parent_id") ? 0 : db_i64(s->cat, 0, "parent_id");
		tmpl_set(cs, "UP_HREF", href_first(c, s, &t));
		tmpl_set(cs, "UP_NAME", t.category_id ? "Up one level" : "Any department");
	}
	for (int i = 0; i < r->ncategories; i++) {
		if (r->categories[i].count <= 0)
			continue;
		tmpl_dict *cs = tmpl_section(d, "CAT");
		t = *q;
		t.category_id = r->categories[i].id;
		tmpl_set(cs, "HREF", href_first(c, s, &t));
		tmpl_set(cs, "NAME", r->categories[i].value);
		tmpl_set(cs, "COUNT", view_count(c->a, r->categories[i].count));
	}
	if (s->cat || r->ncategories)
		tmpl_show(d, "HAS_CATS");

	checkbox_facet(c, d, "Brand", "brand", r->brands, r->nbrands);
	checkbox_facet(c, d, "Colour", "color", r->colors, r->ncolors);

	/* Price: inputs in dollars and the engine's buckets as quick links. */
	if (q->price_min >= 0)
		tmpl_set(d, "MIN", dollar_text(c->a, q->price_min));
	if (q->price_max >= 0)
		tmpl_set(d, "MAX", dollar_text(c->a, q->price_max));
	for (int i = 0; i < r->nprices; i++) {
		const search_price_bucket *p = &r->prices[i];
		if (p->count <= 0)
			continue;
		tmpl_dict *ps = tmpl_section(d, "PRICE_BUCKET");
		t = *q;
		t.price_min = p->from;
		t.price_max = p->to >= 0 ? p->to - 1 : -1;
		tmpl_set(ps, "HREF", href_first(c, s, &t));
		const char *label = p->from < 0 ? view_fmt(c->a, "Under $%s", dollar_text(c->a, p->to))
		                    : p->to < 0 ? view_fmt(c->a, "$%s & above", dollar_text(c->a, p->from))
		                                : view_fmt(c->a, "$%s to $%s", dollar_text(c->a, p->from),
		                                           dollar_text(c->a, p->to));
		tmpl_set(ps, "LABEL", label);
		tmpl_set(ps, "COUNT", view_count(c->a, p->count));
		if (q->price_min == t.price_min && q->price_max == t.price_max)
			tmpl_show(ps, "CURRENT");
	}

	/* Rating: "4 stars & up" radios; "Any" clears it. */
	tmpl_dict *any = tmpl_section(d, "RATING_ANY");
	if (!q->rating_min)
		tmpl_show(any, "CHECKED");
	for (int i = 0; i < r->nratings; i++) {
		int64_t stars;
		if (!r->ratings[i].value || str_to_i64(str_c(r->ratings[i].value), 1, 5, &stars) < 0)
			continue;
		tmpl_dict *rs = tmpl_section(d, "RATING");
		tmpl_set_i64(rs, "STARS", stars);
		tmpl_set(rs, "CLASS", view_fmt(c->a, "r%d", (int)stars * 2));
		tmpl_set(rs, "COUNT", view_count(c->a, r->ratings[i].count));
		if (q->rating_min == stars)
			tmpl_show(rs, "CHECKED");
	}
	if (q->in_stock)
		tmpl_show(d, "IN_STOCK_CHECKED");

	/* What the sidebar form does not show travels hidden. */
	if (q->q.len)
		hidden(d, "q", str_dup(c->a, q->q));
	if (q->category_id)
		hidden(d, "category", view_fmt(c->a, "%lld", (long long)q->category_id));
	hidden_values(c, d, "size", q->sizes, q->nsizes);
	if (q->sort != SEARCH_SORT_RELEVANCE)
		hidden(d, "sort", search_sort_names[q->sort]);
	if (q->no_correct)
		hidden(d, "exact", "1");
	if (s->per_page != VIEW_PER_PAGE)
		hidden(d, "per_page", view_fmt(c->a, "%lld", (long long)s->per_page));
}

/* The sort form keeps every filter. */
static void sort_form(ctx *c, tmpl_dict *d, const view_search_page *s)
{
	const search_query *q = &s->q;
	tmpl_dict *f = tmpl_section(d, "SORT_FORM");
	for (int i = 0; i < NSORT && search_sort_names[i]; i++) {
		tmpl_dict *o = tmpl_section(f, "SORT");
		tmpl_set(o, "VALUE", search_sort_names[i]);
		tmpl_set(o, "LABEL", sort_labels[i]);
		if ((int)q->sort == i)
			tmpl_show(o, "SELECTED");
	}
	if (q->q.len)
		hidden(f, "q", str_dup(c->a, q->q));
	if (q->category_id)
		hidden(f, "category", view_fmt(c->a, "%lld", (long long)q->category_id));
	hidden_values(c, f, "brand", q->brands, q->nbrands);
	hidden_values(c, f, "color", q->colors, q->ncolors);
	hidden_values(c, f, "size", q->sizes, q->nsizes);
	if (q->price_min >= 0)
		hidden(f, "min", dollar_text(c->a, q->price_min));
	if (q->price_max >= 0)
		hidden(f, "max", dollar_text(c->a, q->price_max));
	if (q->in_stock)
		hidden(f, "in_stock", "1");
	if (q->rating_min)
		hidden(f, "rating_min", view_fmt(c->a, "%d", q->rating_min));
	if (q->no_correct)
		hidden(f, "exact", "1");
	if (s->per_page != VIEW_PER_PAGE)
		hidden(f, "per_page", view_fmt(c->a, "%lld", (long long)s->per_page));
}

/* Chips for the applied filters; each link drops one. */
static void chips(ctx *c, tmpl_dict *d, const view_search_page *s)
{
	const search_query *q = &s->q;
	search_query t;
	if (s->cat) {
		t = *q;
		t.category_id = 0;
		chip(d, "Department", db_val(s->cat, 0, "name"), href_first(c, s, &t));
	}
	for (int i = 0; i < q->nbrands; i++) {
		t = *q;
		drop_value(t.brands, &t.nbrands, i);
		chip(d, "Brand", str_dup(c->a, q->brands[i]), href_first(c, s, &t));
	}
	for (int i = 0; i < q->ncolors; i++) {
		t = *q;
		drop_value(t.colors, &t.ncolors, i);
		chip(d, "Colour", str_dup(c->a, q->colors[i]), href_first(c, s, &t));
	}
	for (int i = 0; i < q->nsizes; i++) {
		t = *q;
		drop_value(t.sizes, &t.nsizes, i);
		chip(d, "Size", str_dup(c->a, q->sizes[i]), href_first(c, s, &t));
	}
	if (q->price_min >= 0 || q->price_max >= 0) {
		t = *q;
		t.price_min = t.price_max = -1;
		const char *v = q->price_max < 0 ? view_fmt(c->a, "$%s & above", dollar_text(c->a, q->price_min))
		                : q->price_min < 0 ? view_fmt(c->a, "up to $%s", dollar_text(c->a, q->price_max))
		                                   : view_fmt(c->a, "$%s to $%s", dollar_text(c->a, q->price_min),
		                                              dollar_text(c->a, q->price_max));
		chip(d, "Price", v, href_first(c, s, &t));
	}
	if (q->rating_min) {
		t = *q;
		t.rating_min = 0;
		chip(d, "Rating", view_fmt(c->a, "%d stars & up", q->rating_min), href_first(c, s, &t));
	}
	if (q->in_stock) {
		t = *q;
		t.in_stock = false;
		chip(d, "Availability", "In stock", href_first(c, s, &t));
	}
	int n = (q->category_id != 0) + q->nbrands + q->ncolors + q->nsizes +
	        (q->price_min >= 0 || q->price_max >= 0) + (q->rating_min != 0) + q->in_stock;
	if (n)
		tmpl_set_i64(tmpl_section(d, "NFILTERS"), "N", n);
	if (n) {
		search_query_init(&t);
		t.q = q->q;
		t.sort = q->sort;
		tmpl_set(tmpl_section(d, "CLEAR_ALL"), "HREF", href_first(c, s, &t));
	}
}

static void add_page_link(ctx *c, tmpl_dict *pg, const view_search_page *s, int64_t n)
{
	tmpl_dict *e = tmpl_section(pg, "PG");
	tmpl_set_i64(e, "N", n);
	if (n == s->page)
		tmpl_show(e, "CUR");
	else
		tmpl_set(tmpl_section(e, "LINK"), "HREF", view_search_href(c, &s->q, n, s->per_page));
}

/* Previous/next and a window of page numbers: 1 … p-2 … p+2 … last. */
static void pager(ctx *c, tmpl_dict *d, const view_search_page *s, int64_t last)
{
	if (last <= 1 || s->page > last)
		return;
	tmpl_dict *pg = tmpl_section(d, "PAGER");
	if (s->page > 1)
		tmpl_set(tmpl_section(pg, "PREV"), "HREF", view_search_href(c, &s->q, s->page - 1, s->per_page));
	else
		tmpl_show(pg, "PREV_OFF");
	if (s->page < last)
		tmpl_set(tmpl_section(pg, "NEXT"), "HREF", view_search_href(c, &s->q, s->page + 1, s->per_page));
	else
		tmpl_show(pg, "NEXT_OFF");
	int64_t lo = s->page - 2 < 1 ? 1 : s->page - 2;
	int64_t hi = s->page + 2 > last ? last : s->page + 2;
	if (lo > 1) {
		add_page_link(c, pg, s, 1);
		if (lo > 2)
			tmpl_show(tmpl_section(pg, "PG"), "GAP");
	}
	for (int64_t n = lo; n <= hi; n++)
		add_page_link(c, pg, s, n);
	if (hi < last) {
		if (hi < last - 1)
			tmpl_show(tmpl_section(pg, "PG"), "GAP");
		add_page_link(c, pg, s, last);
	}
}

/* ------------------------------------------------------------ the page */

int view_search(ctx *c, const view_search_page *s)
{
	const search_query *q = &s->q;
	const search_result *r = &s->res;
	const char *text = q->q.len ? str_dup(c->a, q->q) : NULL;
	const char *self = view_search_href(c, q, s->page, s->per_page);
	/* autocorrected: the heading names what the results are for */
	const char *shown = r->corrected_query && *r->corrected_query ? r->corrected_query : text;
	const char *title = text ? view_fmt(c->a, "Results for \u201c%s\u201d", shown)
	                    : s->cat ? db_val(s->cat, 0, "name") : "All products";
	tmpl_dict *d = view_page_q(c, title, self, q->q);
	tmpl_set(d, "HEADING", title);
	tmpl_set(d, "ACTION", "/search");

	/* Typo tolerance: what was searched instead, and other spellings. */
	if (r->corrected_query && *r->corrected_query) {
		tmpl_dict *b = tmpl_section(d, "CORRECTED");
		tmpl_set(b, "CORRECTED", r->corrected_query);
		search_query t = *q;
		t.q = str_c(r->corrected_query);
		tmpl_set(b, "CORRECTED_HREF", href_first(c, s, &t));
		t = *q;
		t.no_correct = true;
		tmpl_set(b, "ORIGINAL", text ? text : "");
		tmpl_set(b, "ORIGINAL_HREF", href_first(c, s, &t));
	}
	if (r->nsuggestions > 0) {
		tmpl_dict *m = tmpl_section(d, "DID_YOU_MEAN");
		for (int i = 0; i < r->nsuggestions; i++) {
			if (!r->suggestions[i] || !*r->suggestions[i])
				continue;
			search_query t = *q;
			t.q = str_c(r->suggestions[i]);
			t.no_correct = false;
			tmpl_dict *e = tmpl_section(m, "SUGGESTION");
			tmpl_set(e, "TEXT", r->suggestions[i]);
			tmpl_set(e, "HREF", href_first(c, s, &t));
		}
	}

	sidebar(c, d, s);
	sort_form(c, d, s);
	chips(c, d, s);

	for (int i = 0; i < r->nhits; i++)
		add_card(c, d, &r->hits[i]);
	tmpl_set(d, "TOTAL", view_plural(c->a, r->total, "result", "results"));
	int64_t last = (r->total + s->per_page - 1) / s->per_page;
	if (last > VIEW_SEARCH_WINDOW / s->per_page)
		last = VIEW_SEARCH_WINDOW / s->per_page;
	if (r->nhits) {
		int64_t first = (s->page - 1) * s->per_page + 1;
		tmpl_dict *e = tmpl_section(d, "RANGE");
		tmpl_set(e, "FROM", view_count(c->a, first));
		tmpl_set(e, "TO", view_count(c->a, first + r->nhits - 1));
	} else if (r->total == 0) {
		tmpl_dict *e = tmpl_section(d, "EMPTY");
		if (text)
			tmpl_set(tmpl_section(e, "FOR"), "TEXT", text);
	} else {
		tmpl_dict *e = tmpl_section(d, "PAST_END");
		tmpl_set_i64(e, "PAGE", s->page);
		tmpl_set_i64(e, "LAST", last);
		tmpl_set(e, "FIRST_HREF", view_search_href(c, q, 1, s->per_page));
		tmpl_set(e, "LAST_HREF", view_search_href(c, q, last, s->per_page));
	}
	pager(c, d, s, last);
	return view_render(c, "search.tpl", d);
}
