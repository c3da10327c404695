/* api_seller_orders: the seller API's routes of orders, shipments,
 * returns and the ledger (Bearer key; another seller's ids answer 404). */
#ifndef SOUK_API_SELLER_ORDERS_H
#define SOUK_API_SELLER_ORDERS_H

#include "core/ctx.h"

/* Registers the SQL these routes use; call once in main. */
void api_seller_orders_register(void);

int api_seller_orders(ctx *c);
int api_seller_shipment(ctx *c);
int api_seller_shipment_confirm(ctx *c);
int api_seller_returns(ctx *c);
int api_seller_return_approve(ctx *c);
int api_seller_return_reject(ctx *c);
int api_seller_ledger(ctx *c);

#endif
