/* query: typed, bounded query-string parameters for handlers. */
#include "http/query.h"

#include <stdio.h>

int ctx_query_int(ctx *c, const char *key, int64_t min, int64_t max,
                  int64_t def, int64_t *out)
{
	const str *v = req_query(c->rq, key);
	if (!v || v->len == 0) {
		*out = def;
		return SOUK_OK;
	}
	if (str_to_i64(*v, min, max, out) < 0)
		return ctx_fail(c, 400, "bad_request", "%s must be an integer from %lld to %lld",
		                key, (long long)min, (long long)max);
	return SOUK_OK;
}

int ctx_query_page(ctx *c, int64_t *page)
{
	return ctx_query_int(c, "page", 1, QUERY_MAX_PAGE, 1, page);
}

int ctx_query_paging(ctx *c, int64_t def_per, int64_t max_per, int64_t *page, int64_t *per)
{
	if (ctx_query_page(c, page) < 0 || ctx_query_int(c, "per_page", 1, max_per, def_per, per) < 0)
		return SOUK_ERR;
	return SOUK_OK;
}

int ctx_query_id(ctx *c, const char *key, int64_t *out)
{
	const str *v = req_query(c->rq, key);
	*out = 0;
	if (v && v->len && str_to_i64(*v, 1, INT64_MAX, out) < 0)
		return ctx_fail(c, 400, "bad_request", "%s must be a positive integer", key);
	return SOUK_OK;
}

int ctx_query_enum(ctx *c, const char *key, const char *const *allowed,
                   int def, int *out)
{
	const str *v = req_query(c->rq, key);
	if (!v || v->len == 0) {
		*out = def;
		return SOUK_OK;
	}
	for (int i = 0; allowed[i]; i++)
		if (str_eq_c(*v, allowed[i])) {
			*out = i;
			return SOUK_OK;
		}
	char list[256] = "";
	size_t o = 0;
	for (int i = 0; allowed[i] && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", allowed[i]);
	return ctx_fail(c, 400, "bad_request", "%s must be one of: %s", key, list);
}

int ctx_query_date(ctx *c, const char *key, const char **out)
{
	*out = NULL;
	const str *v = req_query(c->rq, key);
	if (!v || v->len == 0)
		return SOUK_OK;
	int y = 0, m = 0, d = 0;
	char tail, *s = str_dup(c->a, *v);
	bool ok = v->len == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 2000 &&
	          y <= 2999 && m >= 1 && m <= 12;
	bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	int days = m == 2 ? 28 + leap : 30 + ((m < 8) == (m % 2 == 1));
	if (!ok || d < 1 || d > days)
		return ctx_fail_field(c, 400, "bad_request", key, "%s must be a date YYYY-MM-DD", key);
	*out = s;
	return SOUK_OK;
}
