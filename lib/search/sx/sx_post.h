/* sx_post: a lexeme's posting list (the slots holding it, ascending,
 * with the lexeme's title signature in each: sx_index.h, SX_SIG_MORE),
 * delta-coded in blocks: at a million products ~1 byte a posting
 * instead of 4 (+2 for a signature).
 *
 * Index snapshots (sx_snap.c) hold the blocks as they are: a change of
 * this coding changes SX_SNAP_VERSION too.
 *
 * A list is an array of block headers (the block's first slot, its
 * count, the width of its gaps) and, per block, one buffer from the
 * list's slab (sx_slab.h: the index's own memory; malloc without one):
 *   - the n - 1 gaps (slot minus the previous slot minus 1), `width`
 *     bits each (0..32), as one little-endian bit stream;
 *   - when the block has a signature other than 0 (`sigs` set): a bitmap
 *     of n bits (the postings whose signature is not 0), then those
 *     signatures, 2 bytes each, little-endian, in posting order;
 *   - padding, so that a 64-bit load at any gap's byte stays inside.
 * A block of one posting and no signature has no buffer.
 *
 * A load builds blocks of SX_PB_N postings; a refresh that adds or
 * removes a posting decodes its one block, changes it and codes it again
 * (splitting it in two past SX_PB_MAX), so a change costs a block, never
 * the list. Readers decode a whole list (sx_plist_decode) or walk it with
 * a cursor that gallops over the blocks' first slots and decodes only
 * the blocks it lands in (sx_pcur). */
#ifndef SOUK_SX_POST_H
#define SOUK_SX_POST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "search/sx/sx_slab.h"

typedef uint32_t sx_slot; /* as sx_index.h */

#define SX_PB_N 128   /* postings a block when a list is built */
#define SX_PB_MAX 256 /* a block split in two past this */

typedef struct {
	sx_slot first;  /* the block's first slot */
	uint16_t n;     /* postings, 1..SX_PB_MAX */
	uint8_t width;  /* bits a gap */
	uint8_t sigs;   /* 1: the bitmap and signatures follow the gaps */
	uint8_t *data;  /* NULL: n 1 and no signature */
} sx_pblock;

typedef struct {
	sx_pblock *b;
	uint32_t nb, bcap;
	uint32_t n;   /* postings */
	uint32_t df;  /* live documents holding the lexeme (sx_index.c's) */
	/* a signature other than 0 was ever posted: without it every
	 * signature is 0 and readers need not decode them */
	bool sigs;
	/* where the headers and blocks come from (NULL: malloc); lists
	 * whose blocks move between them (sx_plist_concat) share one */
	sx_slab *slab;
} sx_plist;

/* Replaces pl's postings by slots[0..n) (ascending) with signatures sigs
 * (NULL: all 0); df is kept. */
void sx_plist_build(sx_plist *pl, const sx_slot *slots, const uint16_t *sigs, uint32_t n);
/* Adds slot s with signature sig, or sets the signature of s already
 * there. */
void sx_plist_add(sx_plist *pl, sx_slot s, uint16_t sig);
/* Removes s; no-op when absent. */
void sx_plist_remove(sx_plist *pl, sx_slot s);
/* Frees the blocks; pl is empty (df kept). */
void sx_plist_clear(sx_plist *pl);
/* The same when pl's slab is about to be released whole: only what
 * came from malloc is freed, not each block. */
void sx_plist_drop(sx_plist *pl);
/* Bytes held: headers and block buffers as requested from malloc. */
size_t sx_plist_bytes(const sx_plist *pl);

/* Appends one block of slots[0..n) (1..SX_PB_MAX, ascending, all past
 * the list's last) to pl: the load's build, in slot order. */
void sx_plist_append_block(sx_plist *pl, const sx_slot *slots, const uint16_t *sigs, uint32_t n);

/* Moves tail's blocks after pl's (every slot of tail past pl's last):
 * tail is left empty, its block buffers now pl's; pl's df is kept.
 * tail's memory must be pl's slab's (sx_slab_take it first). */
void sx_plist_concat(sx_plist *pl, sx_plist *tail);

/* Decodes block b into slots (and sigs unless NULL); returns b->n. */
/* The bytes of b's data (the gaps, then the bitmap and signatures)
 * without its padding: what a snapshot copies (sx_snap.c). */
size_t sx_pblock_data_bytes(const sx_pblock *b);
/* Gives b, a block of pl (its first, n, width and sigs already set), a
 * copy of data, padded as a block coded here is; -1 (b->data NULL) when
 * the header and the bytes do not agree. */
int sx_pblock_restore(sx_plist *pl, sx_pblock *b, const uint8_t *data, size_t bytes);
/* Room for exactly nb block headers in pl (empty: what it held is
 * freed), zeroed: a load knows each list's length. */
void sx_plist_reserve_empty(sx_plist *pl, uint32_t nb);

uint32_t sx_pblock_decode(const sx_pblock *b, sx_slot *slots, uint16_t *sigs);
/* Decodes the whole list into out (room for pl->n) and, unless NULL,
 * sigs; returns pl->n. */
uint32_t sx_plist_decode(const sx_plist *pl, sx_slot *out, uint16_t *sigs);

/* A cursor over a list that only moves forward. */
typedef struct {
	const sx_plist *pl;
	uint32_t blk;   /* the block in slot/sig; pl->nb: none yet */
	uint32_t at, n; /* the posting it is at, in slot/sig; n of the block */
	sx_slot slot[SX_PB_MAX];
	uint16_t sig[SX_PB_MAX];
} sx_pcur;

void sx_pcur_init(sx_pcur *c, const sx_plist *pl);
/* Moves to the first posting >= s (never backwards: s at least the last
 * one asked) and returns its slot; SX_NONE past the end. c->sig[c->at]
 * is then its signature. */
sx_slot sx_pcur_seek(sx_pcur *c, sx_slot s);

#endif
