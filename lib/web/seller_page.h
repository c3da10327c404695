/* seller_page: the guard every seller center page calls first (signed
 * in, an account that is a seller) and what those pages share. */
#ifndef SOUK_SELLER_PAGE_H
#define SOUK_SELLER_PAGE_H

#include "shop/seller.h"
#include "web/shop_page.h"

/* The signed-in seller's session with who->id set: a visitor who is not
 * signed in is sent to /login (303), an account that is not a seller gets
 * 403 (a shopper sees nothing of the seller center). Seller pages are
 * personal: never cached. NULL: the caller returns *rc. */
session *seller_page_guard(ctx *c, seller_who *who, int *rc);
/* seller_page_guard for a state-changing POST, then the form's CSRF token
 * (shop_post: 403, Redis down 503). NULL: the caller returns *rc. */
session *seller_post_guard(ctx *c, seller_who *who, int *rc);
/* seller_page_guard for a file upload: the body must be a form upload
 * (multipart/form-data, at most SELLER_UPLOAD_PARTS parts: 400 naming
 * `what` otherwise), whose CSRF token is then checked like
 * seller_post_guard's. NULL: the caller returns *rc. */
#define SELLER_UPLOAD_PARTS 8
session *seller_upload_guard(ctx *c, seller_who *who, int *rc, const char *what);

/* A seller center page: shop_page plus the seller's name and the centre's
 * navigation (SELLER_NAME, SUSPENDED). */
tmpl_dict *seller_page(ctx *c, const seller_who *who, const char *title);

#endif
