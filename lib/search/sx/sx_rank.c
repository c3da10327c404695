/* sx_rank: ts_rank and ts_rank_cd over sx_index documents.
 *
 * A port of src/backend/utils/adt/tsrank.c of PostgreSQL 15 (calc_rank,
 * calc_rank_and, calc_rank_or, calc_rank_cd, get_docrep, Cover;
 * PostgreSQL Licence, (c) The PostgreSQL Global Development Group). The
 * arithmetic keeps PostgreSQL's float/double mix step by step (float
 * variables, double constants and libm calls) so that the results are
 * the same float4 values; the sources are compiled without FP
 * contraction (-std=c11). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/sx/sx_rank.h"
#include "search/sx/sx_tsq_int.h"

#define MAXENTRYPOS (1 << 14)

#define RANK_NORM_LOGLENGTH 0x01
#define RANK_NORM_LENGTH 0x02
#define RANK_NORM_EXTDIST 0x04
#define RANK_NORM_UNIQ 0x08
#define RANK_NORM_LOGUNIQ 0x10
#define RANK_NORM_RDIVRPLUS1 0x20

static const float default_weights[4] = {0.1f, 0.2f, 0.4f, 1.0f};

/* getWeights: a negative weight means the default one. */
static void get_weights(const float *in, float *ws)
{
	for (int i = 0; i < 4; i++)
		ws[i] = in[i] >= 0 ? in[i] : default_weights[i];
}

static float word_distance(int32_t w)
{
	if (w > 100)
		return 1e-30f;
	return 1.0 / (1.005 + 0.05 * exp(((float)w) / 1.5 - 2));
}

/* ---- the document as ts_filter(d, mask) leaves it --------------------- */

/* One lexeme's positions in the filtered document. null: the lexeme has
 * no positions (only without a filter; PostgreSQL's POSNULL). */
typedef struct {
	const sx_doc *d;
	uint32_t first; /* the document's positions first .. first + n - 1 */
	unsigned n;    /* positions before filtering */
	unsigned mask; /* keep p[i] when its weight bit is in mask */
	bool null;
} posview;

static bool find_entry(const sx_doc *d, unsigned mask, const sx_qnode *op, posview *v)
{
	if (op->lex == SX_NONE)
		return false;
	sx_entry e;
	if (!sx_doc_entry(d, op->lex, &e))
		return false;
	if (e.npos == 0) {
		if (mask != SX_MASK_ALL)
			return false; /* ts_filter drops lexemes without positions */
		*v = (posview){d, 0, 0, mask, true};
		return true;
	}
	*v = (posview){d, e.first, e.npos, mask, false};
	if (mask == SX_MASK_ALL)
		return true;
	for (unsigned i = 0; i < e.npos; i++)
		if (mask & (1u << SX_WEIGHT(sx_doc_pos(d, e.first + i))))
			return true;
	return false;
}

/* t->size and cnt_length(t) of the filtered document. */
static void doc_sizes(const sx_doc *d, unsigned mask, int *size, int *length)
{
	int sz = 0, len = 0;
	for (uint32_t i = 0, first = 0; i < d->nentries; i++) {
		uint32_t end = sx_doc_entry_end(d, i);
		if (mask == SX_MASK_ALL) {
			sz++;
			len += end > first ? (int)(end - first) : 1;
			first = end;
			continue;
		}
		int n = 0;
		for (uint32_t j = first; j < end; j++)
			if (mask & (1u << SX_WEIGHT(sx_doc_pos(d, j))))
				n++;
		if (n) {
			sz++;
			len += n;
		}
		first = end;
	}
	*size = sz;
	*length = len;
}

static bool doc_nonempty(const sx_doc *d, unsigned mask)
{
	if (mask == SX_MASK_ALL)
		return d->nentries > 0;
	/* the positions of every entry, in entry order, are pos[0 .. npos) */
	uint32_t n = sx_doc_npos(d);
	for (uint32_t j = 0; j < n; j++)
		if (mask & (1u << SX_WEIGHT(sx_doc_pos(d, j))))
			return true;
	return false;
}

/* The filtered positions of v, one by one: *wep the WordEntryPos. */
static bool pv_next(const posview *v, unsigned *i, uint16_t *wep)
{
	while (*i < v->n) {
		uint16_t p = sx_doc_pos(v->d, v->first + (*i)++);
		if (v->mask & (1u << SX_WEIGHT(p))) {
			*wep = p;
			return true;
		}
	}
	return false;
}

/* ---- ts_rank ---------------------------------------------------------- */

static float calc_rank_or(const float *w, const sx_doc *d, unsigned mask, const sx_tsq *q)
{
	float res = 0.0;
	int size = q->noperands;
	for (int i = 0; i < size; i++) {
		posview v;
		if (!find_entry(d, mask, q->operands[i], &v))
			continue;
		float resj = 0.0, wjm = -1.0;
		int32_t jm = 0;
		if (v.null) {
			/* posnull: one position 0 of weight D */
			resj = resj + w[0] / 1;
			wjm = w[0];
		} else {
			unsigned it = 0;
			uint16_t p;
			for (int32_t j = 0; pv_next(&v, &it, &p); j++) {
				resj = resj + w[SX_WEIGHT(p)] / ((j + 1) * (j + 1));
				if (w[SX_WEIGHT(p)] > wjm) {
					wjm = w[SX_WEIGHT(p)];
					jm = j;
				}
			}
		}
		res = res + (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685;
	}
	if (size > 0)
		res = res / size;
	return res;
}

static float calc_rank_and(const float *w, const sx_doc *d, unsigned mask, const sx_tsq *q)
{
	int size = q->noperands;
	if (size < 2)
		return calc_rank_or(w, d, mask, q);
	/* PostgreSQL's pos[]: the operands found so far (a query has few;
	 * the heap only for long ones, this runs once per candidate) */
	posview pv_local[16];
	bool found_local[16] = {false};
	posview *pv = pv_local;
	bool *found = found_local;
	if (size > 16) {
		pv = calloc((size_t)size, sizeof(*pv));
		found = calloc((size_t)size, sizeof(*found));
		if (!pv || !found)
			abort();
	}
	/* posnull here: position MAXENTRYPOS - 1, weight D */
	const uint16_t posnull = MAXENTRYPOS - 1;
	float res = -1.0;
	for (int i = 0; i < size; i++) {
		if (!find_entry(d, mask, q->operands[i], &pv[i]))
			continue;
		found[i] = true;
		for (int k = 0; k < i; k++) {
			if (!found[k])
				continue;
			unsigned il = 0;
			uint16_t post;
			for (;;) {
				if (pv[i].null) {
					if (il++ > 0)
						break;
					post = posnull;
				} else if (!pv_next(&pv[i], &il, &post)) {
					break;
				}
				unsigned ip = 0;
				uint16_t ct;
				for (;;) {
					if (pv[k].null) {
						if (ip++ > 0)
							break;
						ct = posnull;
					} else if (!pv_next(&pv[k], &ip, &ct)) {
						break;
					}
					int32_t dist = abs((int)SX_POS(post) - (int)SX_POS(ct));
					if (dist || pv[i].null || pv[k].null) {
						float curw;
						if (!dist)
							dist = MAXENTRYPOS;
						curw = sqrt(w[SX_WEIGHT(post)] * w[SX_WEIGHT(ct)] *
						            word_distance(dist));
						res = (res < 0) ? curw : 1.0 - (1.0 - res) * (1.0 - curw);
					}
				}
			}
		}
	}
	if (pv != pv_local) {
		free(pv);
		free(found);
	}
	return res;
}

float sx_rank(const float weights[4], const sx_doc *d, unsigned mask, const sx_tsq *q,
              int norm)
{
	float w[4];
	float res = 0.0;
	mask &= SX_MASK_ALL;
	if (!q->root || !doc_nonempty(d, mask))
		return 0.0;
	get_weights(weights, w);
	res = (q->root->op == SX_Q_AND || q->root->op == SX_Q_PHRASE)
	          ? calc_rank_and(w, d, mask, q)
	          : calc_rank_or(w, d, mask, q);
	if (res < 0)
		res = 1e-20f;
	if (norm & ~RANK_NORM_RDIVRPLUS1) {
		int size, length;
		doc_sizes(d, mask, &size, &length);
		if ((norm & RANK_NORM_LOGLENGTH) && size > 0)
			res /= log((double)(length + 1)) / log(2.0);
		if ((norm & RANK_NORM_LENGTH) && length > 0)
			res /= (float)length;
		if ((norm & RANK_NORM_UNIQ) && size > 0)
			res /= (float)size;
		if ((norm & RANK_NORM_LOGUNIQ) && size > 0)
			res /= log((double)(size + 1)) / log(2.0);
	}
	if (norm & RANK_NORM_RDIVRPLUS1)
		res /= (res + 1);
	return res;
}

bool sx_rank_by_sigs(const sx_tsq *q)
{
	return q->root && q->root->op != SX_Q_AND && q->root->op != SX_Q_PHRASE;
}

/* calc_rank_or's arithmetic, step for step, over the operands' weight
 * sequences read from their signatures instead of the document. */
float sx_rank_sigs(const float weights[4], const uint16_t *sigs, int n)
{
	float w[4];
	get_weights(weights, w);
	float res = 0.0;
	for (int i = 0; i < n; i++) {
		if (!sigs[i])
			continue;
		int32_t cnt = sigs[i] >> 12;
		float resj = 0.0, wjm = -1.0;
		int32_t jm = 0;
		for (int32_t j = 0; j < cnt; j++) {
			float wj = w[(sigs[i] >> j) & 1 ? 3 : 2];
			resj = resj + wj / ((j + 1) * (j + 1));
			if (wj > wjm) {
				wjm = wj;
				jm = j;
			}
		}
		res = res + (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685;
	}
	if (n > 0)
		res = res / n;
	if (res < 0)
		res = 1e-20f;
	return res;
}

/* ---- ts_rank_cd ------------------------------------------------------- */

/* DocRepresentation after get_docrep: one (position, lexeme) of the
 * document with the query items it satisfies (items[first .. +nitem)). */
typedef struct {
	uint16_t pos; /* WordEntryPos: position and weight */
	int entry;    /* the lexeme's rank in tsvector order (q->operands) */
	int item;     /* before merging: the query item */
	int first, nitem;
} docrep;

typedef struct {
	bool exists, reverse;
	int npos;
	uint16_t *pos; /* cap entries */
} qrop;

typedef struct {
	qrop *ops; /* by item index */
	int cap;
	const sx_qnode *root;
} qrep;

static int cmp_docrep(const void *va, const void *vb)
{
	const docrep *a = va, *b = vb;
	if (SX_POS(a->pos) == SX_POS(b->pos)) {
		if (SX_WEIGHT(a->pos) == SX_WEIGHT(b->pos)) {
			if (a->entry == b->entry)
				return 0;
			return a->entry > b->entry ? 1 : -1;
		}
		return SX_WEIGHT(a->pos) > SX_WEIGHT(b->pos) ? 1 : -1;
	}
	return SX_POS(a->pos) > SX_POS(b->pos) ? 1 : -1;
}

static sx_tern qr_check(void *arg, const sx_qnode *v, sx_pdata *data)
{
	const qrep *qr = arg;
	const qrop *op = &qr->ops[v - qr->root];
	if (!op->exists)
		return SX_T_NO;
	if (data) {
		data->npos = op->npos;
		data->pos = op->pos;
		if (op->reverse)
			data->pos += qr->cap - op->npos;
	}
	return SX_T_YES;
}

static void qr_reset(qrep *qr, int nitems, bool reverse)
{
	for (int i = 0; i < nitems; i++) {
		qr->ops[i].exists = false;
		qr->ops[i].reverse = reverse;
		qr->ops[i].npos = 0;
	}
}

static void qr_fill(qrep *qr, const docrep *e, const int *items)
{
	for (int i = 0; i < e->nitem; i++) {
		qrop *op = &qr->ops[items[e->first + i]];
		op->exists = true;
		int last;
		if (op->npos == 0) {
			last = op->reverse ? qr->cap - 1 : 0;
			op->pos[last] = e->pos;
			op->npos++;
			continue;
		}
		last = op->reverse ? qr->cap - op->npos : op->npos - 1;
		if (SX_POS(op->pos[last]) != SX_POS(e->pos)) {
			last = op->reverse ? qr->cap - 1 - op->npos : op->npos;
			op->pos[last] = e->pos;
			op->npos++;
		}
	}
}

typedef struct {
	int pos, p, q;
	int begin, end;
} cover_ext;

/* Cover, with its tail recursion as a loop. */
static bool cover(const docrep *doc, int len, const int *items, qrep *qr, int nitems,
                  cover_ext *ext, sx_scratch *s)
{
	for (;;) {
		int lastpos = ext->pos, ptr;
		bool found = false;

		qr_reset(qr, nitems, false);
		ext->p = INT_MAX;
		ext->q = 0;
		/* find upper bound of cover from current position, move up */
		for (ptr = ext->pos; ptr < len; ptr++) {
			qr_fill(qr, &doc[ptr], items);
			bool hit = sx_tsq_execute(qr->root, qr, qr_check, s);
			sx_scratch_reset(s);
			if (hit) {
				if (SX_POS(doc[ptr].pos) > ext->q) {
					ext->q = SX_POS(doc[ptr].pos);
					ext->end = ptr;
					lastpos = ptr;
					found = true;
				}
				break;
			}
		}
		if (!found)
			return false;

		qr_reset(qr, nitems, true);
		/* find lower bound of cover from found upper bound, move down */
		for (ptr = lastpos; ptr >= ext->pos; ptr--) {
			qr_fill(qr, &doc[ptr], items);
			bool hit = sx_tsq_execute(qr->root, qr, qr_check, s);
			sx_scratch_reset(s);
			if (hit) {
				if (SX_POS(doc[ptr].pos) < ext->p) {
					ext->begin = ptr;
					ext->p = SX_POS(doc[ptr].pos);
				}
				break;
			}
		}
		if (ext->p <= ext->q) {
			/* next try: the entry after the beginning of this cover */
			ext->pos = ptr + 1;
			return true;
		}
		ext->pos++;
	}
}

static int cmp_int(const void *va, const void *vb)
{
	int a = *(const int *)va, b = *(const int *)vb;
	return (a > b) - (a < b);
}

float sx_rank_cd(const float weights[4], const sx_doc *d, const sx_tsq *q, int norm)
{
	double Wdoc = 0.0, invws[4], SumDist = 0.0, PrevExtPos = 0.0;
	int NExtent = 0;
	float w[4];
	get_weights(weights, w);
	for (int i = 0; i < 4; i++)
		invws[i] = 1.0 / (double)w[i];

	int nitems = sx_tsq_nnodes(q);
	if (nitems == 0)
		return 0.0;

	/* get_docrep: every position of every operand item (weights of the
	 * item respected), lexemes without positions ignored */
	int cur = 0;
	for (int i = 0; i < nitems; i++) {
		const sx_qnode *it = &q->root[i];
		if (it->op != SX_Q_VAL || it->lex == SX_NONE)
			continue;
		sx_entry e;
		if (sx_doc_entry(d, it->lex, &e))
			cur += (int)e.npos;
	}
	if (cur == 0)
		return 0.0;
	docrep *doc = malloc(sizeof(*doc) * (size_t)cur);
	int *items = malloc(sizeof(*items) * (size_t)cur);
	if (!doc || !items)
		abort();
	cur = 0;
	for (int i = 0; i < nitems; i++) {
		const sx_qnode *it = &q->root[i];
		if (it->op != SX_Q_VAL || it->lex == SX_NONE)
			continue;
		sx_entry e;
		if (!sx_doc_entry(d, it->lex, &e))
			continue;
		/* tsvector order of the lexeme: its rank among the operands */
		int rank = 0;
		while (rank < q->noperands && strcmp(q->operands[rank]->text, it->text) != 0)
			rank++;
		for (unsigned j = 0; j < e.npos; j++) {
			uint16_t p = sx_doc_pos(d, e.first + j);
			if (it->weights == 0 || (it->weights & (1u << SX_WEIGHT(p))))
				doc[cur++] = (docrep){.pos = p, .entry = rank, .item = i};
		}
	}
	if (cur == 0) {
		free(doc);
		free(items);
		return 0.0;
	}
	qsort(doc, (size_t)cur, sizeof(*doc), cmp_docrep);
	/* join the query items per lexeme and position */
	int doclen = 0;
	for (int r = 0; r < cur;) {
		int g = r;
		docrep head = doc[r];
		head.first = r;
		head.nitem = 0;
		while (g < cur && doc[g].pos == head.pos && doc[g].entry == head.entry) {
			items[r + head.nitem++] = doc[g].item;
			g++;
		}
		/* the order of a group's items does not change any result;
		 * sorted, it does not depend on qsort's */
		qsort(items + r, (size_t)head.nitem, sizeof(int), cmp_int);
		doc[doclen++] = head;
		r = g;
	}

	qrep qr = {calloc((size_t)nitems, sizeof(qrop)), doclen, q->root};
	uint16_t *posmem = malloc(sizeof(uint16_t) * (size_t)doclen * (size_t)nitems);
	if (!qr.ops || !posmem)
		abort();
	for (int i = 0; i < nitems; i++)
		qr.ops[i].pos = posmem + (size_t)i * (size_t)doclen;

	sx_scratch s;
	sx_scratch_init(&s);
	cover_ext ext;
	memset(&ext, 0, sizeof(ext));
	while (cover(doc, doclen, items, &qr, nitems, &ext, &s)) {
		double Cpos = 0.0, InvSum = 0.0, CurExtPos;
		int nNoise;
		for (int ptr = ext.begin; ptr <= ext.end; ptr++)
			InvSum += invws[SX_WEIGHT(doc[ptr].pos)];
		Cpos = ((double)(ext.end - ext.begin + 1)) / InvSum;
		/* if the doc is big enough, ext.q may equal ext.p because of the
		 * position limit: then count half the cover as noise */
		nNoise = (ext.q - ext.p) - (ext.end - ext.begin);
		if (nNoise < 0)
			nNoise = (ext.end - ext.begin) / 2;
		Wdoc += Cpos / ((double)(1 + nNoise));
		CurExtPos = ((double)(ext.q + ext.p)) / 2.0;
		if (NExtent > 0 && CurExtPos > PrevExtPos)
			SumDist += 1.0 / (CurExtPos - PrevExtPos);
		PrevExtPos = CurExtPos;
		NExtent++;
	}
	sx_scratch_done(&s);
	free(posmem);
	free(qr.ops);
	free(items);
	free(doc);

	int size = 0, length = 0;
	if (norm & (RANK_NORM_LOGLENGTH | RANK_NORM_LENGTH | RANK_NORM_UNIQ | RANK_NORM_LOGUNIQ))
		doc_sizes(d, SX_MASK_ALL, &size, &length);
	if ((norm & RANK_NORM_LOGLENGTH) && size > 0)
		Wdoc /= log((double)(length + 1));
	if ((norm & RANK_NORM_LENGTH) && length > 0)
		Wdoc /= (double)length;
	if ((norm & RANK_NORM_EXTDIST) && NExtent > 0 && SumDist > 0)
		Wdoc /= ((double)NExtent) / SumDist;
	if ((norm & RANK_NORM_UNIQ) && size > 0)
		Wdoc /= (double)size;
	if ((norm & RANK_NORM_LOGUNIQ) && size > 0)
		Wdoc /= log((double)(size + 1)) / log(2.0);
	if (norm & RANK_NORM_RDIVRPLUS1)
		Wdoc /= (Wdoc + 1);
	return (float)Wdoc;
}
