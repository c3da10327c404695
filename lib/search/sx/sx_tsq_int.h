/* sx_tsq_int: what sx_tsq.c shares with sx_rank.c: PostgreSQL's
 * TS_execute (three-valued, phrase positions) over an operand callback,
 * and the scratch memory phrase evaluation writes positions into. */
#ifndef SOUK_SX_TSQ_INT_H
#define SOUK_SX_TSQ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "search/sx/sx_tsq.h"

/* PostgreSQL's TSTernaryValue. */
typedef enum { SX_T_NO, SX_T_YES, SX_T_MAYBE } sx_tern;

/* PostgreSQL's ExecPhraseData: positions ascending and unique (only the
 * low 14 bits are read, SX_POS), negate, width (see TS_phrase_execute). */
typedef struct {
	int npos;
	bool negate;
	int width;
	const uint16_t *pos;
} sx_pdata;

/* Whether operand v is present; when data is not NULL, also where (the
 * caller's data is zeroed). SX_T_MAYBE: present, positions unknown. */
typedef sx_tern (*sx_check_fn)(void *arg, const sx_qnode *v, sx_pdata *data);

/* Bump memory for position lists: a small local block, then malloc'd
 * blocks (aborting when malloc fails, like the arena) that
 * sx_scratch_reset and sx_scratch_done free. */
typedef struct sx_blk sx_blk;
typedef struct {
	uint16_t local[2048];
	size_t used;
	sx_blk *blk;
} sx_scratch;

void sx_scratch_init(sx_scratch *s);
uint16_t *sx_scratch_get(sx_scratch *s, size_t n);
void sx_scratch_reset(sx_scratch *s);
void sx_scratch_done(sx_scratch *s);

/* TS_execute(root, arg, TS_EXEC_EMPTY, chk): NOT computed, a phrase whose
 * positions are unknown does not match. */
bool sx_tsq_execute(const sx_qnode *root, void *arg, sx_check_fn chk, sx_scratch *s);

/* sx_tsq_parse lays the nodes out as PostgreSQL lays out a tsquery's
 * items: one array, root first, then an operator's right operand, then
 * its left one. A node's item index is node - q->root; nnodes counts
 * them (0 for the empty query). */
int sx_tsq_nnodes(const sx_tsq *q);

#endif
