/* seller_return: returns of one seller's items in an order, decided by
 * that seller; an approval refunds the items' share through the payment
 * provider and the ledger (docs/MARKETPLACE.md "Returns"). */
#ifndef SOUK_SELLER_RETURN_H
#define SOUK_SELLER_RETURN_H

#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

void seller_return_register(void);

typedef struct seller_return_item {
	int64_t order_item_id;
	int qty;
} seller_return_item;

/* The shopper asks to return items[0..n) (all of one seller) of a
 * DELIVERED order within the return window: 400 for an item not in the
 * order, of mixed sellers or more units than are left to return; 409
 * outside the window or with an open return for that seller. */
int seller_return_request(ctx *c, int64_t order_id, const char *actor, const char *reason,
                          const seller_return_item *items, int n, int64_t *return_id);

/* The seller decides a 'requested' return of theirs (seller_id 0: the
 * platform): another seller's answers 404 and changes nothing. approve:
 * the return is received, its units restocked (restock_return: the
 * warehouses they came from, never a unit twice) and its refund (the
 * items' gross and tax share, ledger_return_amount) recorded with key
 * "return:<id>", one transaction, then made; reject: 'rejected', no
 * stock moves. */
int seller_return_decide(ctx *c, int64_t return_id, int64_t seller_id, bool approve,
                         const char *actor);

/* A seller's returns, newest first: id, public_id, status, reason,
 * created_at, items (units). */
db_res *seller_return_list(ctx *c, int64_t seller_id, int64_t limit, int64_t offset);

#endif
