/* sx_entries: a document's search_doc (its lexemes, how many positions
 * each, the positions), bit-packed in one block: at a million products
 * ~3 bytes an entry instead of 8 and ~10 bits a position instead of 16.
 *
 * Index snapshots (sx_snap.c) hold these blocks as they are: a change
 * of this layout changes SX_SNAP_VERSION too.
 *
 * Layout of one document's block (sx_ents_pack writes it):
 *   bytes 0-3  base: the smallest lexeme id, little-endian
 *   byte 4     lw: bits per lexeme (0..32)
 *   byte 5     ew: bits per end (0..32)
 *   byte 6     pw: bits per position (2..16: the weight, then the
 *              bits of the document's largest position)
 *   then, as one little-endian bit stream:
 *   - the n lexeme ids minus base, ascending, lw bits each;
 *   - the n ends, ew bits each: end[i] is the running sum of the
 *     position counts of entries 0..i, so entry i's positions are
 *     positions [end[i-1], end[i]) (end[-1] = 0): the first position's
 *     index is not stored, and any number of positions fits;
 *   - the positions, entry after entry (each entry's as PostgreSQL
 *     orders them), pw bits each: the weight in the top 2 bits;
 *   then padding, so that a 64-bit load at any value's byte stays inside.
 * Widths are per document (the smallest that hold its span of ids, its
 * position count, its largest position), so every value is read with
 * one load, a shift and a mask, and a lookup stays a binary search over
 * the lexeme ids: no sequential decoding (the second ranking pass and
 * phrase checks look up a few lexemes in many documents). A document
 * without entries has no block (NULL). */
#ifndef SOUK_SX_ENTRIES_H
#define SOUK_SX_ENTRIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint32_t sx_lex; /* a lexeme's id */

/* One lexeme of a document, decoded (a WordEntry): its positions are
 * positions first .. first + npos - 1 of the document (sx_ents_pos; npos
 * 0: a lexeme without positions, which PostgreSQL counts as one
 * position of weight D). */
typedef struct {
	sx_lex lex;
	uint32_t npos;
	uint32_t first;
} sx_entry;

#define SX_ENTS_HEAD 7u

/* The value of w bits (w <= 32) at bit offset off of the stream at b. */
static inline uint32_t sx_ents_bits(const uint8_t *b, uint64_t off, unsigned w)
{
	uint64_t v;
	memcpy(&v, b + (off >> 3), sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return (uint32_t)((v >> (off & 7)) & ((UINT64_C(1) << w) - 1));
}

static inline uint32_t sx_ents_base(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Entry i (< n) of the block b of n entries, its lexeme l already known. */
static inline sx_entry sx_ents_at_lex(const uint8_t *b, uint32_t n, uint32_t i, sx_lex l)
{
	unsigned ew = b[5];
	const uint8_t *s = b + SX_ENTS_HEAD;
	uint64_t ends = (uint64_t)n * b[4];
	uint32_t end = sx_ents_bits(s, ends + (uint64_t)i * ew, ew);
	uint32_t first = i ? sx_ents_bits(s, ends + (uint64_t)(i - 1) * ew, ew) : 0;
	return (sx_entry){l, end - first, first};
}

/* Entry i (< n) of the block b of n entries. */
static inline sx_entry sx_ents_at(const uint8_t *b, uint32_t n, uint32_t i)
{
	unsigned lw = b[4];
	sx_lex l = sx_ents_base(b) + sx_ents_bits(b + SX_ENTS_HEAD, (uint64_t)i * lw, lw);
	return sx_ents_at_lex(b, n, i, l);
}

/* The entry of lexeme l in the block b of n entries: true with *e set,
 * false when the document lacks l. A binary search without branches to
 * mispredict (conditional moves). */
static inline bool sx_ents_find(const uint8_t *b, uint32_t n, sx_lex l, sx_entry *e)
{
	if (n == 0)
		return false;
	uint32_t base = sx_ents_base(b);
	unsigned lw = b[4];
	if (l < base || (lw < 32 && (l - base) >> lw))
		return false;
	uint32_t key = l - base, lo = 0, m = n;
	const uint8_t *s = b + SX_ENTS_HEAD;
	if (lw == 16) {
		/* the common width (a lexicon under 65,536 lexemes, or a
		 * document's span under it): byte-aligned 16-bit loads, as
		 * fast as the plain array the packing replaced */
		while (m > 1) {
			uint32_t half = m / 2;
			uint16_t v;
			memcpy(&v, s + 2 * (size_t)(lo + half), sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			v = __builtin_bswap16(v);
#endif
			lo = v <= key ? lo + half : lo;
			m -= half;
		}
	} else {
		while (m > 1) {
			uint32_t half = m / 2;
			lo = sx_ents_bits(s, (uint64_t)(lo + half) * lw, lw) <= key ? lo + half : lo;
			m -= half;
		}
	}
	if (sx_ents_bits(s, (uint64_t)lo * lw, lw) != key)
		return false;
	*e = sx_ents_at_lex(b, n, lo, l);
	return true;
}

/* End i (< n) of the block b of n entries: entry i's positions end
 * there, entry i + 1's start (a walk over every entry reads one value
 * an entry instead of sx_ents_at's three). */
static inline uint32_t sx_ents_end(const uint8_t *b, uint32_t n, uint32_t i)
{
	return sx_ents_bits(b + SX_ENTS_HEAD, (uint64_t)n * b[4] + (uint64_t)i * b[5], b[5]);
}

/* The document's positions, all entries': the last end (0 for none). */
static inline uint32_t sx_ents_npos(const uint8_t *b, uint32_t n)
{
	return n ? sx_ents_end(b, n, n - 1) : 0;
}

/* Position j (< sx_ents_npos) of the block b of n entries, as a
 * WordEntryPos (sx_index.h: SX_POS, SX_WEIGHT). */
static inline uint16_t sx_ents_pos(const uint8_t *b, uint32_t n, uint32_t j)
{
	unsigned pw = b[6], pb = pw - 2;
	uint64_t off = (uint64_t)n * ((unsigned)b[4] + b[5]) + (uint64_t)j * pw;
	uint32_t v = sx_ents_bits(b + SX_ENTS_HEAD, off, pw);
	return (uint16_t)((v >> pb) << 14 | (v & ((1u << pb) - 1)));
}

/* Bytes of the block of n entries at b (0 for none). */
size_t sx_ents_bytes(const uint8_t *b, uint32_t n);
/* Of those, the positions' (what the breakdown of the index's memory
 * counts apart). */
size_t sx_ents_pos_bytes(const uint8_t *b, uint32_t n);

/* Packs n entries (lexemes ascending and distinct, npos[i] positions
 * each; pos: their WordEntryPos, entry after entry, as many as the
 * counts add up to, at most UINT32_MAX) into a block of
 * sx_ents_size(...) bytes at out. */
size_t sx_ents_size(const sx_lex *lex, const uint32_t *npos, uint32_t n, const uint16_t *pos);
void sx_ents_pack(uint8_t *out, const sx_lex *lex, const uint32_t *npos, uint32_t n,
                  const uint16_t *pos);

#endif
