/* buybox: the Buy Box rule, readable in one place (docs/MARKETPLACE.md
 * "Buy Box"). Eligible offers are active, in stock, from an active seller
 * who meets the performance thresholds over the last 30 days; among them
 * the winner has the lowest landed price (price + shipping), then FBA
 * before FBM, then the higher seller rating, then the older offer; equal
 * offers keep their given order. Pure functions: no I/O. */
#ifndef SOUK_BUYBOX_H
#define SOUK_BUYBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A seller's last 30 days, from Souk's own orders, shipments, returns. */
typedef struct buybox_perf {
	int64_t orders;    /* orders with the seller's items */
	int64_t defects;   /* of those: returned, or cancelled after payment by the seller */
	int64_t shipments; /* shipments due in the period */
	int64_t late;      /* of those: shipped after due_at (or still pending past it) */
	int64_t cancels;   /* orders cancelled before fulfilment */
} buybox_perf;

/* Thresholds, as fractions num/den: a rate must be strictly below. */
#define BUYBOX_DEFECT_MAX_PER_10000 100 /* order defect rate < 1 % */
#define BUYBOX_LATE_MAX_PER_10000 400   /* late shipment rate < 4 % */
#define BUYBOX_CANCEL_MAX_PER_10000 250 /* pre-fulfilment cancel rate < 2.5 % */

typedef struct buybox_offer {
	int64_t sku_id;
	int64_t price, shipping; /* cents */
	bool fba;
	bool active;          /* offer status active */
	int64_t stock;        /* units available */
	bool seller_active;   /* seller approved, not suspended */
	int seller_rating10;  /* rating x 10 (4.5 -> 45) */
	int64_t created;      /* offer's age key: smaller = older */
	buybox_perf perf;
} buybox_offer;

/* true when each rate is below its threshold (no orders: no defects). */
bool buybox_perf_ok(const buybox_perf *p);
/* Active, in stock, active seller, performance ok. */
bool buybox_eligible(const buybox_offer *o);
/* < 0 when a wins over b, > 0 when b wins, 0 when the rule cannot tell
 * them apart (then the given order decides). Eligibility is not looked at. */
int buybox_compare(const buybox_offer *a, const buybox_offer *b);

/* Orders offers[0..n) in place: eligible offers by the rule, then the
 * others (by landed price); stable. Returns the winner's index after
 * sorting (0) or -1 when no offer is eligible. */
int buybox_rank(buybox_offer *offers, size_t n);

/* The landed price `o` would need to win against `winner` (everything
 * else as it is): the winner's landed price when o wins ties, one cent
 * less otherwise. */
int64_t buybox_price_to_win(const buybox_offer *o, const buybox_offer *winner);

#endif
