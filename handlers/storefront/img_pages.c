/* img_pages: GET /img/p/{name}, reached only when nginx has no such file yet: draw it, let nginx send it. */
#include "http/resp.h"
#include "shop/image.h"
#include "shop/product_image.h"
#include "storefront.h"

/* nginx serves /img/ from SOUK_IMG_DIR and asks here on a miss
 * (nginx/souk.conf.in, @img); the answer is an internal redirect to the
 * file just written, so nginx sends it with the same long cache headers. */
int page_img(ctx *c)
{
	const str *name = ctx_param(c, "name");
	const char *n = name ? str_dup(c->a, *name) : NULL;
	if (!n)
		return ctx_fail(c, 404, "not_found", "No such picture.");
	if (product_image_draw(c, n, image_dir()) < 0)
		return SOUK_ERR;
	buf loc;
	buf_init(&loc, c->a, 256);
	buf_printf(&loc, "/img/p/%s", n);
	if (loc.failed || resp_header(c->rs, "X-Accel-Redirect", buf_str(&loc)) < 0)
		return ctx_fail(c, 500, "internal", "could not answer");
	c->rs->status = 200;
	c->rs->content_type = "image/webp"; /* nginx keeps it for the file it sends */
	return SOUK_OK;
}
