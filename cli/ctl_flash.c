/* ctl_flash: bin/souk ctl flash create|pause|resume|end|show. */
#include "ctl_flash.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "shop/flash.h"
#include "shop/flash_ops.h"
#include "shop/flash_order.h"

static int usage(void)
{
	fputs("usage: souk-ctl flash create --sku N --units U --price CENTS --starts ISO8601\n"
	      "                 --ends ISO8601 [--prequeue ISO8601] [--limit L] [--max-active A]\n"
	      "                 [--admit-per-min R] [--pass-minutes M]   (prints the sale id)\n"
	      "       souk-ctl flash pause|resume|end|show ID\n"
	      "  times: 2026-12-04T10:00:00Z, an offset (+01:00), @UNIX, or now[+-]N[s|m|h]\n",
	      stderr);
	return 2;
}

static int opt_num(const char *name, const char *v, int64_t *out)
{
	if (str_to_i64(str_c(v), 1, INT64_MAX, out) < 0) {
		fprintf(stderr, "souk-ctl: %s %s is not a positive number\n", name, v);
		return -1;
	}
	return 0;
}

static int opt_time(const char *name, const char *v, int64_t *out)
{
	if ((*out = flash_parse_time(v, time(NULL))) < 0) {
		fprintf(stderr, "souk-ctl: %s %s is not a time (ISO 8601 with Z or an offset)\n", name, v);
		return -1;
	}
	return 0;
}

static int create(ctx *c, int argc, char **argv)
{
	flash_params p = {0};
	static const char *const nums[] = {"--sku", "--units", "--price", "--limit", "--max-active",
	                                   "--admit-per-min", "--pass-minutes", NULL};
	int64_t *const slots[] = {&p.sku_id, &p.units, &p.price, &p.per_customer, &p.max_active,
	                          &p.admit_per_min, &p.pass_minutes};
	for (int i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage();
		const char *o = argv[i], *v = argv[i + 1];
		int k = 0;
		while (nums[k] && strcmp(nums[k], o) != 0)
			k++;
		if (nums[k]) {
			if (opt_num(o, v, slots[k]) < 0)
				return 2;
		} else if (strcmp(o, "--starts") == 0) {
			if (opt_time(o, v, &p.starts_at) < 0)
				return 2;
		} else if (strcmp(o, "--ends") == 0) {
			if (opt_time(o, v, &p.ends_at) < 0)
				return 2;
		} else if (strcmp(o, "--prequeue") == 0) {
			if (opt_time(o, v, &p.prequeue_at) < 0)
				return 2;
		} else
			return usage();
	}
	if (!p.sku_id || !p.units || !p.price || !p.starts_at || !p.ends_at)
		return usage();
	int64_t id;
	if (flash_create(c, &p, &id) < 0)
		return SOUK_ERR;
	printf("%lld\n", (long long)id);
	return SOUK_OK;
}

int ctl_flash(ctx *c, int argc, char **argv)
{
	flash_order_register();
	if (argc >= 1 && strcmp(argv[0], "create") == 0)
		return create(c, argc - 1, argv + 1);
	int64_t id;
	if (argc != 2 || str_to_i64(str_c(argv[1]), 1, INT64_MAX, &id) < 0)
		return usage();
	if (strcmp(argv[0], "pause") == 0)
		return flash_pause(c, id);
	if (strcmp(argv[0], "resume") == 0)
		return flash_resume(c, id);
	if (strcmp(argv[0], "end") == 0)
		return flash_end(c, id);
	if (strcmp(argv[0], "show") == 0) {
		json_object *o;
		if (flash_show(c, id, &o) < 0)
			return SOUK_ERR;
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		return SOUK_OK;
	}
	return usage();
}
