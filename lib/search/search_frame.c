/* search_frame: a search_result as souk-searchd's binary frame and back
 * (layout in search_frame.h). */
#include "search/search_frame.h"

#include <string.h>

#define NULL_LEN 0xffffffffu

/* ------------------------------------------------------------ writing */

static void put_u32(buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 8), (unsigned char)v};
	buf_append(b, x, 4);
}

static void put_i64(buf *b, int64_t s)
{
	uint64_t v = (uint64_t)s;
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (56 - 8 * i));
	buf_append(b, x, 8);
}

static void put_f64(buf *b, double d)
{
	int64_t v;
	memcpy(&v, &d, sizeof(v));
	put_i64(b, v);
}

static void put_u8(buf *b, bool v)
{
	buf_putc(b, v ? 1 : 0);
}

static void put_s(buf *b, const char *s)
{
	if (!s) {
		put_u32(b, NULL_LEN);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	buf_append(b, s, n);
}

static void put_buckets(buf *b, const search_bucket *v, int n)
{
	put_u32(b, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		put_s(b, v[i].value);
		put_i64(b, v[i].id);
		put_i64(b, v[i].count);
		put_u8(b, v[i].selected);
	}
}

str search_result_to_frame(ctx *c, const search_result *r)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_append(&b, SEARCH_FRAME_MAGIC, 3);
	buf_putc(&b, SEARCH_FRAME_VERSION);
	put_i64(&b, r->total);
	put_u32(&b, (uint32_t)r->nhits);
	for (int i = 0; i < r->nhits; i++) {
		const search_hit *h = &r->hits[i];
		put_i64(&b, h->id);
		put_s(&b, h->ref);
		put_s(&b, h->title);
		put_s(&b, h->brand);
		put_s(&b, h->image);
		put_i64(&b, h->price);
		put_f64(&b, h->rating);
		put_i64(&b, h->rating_count);
		put_u8(&b, h->in_stock);
		put_i64(&b, h->sales_rank);
		put_f64(&b, h->score);
	}
	put_buckets(&b, r->brands, r->nbrands);
	put_buckets(&b, r->colors, r->ncolors);
	put_buckets(&b, r->categories, r->ncategories);
	put_buckets(&b, r->ratings, r->nratings);
	put_u32(&b, (uint32_t)r->nprices);
	for (int i = 0; i < r->nprices; i++) {
		put_i64(&b, r->prices[i].from);
		put_i64(&b, r->prices[i].to);
		put_s(&b, r->prices[i].key);
		put_i64(&b, r->prices[i].count);
	}
	put_s(&b, r->corrected_query);
	put_u32(&b, (uint32_t)r->nsuggestions);
	for (int i = 0; i < r->nsuggestions; i++)
		put_s(&b, r->suggestions[i] ? r->suggestions[i] : "");
	put_s(&b, r->engine);
	if (b.failed)
		return (str){NULL, 0};
	return buf_str(&b);
}

/* ------------------------------------------------------------ reading */

typedef struct {
	ctx *c;
	const unsigned char *p, *end;
	bool bad;
} rd;

static bool need(rd *x, size_t n)
{
	if (x->bad || (size_t)(x->end - x->p) < n) {
		x->bad = true;
		return false;
	}
	return true;
}

static uint32_t get_u32(rd *x)
{
	if (!need(x, 4))
		return 0;
	uint32_t v = (uint32_t)x->p[0] << 24 | (uint32_t)x->p[1] << 16 | (uint32_t)x->p[2] << 8 |
	             x->p[3];
	x->p += 4;
	return v;
}

static int64_t get_i64(rd *x)
{
	if (!need(x, 8))
		return 0;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | x->p[i];
	x->p += 8;
	return (int64_t)v;
}

/* An int field (written as i64): outside int's range is not a frame. */
static int get_int(rd *x)
{
	int64_t v = get_i64(x);
	if (v < INT32_MIN || v > INT32_MAX)
		x->bad = true;
	return (int)v;
}

static double get_f64(rd *x)
{
	int64_t v = get_i64(x);
	double d;
	memcpy(&d, &v, sizeof(d));
	return d;
}

static bool get_u8(rd *x)
{
	if (!need(x, 1))
		return false;
	unsigned v = *x->p++;
	if (v > 1)
		x->bad = true;
	return v == 1;
}

static const char *get_s(rd *x)
{
	uint32_t n = get_u32(x);
	if (x->bad || n == NULL_LEN)
		return NULL;
	if (!need(x, n))
		return NULL;
	const char *s = (const char *)x->p;
	if (memchr(s, '\0', n)) {
		x->bad = true;
		return NULL;
	}
	char *copy = arena_strndup(x->c->a, s, n);
	if (!copy)
		x->bad = true;
	x->p += n;
	return copy;
}

/* An element count, refused when the bytes left cannot hold that many
 * elements of at least `min` bytes each (so a forged count never
 * allocates more than the frame's size). */
static int get_count(rd *x, size_t min)
{
	uint32_t n = get_u32(x);
	if (x->bad || n > (size_t)(x->end - x->p) / min || n > INT32_MAX / 2) {
		x->bad = true;
		return 0;
	}
	return (int)n;
}

static void *alloc_n(rd *x, int n, size_t size)
{
	void *p = arena_alloc(x->c->a, size * (size_t)(n ? n : 1));
	if (!p)
		x->bad = true;
	return p;
}

/* Bytes of the smallest hit, bucket and price bucket (strings empty). */
#define MIN_HIT (8 + 4 * 4 + 8 + 8 + 8 + 1 + 8 + 8)
#define MIN_BUCKET (4 + 8 + 8 + 1)
#define MIN_PRICE (8 + 8 + 4 + 8)

static void get_buckets(rd *x, search_bucket **out, int *n)
{
	*n = get_count(x, MIN_BUCKET);
	*out = alloc_n(x, *n, sizeof(search_bucket));
	for (int i = 0; i < *n && !x->bad; i++) {
		search_bucket *b = &(*out)[i];
		b->value = get_s(x);
		b->id = get_i64(x);
		b->count = get_i64(x);
		b->selected = get_u8(x);
	}
}

bool search_is_frame(str payload)
{
	return payload.len >= 4 && memcmp(payload.p, SEARCH_FRAME_MAGIC, 3) == 0;
}

int search_result_from_frame(ctx *c, str frame, search_result *r)
{
	memset(r, 0, sizeof(*r));
	if (!search_is_frame(frame) || (unsigned char)frame.p[3] != SEARCH_FRAME_VERSION)
		return SOUK_ERR;
	rd x = {c, (const unsigned char *)frame.p + 4, (const unsigned char *)frame.p + frame.len,
	        false};
	r->total = get_i64(&x);
	int nh = get_count(&x, MIN_HIT);
	r->hits = alloc_n(&x, nh, sizeof(search_hit));
	for (int i = 0; i < nh && !x.bad; i++) {
		search_hit *h = &r->hits[i];
		memset(h, 0, sizeof(*h));
		h->id = get_i64(&x);
		h->ref = get_s(&x);
		h->title = get_s(&x);
		h->brand = get_s(&x);
		h->image = get_s(&x);
		h->price = get_i64(&x);
		h->rating = get_f64(&x);
		h->rating_count = get_int(&x);
		h->in_stock = get_u8(&x);
		h->sales_rank = get_int(&x);
		h->score = get_f64(&x);
		r->nhits = i + 1;
	}
	get_buckets(&x, &r->brands, &r->nbrands);
	get_buckets(&x, &r->colors, &r->ncolors);
	get_buckets(&x, &r->categories, &r->ncategories);
	get_buckets(&x, &r->ratings, &r->nratings);
	int np = get_count(&x, MIN_PRICE);
	r->prices = alloc_n(&x, np, sizeof(search_price_bucket));
	for (int i = 0; i < np && !x.bad; i++) {
		search_price_bucket *p = &r->prices[i];
		p->from = get_i64(&x);
		p->to = get_i64(&x);
		p->key = get_s(&x);
		p->count = get_i64(&x);
		r->nprices = i + 1;
	}
	r->corrected_query = get_s(&x);
	int ns = get_count(&x, 4);
	r->suggestions = alloc_n(&x, ns, sizeof(char *));
	for (int i = 0; i < ns && !x.bad; i++) {
		r->suggestions[i] = get_s(&x);
		if (!r->suggestions[i])
			x.bad = true;
		r->nsuggestions = i + 1;
	}
	r->engine = get_s(&x);
	if (x.bad || x.p != x.end) {
		memset(r, 0, sizeof(*r));
		return SOUK_ERR;
	}
	return SOUK_OK;
}
