/* sx_search: the memory search engine: one pass of a search over the
 * in-memory index giving exactly what search.c's statements search_text
 * and search_all give (hits, total, disjunctive facets). */
#include "search/sx/sx_search.h"

#include <ctype.h>
#include <math.h>

#include "search/sx/sx_rank.h"
#include "search/sx/sx_search_int.h"
#include "search/sx/sx_tsq.h"

bool sx_search_doc_rank;

/* Matches that get the full relevance score (search.c's SEARCH_CANDIDATES). */
#define SX_CANDIDATES 200
#define SX_MAX_SLUG_CATS 20 /* categories per slug (search_category_slug) */

/* ------------------------------------------------------------ resolve */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* A request's arena is bounded (SOUK_ARENA_MAX): a query whose match
 * sets outgrow it (many words each in most documents) is one the memory
 * engine does not take. 501 sends the caller to the SQL engine, which
 * answers it, instead of a 500 for a query anyone may type. */
static int out_of_arena(ctx *c)
{
	return ctx_fail(c, 501, "unsupported",
	                "the query's matches need more memory than a search may use");
}

/* The ids of the categories under roots (each root included), sorted
 * and distinct, as statement search_category_ids gives them. */
static int subtree_ids(ctx *c, const sx_index *ix, const sx_category *const *roots, int nroots,
                       search_scope *sc)
{
	uint32_t n = sx_index_ncategories(ix);
	int64_t *ids = arena_alloc(c->a, sizeof(int64_t) * (n ? n : 1));
	if (!ids)
		return out_of_arena(c);
	int k = 0;
	for (uint32_t i = 0; i < n; i++) {
		const sx_category *cat = sx_index_category_at(ix, i);
		for (int j = 0; j < nroots; j++) {
			int d = roots[j]->depth;
			if (cat->depth >= d && cat->ancestors[d] == roots[j]->id) {
				ids[k++] = cat->id;
				break;
			}
		}
	}
	qsort(ids, (size_t)k, sizeof(int64_t), cmp_i64);
	int m = 0;
	for (int i = 0; i < k; i++)
		if (m == 0 || ids[m - 1] != ids[i])
			ids[m++] = ids[i];
	sc->cat_ids = ids;
	sc->ncat = m;
	if (m == 0)
		sc->no_match = true;
	return SOUK_OK;
}

static int resolve_locked(ctx *c, const sx_index *ix, const search_query *q, search_scope *sc)
{
	if (q->category_id > 0) {
		const sx_category *cat = sx_index_category(ix, q->category_id);
		if (!cat)
			return ctx_fail(c, 404, "not_found", "no category with id %lld",
			                (long long)q->category_id);
		sc->depth = cat->depth;
		return subtree_ids(c, ix, &cat, 1, sc);
	}
	const sx_category *found[SX_MAX_SLUG_CATS];
	int n = sx_index_categories_by_slug(ix, q->category_slug, found, SX_MAX_SLUG_CATS);
	if (n <= 0) {
		sc->no_match = true;
		return SOUK_OK;
	}
	sc->depth = found[0]->depth;
	return subtree_ids(c, ix, found, n, sc);
}

static int sx_resolve(ctx *c, void *self, const search_query *q, search_scope *sc)
{
	sx_index *ix = self;
	sc->filtered = q->category_id > 0 || q->category_slug;
	sc->no_match = false;
	sc->cat_ids = NULL;
	sc->ncat = 0;
	sc->depth = -1;
	if (!sc->filtered)
		return SOUK_OK;
	sx_index_rdlock(ix);
	int rc = resolve_locked(c, ix, q, sc);
	sx_index_unlock(ix);
	return rc;
}

/* ------------------------------------------------------------ one pass */

/* A candidate hit with its ordering keys, smaller first: k1, k2 (the
 * sort's columns folded so that ascending is the wanted order), r0
 * descending, sales_rank, id. */
typedef struct {
	int64_t k1, k2, id;
	float r0;
	int32_t sales_rank;
	sx_slot slot;
	double score;
} cand;

/* cand_cmp without the last key (the id): 0 when only the ids can tell. */
static int cand_cmp_keys(const cand *a, const cand *b)
{
	if (a->k1 != b->k1)
		return a->k1 < b->k1 ? -1 : 1;
	if (a->k2 != b->k2)
		return a->k2 < b->k2 ? -1 : 1;
	if (a->r0 != b->r0)
		return a->r0 > b->r0 ? -1 : 1;
	if (a->sales_rank != b->sales_rank)
		return a->sales_rank < b->sales_rank ? -1 : 1;
	return 0;
}

static int cand_cmp(const cand *a, const cand *b)
{
	int c = cand_cmp_keys(a, b);
	return c ? c : (a->id > b->id) - (a->id < b->id);
}

static int cand_qcmp(const void *x, const void *y)
{
	return cand_cmp(x, y);
}

/* The final order of relevance: score descending, sales_rank, id. */
static int score_qcmp(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->sales_rank != b->sales_rank)
		return a->sales_rank < b->sales_rank ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* A bounded max-heap: the k best candidates seen, the worst on top. A
 * candidate's id (the last tie-break) is in its document: read only
 * when two candidates tie on every other key (id -1 until then), not
 * for each of 200,000 matches. */
typedef struct {
	cand *v;
	size_t n, k;
	const sx_index *ix;
} topk;

static int64_t cand_id(const topk *h, cand *c)
{
	if (c->id < 0)
		c->id = sx_index_doc(h->ix, c->slot)->id;
	return c->id;
}

static int heap_cmp(const topk *h, cand *a, cand *b)
{
	int c = cand_cmp_keys(a, b);
	if (c)
		return c;
	int64_t x = cand_id(h, a), y = cand_id(h, b);
	return (x > y) - (x < y);
}

static void topk_down(topk *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < h->n && heap_cmp(h, &h->v[l], &h->v[w]) > 0)
			w = l;
		if (r < h->n && heap_cmp(h, &h->v[r], &h->v[w]) > 0)
			w = r;
		if (w == i)
			return;
		cand t = h->v[i];
		h->v[i] = h->v[w];
		h->v[w] = t;
		i = w;
	}
}

/* x: its id may be -1 (unknown); it is read if a tie needs it. */
static void topk_add_slow(topk *h, cand *x);

/* Most of a large match ranks below the worst kept: told by r0 alone,
 * inline, in the match loop. */
static inline __attribute__((always_inline)) void topk_add(topk *h, cand *x)
{
	if (h->n == h->k) {
		const cand *w = &h->v[0];
		if (h->k == 0 || (x->k1 == w->k1 && x->k2 == w->k2 && x->r0 < w->r0))
			return;
	}
	topk_add_slow(h, x);
}

static void topk_add_slow(topk *h, cand *x)
{
	if (h->n < h->k) {
		size_t i = h->n++;
		h->v[i] = *x;
		while (i > 0) {
			size_t p = (i - 1) / 2;
			if (heap_cmp(h, &h->v[i], &h->v[p]) <= 0)
				break;
			cand t = h->v[i];
			h->v[i] = h->v[p];
			h->v[p] = t;
			i = p;
		}
	} else {
		if (heap_cmp(h, x, &h->v[0]) >= 0)
			return;
		h->v[0] = *x;
		topk_down(h, 0);
	}
}

/* The parsed free text. */
typedef struct {
	sx_tsq tsq, andq, orq;
	bool has_andq, has_orq;
	sx_tsq *terms, *bigrams;
	const double *idfs;
	int nterms, nbigrams;
} parsed;

typedef struct {
	ctx *c;
	const sx_index *ix;
	const search_query *q;
	const search_scope *sc;
	const parsed *p;      /* NULL: no free text */
	double w14[3];        /* title, brand, description as float8 */
	float w15[4];         /* D, C, B, A as float4 */
	/* filters: ids of the values asked for that the index knows */
	bool fbrand, fcolor, fsize;
	uint32_t bgroups[SEARCH_MAX_VALUES], colors[SEARCH_MAX_VALUES], sizes[SEARCH_MAX_VALUES];
	int nbg, ncol, nsz;
	int64_t *cats;        /* sorted category ids (S_BASE), ncats 0: any */
	int ncats;
	uint8_t *cat_in;      /* cats as a byte per id up to cat_in_n (NULL: */
	int64_t cat_in_n;     /* ids too large, binary search in cats) */
	/* price buckets: distinct sorted bounds */
	int64_t bounds[2 * SEARCH_MAX_RANGES];
	int nbounds;
	/* counts */
	int64_t total, ratings[4], *ivals, nullprice;
	uint32_t *brand_n, *color_n; /* by brand spelling / colour id */
	uint32_t *brand_touched;
	uint32_t nbrand_touched;
	/* category counts: dense by id below cat_dense, else by index */
	uint32_t *cat_n;
	int64_t cat_dense;
	int64_t *cat_sorted;  /* every category id, sorted (sparse case) */
	uint32_t ncat_all;
	topk top;
	const sx_fcol *fcols;   /* the index's columns (sx_index_fcols) */
	/* the first pass from posting signatures (sx_rank_sigs): per orq
	 * operand, its postings and a cursor that only moves forward (the
	 * match is visited in ascending slots) */
	bool by_sigs;
	int nops;
	sx_pcur **op_cur; /* NULL: every signature 0 (no list, or no title) */
	uint16_t *sigs;
	/* a one-word match walks its operand's list itself (walk_list):
	 * that operand's signature comes from the walk, not a cursor */
	int fed_op;       /* -1: none */
	uint16_t fed_sig;
	/* the signatures' rank remembered per query (up to 4 operands: the
	 * signatures are the key; a query's matches have few distinct
	 * ones), direct-mapped; key all ones: empty (SX_SIG_MORE never
	 * gets here) */
	uint64_t *memo_key;
	float *memo_val;
} run;

#define SX_RANK_MEMO 1024 /* entries, a power of two */

static bool has_id(const uint32_t *v, int n, uint32_t x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static bool overlaps(const uint32_t *have, int nhave, const uint32_t *want, int nwant)
{
	for (int i = 0; i < nhave; i++)
		if (has_id(want, nwant, have[i]))
			return true;
	return false;
}

static bool in_sorted(const int64_t *v, int n, int64_t x)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

/* v in ASCII lower case into out (search.c's text_array(..., true));
 * returns its length. */
static size_t lower_ascii(char *out, size_t cap, str v)
{
	size_t n = v.len < cap - 1 ? v.len : cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v.p[i];
		out[i] = (char)(ch < 0x80 ? tolower(ch) : ch);
	}
	out[n] = '\0';
	return n;
}

static int setup_filters(run *r)
{
	const search_query *q = r->q;
	char tmp[SEARCH_MAX_VALUE_LEN + 1];
	r->fbrand = q->nbrands > 0;
	for (int i = 0; i < q->nbrands; i++) {
		size_t n = lower_ascii(tmp, sizeof(tmp), q->brands[i]);
		uint32_t g = sx_index_brand_group_of(r->ix, tmp, n);
		if (g != SX_NONE && n == q->brands[i].len)
			r->bgroups[r->nbg++] = g;
	}
	r->fcolor = q->ncolors > 0;
	for (int i = 0; i < q->ncolors; i++) {
		size_t n = lower_ascii(tmp, sizeof(tmp), q->colors[i]);
		uint32_t id = sx_index_color_of(r->ix, tmp, n);
		if (id != SX_NONE && n == q->colors[i].len)
			r->colors[r->ncol++] = id;
	}
	r->fsize = q->nsizes > 0;
	for (int i = 0; i < q->nsizes; i++) {
		uint32_t id = sx_index_size_of(r->ix, q->sizes[i].p, q->sizes[i].len);
		if (id != SX_NONE)
			r->sizes[r->nsz++] = id;
	}
	const search_scope *sc = r->sc;
	if (sc->ncat > 0) {
		r->cats = arena_alloc(r->c->a, sizeof(int64_t) * (size_t)sc->ncat);
		if (!r->cats)
			return out_of_arena(r->c);
		memcpy(r->cats, sc->cat_ids, sizeof(int64_t) * (size_t)sc->ncat);
		qsort(r->cats, (size_t)sc->ncat, sizeof(int64_t), cmp_i64);
		r->ncats = sc->ncat;
		/* A listing tests every product: one byte per category id
		 * instead of a binary search (ids are small and dense). */
		int64_t max = r->cats[r->ncats - 1];
		if (r->cats[0] >= 0 && max < (1 << 24)) {
			/* + 1: a sentinel 0 (the listing's scan reads it for
			 * values past max) */
			r->cat_in = arena_zalloc(r->c->a, (size_t)max + 2);
			if (!r->cat_in)
				return out_of_arena(r->c);
			r->cat_in_n = max + 1;
			for (int i = 0; i < r->ncats; i++)
				r->cat_in[r->cats[i]] = 1;
		}
	}
	/* search.c: pbb.b, the ranges' bounds sorted and distinct */
	int nr = sc->nranges < SEARCH_MAX_RANGES ? sc->nranges : SEARCH_MAX_RANGES;
	int64_t b[2 * SEARCH_MAX_RANGES];
	int nb = 0;
	for (int i = 0; i < nr; i++) {
		if (sc->ranges[i].from >= 0)
			b[nb++] = sc->ranges[i].from;
		if (sc->ranges[i].to >= 0)
			b[nb++] = sc->ranges[i].to;
	}
	qsort(b, (size_t)nb, sizeof(int64_t), cmp_i64);
	for (int i = 0; i < nb; i++)
		if (r->nbounds == 0 || r->bounds[r->nbounds - 1] != b[i])
			r->bounds[r->nbounds++] = b[i];
	return SOUK_OK;
}

static int setup_counts(run *r)
{
	arena *a = r->c->a;
	r->ivals = arena_zalloc(a, sizeof(int64_t) * (size_t)(r->nbounds + 1));
	uint32_t nb = sx_index_nbrands(r->ix), nc = sx_index_ncolors(r->ix);
	r->brand_n = arena_zalloc(a, sizeof(uint32_t) * (nb ? nb : 1));
	r->brand_touched = arena_alloc(a, sizeof(uint32_t) * (nb ? nb : 1));
	r->color_n = arena_zalloc(a, sizeof(uint32_t) * (nc ? nc : 1));
	uint32_t ncat = sx_index_ncategories(r->ix);
	int64_t maxid = 0;
	for (uint32_t i = 0; i < ncat; i++) {
		int64_t id = sx_index_category_at(r->ix, i)->id;
		if (id > maxid)
			maxid = id;
	}
	r->ncat_all = ncat;
	if (maxid < (int64_t)4 * ncat + 4096) {
		r->cat_dense = maxid + 1;
		r->cat_n = arena_zalloc(a, sizeof(uint32_t) * (size_t)r->cat_dense);
	} else {
		r->cat_dense = 0;
		r->cat_sorted = arena_alloc(a, sizeof(int64_t) * (ncat ? ncat : 1));
		r->cat_n = arena_zalloc(a, sizeof(uint32_t) * (ncat ? ncat : 1));
		if (r->cat_sorted) {
			for (uint32_t i = 0; i < ncat; i++)
				r->cat_sorted[i] = sx_index_category_at(r->ix, i)->id;
			qsort(r->cat_sorted, ncat, sizeof(int64_t), cmp_i64);
		}
	}
	if (!r->ivals || !r->brand_n || !r->brand_touched || !r->color_n || !r->cat_n ||
	    (!r->cat_dense && !r->cat_sorted))
		return out_of_arena(r->c);
	return SOUK_OK;
}

static void count_category(run *r, int64_t id)
{
	if (r->cat_dense) {
		if (id >= 0 && id < r->cat_dense)
			r->cat_n[id]++;
		return;
	}
	int lo = 0, hi = (int)r->ncat_all;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (r->cat_sorted[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (int)r->ncat_all && r->cat_sorted[lo] == id)
		r->cat_n[lo]++;
}

/* A match reads its columns (sx_fcol, 16 bytes): ask for those a few
 * matches ahead while this one is counted, so that sparse matches'
 * misses overlap instead of adding up. Only a
 * first pass ranked from the documents (no signatures) reads each
 * match's document, and its entries for the binary search. */
static inline void prefetch(const run *r, const sx_slot *slots, uint32_t n, uint32_t i,
                            bool rank)
{
	if (i + 16 < n) {
		sx_slot s = slots ? slots[i + 16] : i + 16;
		__builtin_prefetch(&r->fcols[s]);
		if (rank && !r->by_sigs)
			__builtin_prefetch(sx_index_doc(r->ix, s));
	}
	if (rank && !r->by_sigs && i + 8 < n) {
		const sx_doc *d = sx_index_doc(r->ix, slots ? slots[i + 8] : i + 8);
		sx_doc_prefetch_entries(d); /* the binary search for the query's lexemes */
	}
}

/* The first-pass rank of slot s: ts_rank over search_title. */
static inline __attribute__((always_inline)) float first_rank(run *r, sx_slot s)
{
	if (r->by_sigs) {
		bool more = false;
		for (int i = 0; i < r->nops; i++) {
			sx_pcur *c = r->op_cur[i];
			if (i == r->fed_op)
				r->sigs[i] = r->fed_sig;
			else
				r->sigs[i] = c && sx_pcur_seek(c, s) == s ? c->sig[c->at] : 0;
			more |= r->sigs[i] == SX_SIG_MORE;
		}
		if (!more && r->memo_key) {
			uint64_t key = 0;
			for (int i = 0; i < r->nops; i++)
				key = key << 16 | r->sigs[i];
			size_t h = (size_t)((key * 0x9e3779b97f4a7c15u) >> 54) & (SX_RANK_MEMO - 1);
			if (r->memo_key[h] != key) {
				r->memo_key[h] = key;
				r->memo_val[h] = sx_rank_sigs(r->w15, r->sigs, r->nops);
			}
			return r->memo_val[h];
		}
		if (!more)
			return sx_rank_sigs(r->w15, r->sigs, r->nops);
	}
	return sx_rank(r->w15, sx_index_doc(r->ix, s), SX_MASK_A | SX_MASK_B, &r->p->orq, 0);
}

/* Whether category id v is in the filter's categories. */
static bool in_cats(const run *r, int64_t v)
{
	return r->cat_in ? v >= 0 && v < r->cat_in_n && r->cat_in[v] : in_sorted(r->cats, r->ncats, v);
}

/* One product of the match: S_BASE, the filters, its share of the
 * counts, its candidacy for the hits. Read from the slot's columns; the
 * document only for what they lack (sizes, the sorts by date or rating,
 * a slot marked SX_FC_DOC). */
static inline __attribute__((always_inline)) void visit(run *r, sx_slot slot, bool text_rank)
{
	const sx_fcol *f = &r->fcols[slot];
	if (!(f->flags & SX_FC_LIVE))
		return;
	const search_query *q = r->q;
	int64_t price, cat;
	int rating10;
	int32_t sales_rank;
	uint32_t brand, ncolors, color;
	const uint32_t *colors;
	if (f->flags & SX_FC_DOC) {
		const sx_doc *d = sx_index_doc(r->ix, slot);
		price = d->price;
		cat = d->category_id;
		rating10 = d->rating10;
		sales_rank = d->sales_rank;
		brand = d->brand;
		colors = d->colors;
		ncolors = d->ncolors;
	} else {
		price = f->price;
		cat = f->category;
		rating10 = f->rating10;
		sales_rank = f->sales_rank;
		brand = f->brand;
		color = f->color;
		colors = &color;
		ncolors = (f->flags & SX_FC_COLOR) != 0;
	}
	if (r->ncats && !in_cats(r, cat))
		return;
	if (r->fsize) {
		const sx_doc *d = sx_index_doc(r->ix, slot);
		if (!overlaps(d->sizes, d->nsizes, r->sizes, r->nsz))
			return;
	}
	if (q->in_stock && !(f->flags & SX_FC_IN_STOCK))
		return;
	bool fb = !r->fbrand || has_id(r->bgroups, r->nbg, sx_index_brand_group(r->ix, brand));
	bool fc = !r->fcolor || overlaps(colors, (int)ncolors, r->colors, r->ncol);
	/* NULL price or rating against a bound: NULL, which no filter keeps */
	bool fp = (q->price_min < 0 || (price >= 0 && price >= q->price_min)) &&
	          (q->price_max < 0 || (price >= 0 && price <= q->price_max));
	bool fr = q->rating_min <= 0 || (rating10 >= 0 && rating10 >= 10 * q->rating_min);
	if (fb && fc && fp && fr) {
		r->total++;
		cand x = {0};
		switch (q->sort) {
		case SEARCH_SORT_PRICE_ASC:
			x.k1 = price < 0 ? INT64_MAX : price;
			break;
		case SEARCH_SORT_PRICE_DESC:
			x.k1 = price < 0 ? INT64_MAX : -price;
			break;
		case SEARCH_SORT_RATING:
			x.k1 = rating10 < 0 ? INT64_MAX : -(int64_t)rating10;
			x.k2 = -(int64_t)sx_index_doc(r->ix, slot)->rating_count;
			break;
		case SEARCH_SORT_NEWEST:
			x.k1 = -sx_index_doc(r->ix, slot)->created_at;
			break;
		default:
			break;
		}
		if (text_rank && r->p->has_orq)
			x.r0 = first_rank(r, slot);
		x.sales_rank = sales_rank;
		x.slot = slot;
		x.id = -1;
		topk_add(&r->top, &x);
		if (q->facets)
			count_category(r, cat);
	}
	if (!q->facets)
		return;
	/* the buckets counted without branches: which one a match falls in
	 * is as good as random */
	if (fb && fc && fp && rating10 >= 0)
		for (int k = 0; k < 4; k++)
			r->ratings[k] += rating10 >= 10 * (4 - k);
	if (fb && fc && fr) {
		if (price < 0) {
			r->nullprice++;
		} else {
			int wb = 0; /* width_bucket: how many bounds are <= the price */
			for (int i = 0; i < r->nbounds; i++)
				wb += r->bounds[i] <= price;
			r->ivals[wb]++;
		}
	}
	if (fc && fp && fr) {
		if (r->brand_n[brand]++ == 0)
			r->brand_touched[r->nbrand_touched++] = brand;
	}
	if (fb && fp && fr)
		for (uint32_t i = 0; i < ncolors; i++)
			r->color_n[colors[i]]++;
}

/* ------------------------------------------------------------- facets */

typedef struct {
	const char *name;
	int64_t id, n;
	uint32_t group;
} fbucket;

/* ORDER BY count DESC, name (C collation), id */
static int fb_cmp_out(const void *x, const void *y)
{
	const fbucket *a = x, *b = y;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	int d = strcmp(a->name, b->name);
	if (d)
		return d;
	return (a->id > b->id) - (a->id < b->id);
}

/* The first SEARCH_MAX_FACET of v in fb_cmp_out order, at the front:
 * a bounded heap (the worst kept on top), so that 20,000 brands cost
 * 20,000 cheap comparisons rather than a sort of them all. */
static int top_buckets(fbucket *v, int n)
{
	int k = SEARCH_MAX_FACET;
	if (n > k) {
		for (int i = 0; i < n; i++) {
			int m = i < k ? i : k;
			if (i >= k) {
				if (fb_cmp_out(&v[i], &v[0]) >= 0)
					continue;
				v[0] = v[i];
				m = 0;
				for (;;) { /* sift the new top down */
					int l = 2 * m + 1, rr = l + 1, w = m;
					if (l < k && fb_cmp_out(&v[l], &v[w]) > 0)
						w = l;
					if (rr < k && fb_cmp_out(&v[rr], &v[w]) > 0)
						w = rr;
					if (w == m)
						break;
					fbucket t = v[m];
					v[m] = v[w];
					v[w] = t;
					m = w;
				}
				continue;
			}
			v[m] = v[i]; /* grow the heap: sift up */
			while (m > 0 && fb_cmp_out(&v[m], &v[(m - 1) / 2]) > 0) {
				fbucket t = v[m];
				v[m] = v[(m - 1) / 2];
				v[(m - 1) / 2] = t;
				m = (m - 1) / 2;
			}
		}
		n = k;
	}
	qsort(v, (size_t)n, sizeof(fbucket), fb_cmp_out);
	return n;
}

static int put_buckets(run *r, fbucket *v, int n, search_bucket **out, int *nout,
                       const str *sel, int nsel)
{
	n = top_buckets(v, n);
	*out = arena_alloc(r->c->a, sizeof(search_bucket) * (size_t)(n ? n : 1));
	if (!*out)
		return out_of_arena(r->c);
	for (int i = 0; i < n; i++) {
		const char *name = arena_strdup(r->c->a, v[i].name);
		if (!name)
			return out_of_arena(r->c);
		(*out)[i] = (search_bucket){name, v[i].id, v[i].n, sel && search_values_has(sel, nsel, name)};
	}
	*nout = n;
	return SOUK_OK;
}

static int facets(run *r, search_result *out)
{
	const sx_index *ix = r->ix;
	arena *a = r->c->a;
	const search_query *q = r->q;
	/* ratings: "4" .. "1" */
	static const char *const rnames[] = {"4", "3", "2", "1"};
	out->ratings = arena_alloc(a, sizeof(search_bucket) * 4);
	out->prices = arena_alloc(a, sizeof(search_price_bucket) * SEARCH_MAX_RANGES);
	if (!out->ratings || !out->prices)
		return out_of_arena(r->c);
	for (int k = 0; k < 4; k++)
		out->ratings[out->nratings++] =
			(search_bucket){rnames[k], 0, r->ratings[k], q->rating_min == 4 - k};
	/* prices: each range sums the elementary intervals inside it */
	const search_scope *sc = r->sc;
	int nr = sc->nranges < SEARCH_MAX_RANGES ? sc->nranges : SEARCH_MAX_RANGES;
	for (int i = 0; i < nr; i++) {
		int64_t l = sc->ranges[i].from, h = sc->ranges[i].to, n = 0;
		if (l < 0 && h < 0)
			n += r->nullprice;
		for (int wb = 0; wb <= r->nbounds; wb++) {
			if (l >= 0 && !(wb > 0 && r->bounds[wb - 1] >= l))
				continue;
			if (h >= 0 && !(wb < r->nbounds && r->bounds[wb] <= h))
				continue;
			n += r->ivals[wb];
		}
		out->prices[out->nprices++] =
			(search_price_bucket){sc->ranges[i].from, sc->ranges[i].to, sc->ranges[i].key, n};
	}
	/* brands: by lower(brand), shown as the smallest spelling counted
	 * (min(brand)); one slot per group, found through the group's id */
	uint32_t nt = r->nbrand_touched, ngroups = sx_index_nbrand_groups(ix);
	fbucket *bv = arena_alloc(a, sizeof(fbucket) * (nt ? nt : 1));
	uint32_t *at = arena_zalloc(a, sizeof(uint32_t) * (ngroups ? ngroups : 1));
	if (!bv || !at)
		return out_of_arena(r->c);
	int ng = 0;
	for (uint32_t i = 0; i < nt; i++) {
		uint32_t b = r->brand_touched[i], g = sx_index_brand_group(ix, b);
		const char *name = sx_index_brand_name(ix, b);
		if (!name || !name[0])
			continue; /* brand <> '' */
		uint32_t j = at[g]; /* the group's bucket + 1; 0: none yet */
		if (j) {
			bv[j - 1].n += r->brand_n[b];
			if (strcmp(name, bv[j - 1].name) < 0)
				bv[j - 1].name = name;
		} else {
			bv[ng++] = (fbucket){name, 0, r->brand_n[b], g};
			at[g] = (uint32_t)ng;
		}
	}
	if (put_buckets(r, bv, ng, &out->brands, &out->nbrands, q->brands, q->nbrands) < 0)
		return SOUK_ERR;
	/* colours */
	uint32_t nc = sx_index_ncolors(ix);
	fbucket *cv = arena_alloc(a, sizeof(fbucket) * (nc ? nc : 1));
	if (!cv)
		return out_of_arena(r->c);
	int ncv = 0;
	for (uint32_t i = 0; i < nc; i++)
		if (r->color_n[i])
			cv[ncv++] = (fbucket){sx_index_color_name(ix, i), 0, r->color_n[i], 0};
	if (put_buckets(r, cv, ncv, &out->colors, &out->ncolors, q->colors, q->ncolors) < 0)
		return SOUK_ERR;
	/* categories: the counts of each category go to its ancestor one
	 * level below the current category */
	uint32_t ncat = r->ncat_all;
	fbucket *kv = arena_alloc(a, sizeof(fbucket) * (ncat ? ncat : 1));
	if (!kv)
		return out_of_arena(r->c);
	int nk = 0, lvl = sc->depth + 1;
	for (uint32_t i = 0; i < ncat; i++) {
		const sx_category *cat = sx_index_category_at(ix, i);
		int64_t n;
		if (r->cat_dense)
			n = cat->id >= 0 && cat->id < r->cat_dense ? r->cat_n[cat->id] : 0;
		else {
			n = 0;
			int lo = 0, hi = (int)ncat;
			while (lo < hi) {
				int mid = lo + (hi - lo) / 2;
				if (r->cat_sorted[mid] < cat->id)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < (int)ncat && r->cat_sorted[lo] == cat->id)
				n = r->cat_n[lo];
		}
		if (n == 0 || lvl < 0 || cat->depth < lvl)
			continue;
		int64_t ch = cat->ancestors[lvl];
		int j;
		for (j = 0; j < nk && kv[j].id != ch; j++)
			;
		if (j == nk) {
			const sx_category *chc = sx_index_category(ix, ch);
			if (!chc)
				continue;
			kv[nk++] = (fbucket){chc->name, ch, 0, 0};
		}
		kv[j].n += n;
	}
	return put_buckets(r, kv, nk, &out->categories, &out->ncategories, NULL, 0);
}

/* --------------------------------------------------------------- score */

/* Lexemes of d with a position of weight A: length(ts_filter(d, '{a}')). */
static int title_len(const sx_doc *d)
{
	int n = 0;
	for (uint32_t i = 0, first = 0; i < d->nentries; i++) {
		uint32_t end = sx_doc_entry_end(d, i);
		for (uint32_t j = first; j < end; j++)
			if (SX_WEIGHT(sx_doc_pos(d, j)) == 3) {
				n++;
				break;
			}
		first = end;
	}
	return n;
}

/* S_SCORE, in the order and the types PostgreSQL computes it. */
static double score_of(const run *r, const sx_doc *d, const sx_tsq *tsq)
{
	const parsed *p = r->p;
	int all = p->has_andq && sx_tsq_match(d, &p->andq, SX_MASK_ALL) ? 1 : 0;
	double sum = 0;
	int na = -1;
	for (int i = 0; i < p->nterms; i++) {
		const sx_tsq *t = &p->terms[i];
		if (!sx_tsq_match(d, t, SX_MASK_ALL))
			continue;
		double f;
		if (sx_tsq_match(d, t, SX_MASK_A)) {
			if (na < 0)
				na = title_len(d);
			f = r->w14[0] * 2.2 / ((double)(160 + 4 * (int64_t)na) / 100.0);
			/* brand detection: the word names the product's brand too */
			if (sx_tsq_match(d, t, SX_MASK_B))
				f = f + r->w14[1] * 0.5;
		} else if (sx_tsq_match(d, t, SX_MASK_B)) {
			f = r->w14[1];
		} else {
			f = r->w14[2];
		}
		sum += p->idfs[i] * f;
	}
	double s = (double)(100 * all) + sum;
	s += (double)sx_rank_cd(r->w15, d, tsq, 1);
	int64_t nb = 0;
	for (int i = 0; i < p->nbigrams; i++)
		if (sx_tsq_match(d, &p->bigrams[i], SX_MASK_A))
			nb++;
	s += (double)nb;
	/* every wanted word in the title */
	int title_all = p->has_andq && sx_tsq_match(d, &p->andq, SX_MASK_A) ? 1 : 0;
	return s + (double)(2 * title_all);
}

/* --------------------------------------------------------- the pass */

static int parse_one(run *r, const char *text, sx_tsq *out, bool *has)
{
	if (has)
		*has = text != NULL;
	if (sx_tsq_parse(r->c->a, r->ix, text, out) < 0)
		return ctx_fail(r->c, 501, "unsupported", "the memory engine cannot parse '%s'",
		                text ? text : "");
	for (int i = 0; i < out->noperands; i++)
		if (out->operands[i]->prefix)
			return ctx_fail(r->c, 501, "unsupported", "prefix queries are not supported");
	return SOUK_OK;
}

static int parse_terms(run *r, const sx_terms *t, parsed *p)
{
	arena *a = r->c->a;
	memset(p, 0, sizeof(*p));
	if (parse_one(r, t->tsq, &p->tsq, NULL) < 0 ||
	    parse_one(r, t->andq, &p->andq, &p->has_andq) < 0 ||
	    parse_one(r, t->orq, &p->orq, &p->has_orq) < 0)
		return SOUK_ERR;
	p->terms = arena_alloc(a, sizeof(sx_tsq) * (size_t)(t->nterms + 1));
	p->bigrams = arena_alloc(a, sizeof(sx_tsq) * (size_t)(t->nbigrams + 1));
	if (!p->terms || !p->bigrams)
		return out_of_arena(r->c);
	for (int i = 0; i < t->nterms; i++)
		if (parse_one(r, t->terms[i], &p->terms[i], NULL) < 0)
			return SOUK_ERR;
	for (int i = 0; i < t->nbigrams; i++)
		if (parse_one(r, t->bigrams[i], &p->bigrams[i], NULL) < 0)
			return SOUK_ERR;
	p->nterms = t->nterms;
	p->nbigrams = t->nbigrams;
	p->idfs = t->idfs;
	return SOUK_OK;
}

static int setup_sigs(run *r, const sx_tsq *q)
{
	arena *a = r->c->a;
	int n = q->noperands;
	size_t m = (size_t)(n ? n : 1);
	r->op_cur = arena_zalloc(a, sizeof(*r->op_cur) * m);
	r->sigs = arena_zalloc(a, sizeof(*r->sigs) * m);
	if (!r->op_cur || !r->sigs)
		return out_of_arena(r->c);
	for (int i = 0; i < n; i++) {
		sx_lex l = q->operands[i]->lex;
		const sx_plist *pl = l == SX_NONE ? NULL : sx_index_plist(r->ix, l);
		if (!pl || !pl->sigs)
			continue; /* no posting or never in a title: signature 0 */
		r->op_cur[i] = arena_alloc(a, sizeof(sx_pcur));
		if (!r->op_cur[i])
			return out_of_arena(r->c);
		sx_pcur_init(r->op_cur[i], pl);
	}
	if (n <= 4) {
		r->memo_key = arena_alloc(a, sizeof(*r->memo_key) * SX_RANK_MEMO);
		r->memo_val = arena_alloc(a, sizeof(*r->memo_val) * SX_RANK_MEMO);
		if (!r->memo_key || !r->memo_val)
			return out_of_arena(r->c);
		memset(r->memo_key, 0xff, sizeof(*r->memo_key) * SX_RANK_MEMO);
	}
	r->nops = n;
	r->by_sigs = true;
	return SOUK_OK;
}

/* The lexeme whose posting list is q's whole match, or SX_NONE: a
 * query of one word, unrestricted to weights (a restriction checks
 * positions, which sx_tsq_match_all does). */
static sx_lex single_list(const sx_tsq *q)
{
	const sx_qnode *n = q->root;
	return n && n->op == SX_Q_VAL && !n->weights && !n->prefix ? n->lex : SX_NONE;
}

/* A one-word match, visited straight from its posting list: each block
 * decoded once, into the stack, with its signatures, which are the
 * word's first-pass rank when it is the only operand ranked (fed_op);
 * no copy of the list in the arena, no cursor decoding it a second
 * time. The next block is decoded before this one is visited, so that
 * the prefetch reaches across. Slots not live are skipped by visit,
 * as sx_tsq_match_all skips them. */
static void walk_list(run *r, sx_lex lex, bool rank)
{
	const sx_plist *pl = sx_index_plist(r->ix, lex);
	if (!pl || !pl->nb)
		return;
	r->fed_op = -1;
	for (int i = 0; r->by_sigs && i < r->nops; i++)
		if (r->p->orq.operands[i]->lex == lex)
			r->fed_op = i;
	sx_slot slot[2][SX_PB_MAX];
	uint16_t sig[2][SX_PB_MAX];
	bool need_sig = pl->sigs && r->fed_op >= 0;
	uint32_t n[2] = {sx_pblock_decode(&pl->b[0], slot[0], need_sig ? sig[0] : NULL), 0};
	for (uint32_t b = 0, cur = 0; b < pl->nb; b++, cur ^= 1) {
		uint32_t nxt = cur ^ 1;
		n[nxt] = b + 1 < pl->nb
		                 ? sx_pblock_decode(&pl->b[b + 1], slot[nxt], need_sig ? sig[nxt] : NULL)
		                 : 0;
		const sx_slot *v = slot[cur];
		for (uint32_t i = 0; i < n[cur]; i++) {
			uint32_t ahead = i + 32;
			if (ahead < n[cur])
				__builtin_prefetch(&r->fcols[v[ahead]]);
			else if (ahead - n[cur] < n[nxt])
				__builtin_prefetch(&r->fcols[slot[nxt][ahead - n[cur]]]);
			r->fed_sig = need_sig ? sig[cur][i] : 0;
			visit(r, v[i], rank);
		}
	}
	r->fed_op = -1;
}

static const char *dup_or_empty(arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

static int run_locked(run *r, const sx_terms *t, search_result *out)
{
	const search_query *q = r->q;
	arena *a = r->c->a;
	parsed p;
	if (t) {
		if (parse_terms(r, t, &p) < 0)
			return SOUK_ERR;
		r->p = &p;
	}
	if (setup_filters(r) < 0 || (q->facets && setup_counts(r) < 0))
		return SOUK_ERR;
	bool relevance = q->sort == SEARCH_SORT_RELEVANCE;
	int64_t want = q->offset + q->limit;
	/* search.c's CAND; none at all when no hit is wanted */
	int64_t k = t && relevance && want < SX_CANDIDATES ? SX_CANDIDATES : want;
	if (q->limit == 0)
		k = 0;
	r->top.k = (size_t)k;
	r->top.ix = r->ix;
	r->top.v = arena_alloc(a, sizeof(cand) * (size_t)(k ? k : 1));
	if (!r->top.v)
		return out_of_arena(r->c);
	bool rank = t && relevance && k > 0;
	if (rank && p.has_orq && !sx_search_doc_rank && sx_rank_by_sigs(&p.orq) &&
	    setup_sigs(r, &p.orq) < 0)
		return SOUK_ERR;
	if (t) {
		sx_lex one = rank && !r->by_sigs ? SX_NONE : single_list(&p.tsq);
		if (one != SX_NONE) {
			walk_list(r, one, rank);
		} else if (t->tsq) {
			sx_slot *slots;
			uint32_t n;
			if (sx_tsq_match_all(a, r->ix, &p.tsq, &slots, &n) < 0)
				return out_of_arena(r->c);
			for (uint32_t i = 0; i < n; i++) {
				prefetch(r, slots, n, i, rank);
				visit(r, slots[i], rank);
			}
		}
	} else if (r->cat_in) {
		/* A category listing: the category column picks the slots (4
		 * bytes each, in order), only those documents are read. */
		uint32_t n = sx_index_nslots(r->ix), m = 0;
		const uint32_t *col = sx_index_cat_col(r->ix);
		sx_slot *slots = arena_alloc(a, sizeof(sx_slot) * (n ? n : 1));
		if (!slots)
			return out_of_arena(r->c);
		/* without a branch: a department holds a quarter of the
		 * catalog, a branch on it is mispredicted at every other slot;
		 * values past cat_in_n (SX_COL_DEAD among them) read its
		 * sentinel, 0 */
		const uint8_t *in = r->cat_in;
		uint32_t lim = (uint32_t)r->cat_in_n;
		for (uint32_t s = 0; s < n; s++) {
			uint32_t v = col[s];
			slots[m] = s;
			m += (uint32_t)(in[v < lim ? v : lim] | (v == SX_COL_BIG));
		}
		for (uint32_t i = 0; i < m; i++) {
			prefetch(r, slots, m, i, false);
			visit(r, slots[i], false);
		}
	} else {
		uint32_t n = sx_index_nslots(r->ix);
		for (uint32_t s = 0; s < n; s++) {
			prefetch(r, NULL, n, s, false);
			visit(r, s, false);
		}
	}
	out->total = r->total;
	if (q->facets && facets(r, out) < 0)
		return SOUK_ERR;

	/* hits: the candidates in S_SORT, r0, sales_rank, id order; for
	 * relevance each gets the full score and they are ordered by it */
	size_t nc = r->top.n;
	cand *cv = r->top.v;
	/* the candidates' ids: their documents' first bytes, asked for
	 * all at once so that the misses overlap */
	for (size_t i = 0; i < nc; i++)
		if (cv[i].id < 0)
			__builtin_prefetch(sx_index_doc(r->ix, cv[i].slot));
	for (size_t i = 0; i < nc; i++)
		cand_id(&r->top, &cv[i]);
	qsort(cv, nc, sizeof(cand), cand_qcmp);
	if (rank && q->limit > 0 && (int64_t)nc > q->offset) {
		for (size_t i = 0; i < nc; i++) {
			/* the score reads each candidate's entries by binary
			 * searches: ask for the next ones' while this one is scored */
			if (i + 4 < nc)
				sx_doc_prefetch_entries(sx_index_doc(r->ix, cv[i + 4].slot));
			cv[i].score = score_of(r, sx_index_doc(r->ix, cv[i].slot), &p.tsq);
		}
		qsort(cv, nc, sizeof(cand), score_qcmp);
	}
	out->hits = arena_alloc(a, sizeof(search_hit) * (size_t)(q->limit ? q->limit : 1));
	if (!out->hits)
		return out_of_arena(r->c);
	for (int64_t i = q->offset; i < (int64_t)nc && i < want; i++) {
		const sx_doc *d = sx_index_doc(r->ix, cv[i].slot);
		search_hit *h = &out->hits[out->nhits++];
		memset(h, 0, sizeof(*h));
		h->id = d->id;
		h->ref = dup_or_empty(a, d->ref);
		h->title = dup_or_empty(a, d->title);
		h->brand = dup_or_empty(a, sx_index_brand_name(r->ix, d->brand));
		h->image = dup_or_empty(a, d->image);
		if (!h->ref || !h->title || !h->brand || !h->image)
			return out_of_arena(r->c);
		h->price = d->price < 0 ? -1 : d->price;
		h->rating = d->rating10 < 0 ? 0 : d->rating10 / 10.0;
		h->rating_count = d->rating_count;
		h->in_stock = d->in_stock;
		h->sales_rank = d->sales_rank;
		h->score = rank ? cv[i].score : 0;
	}
	return SOUK_OK;
}

int sx_search_run_terms(ctx *c, sx_index *ix, const search_query *q, const search_scope *sc,
                        const sx_terms *t, search_result *out)
{
	memset(out, 0, sizeof(*out));
	if (sc->no_match)
		return SOUK_OK;
	run *r = arena_zalloc(c->a, sizeof(run));
	if (!r)
		return out_of_arena(c);
	r->c = c;
	r->fed_op = -1;
	r->ix = ix;
	r->q = q;
	r->sc = sc;
	/* The weights as the SQL engine passes them: printed with six
	 * decimals, read back as float8 ($14) and float4 ($15, in ts_rank's
	 * order D, C, B, A, scaled into [0, 1]). */
	char num[64];
	const double w[3] = {q->w.title, q->w.brand, q->w.description};
	for (int i = 0; i < 3; i++) {
		snprintf(num, sizeof(num), "%.6f", w[i]);
		r->w14[i] = strtod(num, NULL);
	}
	double mx = fmax(q->w.title, fmax(q->w.brand, q->w.description));
	r->w15[0] = 0;
	for (int i = 0; i < 3; i++) {
		snprintf(num, sizeof(num), "%.6f", w[2 - i] / mx);
		r->w15[i + 1] = strtof(num, NULL);
	}
	sx_index_rdlock(ix);
	r->fcols = sx_index_fcols(ix);
	int rc = run_locked(r, t, out);
	sx_index_unlock(ix);
	return rc;
}

static int sx_run_once(ctx *c, void *self, const search_query *q, const search_scope *sc,
                       const char *text, int relaxed, search_result *out)
{
	memset(out, 0, sizeof(*out));
	if (sc->no_match)
		return SOUK_OK;
	if (!text)
		return sx_search_run_terms(c, self, q, sc, NULL, out);
	sx_terms t;
	if (sx_parse_text(c, text, relaxed, &t) < 0)
		return SOUK_ERR;
	return sx_search_run_terms(c, self, q, sc, &t, out);
}

void sx_search_engine(sx_index *ix, search_engine *out)
{
	memset(out, 0, sizeof(*out));
	out->name = "memory";
	out->self = ix;
	out->resolve = sx_resolve;
	out->run_once = sx_run_once;
}
