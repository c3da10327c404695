/* test_ledger: commission rounding, pro rata shares that always add up,
 * and the postings of a capture and of partial and full refunds. */
#include <string.h>

#include "shop/ledger.h"
#include "tests.h"

static int64_t sum(const ledger_line *l, int n)
{
	int64_t s = 0;
	for (int i = 0; i < n; i++)
		s += l[i].amount;
	return s;
}

/* the sum of lines on one account (and seller) */
static int64_t on(const ledger_line *l, int n, const char *acc, int64_t seller)
{
	int64_t s = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(l[i].account, acc) == 0 && l[i].seller_id == seller)
			s += l[i].amount;
	return s;
}

static void test_commission_rounding(void)
{
	CU_ASSERT_EQUAL(ledger_commission(1000, 1000), 100);
	CU_ASSERT_EQUAL(ledger_commission(1005, 1000), 101); /* 100.5 -> 101 (half up) */
	CU_ASSERT_EQUAL(ledger_commission(1004, 1000), 100); /* 100.4 -> 100 */
	CU_ASSERT_EQUAL(ledger_commission(999, 1500), 150);  /* 149.85 -> 150 */
	CU_ASSERT_EQUAL(ledger_commission(1, 500), 0);       /* 0.05 -> 0 */
	CU_ASSERT_EQUAL(ledger_commission(10, 500), 1);      /* 0.5 -> 1 */
	CU_ASSERT_EQUAL(ledger_commission(0, 2000), 0);
	/* seller net + commission is always the gross, to the cent */
	for (int64_t g = 0; g < 3000; g += 7)
		for (int bps = 500; bps <= 2000; bps += 125) {
			int64_t c = ledger_commission(g, bps);
			CU_ASSERT_TRUE(c >= 0 && c <= g);
			CU_ASSERT_EQUAL((g - c) + c, g);
		}
}

static void test_prorate_adds_up(void)
{
	/* 3 returns of 1 unit each of a 3-unit line: 33 + 33 + 34 = 100 */
	int64_t done = 0, parts = 0;
	for (int k = 1; k <= 3; k++) {
		int64_t d = ledger_prorate(100, k, 3) - done;
		done += d;
		parts += d;
	}
	CU_ASSERT_EQUAL(parts, 100);
	CU_ASSERT_EQUAL(ledger_prorate(100, 1, 3), 33);
	CU_ASSERT_EQUAL(ledger_prorate(101, 7, 7), 101);
	CU_ASSERT_EQUAL(ledger_prorate(5, 0, 7), 0);
}

static const ledger_item items[] = {
	/* id, seller, unit price, qty, bps */
	{11, 1, 1999, 3, 1500, 0},
	{12, 2, 4550, 1, 800, 0},
	{13, 2, 333, 2, 1000, 0},
};

static void test_capture_postings(void)
{
	ledger_line l[16];
	int64_t subtotal = 1999 * 3 + 4550 + 333 * 2, ship = 599, tax = 1005;
	int n = ledger_capture_lines(items, 3, ship, tax, subtotal + ship + tax, l);
	CU_ASSERT_EQUAL(n, 3 * 3 + 3);
	CU_ASSERT_EQUAL(sum(l, n), 0);
	CU_ASSERT_EQUAL(on(l, n, "clearing", 0), subtotal + ship + tax);
	int64_t c1 = ledger_commission(1999 * 3, 1500);
	int64_t c2 = ledger_commission(4550, 800) + ledger_commission(666, 1000);
	CU_ASSERT_EQUAL(c1, 900); /* 899.55 */
	CU_ASSERT_EQUAL(on(l, n, "seller_payable", 1), -(1999 * 3 - c1));
	CU_ASSERT_EQUAL(on(l, n, "seller_payable", 2), -(4550 + 666 - c2));
	CU_ASSERT_EQUAL(on(l, n, "commission", 0), -(c1 + c2));
	CU_ASSERT_EQUAL(on(l, n, "shipping", 0), -ship);
	CU_ASSERT_EQUAL(on(l, n, "tax", 0), -tax);
	/* an amount that is not the total does not balance: the database refuses it */
	n = ledger_capture_lines(items, 3, ship, tax, subtotal + ship + tax - 1, l);
	CU_ASSERT_EQUAL(sum(l, n), -1);
}

/* Returns one unit of item 11 three times, then cancels what is left:
 * every step balances and, in the end, every account is back to zero. */
static void test_refund_postings(void)
{
	ledger_item it[3];
	memcpy(it, items, sizeof(it));
	int64_t subtotal = 1999 * 3 + 4550 + 666, ship = 599, tax = 1005;
	ledger_line cap[16], l[16];
	int nc = ledger_capture_lines(it, 3, ship, tax, subtotal + ship + tax, cap);
	int64_t g[3] = {0}, cm[3] = {0};
	ledger_reversed done = {g, cm, 0, 0};
	int64_t refunded = 0, total;
	int64_t acc[4] = {0}; /* seller 1, seller 2, commission, tax */
	for (int k = 1; k <= 3; k++) {
		it[0].returned = k;
		int n = ledger_refund_lines(it, 3, subtotal, ship, tax, false, &done, l, &total);
		CU_ASSERT_EQUAL(sum(l, n), 0);
		CU_ASSERT_EQUAL(on(l, n, "refunds", 0), -total);
		CU_ASSERT_EQUAL(on(l, n, "shipping", 0), 0); /* a partial return keeps shipping */
		CU_ASSERT_EQUAL(on(l, n, "seller_payable", 2), 0);
		if (k == 1) {
			/* one unit: 1999 gross, its commission share floor(900 / 3) = 300,
			 * its tax share floor(1005 * 1999 / 11215) = 179 */
			CU_ASSERT_EQUAL(on(l, n, "seller_payable", 1), 1999 - 300);
			CU_ASSERT_EQUAL(on(l, n, "commission", 0), 300);
			CU_ASSERT_EQUAL(total, 1999 + 179);
		}
		for (int i = 0; i < n; i++) { /* fold into what is done */
			int j = l[i].order_item_id == 11 ? 0 : l[i].order_item_id == 12 ? 1 : 2;
			if (strcmp(l[i].account, "seller_payable") == 0 && strcmp(l[i].kind, "refund") == 0)
				g[j] += l[i].amount;
			else if (strcmp(l[i].account, "commission") == 0)
				cm[j] += l[i].amount;
			else if (strcmp(l[i].account, "tax") == 0)
				done.tax += l[i].amount;
			else if (strcmp(l[i].account, "shipping") == 0)
				done.shipping += l[i].amount;
		}
		acc[0] += on(l, n, "seller_payable", 1);
		acc[2] += on(l, n, "commission", 0);
		refunded += total;
	}
	/* all three units back: exactly the line's net and commission */
	CU_ASSERT_EQUAL(acc[0], -on(cap, nc, "seller_payable", 1));
	CU_ASSERT_EQUAL(acc[2], 900);
	/* the rest (a cancel): everything else, shipping included */
	int n = ledger_refund_lines(it, 3, subtotal, ship, tax, true, &done, l, &total);
	CU_ASSERT_EQUAL(sum(l, n), 0);
	CU_ASSERT_EQUAL(on(l, n, "seller_payable", 1), 0);
	CU_ASSERT_EQUAL(on(l, n, "seller_payable", 2), -on(cap, nc, "seller_payable", 2));
	CU_ASSERT_EQUAL(on(l, n, "shipping", 0), ship);
	CU_ASSERT_EQUAL(refunded + total, subtotal + ship + tax);
	CU_ASSERT_EQUAL(done.tax + on(l, n, "tax", 0), tax);
}

void add_ledger_tests(void)
{
	CU_pSuite s = CU_add_suite("ledger", NULL, NULL);
	CU_add_test(s, "commission rounds half up to the cent and sums exactly", test_commission_rounding);
	CU_add_test(s, "pro rata shares taken cumulatively add up to the whole", test_prorate_adds_up);
	CU_add_test(s, "capture: clearing, seller payables, commission, shipping, tax", test_capture_postings);
	CU_add_test(s, "partial returns then a cancel reverse the capture exactly", test_refund_postings);
}
