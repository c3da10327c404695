/* ctl_seller: `souk-ctl seller create NAME` (an approved seller with one
 * warehouse; prints its id) and `seller key SELLER_ID` (prints a new API
 * key), plus the admin moves approve|reject|suspend|reinstate SELLER_ID. */
#include <stdio.h>
#include <string.h>

#include "cli/ctl_seller.h"
#include "shop/seller.h"

int ctl_seller(ctx *c, int argc, char **argv)
{
	if (argc != 2)
		return 2;
	int64_t id;
	if (strcmp(argv[0], "create") == 0) {
		int rc = seller_create(c, str_c(argv[1]), &id);
		if (rc == SOUK_OK)
			printf("%lld\n", (long long)id);
		return rc;
	}
	if (str_to_i64(str_c(argv[1]), 1, INT64_MAX, &id) < 0) {
		fprintf(stderr, "souk-ctl: %s is not a seller id\n", argv[1]);
		return 2;
	}
	if (strcmp(argv[0], "key") == 0) {
		const char *key;
		int64_t kid;
		if (!seller_get(c, id))
			return SOUK_ERR;
		int rc = seller_key_create(c, id, STR("souk-ctl"), &key, &kid);
		if (rc == SOUK_OK)
			printf("%s\n", key);
		return rc;
	}
	if (strcmp(argv[0], "approve") == 0)
		return seller_approve(c, id);
	if (strcmp(argv[0], "reject") == 0)
		return seller_reject(c, id, "rejected by an operator");
	if (strcmp(argv[0], "suspend") == 0)
		return seller_suspend(c, id, "suspended by an operator");
	if (strcmp(argv[0], "reinstate") == 0)
		return seller_reinstate(c, id);
	return 2;
}
