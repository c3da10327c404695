/* admin: the admin pool's pages (admin.c has the route table). */
#ifndef SOUK_ADMIN_H
#define SOUK_ADMIN_H

#include "web/shop_page.h"

/* admin_orders.c */
int page_admin_orders(ctx *c);
int page_admin_order(ctx *c);
int post_admin_order(ctx *c);
int post_admin_return(ctx *c);

#endif
