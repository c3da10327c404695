/* admin_form: checked parsing of what the admin pages' forms and filters
 * send (dates, prices in dollars, titles), apart from the handlers so the
 * unit tests reach them. */
#ifndef SOUK_ADMIN_FORM_H
#define SOUK_ADMIN_FORM_H

#include <stdint.h>

#include "core/buf.h"

/* A calendar date "YYYY-MM-DD" (years 2000..2999, a real day of that
 * month). 0 and out (11 bytes) filled, -1 otherwise. */
int admin_date_parse(str s, char out[11]);

/* A price in dollars as typed: "12", "12.3", "12.34", "$1,234.50"
 * (a leading $ and thousands commas allowed) -> cents in [1, max_cents].
 * 0, or -1 for anything else (negative, three decimals, letters). */
int admin_price_parse(str s, int64_t max_cents, int64_t *cents);

/* A product title: 1..300 bytes after trimming, no control characters
 * (the request parser already refused invalid UTF-8). 0, or -1. */
int admin_title_ok(str s);

#endif
