/* admin: the admin pool's pages (admin.c has the route table). */
#ifndef SOUK_ADMIN_H
#define SOUK_ADMIN_H

#include "web/shop_page.h"

/* admin_orders.c */
/* The admin's session; signed out: 303 to /login, not an admin: 403.
 * NULL: the caller returns *rc. */
session *admin_guard(ctx *c, int *rc);
int page_admin_orders(ctx *c);
int page_admin_order(ctx *c);
int post_admin_order(ctx *c);
int post_admin_return(ctx *c);

/* admin_sellers.c */
int page_admin_sellers(ctx *c);
int page_admin_seller(ctx *c);
int post_admin_seller(ctx *c);

/* admin_market.c: commission rates, revenue report, FBA shipments */
void admin_market_register(void);
int page_admin_commissions(ctx *c);
int post_admin_commission(ctx *c);
int page_admin_revenue(ctx *c);
int page_admin_fba(ctx *c);
int post_admin_fba(ctx *c);

#endif
