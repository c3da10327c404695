/* search_zero: counting searches with no results, and reading the top ones. */
#include "search/search_zero.h"

#include <hiredis/hiredis.h>
#include <time.h>

#include "core/log.h"
#include "store/rds.h"

#define ZERO_TEXT_MAX 100
#define ZERO_KEEP_DAYS 35

const char *search_zero_text(arena *a, str q)
{
	char out[ZERO_TEXT_MAX + 1];
	size_t n = 0;
	bool blank = false;
	for (size_t i = 0; i < q.len; i++) {
		unsigned char ch = (unsigned char)q.p[i];
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			blank = n > 0;
			continue;
		}
		size_t need = (blank ? 1 : 0) + 1;
		if (n + need > ZERO_TEXT_MAX)
			break;
		if (blank)
			out[n++] = ' ', blank = false;
		out[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80) /* a cut sequence */
		n--;
	if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		n--;
	char *s = arena_strndup(a, out, n);
	return s ? s : "";
}

/* "search:zero:20261204" for `back` days before today (UTC). */
static const char *day_key(ctx *c, int back)
{
	time_t t = time(NULL) - (time_t)back * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "search:zero:%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return b.p;
}

void search_zero_note(ctx *c, const search_query *q, const search_result *res)
{
	if (!res || res->total != 0 || q->offset != 0 || q->q.len == 0)
		return;
	const char *text = search_zero_text(c->a, q->q);
	if (!*text)
		return;
	const char *key = day_key(c, 0);
	const char *inc[] = {"ZINCRBY", key, "1", text};
	const char *exp[] = {"EXPIRE", key, "3024000"}; /* ZERO_KEEP_DAYS */
	if (!rds_cmd(c, 4, inc, NULL) || !rds_cmd(c, 3, exp, NULL))
		ctx_log(c, LOG_DEBUG, "search_zero: not counted (redis down)");
}

int search_zero_top(ctx *c, int days, int max, search_zero_row **out, int *n)
{
	*out = NULL;
	*n = 0;
	if (days < 1 || days > ZERO_KEEP_DAYS || max < 1)
		return 0;
	/* ZUNION numkeys key... WITHSCORES: every text of the window with
	 * its summed count, lowest first */
	const char *argv[ZERO_KEEP_DAYS + 3];
	int argc = 0;
	argv[argc++] = "ZUNION";
	char nk[8];
	snprintf(nk, sizeof(nk), "%d", days);
	argv[argc++] = nk;
	for (int i = 0; i < days; i++)
		argv[argc++] = day_key(c, i);
	argv[argc++] = "WITHSCORES";
	redisReply *r = rds_cmd(c, argc, argv, NULL);
	if (!r)
		return -1;
	if (r->type != REDIS_REPLY_ARRAY)
		return 0;
	size_t pairs = r->elements / 2;
	int take = pairs < (size_t)max ? (int)pairs : max;
	search_zero_row *rows = arena_alloc(c->a, sizeof(*rows) * (size_t)(take ? take : 1));
	if (!rows)
		return -1;
	for (int i = 0; i < take; i++) {
		size_t k = (pairs - 1 - (size_t)i) * 2; /* highest first */
		redisReply *m = r->element[k], *s = r->element[k + 1];
		rows[i].text = arena_strndup(c->a, m->str ? m->str : "", m->str ? m->len : 0);
		int64_t v = 0; /* RESP2: the score as text ("3") */
		if (s->str && str_to_i64((str){s->str, s->len}, 0, INT64_MAX, &v) < 0)
			v = 0;
		rows[i].count = v;
	}
	*out = rows;
	*n = take;
	return 0;
}
