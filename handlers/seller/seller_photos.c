/* seller_photos: a product's photos page in the seller center — upload (multipart), delete, choose the main one. */
#include "seller.h"

#include <string.h>

#include "http/req.h"
#include "shop/image.h"
#include "shop/seller_photo.h"

/* The page: the product's pictures in order with their buttons, and the
 * upload form; error (or NULL) shown at the top with status. */
static int photos_page(ctx *c, const seller_who *who, int64_t pid, const char *error, int status)
{
	db_res *r = sphoto_list(c, who->id, pid);
	if (!r)
		return SOUK_ERR;
	tmpl_dict *d = seller_page(c, who, view_fmt(c->a, "Photos: %s", db_val(r, 0, "title")));
	tmpl_set(d, "TITLE", db_val(r, 0, "title"));
	tmpl_set_i64(d, "PID", pid);
	tmpl_set(d, "HREF", view_product_href(c->a, pid, db_val(r, 0, "title")));
	tmpl_set_i64(d, "MAX", SPHOTO_MAX);
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	else if (req_query(c->rq, "added"))
		tmpl_show(d, "ADDED");
	else if (req_query(c->rq, "deleted"))
		tmpl_show(d, "DELETED");
	else if (req_query(c->rq, "first"))
		tmpl_show(d, "FIRST");
	int uploads = 0, tiles = 0;
	for (int i = 0; i < db_rows(r); i++) {
		if (db_null(r, i, "stem"))
			continue;
		const char *stem = db_val(r, i, "stem");
		if (strcmp(db_val(r, i, "source"), "upload") != 0) {
			tiles++;
			continue;
		}
		tmpl_dict *p = tmpl_section(d, "PHOTO");
		tmpl_set(p, "NAME", stem + strlen("/img/p/"));
		tmpl_set(p, "SRC", view_img(c->a, stem, "card"));
		tmpl_set_i64(p, "N", ++uploads);
		tmpl_show(p, uploads == 1 ? "MAIN" : "NOT_MAIN");
	}
	if (!uploads)
		tmpl_show(d, tiles ? "TILES" : "NONE");
	if (uploads < SPHOTO_MAX)
		tmpl_show(d, "CAN_ADD");
	else
		tmpl_show(d, "FULL");
	return shop_render(c, status, "seller_photos.tpl", d);
}

int page_seller_photos(ctx *c)
{
	seller_who who;
	int rc;
	int64_t pid;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "id", &pid) < 0)
		return SOUK_ERR;
	return photos_page(c, &who, pid, NULL, 200);
}

/* After a refused change: the page with the message, unless the product
 * is not the seller's (a 404 stays a 404 and shows nothing of it). */
static int photo_refused(ctx *c, const seller_who *who, int64_t pid)
{
	if (c->err_status != 400 && c->err_status != 403 && c->err_status != 409)
		return SOUK_ERR;
	int st;
	const char *msg = shop_take_failure(c, &st);
	return photos_page(c, who, pid, msg, st);
}

int post_seller_photo_add(ctx *c)
{
	seller_who who;
	int rc;
	int64_t pid;
	if (!seller_upload_guard(c, &who, &rc, "the photo"))
		return rc;
	if (ctx_param_id(c, "id", &pid) < 0)
		return SOUK_ERR;
	const str *file = req_form(c->rq, "photo");
	if (!file || file->len == 0) {
		ctx_fail(c, 400, "bad_image", "Choose a photo to upload (JPEG, PNG or WebP).");
		return photo_refused(c, &who, pid);
	}
	if (sphoto_add(c, who.id, who.suspended, pid, file->p, file->len, image_dir(), NULL) < 0)
		return photo_refused(c, &who, pid);
	return shop_redirect(c, view_fmt(c->a, "/seller/products/%lld/photos?added=1", (long long)pid));
}

/* POST /seller/products/{id}/photos/{photo}/delete and /first */
int post_seller_photo_action(ctx *c)
{
	seller_who who;
	int rc;
	int64_t pid;
	if (!seller_post_guard(c, &who, &rc))
		return rc;
	if (ctx_param_id(c, "id", &pid) < 0)
		return SOUK_ERR;
	const str *act = ctx_param(c, "action"), *photo = ctx_param(c, "photo");
	const char *name = photo ? str_dup(c->a, *photo) : "";
	if (act && str_eq_c(*act, "delete"))
		rc = sphoto_delete(c, who.id, who.suspended, pid, name, image_dir());
	else if (act && str_eq_c(*act, "first"))
		rc = sphoto_first(c, who.id, who.suspended, pid, name);
	else
		return ctx_fail(c, 404, "not_found", "no such action");
	if (rc < 0)
		return photo_refused(c, &who, pid);
	return shop_redirect(c, view_fmt(c->a, "/seller/products/%lld/photos?%s=1", (long long)pid,
	                                 str_eq_c(*act, "delete") ? "deleted" : "first"));
}
