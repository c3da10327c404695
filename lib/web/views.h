/* views: the page frame every HTML pool shares (layout, header, error page)
 * and the small formatting helpers of its pages. */
#ifndef SOUK_VIEWS_H
#define SOUK_VIEWS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"
#include "search/search.h"
#include "http/tmpl.h"

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
/* Renders template `file` with d as a 200 HTML page into c->rs-> */
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
/* Cents as plain dollars for a form's value or a statement: "1234.50",
 * "-0.05" (buf_money, exact; no thousands separators), in arena a. */
const char *view_dollars(arena *a, int64_t cents);
/* "1 rating" / "2,345 ratings", in arena a. */
const char *view_plural(arena *a, int64_t n, const char *one, const char *many);
/* Shared page parts: the RATED/UNRATED stars section of d, and one
 * CRUMB of a breadcrumb trail (href NULL marks the current page). */
void view_rating(ctx *c, tmpl_dict *d, bool has, double v, int64_t count);
void view_crumb(tmpl_dict *d, const char *href, const char *name);
/* A <select>'s options: one `section` per value of the NULL-ended vals,
 * with V (the value), NAME (the value; `any` for the first, "", which
 * filters nothing) and SEL on index sel. */
void view_options(tmpl_dict *d, const char *section, const char *const *vals, int sel,
                  const char *any);
/* A product title as shown: without a trailing size the source glued to
 * it ("Crew Tee, Black, M" -> "Crew Tee, Black"; sizes are chosen on the
 * page). Other titles are returned as they are. In arena a. */
const char *view_title(arena *a, const char *title);
/* A product picture in another size: "/img/p/1-0-ab12-card.webp" (a
 * products.image_url) or a stem "/img/p/1-0-ab12" (product_images) as
 * "/img/p/1-0-ab12-{size}.webp"; anything else (no picture, an outside
 * address the CSP would block) as the placeholder. In arena a. */
const char *view_img(arena *a, const char *url, const char *size);
/* Sets IMG, the card size of image_url, in a card dictionary (the
 * picture is decorative there: the title beside it says what it is). */
void view_card_img(ctx *c, tmpl_dict *d, const char *image_url);

#endif
