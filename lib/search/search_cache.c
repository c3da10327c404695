/* search_cache: the Redis key of a search (its value is the result as
 * search_frame.h writes it, the same frame souk-searchd answers with). */
#include <ctype.h>
#include <strings.h>

#include "http/req.h"
#include "search/search_int.h"

const char *search_normalise(ctx *c, str q)
{
	if (!utf8_valid(q))
		return NULL;
	buf b;
	buf_init(&b, c->a, 0);
	bool space = false;
	for (size_t i = 0; i < q.len; i++) {
		unsigned char ch = (unsigned char)q.p[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = b.len > 0;
			continue;
		}
		if (ch < 0x20 || ch == 0x7f)
			return NULL;
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, (char)(ch < 0x80 ? tolower(ch) : ch));
	}
	return b.failed ? NULL : b.p ? b.p : "";
}

/* A value with its length first, so no separator inside a value can make
 * two different queries print the same key. */
static void put_val(buf *b, const char *tag, str v)
{
	buf_printf(b, "|%s%zu:", tag, v.len);
	for (size_t i = 0; i < v.len; i++)
		buf_putc(b, (char)tolower((unsigned char)v.p[i]));
}

/* Multi-valued filters are sets: sorted, so the order of the parameters
 * does not split the cache. */
static int cmp_str(const void *x, const void *y)
{
	const str *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = strncasecmp(a->p, b->p, n);
	return d ? d : (a->len > b->len) - (a->len < b->len);
}

static void put_set(ctx *c, buf *b, const char *tag, const str *v, int n)
{
	str *s = arena_alloc(c->a, sizeof(str) * (size_t)(n ? n : 1));
	if (!s) {
		b->failed = true;
		return;
	}
	memcpy(s, v, sizeof(str) * (size_t)n);
	qsort(s, (size_t)n, sizeof(str), cmp_str);
	for (int i = 0; i < n; i++)
		put_val(b, tag, s[i]);
}

const char *search_cache_key(ctx *c, const search_query *q, const char *qnorm,
                             str version)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_puts(&b, "search:v");
	buf_append(&b, version.p, version.len);
	put_val(&b, "q", str_c(qnorm));
	buf_printf(&b, "|w%g,%g,%g|c%lld", q->w.title, q->w.brand, q->w.description,
	           (long long)q->category_id);
	if (q->category_slug)
		put_val(&b, "cs", str_c(q->category_slug));
	put_set(c, &b, "b", q->brands, q->nbrands);
	put_set(c, &b, "co", q->colors, q->ncolors);
	put_set(c, &b, "s", q->sizes, q->nsizes);
	buf_printf(&b, "|p%lld-%lld|i%d|r%d|o%d|%lld+%lld|f%d|nc%d",
	           (long long)q->price_min, (long long)q->price_max, q->in_stock,
	           q->rating_min, (int)q->sort, (long long)q->offset, (long long)q->limit,
	           q->facets, q->no_correct);
	for (int i = 0; i < q->nranges; i++) {
		buf_printf(&b, "|rg%lld-%lld", (long long)q->ranges[i].from,
		           (long long)q->ranges[i].to);
		if (q->ranges[i].key)
			put_val(&b, "k", str_c(q->ranges[i].key));
	}
	return b.failed ? NULL : b.p;
}
