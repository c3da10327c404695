/* ctl_market: souk-ctl's marketplace commands (ledger, payouts, shipments,
 * returns of seller items). */
#ifndef SOUK_CTL_MARKET_H
#define SOUK_CTL_MARKET_H

#include "core/ctx.h"

/* Registers the SQL the commands use; call once before the context. */
void ctl_market_register(void);
/* argv[0] is the command ("ledger", "payouts", ...); 2 = not ours or a
 * usage error, else SOUK_OK / SOUK_ERR (failure recorded in c). */
int ctl_market(ctx *c, int argc, char **argv);

#endif
