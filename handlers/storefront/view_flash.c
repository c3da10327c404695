/* view_flash: the product page's flash deal — when one of the shown
 * offers is in an upcoming or running flash sale, its price, the units
 * left as a bar, a countdown and "Join the line" take the Buy Box's
 * place (the line itself is the waiting room's, /flash/{id}). */
#include <time.h>

#include "core/log.h"
#include "shop/flash.h"
#include "storefront.h"

#define VIEW_FLASH_OFFERS 5 /* offers looked at: the Buy Box's first few */

static const char *in(ctx *c, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		return view_fmt(c->a, "%lld d %lld h", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	return view_fmt(c->a, "%02lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s % 3600 / 60),
	                (long long)(s % 60));
}

/* Where "Join the line" points: SOUK_FLASH_ORIGIN when it names the
 * waiting room's own host (a deployment whose "flash." name goes to the
 * flash edge), else "" and the link stays relative (/flash/{id} on the
 * shop's host, whose nginx passes it to the edge). A value that is no
 * bare origin is ignored, with a warning, once per process. */
static const char *flash_origin(void)
{
	static const char *origin;
	if (!origin) {
		const char *v = cfg_env_str("SOUK_FLASH_ORIGIN", "");
		origin = "";
		if (*v && flash_origin_ok(v))
			origin = v;
		else if (*v)
			log_msg(LOG_WARN, NULL, "SOUK_FLASH_ORIGIN is no bare http(s) origin; linking to /flash/ on this host");
	}
	return origin;
}

bool view_flash(ctx *c, tmpl_dict *d, json_object *offers)
{
	size_t n = offers ? json_object_array_length(offers) : 0;
	for (size_t i = 0; i < n && i < VIEW_FLASH_OFFERS; i++) {
		json_object *o = json_object_array_get_idx(offers, i), *id;
		flash_sale s;
		if (!json_object_object_get_ex(o, "sku_id", &id))
			continue;
		int found = flash_for_sku(c, json_object_get_int64(id), &s);
		if (found < 0) {
			ctx_clear(c); /* the page works without the deal */
			return false;
		}
		if (found == 0)
			continue;
		int64_t now = time(NULL), left = s.units - s.units_sold;
		tmpl_dict *f = tmpl_section(d, "FLASH");
		tmpl_set_i64(f, "SALE_ID", s.id);
		tmpl_set(f, "FLASH_ORIGIN", flash_origin());
		tmpl_set_money(f, "FLASH_PRICE", s.price);
		tmpl_set_money(f, "FLASH_LIST", s.list_price);
		tmpl_set_i64(f, "UNITS", s.units);
		tmpl_set_i64(f, "LEFT", left);
		tmpl_set_i64(f, "LIMIT", s.per_customer);
		if (now < s.starts_at)
			tmpl_set(tmpl_section(f, "UPCOMING"), "STARTS_IN", in(c, s.starts_at - now));
		else
			tmpl_set(tmpl_section(f, "LIVE"), "ENDS_IN", in(c, s.ends_at - now));
		if (left <= 0)
			tmpl_show(f, "GONE");
		return true;
	}
	return false;
}
