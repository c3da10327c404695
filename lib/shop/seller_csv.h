/* seller_csv: the inventory file — a seller's CSV of
 * sku,price,quantity[,warehouse], parsed with libcsv, checked row by row
 * (a bad row never blocks the good ones), applied in one transaction, and
 * reported per row (applied / rejected with the reason). */
#ifndef SOUK_SELLER_CSV_H
#define SOUK_SELLER_CSV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

#define SCSV_MAX_ROWS 50000
#define SCSV_MAX_FIELD 200 /* bytes in one field */

/* One data row. price/quantity are SOFFER_KEEP when the field is empty
 * (left as it is); warehouse_id 0 means the seller's own warehouse. */
typedef struct scsv_row {
	int line;          /* the row's number in the file, the header being 1 */
	const char *sku;
	int64_t price;     /* cents */
	int64_t quantity;
	int64_t warehouse_id;
	int64_t sku_id;    /* the offer, once resolved */
	const char *reason; /* NULL: valid so far / applied; else why rejected */
	bool applied;
} scsv_row;

typedef struct scsv_file {
	scsv_row *rows;
	int n;
	int applied, rejected;
	double seconds; /* applying took */
} scsv_file;

/* Registers the module's SQL (seller_register does). */
void scsv_register(void);

/* Parses text: 400 for a file that is not UTF-8, not CSV (an unclosed
 * quote), empty, lacks the header "sku,price,quantity[,warehouse]" (names
 * the columns it found), or has more than SCSV_MAX_ROWS rows. Each row is
 * checked on its own (scsv_check_row); rows valid on their own that
 * share (sku, warehouse) are all rejected as duplicates. */
int scsv_parse(ctx *c, str text, scsv_file *out);

/* Checks one row's fields (nfields as found): the reason it is rejected,
 * or NULL. The fields are trimmed strings. Fills r's parsed values. */
const char *scsv_check_row(arena *a, int nfields, const char *const *fields, scsv_row *r);

/* Applies the valid rows for seller_id: unknown skus (another seller's
 * too), FBA stock, unknown warehouses are rejected; the rest applied in
 * one transaction (prices, stock, product refresh, `catalog` events),
 * caches dropped after. 503 when the database is down (nothing applied). */
int scsv_apply(ctx *c, int64_t seller_id, scsv_file *f);

/* The report as CSV (line,sku,result,reason), in the arena. */
str scsv_report_csv(ctx *c, const scsv_file *f);

#endif
