/* ctl_market: souk-ctl's marketplace commands: the ledger check, payouts,
 * shipments shipped/delivered by the platform, returns of seller items. */
#include <stdio.h>
#include <string.h>

#include "cli/ctl_market.h"
#include "core/buf.h"
#include "shop/ledger.h"
#include "shop/ledger_check.h"
#include "shop/order.h"
#include "shop/payout.h"
#include "shop/seller_return.h"
#include "shop/shipment.h"
#include "store/db.h"

void ctl_market_register(void)
{
	ledger_register();
	ledger_check_register();
	payout_register();
	seller_return_register();
	shipment_register();
}

static int id_arg(const char *s, int64_t min, int64_t *out)
{
	if (str_to_i64(str_c(s), min, INT64_MAX, out) < 0) {
		fprintf(stderr, "souk-ctl: %s is not a number in range\n", s);
		return -1;
	}
	return 0;
}

/* ledger check: prints each difference; 1 when there is any. */
static int ledger_check_cmd(ctx *c)
{
	db_res *r = ledger_check(c);
	if (!r)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(r); i++)
		printf("%s %s: expected %s, booked %s\n", db_val(r, i, "what"), db_val(r, i, "id"),
		       db_val(r, i, "expected"), db_val(r, i, "actual"));
	if (db_rows(r)) {
		fprintf(stderr, "souk-ctl: ledger check: %d difference(s)\n", db_rows(r));
		return ctx_fail(c, 409, "ledger_differs", "the ledger differs from the orders");
	}
	printf("ledger ok\n");
	return SOUK_OK;
}

/* return-items PUBLIC_ID ITEM_ID:QTY...: prints the return id */
static int return_items_cmd(ctx *c, int argc, char **argv)
{
	db_res *o = order_find(c, argv[0]);
	if (!o)
		return SOUK_ERR;
	seller_return_item it[100];
	int n = 0;
	for (int i = 1; i < argc && n < 100; i++, n++) {
		const char *colon = strchr(argv[i], ':');
		int64_t id, q;
		if (!colon || str_to_i64((str){argv[i], (size_t)(colon - argv[i])}, 1, INT64_MAX, &id) < 0 ||
		    str_to_i64(str_c(colon + 1), 1, 99, &q) < 0)
			return 2;
		it[n] = (seller_return_item){id, (int)q};
	}
	int64_t rid;
	int rc = seller_return_request(c, db_i64(o, 0, "id"), "shopper", "", it, n, &rid);
	if (rc == SOUK_OK)
		printf("%lld\n", (long long)rid);
	return rc;
}

int ctl_market(ctx *c, int argc, char **argv)
{
	int64_t a, b;
	if (argc == 2 && strcmp(argv[0], "ledger") == 0 && strcmp(argv[1], "check") == 0)
		return ledger_check_cmd(c);
	if (argc == 3 && strcmp(argv[0], "ledger") == 0 && strcmp(argv[1], "balance") == 0) {
		ledger_balance bal;
		if (id_arg(argv[2], 1, &a) < 0)
			return 2;
		int rc = ledger_seller_balance(c, a, &bal);
		if (rc == SOUK_OK)
			printf("total %lld available %lld pending %lld\n", (long long)bal.total,
			       (long long)bal.available, (long long)bal.pending);
		return rc;
	}
	if (argc == 2 && strcmp(argv[0], "payouts") == 0 && strcmp(argv[1], "run") == 0) {
		int n;
		int64_t total;
		int rc = payout_run(c, &n, &total);
		if (rc == SOUK_OK)
			printf("%d payouts, %lld cents\n", n, (long long)total);
		return rc;
	}
	if (argc == 5 && strcmp(argv[0], "shipment") == 0 && strcmp(argv[1], "ship") == 0) {
		if (id_arg(argv[2], 1, &a) < 0)
			return 2;
		return shipment_ship(c, a, 0, "admin:ctl", argv[3], argv[4]);
	}
	if (argc == 3 && strcmp(argv[0], "shipment") == 0 && strcmp(argv[1], "deliver") == 0) {
		if (id_arg(argv[2], 1, &a) < 0)
			return 2;
		return shipment_deliver(c, a, "admin:ctl");
	}
	if (argc >= 3 && strcmp(argv[0], "return-items") == 0)
		return return_items_cmd(c, argc - 1, argv + 1);
	if (argc == 4 && strcmp(argv[0], "return-decide") == 0) {
		if (id_arg(argv[1], 1, &a) < 0 || id_arg(argv[2], 0, &b) < 0)
			return 2;
		bool ok = strcmp(argv[3], "approve") == 0;
		if (!ok && strcmp(argv[3], "reject") != 0)
			return 2;
		buf actor;
		buf_init(&actor, c->a, 64);
		buf_printf(&actor, b ? "seller:%lld" : "admin:ctl", (long long)b);
		return seller_return_decide(c, a, b, ok, actor.p);
	}
	return 2;
}
