/* views: shared page furniture for the storefront (layout, errors). */
#ifndef SOUK_VIEWS_H
#define SOUK_VIEWS_H

#include "ctx.h"
#include "tmpl.h"

/* A dictionary for a page using layout parts (header/footer includes). */
tmpl_dict *view_page(ctx *c, const char *title);
/* Renders template `file` with d as a 200 HTML page into c->rs. */
int view_render(ctx *c, const char *file, tmpl_dict *d);
/* The storefront's HTML error page (app.render_error). */
void view_error(ctx *c);

#endif
