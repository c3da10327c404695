/* souk-ctl: operator commands that go through the library's write paths
 * (so caches are invalidated exactly as the handlers would). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "catalog.h"
#include "log.h"

static int usage(void)
{
	fputs("usage: souk-ctl set-price OFFER_ID CENTS\n"
	      "       souk-ctl set-stock OFFER_ID WAREHOUSE_ID QTY\n"
	      "       souk-ctl product-json PRODUCT_ID\n",
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

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const cfg *cf = cfg_load();
	log_set_level(cf->log_level);
	catalog_register();
	ctx *c = app_ctx_new(cf);
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
	} else {
		app_ctx_free(c);
		return usage();
	}
	if (rc != SOUK_OK)
		fprintf(stderr, "souk-ctl: %d %s\n", c->err_status, c->err_msg ? c->err_msg : "");
	int status = rc == SOUK_OK ? 0 : 1;
	app_ctx_free(c);
	return status;
}
