/* ctl_seller: the souk-ctl seller commands (souk-ctl.c dispatches). Returns
 * SOUK_OK, SOUK_ERR (failure recorded in c) or 2 for a usage error; argv
 * starts after "seller". */
#ifndef SOUK_CTL_SELLER_H
#define SOUK_CTL_SELLER_H

#include "core/ctx.h"

/* ctl_seller.c: seller create NAME | key|approve|reject|suspend|reinstate SELLER_ID */
int ctl_seller(ctx *c, int argc, char **argv);

#endif
