/* catalog_admin: the admin's catalog edits (title, status, stock received);
 * each goes through the catalog's one write path (transaction, outbox
 * event, cache invalidation; search sees it through products.search_xid). */
#ifndef SOUK_CATALOG_ADMIN_H
#define SOUK_CATALOG_ADMIN_H

#include <stdint.h>

#include "core/ctx.h"

void catalog_admin_register(void);

/* New title (1..300 bytes, no control characters: 400). 404 unknown. */
int catalog_set_title(ctx *c, int64_t product_id, const char *title);
/* "active" or "withdrawn" (400 otherwise); a withdrawn product leaves the
 * shop's pages and search. 404 unknown. */
int catalog_set_status(ctx *c, int64_t product_id, const char *status);
/* Sets what a warehouse has received of an offer in all, keeping
 * available + reserved + sold = received: available becomes received -
 * reserved - sold. 400 when received is below reserved + sold (naming
 * it) or above 1000000; 404 when the sku has no stock row there. */
int catalog_set_received(ctx *c, int64_t offer_id, int64_t warehouse_id, int64_t received);

#endif
