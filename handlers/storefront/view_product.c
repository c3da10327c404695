/* view_product: the product page (variants, Buy Box, other sellers). */
#include "storefront.h"

#include "core/js.h"

static str str_trim(str s)
{
	while (s.len && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n'))
		s.p++, s.len--;
	while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' ||
	                 s.p[s.len - 1] == '\r' || s.p[s.len - 1] == '\n'))
		s.len--;
	return s;
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
		tmpl_set(d, "STOCK", view_fmt(c->a, "Only %lld left", (long long)available));
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
	tmpl_set(o, "HREF", view_fmt(c->a, "%s?variant=%lld", href, (long long)target->id));
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
	tmpl_set(o, "TITLE", !target->in_stock ? view_fmt(c->a, "%s: out of stock", name)
	                     : other          ? view_fmt(c->a, "%s: in another option", name)
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
	                       ? view_fmt(c->a, "%s, %s", v[i].color, v[i].size)
	                       : variant_base_label(&v[i]);
	bool dup = false;
	for (int j = 0; j < n && base && !dup; j++)
		dup = j != i && same(v[j].size, v[i].size) && same(v[j].color, v[i].color);
	if (base && !dup)
		return base;
	const char *which = v[i].sku ? v[i].sku : view_fmt(c->a, "Option %d", i + 1);
	return base ? view_fmt(c->a, "%s (%s)", base, which) : which;
}

static const char *dim_value(const variant *v, bool color)
{
	return color ? v->color : v->size;
}

/* Whether v[i] is the first variant with its colour (color=true) or size. */
static bool first_with(const variant *v, int i, bool color)
{
	for (int j = 0; j < i; j++)
		if (same(dim_value(&v[j], color), dim_value(&v[i], color)))
			return false;
	return true;
}

/* How many different colours (color=true) or sizes the variants have. */
static int distinct(const variant *v, int n, bool color)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += first_with(v, i, color);
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
			if (!first_with(v, i, true))
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
			if (!first_with(v, i, false))
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
	bool flash = view_flash(c, d, v->offers); /* a flash deal replaces the Buy Box */
	json_object *win = v->in_stock && !flash ? json_object_array_get_idx(v->offers, 0) : NULL;
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
		tmpl_set_i64(w, "SKU_ID", ji64(win, "sku_id", 0));
		int64_t most = ji64(win, "available", 1);
		for (int64_t q = 1; q <= (most < VIEW_MAX_ADD_QTY ? most : VIEW_MAX_ADD_QTY); q++)
			tmpl_set_i64(tmpl_section(w, "QTY"), "N", q);
	} else if (!flash) {
		tmpl_dict *no = tmpl_section(d, "NO_WIN");
		if (v->price > 0)
			tmpl_set_money(tmpl_section(no, "LIST"), "LIST_PRICE", v->price);
	}

	if (n == 0) {
		tmpl_show(d, "NO_OFFERS");
		return;
	}
	tmpl_dict *t = tmpl_section(d, "OFFERS");
	/* "Other sellers on Souk (N) from $X": the offers besides the Buy Box
	 * winner, from the lowest landed price among them */
	size_t others = n - (win ? 1 : 0);
	int64_t from = -1;
	for (size_t i = win ? 1 : 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(v->offers, i);
		int64_t landed = ji64(o, "landed_price", ji64(o, "price", 0) + ji64(o, "shipping", 0));
		if (from < 0 || landed < from)
			from = landed;
	}
	tmpl_set_i64(t, "OFFER_COUNT", (int64_t)others);
	if (from >= 0)
		tmpl_set_money(tmpl_section(t, "FROM"), "FROM_PRICE", from);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(v->offers, i);
		tmpl_dict *r = tmpl_section(t, "OFFER");
		json_object *s = jget(o, "seller", json_type_object);
		const char *seller = jstr(s, "name");
		tmpl_set(r, "SELLER", seller ? seller : "Unknown seller");
		double rating;
		if (jnum(s, "rating", &rating))
			tmpl_set(tmpl_section(r, "SELLER_RATED"), "SELLER_RATING", view_fmt(c->a, "%.1f", rating));
		if (i == 0 && win)
			tmpl_show(r, "WINNER");
		tmpl_set(r, "CONDITION", condition_label(c->a, jstr(o, "condition")));
		int64_t price = ji64(o, "price", 0), ship = ji64(o, "shipping", 0);
		tmpl_set_money(r, "PRICE", price);
		shipping(r, ship);
		tmpl_set_money(r, "TOTAL", ji64(o, "landed_price", price + ship));
		tmpl_show(r, same(jstr(o, "fulfillment"), "FBA") ? "FBA" : "FBM");
		stock_state(c, r, jbool(o, "in_stock"), ji64(o, "available", 0));
		if (jbool(o, "in_stock") && !(i == 0 && win))
			tmpl_set_i64(tmpl_section(r, "ADD"), "SKU_ID", ji64(o, "sku_id", 0));
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
	title = view_title(c->a, title); /* the address keeps the source's slug */

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
	view_rating(c, d, rated, rated ? rating : 0, ji64(doc, "rating_count", 0));

	/* Breadcrumbs: the category path, then the product itself. */
	tmpl_dict *cr = tmpl_include(d, "CRUMBS", "crumbs.tpl");
	json_object *bc = jget(doc, "breadcrumbs", json_type_array);
	for (size_t i = 0; bc && i < json_object_array_length(bc); i++) {
		json_object *b = json_object_array_get_idx(bc, i);
		const char *name = jstr(b, "name");
		if (name)
			view_crumb(cr, view_category_href(c->a, ji64(b, "id", 0), jstr(b, "slug")), name);
	}
	view_crumb(cr, NULL, title);
	view_gallery(c, d, doc, title);

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
