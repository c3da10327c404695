/* test_buybox: the Buy Box rule: eligibility thresholds and every tie-break. */
#include "shop/buybox.h"
#include "tests.h"

static buybox_offer offer(int64_t sku, int64_t price, int64_t ship, bool fba, int rating10,
                          int64_t created)
{
	return (buybox_offer){.sku_id = sku, .price = price, .shipping = ship, .fba = fba,
	                      .active = true, .stock = 5, .seller_active = true,
	                      .seller_rating10 = rating10, .created = created};
}

static void test_thresholds(void)
{
	buybox_perf none = {0};
	CU_ASSERT_TRUE(buybox_perf_ok(&none));
	/* order defect rate < 1 %: 0.99 % passes, 1 % fails */
	buybox_perf p = {.orders = 10000, .defects = 99};
	CU_ASSERT_TRUE(buybox_perf_ok(&p));
	p.defects = 100;
	CU_ASSERT_FALSE(buybox_perf_ok(&p));
	/* late shipment rate < 4 % */
	p = (buybox_perf){.orders = 100, .shipments = 100, .late = 3};
	CU_ASSERT_TRUE(buybox_perf_ok(&p));
	p.late = 4;
	CU_ASSERT_FALSE(buybox_perf_ok(&p));
	/* pre-fulfilment cancel rate < 2.5 % */
	p = (buybox_perf){.orders = 1000, .cancels = 24};
	CU_ASSERT_TRUE(buybox_perf_ok(&p));
	p.cancels = 25;
	CU_ASSERT_FALSE(buybox_perf_ok(&p));
	/* no orders but a defect (cannot happen) is not a pass */
	p = (buybox_perf){.defects = 1};
	CU_ASSERT_FALSE(buybox_perf_ok(&p));
}

static void test_eligibility(void)
{
	buybox_offer o = offer(1, 1000, 0, false, 45, 1);
	CU_ASSERT_TRUE(buybox_eligible(&o));
	o.active = false;
	CU_ASSERT_FALSE(buybox_eligible(&o));
	o = offer(1, 1000, 0, false, 45, 1);
	o.stock = 0;
	CU_ASSERT_FALSE(buybox_eligible(&o));
	o = offer(1, 1000, 0, false, 45, 1);
	o.seller_active = false;
	CU_ASSERT_FALSE(buybox_eligible(&o));
	o = offer(1, 1000, 0, false, 45, 1);
	o.perf = (buybox_perf){.orders = 50, .shipments = 50, .late = 2}; /* 4 % */
	CU_ASSERT_FALSE(buybox_eligible(&o));
}

/* Each tie-break decides only when every earlier criterion is equal. */
static void test_tie_breaks(void)
{
	/* landed price: 900 + 200 = 1100 beats 1000 + 150 = 1150, FBA or not */
	buybox_offer a = offer(1, 900, 200, false, 30, 9), b = offer(2, 1000, 150, true, 50, 1);
	CU_ASSERT_TRUE(buybox_compare(&a, &b) < 0);
	CU_ASSERT_TRUE(buybox_compare(&b, &a) > 0);
	/* equal landed price: FBA over FBM, whatever the rating and age */
	a = offer(1, 1000, 0, false, 50, 1);
	b = offer(2, 900, 100, true, 30, 9);
	CU_ASSERT_TRUE(buybox_compare(&b, &a) < 0);
	/* equal landed and FBA: the better rated seller */
	a = offer(1, 1000, 0, true, 44, 1);
	b = offer(2, 1000, 0, true, 45, 9);
	CU_ASSERT_TRUE(buybox_compare(&b, &a) < 0);
	/* equal up to rating: the older offer */
	a = offer(1, 1000, 0, true, 45, 5);
	b = offer(2, 1000, 0, true, 45, 4);
	CU_ASSERT_TRUE(buybox_compare(&b, &a) < 0);
	/* equal in everything: the rule cannot tell */
	b = offer(2, 1000, 0, true, 45, 5);
	CU_ASSERT_EQUAL(buybox_compare(&a, &b), 0);
}

static void test_rank_stable_and_eligible_first(void)
{
	buybox_offer o[5] = {
	    offer(1, 500, 0, false, 45, 1), /* cheapest but out of stock */
	    offer(2, 1000, 0, false, 45, 1),
	    offer(3, 1000, 0, false, 45, 1), /* identical to 2: stays after it */
	    offer(4, 1000, 0, true, 40, 3),  /* FBA wins the tie on price */
	    offer(5, 1200, 0, true, 50, 0),
	};
	o[0].stock = 0;
	CU_ASSERT_EQUAL(buybox_rank(o, 5), 0);
	int64_t want[] = {4, 2, 3, 5, 1};
	for (int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(o[i].sku_id, want[i]);
	buybox_offer none[2] = {offer(1, 100, 0, false, 45, 1), offer(2, 90, 0, false, 45, 1)};
	none[0].seller_active = false;
	none[1].active = false;
	CU_ASSERT_EQUAL(buybox_rank(none, 2), -1);
	CU_ASSERT_EQUAL(none[0].sku_id, 2); /* the others by landed price */
	CU_ASSERT_EQUAL(buybox_rank(none, 0), -1);
}

static void test_price_to_win(void)
{
	buybox_offer win = offer(1, 1000, 100, true, 45, 1);
	buybox_offer fbm = offer(2, 1500, 50, false, 50, 0);
	/* FBM loses a landed-price tie to FBA: one cent less */
	CU_ASSERT_EQUAL(buybox_price_to_win(&fbm, &win), 1099);
	buybox_offer fba_better = offer(3, 1500, 0, true, 50, 0);
	/* FBA with a better rating wins the tie: the same landed price */
	CU_ASSERT_EQUAL(buybox_price_to_win(&fba_better, &win), 1100);
}

void add_buybox_tests(void)
{
	CU_pSuite s = CU_add_suite("buybox", NULL, NULL);
	CU_add_test(s, "performance thresholds are strict (<1 %, <4 %, <2.5 %)", test_thresholds);
	CU_add_test(s, "inactive, out of stock, suspended seller or poor metrics: not eligible",
	            test_eligibility);
	CU_add_test(s, "landed price, then FBA, then rating, then age", test_tie_breaks);
	CU_add_test(s, "ranking: eligible by the rule, stable, then the rest", test_rank_stable_and_eligible_first);
	CU_add_test(s, "landed price needed to win", test_price_to_win);
}
