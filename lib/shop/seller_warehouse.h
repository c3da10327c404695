/* seller_warehouse: a seller's own warehouses, below the seller, offer,
 * product and inventory-file modules that all look them up. */
#ifndef SOUK_SELLER_WAREHOUSE_H
#define SOUK_SELLER_WAREHOUSE_H

#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

void seller_warehouse_register(void);
/* The seller's warehouses (id, name, region). */
db_res *seller_warehouses(ctx *c, int64_t seller_id);
/* The seller's own (first) warehouse, the default for stock; 0 + 500
 * recorded when it has none. */
int64_t seller_default_warehouse(ctx *c, int64_t seller_id);

#endif
