/* sx_post: delta-coded posting lists (layout in sx_post.h). */
#include "search/sx/sx_post.h"

#include <stdlib.h>
#include <string.h>

#ifndef SX_NONE
#define SX_NONE UINT32_MAX
#endif


static unsigned bits_for(uint32_t v)
{
	return v ? 32u - (unsigned)__builtin_clz(v) : 0u;
}

static size_t gap_bytes(uint32_t n, unsigned width)
{
	return ((size_t)(n - 1) * width + 7) / 8;
}

/* What b's buffer was allocated with: its bytes and the padding. */
static size_t block_alloc_bytes(const sx_pblock *b)
{
	return sx_pblock_data_bytes(b) + 8;
}

static void block_free(sx_plist *pl, sx_pblock *b)
{
	if (b->data)
		sx_slab_free(pl->slab, b->data, block_alloc_bytes(b));
	b->data = NULL;
}

static void headers_free(sx_plist *pl)
{
	if (pl->b)
		sx_slab_free(pl->slab, pl->b, (size_t)pl->bcap * sizeof(*pl->b));
	pl->b = NULL;
	pl->bcap = 0;
}

/* Codes slots[0..n) and sigs (NULL: all 0) into b, a block of pl,
 * freeing what b held. */
static void block_code(sx_plist *pl, sx_pblock *b, const sx_slot *slots, const uint16_t *sigs,
                       uint32_t n)
{
	uint32_t maxgap = 0, nsig = 0;
	for (uint32_t i = 1; i < n; i++) {
		uint32_t g = slots[i] - slots[i - 1] - 1;
		if (g > maxgap)
			maxgap = g;
	}
	for (uint32_t i = 0; sigs && i < n; i++)
		nsig += sigs[i] != 0;
	unsigned w = bits_for(maxgap);
	size_t gb = gap_bytes(n, w);
	size_t size = gb + (nsig ? (n + 7) / 8 + 2 * (size_t)nsig : 0);
	block_free(pl, b);
	b->first = slots[0];
	b->n = (uint16_t)n;
	b->width = (uint8_t)w;
	b->sigs = nsig > 0;
	b->data = NULL;
	if (!size)
		return;
	/* 8 bytes of padding: a gap is read with one 64-bit load */
	uint8_t *p = sx_slab_alloc(pl->slab, size + 8);
	memset(p, 0, size + 8);
	if (w) {
		for (uint32_t i = 1; i < n; i++) {
			uint64_t g = slots[i] - slots[i - 1] - 1;
			size_t bit = (size_t)(i - 1) * w;
			uint64_t v;
			memcpy(&v, p + (bit >> 3), 8);
			v |= g << (bit & 7);
			memcpy(p + (bit >> 3), &v, 8);
		}
	}
	if (nsig) {
		uint8_t *map = p + gb, *val = map + (n + 7) / 8;
		for (uint32_t i = 0; i < n; i++) {
			if (!sigs[i])
				continue;
			map[i >> 3] |= (uint8_t)(1u << (i & 7));
			val[0] = (uint8_t)sigs[i];
			val[1] = (uint8_t)(sigs[i] >> 8);
			val += 2;
		}
	}
	b->data = p;
}

uint32_t sx_pblock_decode(const sx_pblock *b, sx_slot *slots, uint16_t *sigs)
{
	uint32_t n = b->n, w = b->width;
	sx_slot s = b->first;
	slots[0] = s;
	if (!w) {
		for (uint32_t i = 1; i < n; i++)
			slots[i] = ++s;
	} else {
		const uint8_t *p = b->data;
		uint64_t mask = (1ull << w) - 1;
		size_t bit = 0;
		for (uint32_t i = 1; i < n; i++, bit += w) {
			uint64_t v;
			memcpy(&v, p + (bit >> 3), 8);
			s += (uint32_t)((v >> (bit & 7)) & mask) + 1;
			slots[i] = s;
		}
	}
	if (sigs) {
		if (!b->sigs) {
			memset(sigs, 0, n * sizeof(*sigs));
		} else {
			/* without a branch: whether a posting has a signature is a
			 * coin toss for a common word; the two bytes past the last
			 * signature are the block's padding */
			const uint8_t *map = b->data + gap_bytes(n, w), *val = map + (n + 7) / 8;
			for (uint32_t i = 0; i < n; i++) {
				uint32_t has = map[i >> 3] >> (i & 7) & 1u;
				sigs[i] = (uint16_t)((val[0] | val[1] << 8) & -has);
				val += 2 * has;
			}
		}
	}
	return n;
}

uint32_t sx_plist_decode(const sx_plist *pl, sx_slot *out, uint16_t *sigs)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < pl->nb; i++)
		k += sx_pblock_decode(&pl->b[i], out + k, sigs ? sigs + k : NULL);
	return k;
}

/* Room for nb blocks at the list's end. */
static void reserve(sx_plist *pl, uint32_t nb)
{
	if (nb <= pl->bcap)
		return;
	/* small lists grow slowly: a million-product index has millions of
	 * rare lexemes */
	uint32_t cap = pl->bcap < 4 ? 4 : pl->bcap + pl->bcap / 2;
	if (cap < nb)
		cap = nb;
	sx_pblock *b = sx_slab_alloc(pl->slab, (size_t)cap * sizeof(*b));
	if (pl->nb)
		memcpy(b, pl->b, (size_t)pl->nb * sizeof(*b));
	headers_free(pl);
	pl->b = b;
	pl->bcap = cap;
}

void sx_plist_reserve_empty(sx_plist *pl, uint32_t nb)
{
	headers_free(pl);
	if (!nb)
		return;
	pl->b = sx_slab_alloc(pl->slab, (size_t)nb * sizeof(*pl->b));
	memset(pl->b, 0, (size_t)nb * sizeof(*pl->b));
	pl->bcap = nb;
}

void sx_plist_append_block(sx_plist *pl, const sx_slot *slots, const uint16_t *sigs, uint32_t n)
{
	reserve(pl, pl->nb + 1);
	sx_pblock *b = &pl->b[pl->nb++];
	b->data = NULL;
	block_code(pl, b, slots, sigs, n);
	pl->n += n;
	pl->sigs |= b->sigs;
}

void sx_plist_concat(sx_plist *pl, sx_plist *tail)
{
	if (!tail->nb)
		return;
	if (!pl->nb) {
		/* the common case for rare lexemes: take the array as it is */
		headers_free(pl);
		pl->b = tail->b;
		pl->bcap = tail->bcap;
		pl->nb = tail->nb;
	} else {
		if (pl->nb + tail->nb > pl->bcap) {
			/* exactly the sum: a load's lists are not grown again */
			uint32_t cap = pl->nb + tail->nb;
			sx_pblock *b = sx_slab_alloc(pl->slab, (size_t)cap * sizeof(*b));
			memcpy(b, pl->b, (size_t)pl->nb * sizeof(*b));
			headers_free(pl);
			pl->b = b;
			pl->bcap = cap;
		}
		memcpy(pl->b + pl->nb, tail->b, (size_t)tail->nb * sizeof(*pl->b));
		pl->nb += tail->nb;
		sx_slab_free(pl->slab, tail->b, (size_t)tail->bcap * sizeof(*tail->b));
	}
	pl->n += tail->n;
	pl->sigs |= tail->sigs;
	tail->b = NULL;
	tail->nb = tail->bcap = tail->n = 0;
	tail->sigs = false;
}

void sx_plist_clear(sx_plist *pl)
{
	for (uint32_t i = 0; i < pl->nb; i++)
		block_free(pl, &pl->b[i]);
	headers_free(pl);
	pl->nb = pl->n = 0;
	pl->sigs = false;
}

void sx_plist_drop(sx_plist *pl)
{
	if (!pl->slab) {
		sx_plist_clear(pl);
		return;
	}
	/* blocks are never past SX_SLAB_MAX: only a long list's headers
	 * have a mapping of their own */
	headers_free(pl);
	pl->nb = pl->n = 0;
	pl->sigs = false;
}

void sx_plist_build(sx_plist *pl, const sx_slot *slots, const uint16_t *sigs, uint32_t n)
{
	sx_plist_clear(pl);
	reserve(pl, (n + SX_PB_N - 1) / SX_PB_N);
	for (uint32_t i = 0; i < n; i += SX_PB_N)
		sx_plist_append_block(pl, slots + i, sigs ? sigs + i : NULL,
		                      n - i < SX_PB_N ? n - i : SX_PB_N);
}

size_t sx_pblock_data_bytes(const sx_pblock *b)
{
	if (!b->data)
		return 0;
	size_t gb = gap_bytes(b->n, b->width);
	if (!b->sigs)
		return gb;
	size_t mb = (b->n + 7u) / 8, nsig = 0;
	for (size_t k = 0; k < mb; k++)
		nsig += (size_t)__builtin_popcount(b->data[gb + k]);
	return gb + mb + 2 * nsig;
}

int sx_pblock_restore(sx_plist *pl, sx_pblock *b, const uint8_t *data, size_t bytes)
{
	b->data = NULL;
	if (b->n < 1 || b->n > SX_PB_MAX || b->width > 32 || b->sigs > 1)
		return -1;
	size_t gb = gap_bytes(b->n, b->width), mb = b->sigs ? (b->n + 7u) / 8 : 0;
	if (bytes < gb + mb || (!bytes && (b->width || b->sigs)))
		return -1;
	if (!bytes)
		return 0;
	/* as block_code allocates it: 8 bytes of zeroed padding */
	uint8_t *p = sx_slab_alloc(pl->slab, bytes + 8);
	memcpy(p, data, bytes);
	memset(p + bytes, 0, 8);
	b->data = p;
	if (sx_pblock_data_bytes(b) != bytes) {
		/* freed by the size it was allocated with */
		sx_slab_free(pl->slab, p, bytes + 8);
		b->data = NULL;
		return -1;
	}
	return 0;
}

size_t sx_plist_bytes(const sx_plist *pl)
{
	size_t n = (size_t)pl->bcap * sizeof(*pl->b);
	for (uint32_t i = 0; i < pl->nb; i++) {
		const sx_pblock *b = &pl->b[i];
		if (b->data)
			n += sx_pblock_data_bytes(b) + 8;
	}
	return n;
}

/* The first block in [lo, hi) whose first slot is past s (hi: none). */
static uint32_t first_past(const sx_plist *pl, uint32_t lo, uint32_t hi, sx_slot s)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (pl->b[mid].first <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The block that holds s or would: the last whose first slot is <= s
 * (0 when s is before them all). */
static uint32_t block_of(const sx_plist *pl, sx_slot s)
{
	uint32_t b = first_past(pl, 0, pl->nb, s);
	return b ? b - 1 : 0;
}

void sx_plist_add(sx_plist *pl, sx_slot s, uint16_t sig)
{
	sx_slot slots[SX_PB_MAX + 1];
	uint16_t sigs[SX_PB_MAX + 1];
	pl->sigs |= sig != 0;
	if (!pl->nb) {
		sx_plist_append_block(pl, &s, &sig, 1);
		return;
	}
	uint32_t bi = block_of(pl, s);
	sx_pblock *b = &pl->b[bi];
	uint32_t n = sx_pblock_decode(b, slots, sigs);
	/* New products get new slots, in order: past a full last block
	 * they start a block of their own rather than split it. */
	if (bi == pl->nb - 1 && s > slots[n - 1] && n >= SX_PB_N) {
		sx_plist_append_block(pl, &s, &sig, 1);
		return;
	}
	uint32_t at = 0;
	while (at < n && slots[at] < s)
		at++;
	if (at < n && slots[at] == s) {
		if (sigs[at] == sig)
			return;
		sigs[at] = sig;
		block_code(pl, b, slots, sigs, n);
		return;
	}
	memmove(slots + at + 1, slots + at, (n - at) * sizeof(*slots));
	memmove(sigs + at + 1, sigs + at, (n - at) * sizeof(*sigs));
	slots[at] = s;
	sigs[at] = sig;
	n++;
	pl->n++;
	if (n <= SX_PB_MAX) {
		block_code(pl, b, slots, sigs, n);
		return;
	}
	/* split: the second half is a new block after this one */
	reserve(pl, pl->nb + 1);
	b = &pl->b[bi];
	memmove(b + 2, b + 1, (pl->nb - bi - 1) * sizeof(*b));
	pl->nb++;
	uint32_t h = n / 2;
	block_code(pl, b, slots, sigs, h);
	b[1].data = NULL;
	block_code(pl, &b[1], slots + h, sigs + h, n - h);
}

void sx_plist_remove(sx_plist *pl, sx_slot s)
{
	if (!pl->nb || s < pl->b[0].first)
		return;
	sx_slot slots[SX_PB_MAX];
	uint16_t sigs[SX_PB_MAX];
	uint32_t bi = block_of(pl, s);
	sx_pblock *b = &pl->b[bi];
	uint32_t n = sx_pblock_decode(b, slots, sigs), at = 0;
	while (at < n && slots[at] < s)
		at++;
	if (at == n || slots[at] != s)
		return;
	pl->n--;
	if (n == 1) {
		block_free(pl, b);
		memmove(b, b + 1, (pl->nb - bi - 1) * sizeof(*b));
		pl->nb--;
		return;
	}
	memmove(slots + at, slots + at + 1, (n - at - 1) * sizeof(*slots));
	memmove(sigs + at, sigs + at + 1, (n - at - 1) * sizeof(*sigs));
	block_code(pl, b, slots, sigs, n - 1);
}

void sx_pcur_init(sx_pcur *c, const sx_plist *pl)
{
	c->pl = pl;
	c->blk = pl->nb;
	c->at = c->n = 0;
}

sx_slot sx_pcur_seek(sx_pcur *c, sx_slot s)
{
	const sx_plist *pl = c->pl;
	if (c->blk == pl->nb || s > c->slot[c->n - 1]) {
		/* past the block in hand: gallop over the next blocks' first
		 * slots to the last that is <= s (a sparse match steps over
		 * the blocks of a dense list without decoding them) */
		uint32_t lo = c->blk == pl->nb ? 0 : c->blk + 1;
		if (lo >= pl->nb) {
			c->at = c->n;
			return SX_NONE;
		}
		uint32_t hi = lo, step = 1;
		while (hi < pl->nb && pl->b[hi].first <= s) {
			lo = hi + 1;
			hi += step;
			step <<= 1;
		}
		if (hi > pl->nb)
			hi = pl->nb;
		lo = first_past(pl, lo, hi, s);
		/* lo: the first block past s; the block before it holds s or
		 * ends before it (then the answer is lo's first slot) */
		uint32_t bi = lo;
		if (lo > 0 && (c->blk == pl->nb || lo - 1 > c->blk))
			bi = lo - 1;
		if (bi == pl->nb) {
			c->blk = pl->nb - 1;
			c->n = sx_pblock_decode(&pl->b[c->blk], c->slot, c->sig);
			c->at = c->n;
			return SX_NONE;
		}
		c->blk = bi;
		c->n = sx_pblock_decode(&pl->b[bi], c->slot, c->sig);
		c->at = 0;
		if (s > c->slot[c->n - 1]) {
			/* s falls between this block and the next */
			if (bi + 1 == pl->nb) {
				c->at = c->n;
				return SX_NONE;
			}
			c->blk = bi + 1;
			c->n = sx_pblock_decode(&pl->b[bi + 1], c->slot, c->sig);
			return c->slot[0];
		}
	}
	uint32_t at = c->at;
	while (at < c->n && c->slot[at] < s)
		at++;
	c->at = at;
	return c->slot[at];
}
