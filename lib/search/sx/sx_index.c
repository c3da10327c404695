/* sx_index: the in-memory catalog's structures, lookups and document puts. */
#include "search/sx/sx_index_int.h"

#include <locale.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* Allocation failure aborts (as in Redis): the daemon cannot serve with
 * half an index, and call sites stay readable. */
static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		abort();
	return q;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort();
	return p;
}

/* Grows *p (elements of size) to hold at least need, doubling. */
static void grow(void *pp, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	*(void **)pp = xrealloc(*(void **)pp, c * size);
	*cap = c;
}

/* ---- dictionaries ---- */

/* Eight bytes at a time, then MurmurHash3's finalizer so that both the
 * low bits (the slot) and the high 32 (the tag) depend on every byte:
 * the load hashes ninety million lexemes, and FNV-1a's one multiply per
 * byte, each waiting for the last, was a sixth of the lookup's time.
 * Only this process reads the hashes: the byte order does not matter. */
#define HASH_SEED 0x9e3779b97f4a7c15ull

/* The last step: the tail's bytes (the low ones, little-endian) mixed in. */
static inline uint64_t hash_finish(uint64_t h, uint64_t tail)
{
	h ^= tail;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* The n bytes at s, avail >= n of them readable: the tail in one load
 * when eight bytes are there to read. */
static inline uint64_t hash_bytes_avail(const char *s, size_t n, size_t avail)
{
	uint64_t h = HASH_SEED ^ n, w;
	for (; n >= 8; s += 8, n -= 8, avail -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	if (n && avail >= 8) {
		memcpy(&w, s, 8);
		w &= ~0ull >> (64 - 8 * n);
	} else {
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	}
	return hash_finish(h, w);
}
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "hash_bytes_avail: the tail is the low bytes");

static uint64_t hash_bytes(const char *s, size_t n)
{
	return hash_bytes_avail(s, n, n);
}

/* The lookup with the name's hash already computed (dict_hash). */
static uint32_t dict_find_hashed(const sx_dict *d, const char *s, size_t len, uint64_t h)
{
	if (!d->cap)
		return SX_NONE;
	uint32_t mask = d->cap - 1;
	uint64_t tag = h & 0xffffffff00000000ull;
	for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		uint64_t v = d->slots[i];
		if (!v)
			return SX_NONE;
		uint32_t id = (uint32_t)v - 1;
		if ((v & 0xffffffff00000000ull) == tag && d->lens[id] == len &&
		    memcmp(d->names[id], s, len) == 0)
			return id;
	}
}

uint32_t sx_dict_find(const sx_dict *d, const char *s, size_t len)
{
	return dict_find_hashed(d, s, len, hash_bytes(s, len));
}

static void dict_place(sx_dict *d, uint32_t id)
{
	uint64_t h = hash_bytes(d->names[id], d->lens[id]);
	uint32_t i = (uint32_t)h & (d->cap - 1);
	while (d->slots[i])
		i = (i + 1) & (d->cap - 1);
	d->slots[i] = (h & 0xffffffff00000000ull) | ((uint64_t)id + 1);
}

static void dict_rehash(sx_dict *d, uint32_t cap)
{
	free(d->slots);
	d->slots = xcalloc(cap, sizeof(*d->slots));
	d->cap = cap;
	for (uint32_t id = 0; id < d->n; id++)
		dict_place(d, id);
}

static uint32_t dict_add_hashed(sx_dict *d, sx_pool *p, const char *s, size_t len, uint64_t h,
                                bool *added)
{
	uint32_t id = dict_find_hashed(d, s, len, h);
	if (added)
		*added = id == SX_NONE;
	if (id != SX_NONE)
		return id;
	if ((size_t)(d->n + 1) * 2 > d->cap)
		dict_rehash(d, d->cap ? d->cap * 2 : 64);
	size_t ncap = d->ncap;
	grow(&d->names, &ncap, (size_t)d->n + 1, sizeof(*d->names));
	ncap = d->ncap;
	grow(&d->lens, &ncap, (size_t)d->n + 1, sizeof(*d->lens));
	d->ncap = (uint32_t)ncap;
	id = d->n++;
	d->names[id] = sx_pool_strndup(p, s, len);
	d->lens[id] = (uint32_t)len;
	dict_place(d, id);
	return id;
}

uint32_t sx_dict_add(sx_dict *d, sx_pool *p, const char *s, size_t len, bool *added)
{
	return dict_add_hashed(d, p, s, len, hash_bytes(s, len), added);
}

void sx_dict_free(sx_dict *d)
{
	free(d->slots);
	free(d->names);
	free(d->lens);
	memset(d, 0, sizeof(*d));
}

static size_t dict_bytes(const sx_dict *d)
{
	return (size_t)d->cap * sizeof(*d->slots) +
	       (size_t)d->ncap * (sizeof(*d->names) + sizeof(*d->lens));
}

/* ---- categories ---- */

sx_cats *sx_cats_new(void)
{
	return xcalloc(1, sizeof(sx_cats));
}

void sx_cats_free(sx_cats *cs)
{
	if (!cs)
		return;
	sx_pool_free(&cs->pool);
	free(cs->cats);
	free(cs->by_slug);
	free(cs);
}

static int cat_by_id(const void *a, const void *b)
{
	int64_t x = ((const sx_category *)a)->id, y = ((const sx_category *)b)->id;
	return (x > y) - (x < y);
}

static const sx_category *cats_find(const sx_cats *cs, int64_t id)
{
	sx_category key = {.id = id};
	return cs && cs->n ? bsearch(&key, cs->cats, cs->n, sizeof(key), cat_by_id) : NULL;
}

int sx_cats_add(sx_cats *cs, int64_t id, int64_t parent_id, const char *name,
                const char *slug, const char *path)
{
	/* The path's ids, root first; the last one must be the category. */
	int64_t ids[64];
	int n = 0;
	for (const char *p = path; *p;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		if (n == (int)(sizeof(ids) / sizeof(ids[0])) ||
		    str_to_i64((str){p, len}, 1, INT64_MAX, &ids[n]) < 0)
			return -1;
		n++;
		p += len + (dot ? 1 : 0);
		if (dot && !*p)
			return -1;
	}
	if (n == 0 || ids[n - 1] != id)
		return -1;
	sx_category *c = (sx_category *)cats_find(cs, id);
	if (!c) {
		size_t cap = cs->cap;
		grow(&cs->cats, &cap, (size_t)cs->n + 1, sizeof(*cs->cats));
		cs->cap = (uint32_t)cap;
		c = &cs->cats[cs->n++];
		cs->sorted = false;
	}
	int64_t *anc = sx_pool_alloc(&cs->pool, (size_t)n * sizeof(int64_t), _Alignof(int64_t));
	memcpy(anc, ids, (size_t)n * sizeof(int64_t));
	*c = (sx_category){
		.id = id,
		.parent_id = parent_id,
		.name = sx_pool_strndup(&cs->pool, name, strlen(name)),
		.slug = sx_pool_strndup(&cs->pool, slug, strlen(slug)),
		.path = sx_pool_strndup(&cs->pool, path, strlen(path)),
		.depth = n - 1,
		.ancestors = anc,
	};
	return 0;
}

/* search_category_slug's order: slug, then shallowest, then id. */
static int cat_by_slug(const void *a, const void *b, void *arg)
{
	const sx_category *cats = arg;
	const sx_category *x = &cats[*(const uint32_t *)a], *y = &cats[*(const uint32_t *)b];
	int r = strcmp(x->slug, y->slug);
	if (r)
		return r;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

void sx_cats_finish(sx_cats *cs)
{
	if (cs->n)
		qsort(cs->cats, cs->n, sizeof(*cs->cats), cat_by_id);
	free(cs->by_slug);
	cs->by_slug = xcalloc(cs->n, sizeof(uint32_t));
	for (uint32_t i = 0; i < cs->n; i++)
		cs->by_slug[i] = i;
	if (cs->n)
		qsort_r(cs->by_slug, cs->n, sizeof(uint32_t), cat_by_slug, cs->cats);
	cs->sorted = true;
}

/* ---- data ---- */

sx_data *sx_data_new(void)
{
	sx_data *d = xcalloc(1, sizeof(*d));
	d->cats = sx_cats_new();
	return d;
}

void sx_data_free(sx_data *d)
{
	if (!d)
		return;
	/* the blocks go back with the slab, whole */
	for (uint32_t l = 0; l < d->lex.n; l++)
		sx_plist_drop(&d->post[l]);
	free(d->post);
	sx_slab_release(&d->post_slab);
	sx_dict_free(&d->lex);
	sx_dict_free(&d->brands);
	sx_dict_free(&d->groups);
	sx_dict_free(&d->colors);
	sx_dict_free(&d->sizes);
	free(d->brand_group);
	sx_map_free(d->docs, (size_t)d->cap * sizeof(*d->docs));
	sx_map_free(d->xids, (size_t)d->cap * sizeof(*d->xids));
	sx_map_free(d->vers, (size_t)d->cap * sizeof(*d->vers));
	sx_map_free(d->cat_col, (size_t)d->cap * sizeof(*d->cat_col));
	sx_map_free(d->fcols, (size_t)d->cap * sizeof(*d->fcols));
	sx_map_free(d->id_keys, (size_t)d->id_cap * sizeof(*d->id_keys));
	sx_map_free(d->id_vals, (size_t)d->id_cap * sizeof(*d->id_vals));
	sx_cats_free(d->cats);
	sx_parsed_free(&d->s_doc);
	free(d->s_ids);
	free(d->s_keys);
	free(d->s_sorted);
	free(d->s_lex);
	free(d->s_npos);
	free(d->s_pos);
	sx_pool_free(&d->pool);
	sx_pool_free(&d->names);
	free(d);
	/* An index replaced by a load leaves its posting blocks' memory
	 * free inside the malloc arenas (the new index was built while it
	 * was still in use, so nothing reused it): without this, every
	 * reload kept the old postings resident (souk-searchd at 1M: RSS
	 * 1,117 MB after the first reload by the refresh thread, 1,263 MB
	 * after the second, 987 MB after a load at start). */
	malloc_trim(0);
}

static uint32_t id_hash(int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(x >> 32);
}

static uint32_t id_find(const sx_data *d, int64_t id)
{
	if (!d->id_cap)
		return SX_NONE;
	uint32_t mask = d->id_cap - 1;
	for (uint32_t i = id_hash(id) & mask;; i = (i + 1) & mask) {
		if (!d->id_vals[i])
			return SX_NONE;
		if (d->id_keys[i] == id)
			return d->id_vals[i] - 1;
	}
}

static void id_insert(sx_data *d, int64_t id, uint32_t slot)
{
	if ((size_t)(d->id_n + 1) * 2 > d->id_cap) {
		uint32_t ocap = d->id_cap, cap = ocap ? ocap * 2 : 1024;
		int64_t *ok = d->id_keys;
		uint32_t *ov = d->id_vals;
		d->id_keys = sx_map_resize(NULL, 0, (size_t)cap * sizeof(*d->id_keys));
		d->id_vals = sx_map_resize(NULL, 0, (size_t)cap * sizeof(*d->id_vals));
		d->id_cap = cap;
		d->id_n = 0;
		for (uint32_t i = 0; i < ocap; i++)
			if (ov[i])
				id_insert(d, ok[i], ov[i] - 1);
		sx_map_free(ok, (size_t)ocap * sizeof(*ok));
		sx_map_free(ov, (size_t)ocap * sizeof(*ov));
	}
	uint32_t mask = d->id_cap - 1, i = id_hash(id) & mask;
	while (d->id_vals[i])
		i = (i + 1) & mask;
	d->id_keys[i] = id;
	d->id_vals[i] = slot + 1;
	d->id_n++;
}

/* A document's signature for one of its entries (sx_index.h). */
uint16_t sx_entry_sig(const sx_doc *d, const sx_entry *e)
{
	unsigned n = 0, bits = 0;
	for (uint32_t k = 0; k < e->npos; k++) {
		unsigned w = SX_WEIGHT(sx_doc_pos(d, e->first + k));
		if (w < 2)
			continue;
		if (n == 12)
			return SX_SIG_MORE;
		bits |= (w == 3 ? 1u : 0u) << n;
		n++;
	}
	return n ? (uint16_t)(n << 12 | bits) : 0;
}

/* One parsed lexeme of a tsvector, before it has an id. */
struct sx_tmp_entry {
	uint64_t hash;       /* of the name (hash_bytes), taken while parsing */
	uint32_t text, len;  /* the name, from the sx_parsed's base */
	uint32_t pos, npos;  /* in its pos */
	sx_lex lex;
};

/* Sorts keys ascending: a document's (lexeme id, index) pairs, a
 * hundred or so per product and a million products per load, where
 * qsort's indirect comparisons cost a third of the load's CPU. */
static void sort_u64(uint64_t *k, size_t n)
{
	while (n > 16) {
		uint64_t a = k[0], b = k[n / 2], c = k[n - 1];
		uint64_t pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = 0, j = n - 1;
		for (;;) {
			while (k[i] < pivot)
				i++;
			while (k[j] > pivot)
				j--;
			if (i >= j)
				break;
			uint64_t t = k[i];
			k[i++] = k[j];
			k[j--] = t;
		}
		/* recurse into the smaller half, loop on the larger */
		size_t left = j + 1;
		if (left < n - left) {
			sort_u64(k, left);
			k += left;
			n -= left;
		} else {
			sort_u64(k + left, n - left);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t v = k[i];
		size_t j = i;
		for (; j > 0 && k[j - 1] > v; j--)
			k[j] = k[j - 1];
		k[j] = v;
	}
}

/* Sorts a document's keys (lexeme id << 32 | entry index, built in
 * index order) by lexeme id: a stable radix sort on the id's bytes,
 * skipping bytes every key shares, so the index order within an id is
 * kept and no comparison branches (sort_u64's mispredicted compares were
 * an eighth of the 1M load's CPU). Short documents take sort_u64. The
 * sorted keys are in *k on return (swapped with *tmp as needed). */
static void sort_by_lexeme(uint64_t **k, uint64_t **tmp, size_t n)
{
	if (n < 32) {
		sort_u64(*k, n);
		return;
	}
	uint32_t count[4][256];
	memset(count, 0, sizeof(count));
	const uint64_t *a = *k;
	for (size_t i = 0; i < n; i++) {
		uint32_t lex = (uint32_t)(a[i] >> 32);
		count[0][lex & 0xff]++;
		count[1][lex >> 8 & 0xff]++;
		count[2][lex >> 16 & 0xff]++;
		count[3][lex >> 24]++;
	}
	for (unsigned b = 0; b < 4; b++) {
		unsigned shift = 32 + 8 * b;
		if (count[b][(*k)[0] >> shift & 0xff] == n)
			continue; /* every key has this byte: nothing moves */
		size_t at = 0;
		for (unsigned v = 0; v < 256; v++) {
			size_t c = count[b][v];
			count[b][v] = (uint32_t)at;
			at += c;
		}
		const uint64_t *src = *k;
		uint64_t *dst = *tmp;
		for (size_t i = 0; i < n; i++)
			dst[count[b][src[i] >> shift & 0xff]++] = src[i];
		*tmp = *k;
		*k = dst;
	}
}

/* The lexicon ids of a document's entries (new lexemes added). The
 * lexicon's table (1 MB at 38,000 lexemes) and its names miss the cache
 * on most of the million documents' ninety million lookups: the entries
 * are hashed and their slots prefetched first, then the matching ids'
 * names, so that a document's misses overlap instead of following one
 * another. */
static void lexemes_lookup(sx_data *d, const sx_parsed *ps, long nent)
{
	sx_dict *lx = &d->lex;
	const struct sx_tmp_entry *ent = ps->ent;
	if (lx->cap) {
		uint32_t mask = lx->cap - 1;
		for (long i = 0; i < nent; i++)
			__builtin_prefetch(&lx->slots[(uint32_t)ent[i].hash & mask]);
		/* the first probe's id, when its hash agrees (most do) */
		for (long i = 0; i < nent; i++) {
			uint64_t v = lx->slots[(uint32_t)ent[i].hash & mask];
			if (v && (v & 0xffffffff00000000ull) == (ent[i].hash & 0xffffffff00000000ull)) {
				__builtin_prefetch(&lx->names[(uint32_t)v - 1]);
				__builtin_prefetch(&lx->lens[(uint32_t)v - 1]);
			}
		}
		for (long i = 0; i < nent; i++) {
			uint64_t v = lx->slots[(uint32_t)ent[i].hash & mask];
			if (v && (v & 0xffffffff00000000ull) == (ent[i].hash & 0xffffffff00000000ull))
				__builtin_prefetch(lx->names[(uint32_t)v - 1]);
		}
	}
	for (long i = 0; i < nent; i++) {
		struct sx_tmp_entry *e = &ps->ent[i];
		e->lex = dict_add_hashed(lx, &d->names, ps->base + e->text, e->len, e->hash, NULL);
	}
}

/* Parses tsvector text as PostgreSQL prints it ('lexeme':1A,2 ...; ''
 * and \ escape inside quotes; a position's weight letter absent for D)
 * into the scratch arrays. The number of lexemes, or -1 when malformed. */
static long parse_tsvector(sx_parsed *d, const char *s, size_t n)
{
	size_t i = 0, ntext = 0, nent = 0, npos = 0;
	for (;;) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		if (s[i++] != '\'')
			return -1;
		size_t start = ntext;
		for (;;) {
			if (i == n)
				return -1;
			char ch = s[i++];
			if (ch == '\\') {
				if (i == n)
					return -1;
				ch = s[i++];
			} else if (ch == '\'') {
				if (i < n && s[i] == '\'')
					i++;
				else
					break;
			}
			grow(&d->text, &d->text_cap, ntext + 1, 1);
			d->text[ntext++] = ch;
		}
		if (ntext == start)
			return -1; /* PostgreSQL has no empty lexeme */
		if (ntext > UINT32_MAX || npos > UINT32_MAX)
			return -1; /* past what a tsvector holds (1 GB) */
		grow(&d->ent, &d->ent_cap, nent + 1, sizeof(*d->ent));
		struct sx_tmp_entry *e = &d->ent[nent++];
		*e = (struct sx_tmp_entry){.hash = hash_bytes(d->text + start, ntext - start),
		                           .text = (uint32_t)start,
		                           .len = (uint32_t)(ntext - start),
		                           .pos = (uint32_t)npos};
		if (i < n && s[i] == ':') {
			do {
				i++;
				uint32_t p = 0;
				size_t digits = 0;
				while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 6) {
					p = p * 10 + (uint32_t)(s[i++] - '0');
					digits++;
				}
				if (!digits || p < 1 || p > 0x3fff)
					return -1;
				unsigned w = 0;
				if (i < n && ((s[i] >= 'A' && s[i] <= 'D') || (s[i] >= 'a' && s[i] <= 'd'))) {
					w = 3 - (unsigned)((s[i] | 0x20) - 'a');
					i++;
				}
				if (e->npos == UINT16_MAX)
					return -1;
				grow(&d->pos, &d->pos_cap, npos + 1, sizeof(*d->pos));
				d->pos[npos++] = (uint16_t)(w << 14 | p);
				e->npos++;
			} while (i < n && s[i] == ',');
		}
		if (i < n && s[i] != ' ')
			return -1;
	}
	d->base = d->text;
	return (long)nent;
}

static uint32_t rd32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static uint16_t rd16(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint16_t)(u[0] << 8 | u[1]);
}

/* The NUL-terminated name at s (n bytes left): its length (n when
 * there is no NUL) and its hash_bytes. A lexeme is seven bytes on
 * average, so most take one 8-byte load for both (the zero-byte test
 * of "Bit Twiddling Hacks": the lowest flagged byte is the first
 * zero), not a memchr, a copy and a hash loop each, ninety million
 * times a load. */
static uint64_t name_hash(const char *s, size_t n, size_t *len)
{
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t z = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
		if (z) {
			i += (size_t)(__builtin_ctzll(z) >> 3);
			*len = i;
			if (i < 8) /* the whole name in w */
				return hash_finish(HASH_SEED ^ i, i ? w & (~0ull >> (64 - 8 * i)) : 0);
			return hash_bytes_avail(s, i, n);
		}
	}
	while (i < n && s[i])
		i++;
	*len = i;
	return i < n ? hash_bytes(s, i) : 0;
}

/* tsvector's send format (tsvectorsend): uint32 count, then per lexeme
 * its bytes, a NUL, uint16 npos and npos raw WordEntryPos. Into the
 * scratch arrays, as parse_tsvector; the names are not copied: the
 * entries point into s (base), which must outlive the put. */
static long parse_tsvector_binary(sx_parsed *d, const char *s, size_t n)
{
	if (n < 4 || n > UINT32_MAX)
		return -1;
	uint32_t count = rd32(s);
	size_t i = 4, npos = 0;
	if (count > n)
		return -1;
	grow(&d->ent, &d->ent_cap, count, sizeof(*d->ent));
	d->base = s;
	for (uint32_t k = 0; k < count; k++) {
		size_t len;
		uint64_t h = name_hash(s + i, n - i, &len);
		if (len == 0 || len == n - i)
			return -1; /* empty, or no NUL */
		d->ent[k] = (struct sx_tmp_entry){.hash = h,
		                                  .text = (uint32_t)i,
		                                  .len = (uint32_t)len,
		                                  .pos = (uint32_t)npos};
		i += len + 1;
		if (n - i < 2)
			return -1;
		uint16_t np = rd16(s + i);
		i += 2;
		if ((n - i) / 2 < np)
			return -1;
		d->ent[k].npos = np;
		grow(&d->pos, &d->pos_cap, npos + np, sizeof(*d->pos));
		for (uint16_t j = 0; j < np; j++, i += 2)
			d->pos[npos++] = rd16(s + i);
	}
	return i == n ? (long)count : -1;
}

/* Interns values (colours or sizes) into ascending distinct ids in the pool. */
static const uint32_t *intern_values(sx_data *d, sx_dict *dict, const char *const *v,
                                     const size_t *lens, int n, uint16_t *count)
{
	size_t m = 0;
	for (int i = 0; i < n && m < UINT16_MAX; i++) {
		grow(&d->s_ids, &d->s_ids_cap, m + 1, sizeof(*d->s_ids));
		d->s_ids[m++] = sx_dict_add(dict, &d->names, v[i], lens ? lens[i] : strlen(v[i]), NULL);
	}
	/* insertion sort: a product has a handful of colours and sizes */
	for (size_t i = 1; i < m; i++)
		for (size_t j = i; j > 0 && d->s_ids[j - 1] > d->s_ids[j]; j--) {
			uint32_t t = d->s_ids[j];
			d->s_ids[j] = d->s_ids[j - 1];
			d->s_ids[j - 1] = t;
		}
	size_t k = 0;
	for (size_t i = 0; i < m; i++)
		if (!k || d->s_ids[k - 1] != d->s_ids[i])
			d->s_ids[k++] = d->s_ids[i];
	*count = (uint16_t)k;
	uint32_t *out = sx_pool_alloc(&d->pool, k * sizeof(uint32_t), _Alignof(uint32_t));
	if (k)
		memcpy(out, d->s_ids, k * sizeof(uint32_t));
	return out;
}

void sx_row_parse(const sx_row *r, sx_parsed *p)
{
	p->nent = r->doc_binary ? parse_tsvector_binary(p, r->doc, r->doc_len)
	                        : parse_tsvector(p, r->doc, r->doc_len);
}

void sx_parsed_free(sx_parsed *p)
{
	free(p->text);
	free(p->ent);
	free(p->pos);
	memset(p, 0, sizeof(*p));
}

/* The match loop's columns of a document (sx_fcol). */
_Static_assert(sizeof(sx_fcol) == 16, "sx_fcol: four to a cache line");
static sx_fcol fcol_of(const sx_doc *doc)
{
	sx_fcol f = {.price = -1};
	f.flags = (uint8_t)((doc->live ? SX_FC_LIVE : 0) | (doc->in_stock ? SX_FC_IN_STOCK : 0));
	bool fits = doc->price < INT32_MAX && doc->brand < UINT16_MAX && doc->rating10 <= INT8_MAX &&
	            doc->category_id >= 0 && doc->category_id < UINT16_MAX && doc->ncolors <= 1 &&
	            (doc->ncolors == 0 || doc->colors[0] < UINT16_MAX);
	if (!fits) {
		f.flags |= SX_FC_DOC;
		return f;
	}
	f.price = doc->price < 0 ? -1 : (int32_t)doc->price;
	f.sales_rank = doc->sales_rank;
	f.brand = (uint16_t)doc->brand;
	f.category = (uint16_t)doc->category_id;
	f.rating10 = doc->rating10 < 0 ? -1 : (int8_t)doc->rating10;
	if (doc->ncolors) {
		f.flags |= SX_FC_COLOR;
		f.color = (uint16_t)doc->colors[0];
	}
	return f;
}

long sx_data_put(sx_data *d, const sx_row *r)
{
	sx_row_parse(r, &d->s_doc);
	return sx_data_put_parsed(d, r, &d->s_doc);
}

/* Room for need slots in every per-slot array, doubling (mapped:
 * sx_map_resize). */
static void slots_grow(sx_data *d, size_t need)
{
	if (need <= d->cap)
		return;
	size_t o = d->cap, cap = o ? o : 16;
	while (cap < need)
		cap *= 2;
	d->docs = sx_map_resize(d->docs, o * sizeof(*d->docs), cap * sizeof(*d->docs));
	d->xids = sx_map_resize(d->xids, o * sizeof(*d->xids), cap * sizeof(*d->xids));
	d->vers = sx_map_resize(d->vers, o * sizeof(*d->vers), cap * sizeof(*d->vers));
	d->cat_col = sx_map_resize(d->cat_col, o * sizeof(*d->cat_col), cap * sizeof(*d->cat_col));
	d->fcols = sx_map_resize(d->fcols, o * sizeof(*d->fcols), cap * sizeof(*d->fcols));
	/* the slots: read at random by every search */
	sx_advise_huge(d->docs, cap * sizeof(*d->docs));
	d->cap = (uint32_t)cap;
}

long sx_data_put_parsed(sx_data *d, const sx_row *r, const sx_parsed *ps)
{
	const sx_doc *cols = &r->cols;
	long nent = ps->nent;
	if (nent < 0)
		return -1;
	lexemes_lookup(d, ps, nent);
	if (d->lex.n > d->post_cap) {
		size_t cap = d->post_cap, old = cap;
		grow(&d->post, &cap, d->lex.n, sizeof(*d->post));
		memset(d->post + old, 0, (cap - old) * sizeof(*d->post));
		for (size_t l = old; l < cap; l++)
			d->post[l].slab = &d->post_slab;
		d->post_cap = (uint32_t)cap;
	}
	/* each entry's df below misses the cache (38,000 lists of 32 bytes):
	 * asked for now, they arrive while the entries are sorted and packed */
	for (long i = 0; i < nent; i++)
		__builtin_prefetch(&d->post[ps->ent[i].lex].df, 1);
	grow(&d->s_keys, &d->s_keys_cap, (size_t)nent, sizeof(*d->s_keys));
	grow(&d->s_sorted, &d->s_sorted_cap, (size_t)nent, sizeof(*d->s_sorted));
	uint64_t *keys = d->s_keys, *tmp = d->s_sorted;
	for (long i = 0; i < nent; i++)
		keys[i] = (uint64_t)ps->ent[i].lex << 32 | (uint64_t)i;
	sort_by_lexeme(&keys, &tmp, (size_t)nent);
	for (long i = 1; i < nent; i++)
		if (keys[i] >> 32 == keys[i - 1] >> 32)
			return -1; /* PostgreSQL prints each lexeme once */

	sx_doc doc = *cols;
	size_t npos = 0;
	for (long i = 0; i < nent; i++)
		npos += ps->ent[i].npos;
	if (npos > UINT32_MAX)
		return -1; /* more than sx_entries' ends count */
	/* the entries in lexeme order and their positions in the same
	 * order, packed (sx_entries.h) */
	grow(&d->s_lex, &d->s_lex_cap, (size_t)nent, sizeof(*d->s_lex));
	grow(&d->s_npos, &d->s_npos_cap, (size_t)nent, sizeof(*d->s_npos));
	grow(&d->s_pos, &d->s_pos_cap, npos, sizeof(*d->s_pos));
	uint16_t *pos = d->s_pos;
	size_t at = 0;
	for (long i = 0; i < nent; i++) {
		const struct sx_tmp_entry *e = &ps->ent[(uint32_t)keys[i]];
		d->s_lex[i] = e->lex;
		d->s_npos[i] = e->npos;
		if (e->npos)
			memcpy(pos + at, ps->pos + e->pos, e->npos * sizeof(uint16_t));
		at += e->npos;
	}
	size_t eb = sx_ents_size(d->s_lex, d->s_npos, (uint32_t)nent, pos);
	uint8_t *ents = eb ? sx_pool_alloc(&d->pool, eb, 1) : NULL;
	sx_ents_pack(ents, d->s_lex, d->s_npos, (uint32_t)nent, pos);
	const sx_lex *lexs = d->s_lex;
	doc.ents = ents;
	doc.nentries = (uint32_t)nent;
	doc.ref = sx_pool_strndup(&d->pool, r->ref ? r->ref : "", r->ref_len);
	doc.title = sx_pool_strndup(&d->pool, r->title ? r->title : "", r->title_len);
	doc.image = sx_pool_strndup(&d->pool, r->image ? r->image : "", r->image_len);
	bool added;
	doc.brand = sx_dict_add(&d->brands, &d->names, r->brand ? r->brand : "", r->brand_len, &added);
	if (added) {
		size_t cap = d->bg_cap;
		grow(&d->brand_group, &cap, d->brands.n, sizeof(*d->brand_group));
		d->bg_cap = (uint32_t)cap;
		d->brand_group[doc.brand] =
		        sx_dict_add(&d->groups, &d->names, r->lower ? r->lower : "", r->lower_len, NULL);
	}
	doc.colors = intern_values(d, &d->colors, r->colors, r->color_lens, r->ncolors, &doc.ncolors);
	doc.sizes = intern_values(d, &d->sizes, r->sizes, r->size_lens, r->nsizes, &doc.nsizes);
	doc.live = true;

	uint32_t s = id_find(d, cols->id);
	if (s == SX_NONE) {
		slots_grow(d, (size_t)d->nslots + 1);
		s = d->nslots++;
		d->xids[s] = 0;
		d->vers[s] = 0;
		id_insert(d, cols->id, s);
		for (long i = 0; i < nent && !d->defer_post; i++) {
			sx_entry e = sx_doc_entry_at(&doc, (uint32_t)i);
			sx_plist_add(&d->post[lexs[i]], s, sx_entry_sig(&doc, &e));
		}
	} else {
		/* The postings hold s for exactly the lexemes of the slot's
		 * stored document (live or not): move them by the difference
		 * (none while deferred: sx_data_post_build reads the document
		 * stored last). */
		const sx_doc *old = &d->docs[s];
		uint32_t a = d->defer_post ? old->nentries : 0, b = d->defer_post ? (uint32_t)nent : 0;
		while (a < old->nentries || b < (uint32_t)nent) {
			sx_lex lo = a < old->nentries ? sx_doc_entry_at(old, a).lex : SX_NONE;
			sx_lex ln = b < (uint32_t)nent ? lexs[b] : SX_NONE;
			if (lo == ln) {
				/* the positions may have changed: the signature too */
				sx_entry e = sx_doc_entry_at(&doc, b);
				sx_plist_add(&d->post[ln], s, sx_entry_sig(&doc, &e));
				a++, b++;
			} else if (lo < ln) {
				sx_plist_remove(&d->post[lo], s);
				a++;
			} else {
				sx_entry e = sx_doc_entry_at(&doc, b);
				sx_plist_add(&d->post[ln], s, sx_entry_sig(&doc, &e));
				b++;
			}
		}
		if (old->live) {
			for (uint32_t i = 0; i < old->nentries; i++)
				d->post[sx_doc_entry_at(old, i).lex].df--;
			d->nlive--;
		}
		/* the old version's pool bytes are garbage from now on */
		d->garbage += sx_ents_bytes(old->ents, old->nentries) +
		              strlen(old->ref) + strlen(old->title) + strlen(old->image) + 3 +
		              ((size_t)old->ncolors + old->nsizes) * sizeof(uint32_t);
	}
	for (long i = 0; i < nent; i++)
		d->post[lexs[i]].df++;
	d->docs[s] = doc;
	d->cat_col[s] = doc.category_id >= 0 && doc.category_id < SX_COL_BIG
	                        ? (uint32_t)doc.category_id
	                        : SX_COL_BIG;
	d->fcols[s] = fcol_of(&doc);
	d->nlive++;
	return (long)s;
}

uint32_t sx_data_slot(const sx_data *d, int64_t id)
{
	return id_find(d, id);
}

/* One part of a load's postings: the slots [lo, hi), into lists of
 * its own (d->post's for the first part), block by block in slot order. */
typedef struct {
	const sx_data *d;
	sx_slot lo, hi;
	sx_plist *lists;
	sx_slab slab; /* the lists' memory, d's once built (not the first's) */
} post_part;

static void *post_part_build(void *arg)
{
	post_part *pp = arg;
	const sx_data *d = pp->d;
	uint32_t nlex = d->lex.n;
	/* In slot order each list fills a block's worth of postings in its
	 * own small buffer (min(count, SX_PB_N) places) and codes it when
	 * full: no flat copy of ninety million postings, and the lists'
	 * block headers are allocated once, at their final number. */
	/* the scratch below is mapped (tens of MB at 1M): from malloc it
	 * would stay in this thread's arena, resident, after the load */
	size_t count_b = (nlex ? nlex : 1) * sizeof(uint32_t), at_b = ((size_t)nlex + 1) * sizeof(size_t);
	uint32_t *count = sx_map_resize(NULL, 0, count_b);
	for (sx_slot s = pp->lo; s < pp->hi; s++)
		for (uint32_t i = 0; i < d->docs[s].nentries; i++)
			count[sx_doc_entry_at(&d->docs[s], i).lex]++;
	size_t *at = sx_map_resize(NULL, 0, at_b);
	for (uint32_t l = 0; l < nlex; l++) {
		sx_plist *pl = &pp->lists[l];
		if (count[l])
			sx_plist_reserve_empty(pl, (count[l] + SX_PB_N - 1) / SX_PB_N);
		at[l + 1] = at[l] + (count[l] < SX_PB_N ? count[l] : SX_PB_N);
	}
	/* the buffers, and how many each holds (count reused) */
	size_t nbuf = at[nlex] ? at[nlex] : 1;
	sx_slot *buf = sx_map_resize(NULL, 0, nbuf * sizeof(*buf));
	uint16_t *sbuf = sx_map_resize(NULL, 0, nbuf * sizeof(*sbuf));
	memset(count, 0, count_b);
	for (sx_slot s = pp->lo; s < pp->hi; s++) {
		const sx_doc *doc = &d->docs[s];
		for (uint32_t i = 0; i < doc->nentries; i++) {
			sx_entry e = sx_doc_entry_at(doc, i);
			size_t k = at[e.lex] + count[e.lex]++;
			buf[k] = s;
			sbuf[k] = sx_entry_sig(doc, &e);
			if (count[e.lex] == SX_PB_N) {
				sx_plist_append_block(&pp->lists[e.lex], buf + at[e.lex], sbuf + at[e.lex],
				                      SX_PB_N);
				count[e.lex] = 0;
			}
		}
	}
	for (uint32_t l = 0; l < nlex; l++)
		if (count[l])
			sx_plist_append_block(&pp->lists[l], buf + at[l], sbuf + at[l], count[l]);
	sx_map_free(buf, nbuf * sizeof(*buf));
	sx_map_free(sbuf, nbuf * sizeof(*sbuf));
	sx_map_free(at, at_b);
	sx_map_free(count, count_b);
	return NULL;
}

void sx_data_post_build_parts(sx_data *d, int nparts)
{
	if (!d->defer_post)
		return;
	d->defer_post = false;
	/* Every slot's stored document, live or not: postings hold exactly
	 * those (sx_data_put_parsed's replace relies on it). The lists are
	 * emptied (nothing was posted while deferred; their df stays). */
	for (uint32_t l = 0; l < d->lex.n; l++)
		sx_plist_clear(&d->post[l]);
	if (nparts < 1)
		nparts = 1;
	if ((uint32_t)nparts > d->nslots)
		nparts = d->nslots ? (int)d->nslots : 1;
	/* Parts of about as many entries each, in slot order: the first's
	 * lists are d->post's, the others' are moved after them, so each
	 * list's blocks stay in slot order (a part's last block of a list
	 * may be short: sx_post allows that anywhere). */
	size_t total = 0, acc = 0;
	for (sx_slot s = 0; s < d->nslots; s++)
		total += d->docs[s].nentries;
	post_part *parts = xcalloc((size_t)nparts, sizeof(*parts));
	sx_slot s = 0;
	for (int p = 0; p < nparts; p++) {
		parts[p].d = d;
		parts[p].lo = s;
		size_t goal = total / (size_t)nparts * (size_t)(p + 1);
		while (s < d->nslots && (p == nparts - 1 || acc < goal))
			acc += d->docs[s++].nentries;
		parts[p].hi = s;
		parts[p].lists = p ? xcalloc(d->lex.n ? d->lex.n : 1, sizeof(sx_plist)) : d->post;
		/* each thread allocates from a slab of its own */
		for (uint32_t l = 0; p && l < d->lex.n; l++)
			parts[p].lists[l].slab = &parts[p].slab;
	}
	/* The COPY is over: PostgreSQL has left the machine's other core
	 * free. A part whose thread cannot start is built here. */
	pthread_t *th = xcalloc((size_t)nparts, sizeof(*th));
	bool *started = xcalloc((size_t)nparts, sizeof(*started));
	for (int p = 1; p < nparts; p++)
		started[p] = pthread_create(&th[p], NULL, post_part_build, &parts[p]) == 0;
	post_part_build(&parts[0]);
	for (int p = 1; p < nparts; p++) {
		if (started[p])
			pthread_join(th[p], NULL);
		else
			post_part_build(&parts[p]);
	}
	for (int p = 1; p < nparts; p++) {
		sx_slab_take(&d->post_slab, &parts[p].slab);
		for (uint32_t l = 0; l < d->lex.n; l++)
			sx_plist_concat(&d->post[l], &parts[p].lists[l]);
		free(parts[p].lists);
	}
	free(started);
	free(th);
	free(parts);
	/* The load's scratch (rows, parse buffers, these counts) is free
	 * now, but glibc keeps freed heap pages resident: give them back,
	 * or they count in the daemon's RSS for good (tens of MB at 1M). */
	malloc_trim(0);
}

void sx_data_post_build(sx_data *d)
{
	sx_data_post_build_parts(d, SX_POST_THREADS);
}

void sx_data_withdraw(sx_data *d, int64_t id)
{
	uint32_t s = id_find(d, id);
	if (s == SX_NONE || !d->docs[s].live)
		return;
	sx_doc *doc = &d->docs[s];
	/* Postings keep the slot (readers skip slots that are not live); a
	 * product that comes back reuses it. */
	for (uint32_t i = 0; i < doc->nentries; i++)
		d->post[sx_doc_entry_at(doc, i).lex].df--;
	doc->live = false;
	d->cat_col[s] = SX_COL_DEAD;
	d->fcols[s].flags &= (uint8_t)~SX_FC_LIVE;
	d->nlive--;
}

/* ---- lower() ---- */

static locale_t utf8_loc;

static void utf8_init(void)
{
	utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

char *sx_lower_utf8(const char *s, size_t n, size_t *len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, utf8_init);
	/* Lower case never needs more than 4 bytes for a character that
	 * took at least 1. */
	char *out = xrealloc(NULL, n * 4 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		/* Decode one UTF-8 sequence; invalid bytes pass through. */
		int k = c >= 0xf8 ? -1 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
		uint32_t wc = k == 3 ? c & 7u : k == 2 ? c & 15u : c & 31u;
		bool ok = k > 0 && i + (size_t)k < n;
		for (int j = 1; ok && j <= k; j++) {
			unsigned char cc = (unsigned char)s[i + (size_t)j];
			ok = (cc & 0xc0) == 0x80;
			wc = wc << 6 | (cc & 0x3fu);
		}
		if (!ok) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		uint32_t lw = utf8_loc ? (uint32_t)towlower_l((wint_t)wc, utf8_loc) : wc;
		if (lw < 0x80) {
			out[o++] = (char)lw;
		} else if (lw < 0x800) {
			out[o++] = (char)(0xc0 | lw >> 6);
			out[o++] = (char)(0x80 | (lw & 0x3f));
		} else if (lw < 0x10000) {
			out[o++] = (char)(0xe0 | lw >> 12);
			out[o++] = (char)(0x80 | ((lw >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (lw & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | lw >> 18);
			out[o++] = (char)(0x80 | ((lw >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((lw >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (lw & 0x3f));
		}
		i += (size_t)k + 1;
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* ---- the index ---- */

sx_index *sx_index_new(void)
{
	sx_index *ix = xcalloc(1, sizeof(*ix));
	/* Writers first: a refresh must not starve behind a steady stream
	 * of searches. */
	pthread_rwlockattr_t at;
	pthread_rwlockattr_init(&at);
	pthread_rwlockattr_setkind_np(&at, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&ix->lock, &at);
	pthread_rwlockattr_destroy(&at);
	ix->d = sx_data_new();
	return ix;
}

void sx_index_free(sx_index *ix)
{
	if (!ix)
		return;
	sx_data_free(ix->d);
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
}

void sx_index_rdlock(sx_index *ix)
{
	pthread_rwlock_rdlock(&ix->lock);
}

void sx_index_unlock(sx_index *ix)
{
	pthread_rwlock_unlock(&ix->lock);
}

uint32_t sx_index_nslots(const sx_index *ix)
{
	return ix->d->nslots;
}

uint32_t sx_index_nlive(const sx_index *ix)
{
	return ix->d->nlive;
}

const uint32_t *sx_index_cat_col(const sx_index *ix)
{
	return ix->d->cat_col;
}

const sx_fcol *sx_index_fcols(const sx_index *ix)
{
	return ix->d->fcols;
}

const sx_doc *sx_index_doc(const sx_index *ix, sx_slot s)
{
	return s < ix->d->nslots ? &ix->d->docs[s] : NULL;
}

sx_slot sx_index_slot_of(const sx_index *ix, int64_t product_id)
{
	uint32_t s = id_find(ix->d, product_id);
	return s != SX_NONE && ix->d->docs[s].live ? s : SX_NONE;
}

sx_lex sx_index_lexeme(const sx_index *ix, const char *text, size_t len)
{
	return sx_dict_find(&ix->d->lex, text, len);
}

const char *sx_index_lexeme_text(const sx_index *ix, sx_lex l)
{
	return l < ix->d->lex.n ? ix->d->lex.names[l] : NULL;
}

const sx_plist *sx_index_plist(const sx_index *ix, sx_lex l)
{
	return l < ix->d->lex.n ? &ix->d->post[l] : NULL;
}

const sx_slot *sx_index_postings(const sx_index *ix, sx_lex l, arena *a, uint32_t *n)
{
	const sx_plist *pl = sx_index_plist(ix, l);
	*n = 0;
	if (!pl || !pl->n)
		return NULL;
	sx_slot *out = arena_alloc(a, (size_t)pl->n * sizeof(*out));
	if (out)
		*n = sx_plist_decode(pl, out, NULL);
	return out;
}

const uint16_t *sx_index_post_sigs(const sx_index *ix, sx_lex l, arena *a)
{
	const sx_plist *pl = sx_index_plist(ix, l);
	if (!pl || !pl->n || !pl->sigs)
		return NULL;
	sx_slot *slots = arena_alloc(a, (size_t)pl->n * sizeof(*slots));
	uint16_t *sigs = arena_alloc(a, (size_t)pl->n * sizeof(*sigs));
	if (!slots || !sigs)
		return NULL;
	sx_plist_decode(pl, slots, sigs);
	return sigs;
}

uint32_t sx_index_df(const sx_index *ix, sx_lex l)
{
	return l < ix->d->lex.n ? ix->d->post[l].df : 0;
}

uint32_t sx_index_nbrands(const sx_index *ix)
{
	return ix->d->brands.n;
}

const char *sx_index_brand_name(const sx_index *ix, uint32_t brand)
{
	return brand < ix->d->brands.n ? ix->d->brands.names[brand] : NULL;
}

uint32_t sx_index_brand_group(const sx_index *ix, uint32_t brand)
{
	return brand < ix->d->brands.n ? ix->d->brand_group[brand] : SX_NONE;
}

uint32_t sx_index_nbrand_groups(const sx_index *ix)
{
	return ix->d->groups.n;
}

uint32_t sx_index_brand_group_of(const sx_index *ix, const char *lower, size_t len)
{
	return sx_dict_find(&ix->d->groups, lower, len);
}

uint32_t sx_index_ncolors(const sx_index *ix)
{
	return ix->d->colors.n;
}

uint32_t sx_index_color_of(const sx_index *ix, const char *v, size_t len)
{
	return sx_dict_find(&ix->d->colors, v, len);
}

const char *sx_index_color_name(const sx_index *ix, uint32_t id)
{
	return id < ix->d->colors.n ? ix->d->colors.names[id] : NULL;
}

uint32_t sx_index_nsizes(const sx_index *ix)
{
	return ix->d->sizes.n;
}

uint32_t sx_index_size_of(const sx_index *ix, const char *v, size_t len)
{
	return sx_dict_find(&ix->d->sizes, v, len);
}

const sx_category *sx_index_category(const sx_index *ix, int64_t id)
{
	return cats_find(ix->d->cats, id);
}

int sx_index_categories_by_slug(const sx_index *ix, const char *slug,
                                const sx_category **out, int max)
{
	const sx_cats *cs = ix->d->cats;
	/* lower bound of slug in by_slug */
	uint32_t lo = 0, hi = cs->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (strcmp(cs->cats[cs->by_slug[mid]].slug, slug) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int n = 0;
	for (; lo < cs->n && n < max && strcmp(cs->cats[cs->by_slug[lo]].slug, slug) == 0; lo++)
		out[n++] = &cs->cats[cs->by_slug[lo]];
	return n;
}

uint32_t sx_index_ncategories(const sx_index *ix)
{
	return ix->d->cats->n;
}

const sx_category *sx_index_category_at(const sx_index *ix, uint32_t i)
{
	return i < ix->d->cats->n ? &ix->d->cats->cats[i] : NULL;
}

size_t sx_index_garbage(const sx_index *ix)
{
	return ix->d->garbage;
}

void sx_data_breakdown(const sx_data *d, char *out, size_t cap)
{
	size_t ent = 0, ent_bytes = 0, pos = 0, pos_bytes = 0, str = 0, post = 0, npost = 0, lists = 0;
	for (uint32_t s = 0; s < d->nslots; s++) {
		const sx_doc *doc = &d->docs[s];
		ent += doc->nentries;
		size_t pb = sx_ents_pos_bytes(doc->ents, doc->nentries);
		ent_bytes += sx_ents_bytes(doc->ents, doc->nentries) - pb;
		pos_bytes += pb;
		pos += sx_doc_npos(doc);
		str += strlen(doc->ref) + strlen(doc->title) + strlen(doc->image) + 3;
		str += (size_t)(doc->ncolors + doc->nsizes) * sizeof(uint32_t);
	}
	for (uint32_t l = 0; l < d->lex.n; l++) {
		post += sx_plist_bytes(&d->post[l]);
		npost += d->post[l].n;
		lists += d->post[l].n > 0;
	}
	snprintf(out, cap,
	         "docs %zu MB (%zu B each), entries %zu MB (%zu), positions %zu MB (%zu), "
	         "strings+values %zu MB, postings %zu MB (%zu in %zu lists; their slab %zu MB, "
	         "%zu MB of it free), lexicon %zu MB, pool %zu MB",
	         (size_t)d->cap * (sizeof(sx_doc) + 20 + sizeof(sx_fcol)) >> 20,
	         sizeof(sx_doc) + 20 + sizeof(sx_fcol),
	         ent_bytes >> 20, ent, pos_bytes >> 20, pos, str >> 20, post >> 20, npost,
	         lists, d->post_slab.pool.bytes >> 20,
	         (d->post_slab.pool.bytes - d->post_slab.live) >> 20, dict_bytes(&d->lex) >> 20,
	         d->pool.bytes >> 20);
}

size_t sx_index_bytes(const sx_index *ix)
{
	const sx_data *d = ix->d;
	size_t n = sizeof(*ix) + sizeof(*d) + d->pool.bytes + d->cats->pool.bytes;
	n += (size_t)d->cap * (sizeof(*d->docs) + sizeof(*d->xids) + sizeof(*d->vers) +
	                       sizeof(*d->cat_col) + sizeof(*d->fcols));
	n += (size_t)d->id_cap * (sizeof(*d->id_keys) + sizeof(*d->id_vals));
	n += (size_t)d->post_cap * sizeof(*d->post) + d->post_slab.pool.bytes + d->post_slab.big;
	n += d->names.bytes;
	n += dict_bytes(&d->lex) + dict_bytes(&d->brands) + dict_bytes(&d->groups) +
	     dict_bytes(&d->colors) + dict_bytes(&d->sizes);
	n += (size_t)d->bg_cap * sizeof(uint32_t);
	n += (size_t)d->cats->cap * sizeof(sx_category) + (size_t)d->cats->n * sizeof(uint32_t);
	return n;
}

int sx_index_put_for_test(sx_index *ix, const sx_doc *doc, const char *brand,
                          const char *const *colors, int ncolors,
                          const char *const *sizes, int nsizes, const char *tsvector)
{
	sx_row r = {
		.cols = *doc,
		.ref = doc->ref, .ref_len = doc->ref ? strlen(doc->ref) : 0,
		.title = doc->title, .title_len = doc->title ? strlen(doc->title) : 0,
		.image = doc->image, .image_len = doc->image ? strlen(doc->image) : 0,
		.brand = brand, .brand_len = strlen(brand),
		.colors = colors, .ncolors = ncolors, .sizes = sizes, .nsizes = nsizes,
		.doc = tsvector, .doc_len = strlen(tsvector),
	};
	char *lower = sx_lower_utf8(brand, strlen(brand), &r.lower_len);
	r.lower = lower;
	pthread_rwlock_wrlock(&ix->lock);
	long rc = sx_data_put(ix->d, &r);
	pthread_rwlock_unlock(&ix->lock);
	free(lower);
	return rc < 0 ? SOUK_ERR : SOUK_OK;
}

int sx_index_put_category_for_test(sx_index *ix, int64_t id, int64_t parent_id,
                                   const char *name, const char *slug, const char *path)
{
	pthread_rwlock_wrlock(&ix->lock);
	int rc = sx_cats_add(ix->d->cats, id, parent_id, name, slug, path);
	sx_cats_finish(ix->d->cats);
	pthread_rwlock_unlock(&ix->lock);
	return rc < 0 ? SOUK_ERR : SOUK_OK;
}
