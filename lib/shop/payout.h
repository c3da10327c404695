/* payout: pays each seller their available balance through the payment
 * provider, exactly once however many runs overlap (docs/MARKETPLACE.md
 * "Ledger and payouts"). */
#ifndef SOUK_PAYOUT_H
#define SOUK_PAYOUT_H

#include <stdint.h>

#include "core/ctx.h"

/* Registers the module's SQL; call once before serving. */
void payout_register(void);

/* For every seller, under a per-seller advisory lock: a payouts row and
 * its ledger transaction (payable debited, payouts credited) for the
 * available balance, committed together (a seller with a refund of a
 * settled order recorded but not yet booked by the ledger group is held
 * back to the next run, logged); then, with no transaction open,
 * the provider pays each pending payout (key "payout:<id>", so a repeat
 * pays nothing twice) and the result is recorded: paid, or failed with a
 * reversal transaction. No transaction may be open. *count and *total:
 * the payouts this run created. SOUK_ERR on a database failure; a
 * provider that cannot be reached leaves payouts pending for the next run. */
int payout_run(ctx *c, int *count, int64_t *total);

#endif
