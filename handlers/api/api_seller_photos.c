/* api_seller_photos: a seller's product photos by API — list, upload (the raw image as the body), delete, make first. */
#include "api_seller.h"

#include <string.h>

#include "core/js.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "shop/image.h"
#include "shop/seller.h"
#include "shop/seller_photo.h"
#include "web/views.h"

/* {"product_id", "photos": [{"name", "position", "main", "source", "urls": {size: url}}]} */
static int reply_photos(ctx *c, const seller_who *who, int64_t pid, int status, const char *added)
{
	db_res *r = sphoto_list(c, who->id, pid);
	if (!r)
		return SOUK_ERR;
	json_object *o = js_obj(c), *list = json_object_new_array();
	js_i64(o, "product_id", pid);
	json_object_object_add(o, "photos", list);
	for (int i = 0; i < db_rows(r); i++) {
		if (db_null(r, i, "stem"))
			continue;
		const char *stem = db_val(r, i, "stem");
		json_object *p = json_object_new_object(), *urls = json_object_new_object();
		js_str(p, "name", stem + strlen("/img/p/"));
		js_i64(p, "position", db_i64(r, i, "position"));
		js_str(p, "source", db_val(r, i, "source"));
		for (int k = 0; k < IMAGE_NSIZES; k++)
			js_str(urls, image_sizes[k].name, view_img(c->a, stem, image_sizes[k].name));
		json_object_object_add(p, "urls", urls);
		if (added && strcmp(stem, added) == 0)
			json_object_object_add(o, "photo", json_object_get(p));
		json_object_array_add(list, p);
	}
	return resp_json(c, status, o);
}

int api_seller_photos(ctx *c)
{
	seller_who who;
	int64_t pid;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "id", &pid) < 0)
		return SOUK_ERR;
	return reply_photos(c, &who, pid, 200, NULL);
}

/* The body is the image itself; its bytes, not the Content-Type, decide
 * what it is (image_write_sizes), the header only says it is meant as one. */
int api_seller_photo_add(ctx *c)
{
	seller_who who;
	int64_t pid;
	const char *stem;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "id", &pid) < 0)
		return SOUK_ERR;
	if (!str_eq_c(c->rq->content_type, "image/jpeg") && !str_eq_c(c->rq->content_type, "image/png") &&
	    !str_eq_c(c->rq->content_type, "image/webp"))
		return ctx_fail(c, 415, "unsupported_media_type",
		                "send the photo itself as the body, with Content-Type image/jpeg, image/png or image/webp");
	if (sphoto_add(c, who.id, who.suspended, pid, c->rq->body.p, c->rq->body.len, image_dir(), &stem) < 0)
		return SOUK_ERR;
	return reply_photos(c, &who, pid, 201, stem);
}

/* DELETE …/photos/{name} and POST …/photos/{name}/first */
static int photo_change(ctx *c, bool del)
{
	seller_who who;
	int64_t pid;
	if (seller_api_guard(c, &who) < 0 || ctx_param_id(c, "id", &pid) < 0)
		return SOUK_ERR;
	const str *photo = ctx_param(c, "photo");
	const char *name = photo ? str_dup(c->a, *photo) : "";
	if ((del ? sphoto_delete(c, who.id, who.suspended, pid, name, image_dir())
	         : sphoto_first(c, who.id, who.suspended, pid, name)) < 0)
		return SOUK_ERR;
	return reply_photos(c, &who, pid, 200, NULL);
}

int api_seller_photo_delete(ctx *c) { return photo_change(c, true); }
int api_seller_photo_first(ctx *c) { return photo_change(c, false); }
