/* sx_entries: packs a document's search_doc into the block sx_entries.h
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

void sx_ents_pack(uint8_t *out, const sx_lex *lex, const uint32_t *npos, uint32_t n,
                  const uint16_t *pos)
{
	if (n == 0)
		return;
	widths w = widths_of(lex, npos, n, pos);
	/* a document's positions are counted in 32 bits */
	assert(w.npos <= UINT32_MAX);
	memset(out, 0, block_size(n, w.lw, w.ew, w.npos, w.pw));
	out[0] = (uint8_t)lex[0];
	out[1] = (uint8_t)(lex[0] >> 8);
	out[2] = (uint8_t)(lex[0] >> 16);
	out[3] = (uint8_t)(lex[0] >> 24);
	out[4] = (uint8_t)w.lw;
	out[5] = (uint8_t)w.ew;
	out[6] = (uint8_t)w.pw;
	uint8_t *s = out + SX_ENTS_HEAD;
	uint64_t ends = (uint64_t)n * w.lw, at = ends + (uint64_t)n * w.ew;
	uint32_t end = 0;
	for (uint32_t i = 0; i < n; i++) {
		assert(i == 0 || lex[i - 1] < lex[i]);
		put_bits(s, (uint64_t)i * w.lw, w.lw, lex[i] - lex[0]);
		end += npos[i];
		put_bits(s, ends + (uint64_t)i * w.ew, w.ew, end);
	}
	unsigned pb = w.pw - 2;
	for (uint64_t j = 0; j < w.npos; j++, at += w.pw)
		put_bits(s, at, w.pw, (uint32_t)(pos[j] >> 14) << pb | (pos[j] & 0x3fffu));
}
