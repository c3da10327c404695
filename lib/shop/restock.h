/* restock: the units of an accepted return go back into stock, each unit
 * sold at most once however it comes back (docs/MARKETPLACE.md
 * "Returns": restock). */
#ifndef SOUK_RESTOCK_H
#define SOUK_RESTOCK_H

#include <stdint.h>

#include "core/ctx.h"

/* Registers the module's SQL (and the inventory's and flash's). */
void restock_register(void);

/* INSIDE the caller's transaction, with the order row locked (the lock
 * the whole-order return takes too): the units of return return_id's
 * items go back to stock, never more of an item than it sold less what
 * earlier returns put back (order_items.qty_restocked, raised here by a
 * conditional UPDATE). A normal order's units go from sold to available
 * in the warehouses its reservations took them from (inv_restock_units);
 * a flash order's to normal stock by the flash rule (flash_return_units).
 * Each stock change writes inventory.changed. *units = units put back
 * (0: all of them were back already, e.g. the order was returned whole
 * meanwhile). SOUK_ERR with the failure recorded. */
int restock_return(ctx *c, int64_t order_id, int64_t return_id, int64_t *units);

#endif
