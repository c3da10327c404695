/* souk-ctl: operator commands that go through the library's write paths
 * (so caches are invalidated exactly as the handlers would). */
#include <stdio.h>
#include <string.h>

#include "cli/ctl_market.h"
#include "cli/ctl_seller.h"
#include "http/app.h"
#include "shop/catalog.h"
#include "store/db.h"
#include "shop/auth.h"
#include "shop/order.h"
#include "shop/order_expiry.h"
#include "shop/pay_choose.h"
#include "shop/payment.h"
#include "shop/seller.h"
#include "shop/shop.h"
#include "core/log.h"
#include "store/store.h"
#include "ctl_flash.h"

static int usage(void)
{
	fputs("usage: souk-ctl set-price OFFER_ID CENTS\n"
	      "       souk-ctl set-stock OFFER_ID WAREHOUSE_ID QTY\n"
	      "       souk-ctl product-json PRODUCT_ID\n"
	      "       souk-ctl expire-reservations [LIMIT]   (prints orders cancelled)\n"
	      "       souk-ctl order ACTION PUBLIC_ID [ARGS]  ACTION: process, ship CARRIER\n"
	      "                TRACKING, deliver, cancel, capture, void, refund [CENTS],\n"
	      "                return-request [REASON] (prints the return id), json\n"
	      "       souk-ctl return approve|reject|receive RETURN_ID\n"
	      "       souk-ctl flash create|pause|resume|end|show ...  (souk-ctl flash for details)\n"
	      "       souk-ctl ledger check | ledger balance SELLER_ID | payouts run\n"
	      "       souk-ctl shipment ship ID CARRIER TRACKING | shipment deliver ID\n"
	      "       souk-ctl return-items PUBLIC_ID ITEM_ID:QTY... | return-decide RETURN_ID SELLER_ID approve|reject\n"
	      "       souk-ctl add-user EMAIL shopper|seller|admin [SELLER_ID]  (password: $SOUK_USER_PASSWORD or stdin)\n"
	      "       souk-ctl seller create NAME | key|approve|reject|suspend|reinstate SELLER_ID\n",
	      stderr);
	return 2;
}

static int arg_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (str_to_i64(str_c(s), min, max, out) < 0) {
		fprintf(stderr, "souk-ctl: %s is not a number in range\n", s);
		return -1;
	}
	return 0;
}

/* order ACTION PUBLIC_ID [ARGS]: the admin and billing moves, for
 * operators and tests. 2 = usage error. */
static int order_cmd(ctx *c, int argc, char **argv)
{
	const char *act = argv[0];
	db_res *o = order_find(c, argv[1]);
	if (!o)
		return SOUK_ERR;
	int64_t id = db_i64(o, 0, "id"), v = 0;
	if (strcmp(act, "process") == 0 && argc == 2)
		return order_process(c, id, "admin:ctl");
	if (strcmp(act, "ship") == 0 && argc == 4)
		return order_ship(c, id, "admin:ctl", argv[2], argv[3]);
	if (strcmp(act, "deliver") == 0 && argc == 2)
		return order_deliver(c, id, "admin:ctl");
	if (strcmp(act, "cancel") == 0 && argc == 2)
		return order_cancel(c, id, "admin:ctl", "cancelled by an operator");
	if (strcmp(act, "capture") == 0 && argc == 2) {
		bool done;
		int rc = pay_capture_order(c, id, &done);
		if (rc == SOUK_OK)
			printf("%s\n", done ? "captured" : "not captured");
		return rc;
	}
	if (strcmp(act, "void") == 0 && argc == 2)
		return pay_void_order(c, id);
	if (strcmp(act, "refund") == 0 && (argc == 2 || argc == 3)) {
		if (argc == 3 && arg_i64(argv[2], 1, INT64_MAX, &v))
			return 2;
		return pay_refund_order(c, id, v, "operator");
	}
	if (strcmp(act, "return-request") == 0 && (argc == 2 || argc == 3)) {
		int64_t rid;
		int rc = order_return_request(c, id, "shopper", argc == 3 ? argv[2] : "", &rid);
		if (rc == SOUK_OK)
			printf("%lld\n", (long long)rid);
		return rc;
	}
	if (strcmp(act, "json") == 0 && argc == 2) {
		json_object *doc;
		int rc = order_json(c, id, false, &doc);
		if (rc == SOUK_OK)
			printf("%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
		return rc;
	}
	return 2;
}

/* add-user EMAIL ROLE [SELLER_ID]: the password comes from
 * $SOUK_USER_PASSWORD or the first line of stdin (never argv, which
 * other users can read in ps). An existing address is left as it is. */
static int add_user_cmd(ctx *c, int argc, char **argv)
{
	session_role role;
	int64_t seller = 0;
	if (session_role_parse(argv[1], &role) < 0) {
		fprintf(stderr, "souk-ctl: role must be shopper, seller or admin\n");
		return 2;
	}
	if (argc == 3 && arg_i64(argv[2], 1, INT64_MAX, &seller))
		return 2;
	char line[AUTH_PASSWORD_MAX + 2];
	const char *pw = getenv("SOUK_USER_PASSWORD");
	if (!pw) {
		if (!fgets(line, sizeof(line), stdin)) {
			fprintf(stderr, "souk-ctl: no password on stdin\n");
			return 2;
		}
		line[strcspn(line, "\r\n")] = '\0';
		pw = line;
	}
	auth_user u;
	int rc = auth_create(c, str_c(argv[0]), str_c(pw), role, seller, &u);
	if (rc == SOUK_OK) {
		printf("%lld\n", (long long)u.id);
	} else if (c->err_code && strcmp(c->err_code, "email_taken") == 0) {
		fprintf(stderr, "souk-ctl: %s exists; left unchanged\n", argv[0]);
		return SOUK_OK;
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const cfg *cf = cfg_load();
	log_set_level(cf->log_level);
	catalog_register();
	shop_register(); /* checkout, orders, the expiry, the order hooks */
	if (pay_choose_configured() < 0) /* an unknown provider: refuse to start */
		return 2;
	auth_register_sql();
	ctl_market_register();
	seller_register();
	ctx *c = store_ctx_new(cf);
	int64_t a, b, q;
	int rc;
	if (strcmp(argv[1], "set-price") == 0 && argc == 4) {
		if (arg_i64(argv[2], 1, INT64_MAX, &a) || arg_i64(argv[3], 1, INT64_MAX, &b))
			return 2;
		rc = catalog_set_offer_price(c, a, b);
	} else if (strcmp(argv[1], "set-stock") == 0 && argc == 5) {
		if (arg_i64(argv[2], 1, INT64_MAX, &a) || arg_i64(argv[3], 1, INT64_MAX, &b) ||
		    arg_i64(argv[4], 0, INT64_MAX, &q))
			return 2;
		rc = catalog_set_stock(c, a, b, q);
	} else if (strcmp(argv[1], "product-json") == 0 && argc == 3) {
		str doc;
		bool hit;
		if (arg_i64(argv[2], 1, INT64_MAX, &a))
			return 2;
		rc = catalog_product_json(c, a, &doc, &hit);
		if (rc == SOUK_OK)
			printf("%.*s\n", (int)doc.len, doc.p);
	} else if (strcmp(argv[1], "add-user") == 0 && (argc == 4 || argc == 5)) {
		rc = add_user_cmd(c, argc - 2, argv + 2);
		if (rc == 2) {
			store_ctx_free(c);
			return 2;
		}
	} else if (strcmp(argv[1], "seller") == 0) {
		if ((rc = ctl_seller(c, argc - 2, argv + 2)) == 2) {
			store_ctx_free(c);
			return usage();
		}
	} else if (strcmp(argv[1], "expire-reservations") == 0 && argc <= 3) {
		int n = 0;
		if (argc == 3 && arg_i64(argv[2], 1, 10000, &a))
			return 2;
		rc = order_expire_batch(c, argc == 3 ? (int)a : 100, &n);
		if (rc == SOUK_OK)
			printf("%d\n", n);
	} else if (strcmp(argv[1], "order") == 0 && argc >= 4) {
		rc = order_cmd(c, argc - 2, argv + 2);
		if (rc == 2) {
			store_ctx_free(c);
			return usage();
		}
	} else if (strcmp(argv[1], "flash") == 0) {
		if ((rc = ctl_flash(c, argc - 2, argv + 2)) == 2) { /* cli/ctl_flash.c */
			store_ctx_free(c);
			return 2;
		}
	} else if (strcmp(argv[1], "return") == 0 && argc == 4) {
		if (arg_i64(argv[3], 1, INT64_MAX, &a))
			return 2;
		if (strcmp(argv[2], "approve") == 0)
			rc = order_return_approve(c, a, "admin:ctl");
		else if (strcmp(argv[2], "reject") == 0)
			rc = order_return_reject(c, a, "admin:ctl");
		else if (strcmp(argv[2], "receive") == 0)
			rc = order_return_receive(c, a, "admin:ctl");
		else {
			store_ctx_free(c);
			return usage();
		}
	} else if ((rc = ctl_market(c, argc - 1, argv + 1)) == 2) {
		store_ctx_free(c);
		return usage();
	}
	if (rc != SOUK_OK)
		fprintf(stderr, "souk-ctl: %d %s\n", c->err_status, c->err_msg ? c->err_msg : "");
	int status = rc == SOUK_OK ? 0 : 1;
	store_ctx_free(c);
	return status;
}
