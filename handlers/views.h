/* views: turning catalog data into storefront pages (layout, cards, pages). */
#ifndef SOUK_VIEWS_H
#define SOUK_VIEWS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "ctx.h"
#include "db.h"
#include "search.h"
#include "tmpl.h"

/* Products per category page unless ?per_page= says otherwise. */
#define VIEW_PER_PAGE 24
#define VIEW_MAX_PER_PAGE 100
#define VIEW_MAX_PAGE 10000
#define VIEW_FEATURED 12
#define VIEW_HOME_TILES 10 /* departments shown as tiles on the home page */
#define VIEW_SLUG_MAX 60
#define VIEW_MAX_ADD_QTY 10 /* quantity choices in the Buy Box */

/* A page's root dictionary with the layout parts (header/footer includes)
 * filled: title (NULL: the shop's name only) and, when not NULL, the
 * canonical path of the page (rel=canonical). Owned by c->a. */
tmpl_dict *view_page(ctx *c, const char *title, const char *canonical);
/* view_page with the header's search box showing the text q. */
tmpl_dict *view_page_q(ctx *c, const char *title, const char *canonical, str q);
/* The header's account links, cart count and the page's CSRF token
 * (view_page calls it); sends Cache-Control: private, no-store when the
 * request has a session. */
void view_account(ctx *c, tmpl_dict *d, tmpl_dict *h);
/* Renders template `file` with d as a 200 HTML page into c->rs. */
int view_render(ctx *c, const char *file, tmpl_dict *d);
/* The storefront's HTML error page (app.render_error). */
void view_error(ctx *c);

/* URL slug of a title: lowercase ASCII letters and digits joined by '-',
 * Latin-1 accents folded ("Café" -> "cafe"), at most VIEW_SLUG_MAX bytes,
 * never empty ("item"). The string is in arena a. */
const char *view_slug(arena *a, const char *title);
/* "/products/{id}/{slug}" and "/c/{id}/{slug}", in arena a. */
const char *view_product_href(arena *a, int64_t id, const char *title);
const char *view_category_href(arena *a, int64_t id, const char *slug);
/* 1234567 -> "1,234,567", in arena a. */
const char *view_count(arena *a, int64_t n);
/* A printf result in arena a ("" when the arena is full). */
const char *view_fmt(arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
/* "1 rating" / "2,345 ratings", in arena a. */
const char *view_plural(arena *a, int64_t n, const char *one, const char *many);
/* Shared page parts: the RATED/UNRATED stars section of d, and one
 * CRUMB of a breadcrumb trail (href NULL marks the current page). */
void view_rating(ctx *c, tmpl_dict *d, bool has, double v, int64_t count);
void view_crumb(tmpl_dict *d, const char *href, const char *name);

/* Pages. Each renders into c->rs and returns SOUK_OK, or records the
 * failure in c and returns SOUK_ERR. The results belong to the request. */

/* Home: top-level categories (catalog_roots) and best sellers
 * (catalog_featured). */
int view_home(ctx *c, const db_res *roots, const db_res *featured);

/* Every category as an indented tree (catalog_all_categories). */
int view_categories(ctx *c, const db_res *all);

typedef struct view_listing {
	const db_res *cat;      /* catalog_category: row 0 */
	const db_res *crumbs;   /* catalog_breadcrumbs of its path */
	const db_res *children; /* catalog_children */
	const db_res *products; /* catalog_list: one page */
	int64_t total;          /* products in the whole subtree */
	int64_t page, per_page;
	int sort;               /* index into catalog_sort_names */
} view_listing;

/* Category page: breadcrumbs, sub-categories, sort form, product grid,
 * pagination. A page past the end renders an empty state. */
int view_category(ctx *c, const view_listing *l);

/* Product page from the catalog document (catalog_product_json, parsed).
 * variant_id 0 picks the default variant (the first one in stock, else
 * the first); an id the product does not have records a 404. */
int view_product(ctx *c, json_object *doc, int64_t variant_id);

/* The search page: the query as asked, one page of results, and the
 * current category (catalog_category, NULL when none). */
typedef struct view_search_page {
	search_query q;
	int64_t page, per_page;
	const db_res *cat;
	search_result res;
} view_search_page;

/* Fills s->q from the query string: search_query_from_params plus the
 * page's own parameters: min / max (dollars, "49.99"), exact=1 (no typo
 * correction), per_page defaulting to VIEW_PER_PAGE. 400 on bad input. */
int view_search_params(ctx *c, view_search_page *s);
/* The canonical address of a search page (fixed parameter order, no
 * defaults), in the arena. */
const char *view_search_href(ctx *c, const search_query *q, int64_t page, int64_t per_page);
/* Renders the page: facet sidebar, chips, sort, cards, pager, typo banner. */
int view_search(ctx *c, const view_search_page *s);

#endif
