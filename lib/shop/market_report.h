/* market_report: what the admin reads and sets about the marketplace's
 * money: commission rates per category, the platform revenue report (from
 * the ledger), the FBA shipments waiting for the platform. */
#ifndef SOUK_MARKET_REPORT_H
#define SOUK_MARKET_REPORT_H

#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

void market_report_register(void);

/* Top-level categories and every category whose rate differs from its
 * parent's: id, name, path, depth, commission_bps, products. */
db_res *market_commissions(ctx *c);
/* Sets the rate (500..2000 bps, 400 naming "bps" otherwise) of a
 * category and its whole subtree; 404 for an unknown category. */
int market_commission_set(ctx *c, int64_t category_id, int64_t bps);

/* Per day of the last `days` days, newest first: day, commission,
 * shipping, tax, refunds, payouts (cents, as the platform sees them:
 * earned positive), captured (gross sales through clearing). */
db_res *market_revenue(ctx *c, int64_t days);

/* FBA shipments waiting for the platform, oldest first: id, public_id,
 * order_status, seller, due_at, units. */
db_res *market_fba_pending(ctx *c, int64_t limit);

#endif
