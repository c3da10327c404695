/* shop: the one registration every process that moves orders makes at
 * start, so none of them misses an order hook. */
#ifndef SOUK_SHOP_SHOP_H
#define SOUK_SHOP_SHOP_H

/* Registers checkout's statements (cart, inventory, payments, orders,
 * shipments) and the expiry's, and installs the feature modules' order
 * hooks (flash sales: a cancelled flash order's units back to its sale,
 * a returned one's to stock; flash_release.h). Idempotent; call before
 * serving. A process that registered only checkout or the orders would
 * cancel a flash order without giving its units back. */
void shop_register(void);

#endif
