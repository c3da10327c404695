/* view_listing: the home page, the category tree and category listings. */
#include "storefront.h"

#include "shop/catalog.h"

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
	tmpl_set(d, "TITLE", view_title(c->a, title));
	view_card_img(c, d, db_val(r, i, "image_url"));
	const char *brand = db_val(r, i, "brand");
	if (brand && *brand)
		tmpl_set(tmpl_section(d, "BRAND"), "NAME", brand);
	double v = 0;
	bool has = parse_decimal(db_val(r, i, "rating"), &v);
	view_rating(c, d, has, v, db_i64(r, i, "rating_count"));
	if (db_null(r, i, "price_min"))
		tmpl_show(d, "NO_PRICE");
	else
		tmpl_set_money(tmpl_section(d, "PRICE"), "AMOUNT", db_i64(r, i, "price_min"));
	tmpl_show(d, db_bool(r, i, "in_stock") ? "IN_STOCK" : "OUT_OF_STOCK");
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
		tmpl_set(s, "COUNT", more ? view_count(c->a, n) : view_plural(c->a, n, "product", "products"));
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
	/* Departments first, each opening on its own sub-categories; deeper
	 * levels are a click away on the category pages (each lists its
	 * children), so the page stays small instead of listing every one. */
	tmpl_dict *d = view_page(c, "All categories", "/c/");
	tmpl_dict *group = NULL;
	for (int i = 0; i < db_rows(all); i++) {
		int64_t depth = db_i64(all, i, "depth");
		tmpl_dict *s;
		if (depth > 1)
			continue;
		if (depth == 0 || !group) {
			group = tmpl_section(d, "ROOT");
			s = group;
		} else {
			s = tmpl_section(group, "SUB");
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
		view_crumb(cr, cid == id ? NULL
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
	tmpl_set(d, "TOTAL", view_plural(c->a, l->total, "product", "products"));

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
