/* sx_entries: packs a document's entries into the block sx_entries.h
 * describes (the reading side is inline there). */
#include "search/sx/sx_entries.h"

#include <assert.h>

/* Bits needed for v (0 for 0). */
static unsigned width(uint64_t v)
{
	unsigned w = 0;
	while (v) {
		w++;
		v >>= 1;
	}
	return w;
}

/* The block's size from its widths: the header, the two bit arrays, and
 * room for a 64-bit load at the byte of the last bit (B / 8 + 8 covers
 * both). */
static size_t block_size(uint32_t n, unsigned lw, unsigned ew)
{
	uint64_t bits = (uint64_t)n * (lw + ew);
	return SX_ENTS_HEAD + (size_t)(bits / 8) + 8;
}

size_t sx_ents_bytes(const uint8_t *b, uint32_t n)
{
	return n ? block_size(n, b[4], b[5]) : 0;
}

static uint64_t total_positions(const uint32_t *npos, uint32_t n)
{
	uint64_t t = 0;
	for (uint32_t i = 0; i < n; i++)
		t += npos[i];
	return t;
}

size_t sx_ents_size(const sx_lex *lex, const uint32_t *npos, uint32_t n)
{
	if (n == 0)
		return 0;
	return block_size(n, width(lex[n - 1] - lex[0]), width(total_positions(npos, n)));
}

/* Writes v (< 2^w, w <= 32) at bit offset off: one 64-bit read-modify-
 * write, as sx_ents_bits reads it (the stream starts zeroed; the padding
 * keeps the 8 bytes inside the block). */
static void put_bits(uint8_t *s, uint64_t off, unsigned w, uint32_t v)
{
	if (w == 0)
		return;
	uint64_t x;
	memcpy(&x, s + (off >> 3), sizeof(x));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	x |= (uint64_t)v << (off & 7);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	memcpy(s + (off >> 3), &x, sizeof(x));
}

void sx_ents_pack(uint8_t *out, const sx_lex *lex, const uint32_t *npos, uint32_t n)
{
	if (n == 0)
		return;
	uint64_t total = total_positions(npos, n);
	/* a document's positions are counted in 32 bits (sx_doc) */
	assert(total <= UINT32_MAX);
	unsigned lw = width(lex[n - 1] - lex[0]), ew = width(total);
	memset(out, 0, block_size(n, lw, ew));
	out[0] = (uint8_t)lex[0];
	out[1] = (uint8_t)(lex[0] >> 8);
	out[2] = (uint8_t)(lex[0] >> 16);
	out[3] = (uint8_t)(lex[0] >> 24);
	out[4] = (uint8_t)lw;
	out[5] = (uint8_t)ew;
	uint8_t *s = out + SX_ENTS_HEAD;
	uint64_t ends = (uint64_t)n * lw;
	uint32_t end = 0;
	for (uint32_t i = 0; i < n; i++) {
		assert(i == 0 || lex[i - 1] < lex[i]);
		put_bits(s, (uint64_t)i * lw, lw, lex[i] - lex[0]);
		end += npos[i];
		put_bits(s, ends + (uint64_t)i * ew, ew, end);
	}
}
