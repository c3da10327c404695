/* sx_tsq: a tsquery, in the text PostgreSQL prints for one
 * ("'black' & 'run' <-> 'shoe' | !'leather'"), parsed into a tree over
 * the index's lexeme ids, and matched the way PostgreSQL's @@ matches:
 * against one document (optionally restricted to some weights, as
 * ts_filter would restrict it) or against the whole index through the
 * posting lists (phrases checked on the positions). */
#ifndef SOUK_SX_TSQ_H
#define SOUK_SX_TSQ_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "search/sx/sx_index.h"

typedef enum { SX_Q_VAL, SX_Q_NOT, SX_Q_AND, SX_Q_OR, SX_Q_PHRASE } sx_qop;

typedef struct sx_qnode {
	sx_qop op;
	/* SX_Q_VAL: the lexeme (SX_NONE: no product has it; it matches
	 * nothing), its text, the weights it is restricted to (":AB"; 0 =
	 * any) and whether it is a prefix (":*"). */
	sx_lex lex;
	const char *text;
	unsigned weights;
	bool prefix;
	/* SX_Q_PHRASE: "<N>" distance (<-> is 1) */
	uint16_t distance;
	struct sx_qnode *left, *right; /* SX_Q_NOT: left only */
} sx_qnode;

typedef struct {
	sx_qnode *root;    /* NULL: the empty query, which matches nothing */
	/* the distinct VAL operands in the order PostgreSQL's ranking
	 * functions see them (for sx_rank) */
	const sx_qnode **operands;
	int noperands;
} sx_tsq;

/* Parses tsquery text (NULL or "" is the empty query). Lexeme ids are
 * looked up in ix (caller holds the read lock). Everything lives in a.
 * SOUK_OK, or SOUK_ERR for text it cannot parse (then the caller
 * answers with the SQL engine instead). */
int sx_tsq_parse(arena *a, const sx_index *ix, const char *text, sx_tsq *out);

/* d @@ q, counting only positions whose weight is in `weights`
 * (SX_MASK_ALL: the whole document; SX_MASK_A: ts_filter(d, '{a}')). */
bool sx_tsq_match(const sx_doc *d, const sx_tsq *q, unsigned weights);

/* Every live slot whose document matches q, ascending, in a (NULL and 0
 * for the empty query). A query that is only negations scans every
 * slot, as PostgreSQL would. SOUK_OK or SOUK_ERR (out of memory). */
int sx_tsq_match_all(arena *a, const sx_index *ix, const sx_tsq *q, sx_slot **out,
                     uint32_t *n);

/* The first index >= lo of ascending v[0..n) holding a slot >= x
 * (galloping, then binary search: a sparse side steps over a dense one).
 * Inline: it runs in the match loops of sx_tsq.c and sx_search.c. */
static inline uint32_t sx_slot_gallop(const sx_slot *v, uint32_t lo, uint32_t n, sx_slot x)
{
	uint32_t hi = lo, step = 1;
	while (hi < n && v[hi] < x) {
		lo = hi + 1;
		hi += step;
		step <<= 1;
	}
	if (hi > n)
		hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif
