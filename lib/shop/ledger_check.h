/* ledger_check: recomputes the books from orders, payments, refunds,
 * returns and payouts and compares (bin/souk ctl ledger check). */
#ifndef SOUK_LEDGER_CHECK_H
#define SOUK_LEDGER_CHECK_H

#include "core/ctx.h"
#include "store/db.h"

/* Registers the module's SQL; call once before serving. */
void ledger_check_register(void);

/* The differences, one row each (what, id, expected, actual), none when
 * the books agree: all entries sum to zero; every transaction balances;
 * clearing equals the captured payments, refunds the refunded amounts,
 * payouts the payouts made; each seller's payable equals captured sales
 * - commission - refunds - payouts recomputed from orders. NULL on a
 * database failure. */
db_res *ledger_check(ctx *c);

#endif
