/* admin_flash: the admin's flash-sale pages (list, create, live
 * dashboard, pause / resume / end). */
#ifndef SOUK_ADMIN_FLASH_H
#define SOUK_ADMIN_FLASH_H

#include "core/ctx.h"

int page_admin_flash(ctx *c);      /* GET /admin/flash */
int post_admin_flash(ctx *c);      /* POST /admin/flash: create */
int page_admin_flash_sale(ctx *c); /* GET /admin/flash/{id} */
int post_admin_flash_sale(ctx *c); /* POST /admin/flash/{id}/{action} */

#endif
