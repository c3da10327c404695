/* sx_entries: packs a document's search_doc into the block sx_entries.h
 * describes (the reading side is inline there). */
#include "search/sx/sx_entries.h"

#include <assert.h>

/* Bits needed for v (0 for 0). */
static unsigned width(uint64_t v)
{
	return v ? 64u - (unsigned)__builtin_clzll(v) : 0;
}

/* The block's size from its widths: the header, the bit stream, and
 * room for a 64-bit load at the byte of its last bit (B / 8 + 8 covers
 * both). */
static size_t block_size(uint32_t n, unsigned lw, unsigned ew, uint64_t npos, unsigned pw)
{
	uint64_t bits = (uint64_t)n * (lw + ew) + npos * pw;
	return SX_ENTS_HEAD + (size_t)(bits / 8) + 8;
}

size_t sx_ents_bytes(const uint8_t *b, uint32_t n)
{
	return n ? block_size(n, b[4], b[5], sx_ents_npos(b, n), b[6]) : 0;
}

size_t sx_ents_pos_bytes(const uint8_t *b, uint32_t n)
{
	return n ? (size_t)(((uint64_t)sx_ents_npos(b, n) * b[6] + 7) / 8) : 0;
}

typedef struct {
	unsigned lw, ew, pw;
	uint64_t npos;
} widths;

static widths widths_of(const sx_lex *lex, const uint32_t *npos, uint32_t n, const uint16_t *pos)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += npos[i];
	unsigned maxpos = 0;
	for (uint64_t j = 0; j < total; j++)
		if ((pos[j] & 0x3fffu) > maxpos)
			maxpos = pos[j] & 0x3fffu;
	return (widths){width(lex[n - 1] - lex[0]), width(total), 2 + width(maxpos), total};
}

size_t sx_ents_size(const sx_lex *lex, const uint32_t *npos, uint32_t n, const uint16_t *pos)
{
	if (n == 0)
		return 0;
	widths w = widths_of(lex, npos, n, pos);
	return block_size(n, w.lw, w.ew, w.npos, w.pw);
}

/* The stream written front to back, 64 bits at a time: the bits of
 * each value from its offset's bit (off & 7) of its byte (off >> 3), as
 * sx_ents_bits reads them. Each word is stored once when full; a
 * read-modify-write a value, each load overlapping the last store, cost
 * a store-forwarding stall per entry of every document of a load. */
typedef struct {
	uint8_t *p;    /* where the next word goes */
	uint64_t acc;  /* its bits so far */
	unsigned fill; /* how many */
} bit_writer;

static void store64(uint8_t *p, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	memcpy(p, &x, sizeof(x));
}

/* Appends v (< 2^w, w <= 32). */
static void bits_put(bit_writer *b, unsigned w, uint32_t v)
{
	b->acc |= (uint64_t)v << b->fill;
	if (b->fill + w < 64) {
		b->fill += w;
		return;
	}
	store64(b->p, b->acc);
	b->p += 8;
	/* fill + w >= 64 with w <= 32: fill >= 32, the shift below 64 */
	b->acc = b->fill ? (uint64_t)v >> (64 - b->fill) : 0;
	b->fill = b->fill + w - 64;
}

void sx_ents_pack(uint8_t *out, const sx_lex *lex, const uint32_t *npos, uint32_t n,
                  const uint16_t *pos)
{
	if (n == 0)
		return;
	widths w = widths_of(lex, npos, n, pos);
	/* a document's positions are counted in 32 bits */
	assert(w.npos <= UINT32_MAX);
	out[0] = (uint8_t)lex[0];
	out[1] = (uint8_t)(lex[0] >> 8);
	out[2] = (uint8_t)(lex[0] >> 16);
	out[3] = (uint8_t)(lex[0] >> 24);
	out[4] = (uint8_t)w.lw;
	out[5] = (uint8_t)w.ew;
	out[6] = (uint8_t)w.pw;
	/* the lexemes, then the ends, then the positions: one stream */
	bit_writer b = {.p = out + SX_ENTS_HEAD};
	for (uint32_t i = 0; i < n; i++) {
		assert(i == 0 || lex[i - 1] < lex[i]);
		bits_put(&b, w.lw, lex[i] - lex[0]);
	}
	uint32_t end = 0;
	for (uint32_t i = 0; i < n; i++) {
		end += npos[i];
		bits_put(&b, w.ew, end);
	}
	unsigned pb = w.pw - 2;
	for (uint64_t j = 0; j < w.npos; j++)
		bits_put(&b, w.pw, (uint32_t)(pos[j] >> 14) << pb | (pos[j] & 0x3fffu));
	/* the last word, then zeros to the block's end (its padding) */
	uint8_t *stop = out + block_size(n, w.lw, w.ew, w.npos, w.pw);
	for (; b.p + 8 <= stop; b.p += 8, b.acc = 0)
		store64(b.p, b.acc);
	if (b.p < stop) {
		uint8_t last[8];
		store64(last, b.acc);
		memcpy(b.p, last, (size_t)(stop - b.p));
	}
}
