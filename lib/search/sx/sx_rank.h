/* sx_rank: PostgreSQL's ts_rank and ts_rank_cd (src/backend/utils/adt/
 * tsrank.c) over an sx_index document, giving the same float4 values so
 * the in-memory engine orders results exactly as the SQL one. */
#ifndef SOUK_SX_RANK_H
#define SOUK_SX_RANK_H

#include "search/sx/sx_index.h"
#include "search/sx/sx_tsq.h"

/* weights: PostgreSQL's order {D, C, B, A}, each in [0, 1]. */

/* ts_rank(weights, ts_filter(d, mask), q, norm) — the first ranking pass
 * uses mask SX_MASK_A | SX_MASK_B (search_title) and norm 0. */
float sx_rank(const float weights[4], const sx_doc *d, unsigned mask, const sx_tsq *q,
              int norm);

/* The first pass without the document: when sx_rank_by_sigs(q) (its
 * root is no AND nor phrase: calc_rank_or), sx_rank(weights, d,
 * SX_MASK_A | SX_MASK_B, q, 0) equals sx_rank_sigs(weights, sigs,
 * q->noperands) bit for bit, sigs[i] being operand i's signature in d
 * (sx_index_post_sigs; 0 when d lacks it; never SX_SIG_MORE: read the
 * document then). */
bool sx_rank_by_sigs(const sx_tsq *q);
float sx_rank_sigs(const float weights[4], const uint16_t *sigs, int n);

/* ts_rank_cd(weights, d, q, norm) over the whole document. */
float sx_rank_cd(const float weights[4], const sx_doc *d, const sx_tsq *q, int norm);

#endif
