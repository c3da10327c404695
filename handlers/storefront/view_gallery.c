/* view_gallery: the product page's pictures, a large one and thumbnails that swap it (gallery.js). */
#include "storefront.h"

void view_gallery(ctx *c, tmpl_dict *d, json_object *doc, const char *title)
{
	tmpl_dict *g = tmpl_include(d, "GALLERY", "gallery.tpl");
	json_object *imgs = NULL;
	size_t n = 0;
	if (json_object_object_get_ex(doc, "images", &imgs) && json_object_is_type(imgs, json_type_array))
		n = json_object_array_length(imgs);
	const char *first = n ? json_object_get_string(json_object_array_get_idx(imgs, 0)) : NULL;
	tmpl_set(g, "MAIN", view_img(c->a, first, "page"));
	if (first) /* the card size is enough for a phone's narrower frame */
		tmpl_set(tmpl_section(g, "SRCSET"), "CARD", view_img(c->a, first, "card"));
	tmpl_set(g, "ALT", view_fmt(c->a, "%s, picture 1 of %zu", title, n ? n : 1));
	if (n < 2)
		return;
	tmpl_dict *t = tmpl_section(g, "THUMBS");
	for (size_t i = 0; i < n; i++) {
		const char *stem = json_object_get_string(json_object_array_get_idx(imgs, i));
		tmpl_dict *th = tmpl_section(t, "THUMB");
		tmpl_set(th, "PAGE", view_img(c->a, stem, "page"));
		tmpl_set(th, "CARD", view_img(c->a, stem, "card"));
		tmpl_set(th, "SRC", view_img(c->a, stem, "thumb"));
		tmpl_set(th, "LABEL", view_fmt(c->a, "%s, picture %zu of %zu", title, i + 1, n));
		if (i == 0)
			tmpl_show(th, "SEL");
	}
}
