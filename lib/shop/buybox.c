/* buybox: eligibility, the comparison, the ranking. */
#include "shop/buybox.h"

#include <stdlib.h>
#include <string.h>

/* part/whole < max/10000, in integers */
static bool below(int64_t part, int64_t whole, int64_t max_per_10000)
{
	return whole <= 0 ? part == 0 : part * 10000 < max_per_10000 * whole;
}

bool buybox_perf_ok(const buybox_perf *p)
{
	return below(p->defects, p->orders, BUYBOX_DEFECT_MAX_PER_10000) &&
	       below(p->late, p->shipments, BUYBOX_LATE_MAX_PER_10000) &&
	       below(p->cancels, p->orders, BUYBOX_CANCEL_MAX_PER_10000);
}

bool buybox_eligible(const buybox_offer *o)
{
	return o->active && o->stock > 0 && o->seller_active && buybox_perf_ok(&o->perf);
}

static int64_t landed(const buybox_offer *o)
{
	return o->price + o->shipping;
}

static int cmp64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

int buybox_compare(const buybox_offer *a, const buybox_offer *b)
{
	int r = cmp64(landed(a), landed(b)); /* cheaper first */
	if (r == 0)
		r = (int)b->fba - (int)a->fba; /* FBA first */
	if (r == 0)
		r = cmp64(b->seller_rating10, a->seller_rating10); /* better rated first */
	if (r == 0)
		r = cmp64(a->created, b->created); /* older first */
	return r;
}

/* Insertion sort: stable and n is a handful of offers per variant. */
int buybox_rank(buybox_offer *offers, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		buybox_offer x = offers[i];
		bool ex = buybox_eligible(&x);
		size_t j = i;
		while (j > 0) {
			const buybox_offer *p = &offers[j - 1];
			bool ep = buybox_eligible(p);
			bool before = ex && !ep;
			if (ex == ep)
				before = ex ? buybox_compare(&x, p) < 0 : cmp64(landed(&x), landed(p)) < 0;
			if (!before)
				break;
			offers[j] = offers[j - 1];
			j--;
		}
		offers[j] = x;
	}
	return n > 0 && buybox_eligible(&offers[0]) ? 0 : -1;
}

int64_t buybox_price_to_win(const buybox_offer *o, const buybox_offer *winner)
{
	buybox_offer t = *o;
	t.price = landed(winner) - t.shipping;
	return buybox_compare(&t, winner) < 0 ? landed(winner) : landed(winner) - 1;
}
