/* sx_tsq: tsquery text -> tree; PostgreSQL 15's @@ on one document and
 * over the whole index through the posting lists.
 *
 * The evaluation is a port of PostgreSQL's TS_execute_recurse,
 * TS_phrase_execute and TS_phrase_output (src/backend/utils/adt/
 * tsvector_op.c, REL_15; PostgreSQL Licence, (c) The PostgreSQL Global
 * Development Group) over sx_qnode trees instead of QueryItem arrays. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "search/sx/sx_tsq_int.h"

/* ---- scratch memory ---------------------------------------------------- */

struct sx_blk {
	sx_blk *next;
	size_t cap, used;
	uint16_t v[];
};

void sx_scratch_init(sx_scratch *s)
{
	s->used = 0;
	s->blk = NULL;
}

uint16_t *sx_scratch_get(sx_scratch *s, size_t n)
{
	size_t nlocal = sizeof(s->local) / sizeof(s->local[0]);
	if (n == 0)
		n = 1;
	if (s->used + n <= nlocal) {
		uint16_t *r = s->local + s->used;
		s->used += n;
		return r;
	}
	if (!s->blk || s->blk->used + n > s->blk->cap) {
		size_t cap = n > 16384 ? n : 16384;
		sx_blk *b = malloc(sizeof(*b) + cap * sizeof(uint16_t));
		if (!b)
			abort();
		b->next = s->blk;
		b->cap = cap;
		b->used = 0;
		s->blk = b;
	}
	uint16_t *r = s->blk->v + s->blk->used;
	s->blk->used += n;
	return r;
}

void sx_scratch_reset(sx_scratch *s)
{
	sx_scratch_done(s);
	s->used = 0;
}

void sx_scratch_done(sx_scratch *s)
{
	while (s->blk) {
		sx_blk *n = s->blk->next;
		free(s->blk);
		s->blk = n;
	}
}

/* ---- parsing ------------------------------------------------------------ */

typedef struct {
	const char *p, *end;
	arena *a;
	const sx_index *ix;
	int nnodes;
	bool failed;
} parser;

static void skip_space(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	                           *ps->p == '\r'))
		ps->p++;
}

static sx_qnode *new_node(parser *ps, sx_qop op)
{
	sx_qnode *n = arena_zalloc(ps->a, sizeof(*n));
	if (!n) {
		ps->failed = true;
		return NULL;
	}
	n->op = op;
	n->lex = SX_NONE;
	ps->nnodes++;
	return n;
}

static sx_qnode *parse_or(parser *ps);

/* 'text' with '' and backslash escapes (tsqueryout's quoting), then
 * optionally ':' and any of * A B C D. */
static sx_qnode *parse_operand(parser *ps)
{
	ps->p++; /* the opening quote */
	buf b;
	buf_init(&b, ps->a, 0);
	for (;;) {
		if (ps->p >= ps->end)
			return NULL;
		char ch = *ps->p;
		if (ch == '\'') {
			if (ps->p + 1 < ps->end && ps->p[1] == '\'') {
				buf_putc(&b, '\'');
				ps->p += 2;
				continue;
			}
			ps->p++;
			break;
		}
		if (ch == '\\') {
			if (ps->p + 1 >= ps->end)
				return NULL;
			ch = ps->p[1];
			ps->p++;
		}
		buf_putc(&b, ch);
		ps->p++;
	}
	if (b.failed) {
		ps->failed = true;
		return NULL;
	}
	sx_qnode *n = new_node(ps, SX_Q_VAL);
	if (!n)
		return NULL;
	n->text = b.p ? b.p : arena_strdup(ps->a, "");
	if (!n->text) {
		ps->failed = true;
		return NULL;
	}
	if (ps->p < ps->end && *ps->p == ':') {
		ps->p++;
		for (; ps->p < ps->end; ps->p++) {
			char c = *ps->p;
			if (c == '*')
				n->prefix = true;
			else if (c == 'A' || c == 'a')
				n->weights |= SX_MASK_A;
			else if (c == 'B' || c == 'b')
				n->weights |= SX_MASK_B;
			else if (c == 'C' || c == 'c')
				n->weights |= SX_MASK_C;
			else if (c == 'D' || c == 'd')
				n->weights |= SX_MASK_D;
			else
				break;
		}
	}
	n->lex = ps->ix ? sx_index_lexeme(ps->ix, n->text, b.len) : SX_NONE;
	return n;
}

static sx_qnode *parse_unary(parser *ps)
{
	skip_space(ps);
	if (ps->p >= ps->end)
		return NULL;
	if (*ps->p == '!') {
		ps->p++;
		sx_qnode *child = parse_unary(ps);
		if (!child)
			return NULL;
		sx_qnode *n = new_node(ps, SX_Q_NOT);
		if (n)
			n->left = child;
		return n;
	}
	if (*ps->p == '(') {
		ps->p++;
		sx_qnode *n = parse_or(ps);
		skip_space(ps);
		if (!n || ps->p >= ps->end || *ps->p != ')')
			return NULL;
		ps->p++;
		return n;
	}
	if (*ps->p == '\'')
		return parse_operand(ps);
	return NULL;
}

/* "<->" is distance 1, "<N>" distance N (0 .. 16384, as PostgreSQL). */
static int parse_distance(parser *ps, uint16_t *dist)
{
	ps->p++; /* '<' */
	if (ps->p + 1 < ps->end && ps->p[0] == '-' && ps->p[1] == '>') {
		ps->p += 2;
		*dist = 1;
		return SOUK_OK;
	}
	long v = 0;
	const char *start = ps->p;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9' && v <= 16384)
		v = v * 10 + (*ps->p++ - '0');
	if (ps->p == start || v > 16384 || ps->p >= ps->end || *ps->p != '>')
		return SOUK_ERR;
	ps->p++;
	*dist = (uint16_t)v;
	return SOUK_OK;
}

/* Equal priorities group to the left; PostgreSQL prints a right operand
 * that is a phrase in parentheses, and & and | are associative. */
static sx_qnode *parse_phrase(parser *ps)
{
	sx_qnode *l = parse_unary(ps);
	for (;;) {
		if (!l)
			return NULL;
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != '<')
			return l;
		uint16_t dist;
		if (parse_distance(ps, &dist) != SOUK_OK)
			return NULL;
		sx_qnode *r = parse_unary(ps);
		sx_qnode *n = r ? new_node(ps, SX_Q_PHRASE) : NULL;
		if (!n)
			return NULL;
		n->distance = dist;
		n->left = l;
		n->right = r;
		l = n;
	}
}

static sx_qnode *parse_binary(parser *ps, char opch)
{
	sx_qnode *l = opch == '|' ? parse_binary(ps, '&') : parse_phrase(ps);
	for (;;) {
		if (!l)
			return NULL;
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != opch)
			return l;
		ps->p++;
		sx_qnode *r = opch == '|' ? parse_binary(ps, '&') : parse_phrase(ps);
		sx_qnode *n = r ? new_node(ps, opch == '|' ? SX_Q_OR : SX_Q_AND) : NULL;
		if (!n)
			return NULL;
		n->left = l;
		n->right = r;
		l = n;
	}
}

static sx_qnode *parse_or(parser *ps) { return parse_binary(ps, '|'); }

/* Copies the tree into arr in PostgreSQL's item order (node, right
 * operand, left operand); returns the copy of n. */
static sx_qnode *lay_out(const sx_qnode *n, sx_qnode *arr, int *next)
{
	sx_qnode *c = &arr[(*next)++];
	*c = *n;
	if (n->op == SX_Q_NOT) {
		c->left = lay_out(n->left, arr, next);
	} else if (n->op != SX_Q_VAL) {
		c->right = lay_out(n->right, arr, next);
		c->left = lay_out(n->left, arr, next);
	}
	return c;
}

int sx_tsq_nnodes(const sx_tsq *q)
{
	if (!q->root)
		return 0;
	/* The array is contiguous: walk the subtree sizes. */
	int n = 0, pending = 1;
	for (const sx_qnode *c = q->root; pending > 0; c++, n++) {
		pending--;
		if (c->op == SX_Q_NOT)
			pending += 1;
		else if (c->op != SX_Q_VAL)
			pending += 2;
	}
	return n;
}

int sx_tsq_parse(arena *a, const sx_index *ix, const char *text, sx_tsq *out)
{
	memset(out, 0, sizeof(*out));
	if (!text)
		return SOUK_OK;
	parser ps = {.p = text, .end = text + strlen(text), .a = a, .ix = ix};
	skip_space(&ps);
	if (ps.p == ps.end)
		return SOUK_OK;
	sx_qnode *tree = parse_or(&ps);
	skip_space(&ps);
	if (!tree || ps.failed || ps.p != ps.end)
		return SOUK_ERR;

	sx_qnode *arr = arena_alloc(a, sizeof(*arr) * (size_t)ps.nnodes);
	const sx_qnode **ops = arena_alloc(a, sizeof(*ops) * (size_t)ps.nnodes);
	if (!arr || !ops)
		return SOUK_ERR;
	int next = 0;
	out->root = lay_out(tree, arr, &next);

	/* SortAndUniqItems (tsrank.c): the operands in item order, sorted by
	 * tsCompareString (bytes, then length: strcmp for lexemes, which hold
	 * no NUL), duplicates dropped. Prefix matching is not implemented: the
	 * caller answers such queries with the SQL engine. */
	int nops = 0;
	for (int i = 0; i < next; i++) {
		if (arr[i].op != SX_Q_VAL)
			continue;
		if (arr[i].prefix)
			return SOUK_ERR;
		int j = nops++;
		while (j > 0 && strcmp(ops[j - 1]->text, arr[i].text) > 0) {
			ops[j] = ops[j - 1];
			j--;
		}
		ops[j] = &arr[i];
	}
	int u = 0;
	for (int i = 0; i < nops; i++)
		if (u == 0 || strcmp(ops[u - 1]->text, ops[i]->text) != 0)
			ops[u++] = ops[i];
	out->operands = ops;
	out->noperands = u;
	return SOUK_OK;
}

/* ---- TS_execute ------------------------------------------------------- */

#define TSPO_L_ONLY 0x01 /* emit positions appearing only in L */
#define TSPO_R_ONLY 0x02 /* emit positions appearing only in R */
#define TSPO_BOTH 0x04   /* emit positions appearing in both L&R */

/* TS_phrase_output: merges L and R (offsets added) as emit says into
 * data (NULL: only whether anything would be emitted). */
static sx_tern phrase_output(sx_scratch *s, sx_pdata *data, const sx_pdata *L,
                             const sx_pdata *R, int emit, int Loffset, int Roffset,
                             int max_npos)
{
	int Li = 0, Ri = 0;
	uint16_t *out = NULL;
	while (Li < L->npos || Ri < R->npos) {
		int Lpos, Rpos, output_pos = 0;
		if (Li < L->npos) {
			Lpos = SX_POS(L->pos[Li]) + Loffset;
		} else {
			if (!(emit & TSPO_R_ONLY))
				break;
			Lpos = INT_MAX;
		}
		if (Ri < R->npos) {
			Rpos = SX_POS(R->pos[Ri]) + Roffset;
		} else {
			if (!(emit & TSPO_L_ONLY))
				break;
			Rpos = INT_MAX;
		}
		if (Lpos < Rpos) {
			if (emit & TSPO_L_ONLY)
				output_pos = Lpos;
			Li++;
		} else if (Lpos == Rpos) {
			if (emit & TSPO_BOTH)
				output_pos = Rpos;
			Li++;
			Ri++;
		} else {
			if (emit & TSPO_R_ONLY)
				output_pos = Rpos;
			Ri++;
		}
		if (output_pos > 0) {
			if (!data)
				return SX_T_YES;
			if (!out) {
				out = sx_scratch_get(s, (size_t)max_npos);
				data->pos = out;
			}
			/* PostgreSQL stores the int into a WordEntryPos (uint16). */
			out[data->npos++] = (uint16_t)output_pos;
		}
	}
	return data && data->npos > 0 ? SX_T_YES : SX_T_NO;
}

typedef struct {
	void *arg;
	sx_check_fn chk;
	sx_scratch *s;
} exec_ctx;

/* TS_phrase_execute: data NULL only for the outermost phrase node. */
static sx_tern phrase_exec(const exec_ctx *x, const sx_qnode *n, sx_pdata *data)
{
	sx_pdata Ld, Rd;
	sx_tern lm, rm;
	int Loffset, Roffset, maxwidth;

	if (n->op == SX_Q_VAL)
		return x->chk(x->arg, n, data);

	switch (n->op) {
	case SX_Q_NOT:
		switch (phrase_exec(x, n->left, data)) {
		case SX_T_NO:
			data->negate = true;
			return SX_T_YES;
		case SX_T_YES:
			if (data->npos > 0) {
				data->negate = !data->negate;
				return SX_T_YES;
			} else if (data->negate) {
				data->negate = false;
				return SX_T_NO;
			}
			return SX_T_NO; /* not reached in PostgreSQL (Assert) */
		case SX_T_MAYBE:
			return SX_T_MAYBE;
		}
		break;

	case SX_Q_PHRASE:
	case SX_Q_AND:
		memset(&Ld, 0, sizeof(Ld));
		memset(&Rd, 0, sizeof(Rd));
		lm = phrase_exec(x, n->left, &Ld);
		if (lm == SX_T_NO)
			return SX_T_NO;
		rm = phrase_exec(x, n->right, &Rd);
		if (rm == SX_T_NO)
			return SX_T_NO;
		if (lm == SX_T_MAYBE || rm == SX_T_MAYBE)
			return SX_T_MAYBE;
		if (n->op == SX_Q_PHRASE) {
			Loffset = n->distance + Rd.width;
			Roffset = 0;
			if (data)
				data->width = n->distance + Ld.width + Rd.width;
		} else {
			maxwidth = Ld.width > Rd.width ? Ld.width : Rd.width;
			Loffset = maxwidth - Ld.width;
			Roffset = maxwidth - Rd.width;
			if (data)
				data->width = maxwidth;
		}
		if (Ld.negate && Rd.negate) {
			(void)phrase_output(x->s, data, &Ld, &Rd, TSPO_BOTH | TSPO_L_ONLY | TSPO_R_ONLY,
			                    Loffset, Roffset, Ld.npos + Rd.npos);
			if (data)
				data->negate = true;
			return SX_T_YES;
		} else if (Ld.negate) {
			return phrase_output(x->s, data, &Ld, &Rd, TSPO_R_ONLY, Loffset, Roffset,
			                     Rd.npos);
		} else if (Rd.negate) {
			return phrase_output(x->s, data, &Ld, &Rd, TSPO_L_ONLY, Loffset, Roffset,
			                     Ld.npos);
		}
		return phrase_output(x->s, data, &Ld, &Rd, TSPO_BOTH, Loffset, Roffset,
		                     Ld.npos < Rd.npos ? Ld.npos : Rd.npos);

	case SX_Q_OR:
		memset(&Ld, 0, sizeof(Ld));
		memset(&Rd, 0, sizeof(Rd));
		lm = phrase_exec(x, n->left, &Ld);
		rm = phrase_exec(x, n->right, &Rd);
		if (lm == SX_T_NO && rm == SX_T_NO)
			return SX_T_NO;
		if (lm == SX_T_MAYBE || rm == SX_T_MAYBE)
			return SX_T_MAYBE;
		if (lm == SX_T_NO)
			Ld.width = 0;
		if (rm == SX_T_NO)
			Rd.width = 0;
		maxwidth = Ld.width > Rd.width ? Ld.width : Rd.width;
		Loffset = maxwidth - Ld.width;
		Roffset = maxwidth - Rd.width;
		data->width = maxwidth;
		if (Ld.negate && Rd.negate) {
			(void)phrase_output(x->s, data, &Ld, &Rd, TSPO_BOTH, Loffset, Roffset,
			                    Ld.npos < Rd.npos ? Ld.npos : Rd.npos);
			data->negate = true;
			return SX_T_YES;
		} else if (Ld.negate) {
			(void)phrase_output(x->s, data, &Ld, &Rd, TSPO_L_ONLY, Loffset, Roffset, Ld.npos);
			data->negate = true;
			return SX_T_YES;
		} else if (Rd.negate) {
			(void)phrase_output(x->s, data, &Ld, &Rd, TSPO_R_ONLY, Loffset, Roffset, Rd.npos);
			data->negate = true;
			return SX_T_YES;
		}
		return phrase_output(x->s, data, &Ld, &Rd, TSPO_BOTH | TSPO_L_ONLY | TSPO_R_ONLY,
		                     Loffset, Roffset, Ld.npos + Rd.npos);

	case SX_Q_VAL:
		break;
	}
	return SX_T_NO;
}

/* TS_execute_recurse with flags TS_EXEC_EMPTY. */
static sx_tern exec_rec(const exec_ctx *x, const sx_qnode *n)
{
	sx_tern l;
	switch (n->op) {
	case SX_Q_VAL:
		return x->chk(x->arg, n, NULL);
	case SX_Q_NOT:
		switch (exec_rec(x, n->left)) {
		case SX_T_NO:
			return SX_T_YES;
		case SX_T_YES:
			return SX_T_NO;
		case SX_T_MAYBE:
			return SX_T_MAYBE;
		}
		break;
	case SX_Q_AND:
		l = exec_rec(x, n->left);
		if (l == SX_T_NO)
			return SX_T_NO;
		switch (exec_rec(x, n->right)) {
		case SX_T_NO:
			return SX_T_NO;
		case SX_T_YES:
			return l;
		case SX_T_MAYBE:
			return SX_T_MAYBE;
		}
		break;
	case SX_Q_OR:
		l = exec_rec(x, n->left);
		if (l == SX_T_YES)
			return SX_T_YES;
		switch (exec_rec(x, n->right)) {
		case SX_T_NO:
			return l;
		case SX_T_YES:
			return SX_T_YES;
		case SX_T_MAYBE:
			return SX_T_MAYBE;
		}
		break;
	case SX_Q_PHRASE:
		/* a MAYBE (positions unknown) becomes NO without
		 * TS_EXEC_PHRASE_NO_POS, as in PostgreSQL */
		return phrase_exec(x, n, NULL) == SX_T_YES ? SX_T_YES : SX_T_NO;
	}
	return SX_T_NO;
}

bool sx_tsq_execute(const sx_qnode *root, void *arg, sx_check_fn chk, sx_scratch *s)
{
	if (!root)
		return false;
	exec_ctx x = {arg, chk, s};
	return exec_rec(&x, root) != SX_T_NO;
}

/* ---- one document ----------------------------------------------------- */

typedef struct {
	const sx_doc *d;
	unsigned mask;
	sx_scratch *s;
} doc_arg;

/* checkcondition_str + checkclass_str on ts_filter(d, mask): the filter
 * keeps the positions whose weight is in mask and drops lexemes left
 * without any, including those that never had positions. */
static sx_tern doc_check(void *arg, const sx_qnode *v, sx_pdata *data)
{
	const doc_arg *da = arg;
	if (v->lex == SX_NONE)
		return SX_T_NO;
	sx_entry e;
	if (!sx_doc_entry(da->d, v->lex, &e))
		return SX_T_NO;
	if (e.npos == 0) {
		if (da->mask != SX_MASK_ALL)
			return SX_T_NO;
		/* no positions: the query's weights are not checked */
		return data ? SX_T_MAYBE : SX_T_YES;
	}
	const sx_doc *d = da->d;
	unsigned m = da->mask & (v->weights ? v->weights : SX_MASK_ALL);
	if (m == SX_MASK_ALL) {
		if (data) {
			/* the positions are packed: unpacked into the scratch */
			uint16_t *out = sx_scratch_get(da->s, e.npos);
			for (unsigned i = 0; i < e.npos; i++)
				out[i] = sx_doc_pos(d, e.first + i);
			data->npos = (int)e.npos;
			data->pos = out;
		}
		return SX_T_YES;
	}
	if (!data) {
		for (unsigned i = 0; i < e.npos; i++)
			if (m & (1u << SX_WEIGHT(sx_doc_pos(d, e.first + i))))
				return SX_T_YES;
		return SX_T_NO;
	}
	uint16_t *out = sx_scratch_get(da->s, e.npos);
	int n = 0;
	for (unsigned i = 0; i < e.npos; i++) {
		uint16_t p = sx_doc_pos(d, e.first + i);
		if (m & (1u << SX_WEIGHT(p)))
			out[n++] = SX_POS(p);
	}
	if (n == 0)
		return SX_T_NO;
	data->npos = n;
	data->pos = out;
	return SX_T_YES;
}

static bool match_node(const sx_doc *d, const sx_qnode *n, unsigned weights, sx_scratch *s)
{
	doc_arg da = {d, weights & SX_MASK_ALL, s};
	bool r = sx_tsq_execute(n, &da, doc_check, s);
	sx_scratch_reset(s);
	return r;
}

bool sx_tsq_match(const sx_doc *d, const sx_tsq *q, unsigned weights)
{
	if (!q->root || !d)
		return false;
	sx_scratch s;
	sx_scratch_init(&s);
	bool r = match_node(d, q->root, weights, &s);
	sx_scratch_done(&s);
	return r;
}

/* ---- the whole index -------------------------------------------------- */

/* A set of slots: v ascending; neg: the set is every live slot except v;
 * live: every slot in v is live (so no filtering at the end). */
typedef struct {
	const sx_slot *v;
	uint32_t n;
	bool neg, live;
} sxset;

typedef struct {
	arena *a;
	const sx_index *ix;
	sx_scratch s;
	bool failed;
} mctx;

static sx_slot *alloc_slots(mctx *m, uint32_t n)
{
	sx_slot *r = arena_alloc(m->a, sizeof(sx_slot) * (size_t)(n ? n : 1));
	if (!r)
		m->failed = true;
	return r;
}

static sxset set_and(mctx *m, sxset a, sxset b) /* both positive */
{
	sxset r = {NULL, 0, false, a.live || b.live};
	if (a.n > b.n) {
		sxset t = a;
		a = b;
		b = t;
	}
	sx_slot *out = alloc_slots(m, a.n);
	if (!out)
		return r;
	uint32_t k = 0;
	if (a.n == 0) {
	} else if (b.n / a.n >= 16) {
		uint32_t j = 0;
		for (uint32_t i = 0; i < a.n && j < b.n; i++) {
			j = sx_slot_gallop(b.v, j, b.n, a.v[i]);
			if (j < b.n && b.v[j] == a.v[i])
				out[k++] = a.v[i];
		}
	} else {
		uint32_t i = 0, j = 0;
		while (i < a.n && j < b.n) {
			if (a.v[i] < b.v[j])
				i++;
			else if (a.v[i] > b.v[j])
				j++;
			else {
				out[k++] = a.v[i];
				i++;
				j++;
			}
		}
	}
	r.v = out;
	r.n = k;
	return r;
}

static sxset set_or(mctx *m, sxset a, sxset b) /* both positive */
{
	sxset r = {NULL, 0, false, a.live && b.live};
	if (a.n == 0)
		return (sxset){b.v, b.n, false, b.live};
	if (b.n == 0)
		return (sxset){a.v, a.n, false, a.live};
	sx_slot *out = alloc_slots(m, a.n + b.n);
	if (!out)
		return r;
	uint32_t i = 0, j = 0, k = 0;
	while (i < a.n && j < b.n) {
		if (a.v[i] < b.v[j])
			out[k++] = a.v[i++];
		else if (a.v[i] > b.v[j])
			out[k++] = b.v[j++];
		else {
			out[k++] = a.v[i++];
			j++;
		}
	}
	while (i < a.n)
		out[k++] = a.v[i++];
	while (j < b.n)
		out[k++] = b.v[j++];
	r.v = out;
	r.n = k;
	return r;
}

/* a minus the slots listed in b (b's neg flag is ignored). */
static sxset set_minus(mctx *m, sxset a, sxset b)
{
	sxset r = {NULL, 0, false, a.live};
	if (b.n == 0 || a.n == 0)
		return (sxset){a.v, a.n, false, a.live};
	sx_slot *out = alloc_slots(m, a.n);
	if (!out)
		return r;
	uint32_t k = 0;
	if (b.n / a.n >= 16) {
		uint32_t j = 0;
		for (uint32_t i = 0; i < a.n; i++) {
			j = sx_slot_gallop(b.v, j, b.n, a.v[i]);
			if (j >= b.n || b.v[j] != a.v[i])
				out[k++] = a.v[i];
		}
	} else {
		uint32_t i = 0, j = 0;
		while (i < a.n) {
			if (j >= b.n || a.v[i] < b.v[j])
				out[k++] = a.v[i++];
			else if (a.v[i] > b.v[j])
				j++;
			else {
				i++;
				j++;
			}
		}
	}
	r.v = out;
	r.n = k;
	return r;
}

/* The live slots, except those listed in x (x ascending). */
static sxset complement(mctx *m, const sx_slot *x, uint32_t nx)
{
	uint32_t ns = sx_index_nslots(m->ix);
	sxset r = {NULL, 0, false, true};
	sx_slot *out = alloc_slots(m, sx_index_nlive(m->ix));
	if (!out)
		return r;
	uint32_t j = 0, k = 0, cap = sx_index_nlive(m->ix);
	for (sx_slot s = 0; s < ns; s++) {
		while (j < nx && x[j] < s)
			j++;
		if (j < nx && x[j] == s)
			continue;
		const sx_doc *d = sx_index_doc(m->ix, s);
		if (d && d->live && k < cap)
			out[k++] = s;
	}
	r.v = out;
	r.n = k;
	return r;
}

static bool has_phrase(const sx_qnode *n)
{
	if (n->op == SX_Q_PHRASE)
		return true;
	if (n->op == SX_Q_VAL)
		return false;
	if (n->op == SX_Q_NOT)
		return has_phrase(n->left);
	return has_phrase(n->left) || has_phrase(n->right);
}

static int count_chain(const sx_qnode *n, sx_qop op)
{
	return n->op == op ? count_chain(n->left, op) + count_chain(n->right, op) : 1;
}

static void collect_chain(const sx_qnode *n, sx_qop op, const sx_qnode **out, int *k)
{
	if (n->op == op) {
		collect_chain(n->left, op, out, k);
		collect_chain(n->right, op, out, k);
	} else {
		out[(*k)++] = n;
	}
}

/* Candidate mode (under a phrase): a superset of the slots where the
 * phrase subtree can match: NOT constrains nothing, a phrase needs both
 * sides, weights are checked later. */
enum { EV_EXACT, EV_CAND };

static sxset eval(mctx *m, const sx_qnode *n, const sxset *hint, int mode);

static sxset eval_and(mctx *m, const sx_qnode *n, const sxset *hint, int mode)
{
	int nc = count_chain(n, n->op);
	const sx_qnode **ch = arena_alloc(m->a, sizeof(*ch) * (size_t)nc);
	sxset *sets = arena_alloc(m->a, sizeof(*sets) * (size_t)nc);
	sxset none = {NULL, 0, false, true};
	if (!ch || !sets) {
		m->failed = true;
		return none;
	}
	int k = 0;
	collect_chain(n, n->op, ch, &k);

	/* Children without phrases first, so that the phrases only verify
	 * what the others let through; the smallest positive sets first;
	 * negated children are subtracted (or, without any positive child,
	 * united and the union complemented). */
	bool have_pos = false;
	sxset acc = none, negl = none;
	for (int pass = 0; pass < 2; pass++) {
		int np = 0;
		for (int i = 0; i < nc; i++) {
			if (has_phrase(ch[i]) != (pass == 1))
				continue;
			sets[np++] = eval(m, ch[i], have_pos ? &acc : hint, mode);
			if (m->failed)
				return none;
		}
		for (int i = 1; i < np; i++) {
			sxset t = sets[i];
			int j = i;
			for (; j > 0 && (sets[j - 1].neg || (!t.neg && sets[j - 1].n > t.n)); j--)
				sets[j] = sets[j - 1];
			sets[j] = t;
		}
		for (int i = 0; i < np; i++) {
			sxset c = sets[i];
			if (!c.neg) {
				acc = have_pos ? set_and(m, acc, c) : c;
				have_pos = true;
			} else if (have_pos) {
				acc = set_minus(m, acc, c);
			} else {
				c.neg = false;
				negl = set_or(m, negl, c);
			}
			if (m->failed)
				return none;
		}
	}
	if (have_pos)
		return set_minus(m, acc, negl);
	negl.neg = true;
	return negl;
}

static sxset eval_or(mctx *m, const sx_qnode *n, const sxset *hint, int mode)
{
	int nc = count_chain(n, SX_Q_OR);
	const sx_qnode **ch = arena_alloc(m->a, sizeof(*ch) * (size_t)nc);
	sxset none = {NULL, 0, false, true};
	if (!ch) {
		m->failed = true;
		return none;
	}
	int k = 0;
	collect_chain(n, SX_Q_OR, ch, &k);
	/* positives united; negatives intersected (as lists): the result is
	 * then not(neg_list minus positives) */
	sxset pos = none, negl = none;
	bool have_neg = false;
	for (int i = 0; i < nc; i++) {
		sxset c = eval(m, ch[i], hint, mode);
		if (m->failed)
			return none;
		if (c.neg) {
			c.neg = false;
			negl = have_neg ? set_and(m, negl, c) : c;
			have_neg = true;
		} else {
			pos = set_or(m, pos, c);
		}
		if (m->failed)
			return none;
	}
	if (!have_neg)
		return pos;
	sxset r = set_minus(m, negl, pos);
	r.neg = true;
	return r;
}

/* 'a' <N> 'b' with unweighted operands: what TS_phrase_execute computes
 * for it (a position of a plus N is a position of b; a lexeme without
 * positions makes it a MAYBE, hence no match), without the scratch. */
static bool simple_phrase(const sx_qnode *n)
{
	return n->op == SX_Q_PHRASE && n->left->op == SX_Q_VAL && n->right->op == SX_Q_VAL &&
	       !n->left->weights && !n->right->weights;
}

static bool simple_phrase_match(const sx_doc *d, const sx_qnode *n)
{
	if (n->left->lex == SX_NONE || n->right->lex == SX_NONE)
		return false;
	sx_entry l, r;
	if (!sx_doc_entry(d, n->left->lex, &l) || !sx_doc_entry(d, n->right->lex, &r) ||
	    l.npos == 0 || r.npos == 0)
		return false;
	unsigned i = 0, j = 0;
	while (i < l.npos && j < r.npos) {
		int a = SX_POS(sx_doc_pos(d, l.first + i)) + n->distance;
		int b = SX_POS(sx_doc_pos(d, r.first + j));
		if (a < b)
			i++;
		else if (a > b)
			j++;
		else
			return true;
	}
	return false;
}

/* Slots of c (restricted to hint) whose document matches the subtree n
 * (a phrase, or a weighted operand), checked one by one. */
static sxset verify(mctx *m, const sx_qnode *n, sxset c, const sxset *hint)
{
	sxset none = {NULL, 0, false, true};
	if (hint && !hint->neg) {
		c = c.neg ? set_minus(m, *hint, c) : set_and(m, c, *hint);
	} else if (hint && hint->neg) {
		if (c.neg) {
			sxset u = set_or(m, (sxset){c.v, c.n, false, c.live},
			                 (sxset){hint->v, hint->n, false, hint->live});
			c = complement(m, u.v, u.n);
		} else {
			c = set_minus(m, c, *hint);
		}
	} else if (c.neg) {
		c = complement(m, c.v, c.n);
	}
	if (m->failed)
		return none;
	sx_slot *out = alloc_slots(m, c.n);
	if (!out)
		return none;
	uint32_t k = 0;
	bool simple = simple_phrase(n);
	for (uint32_t i = 0; i < c.n; i++) {
		/* The time goes in cache misses: ask for the document 16
		 * ahead and for the entries and positions of the one 8 ahead
		 * (all of them: the binary searches touch half their lines). */
		if (i + 16 < c.n)
			__builtin_prefetch(sx_index_doc(m->ix, c.v[i + 16]));
		if (i + 8 < c.n)
			sx_doc_prefetch_entries(sx_index_doc(m->ix, c.v[i + 8]));
		const sx_doc *d = sx_index_doc(m->ix, c.v[i]);
		if (!d || !d->live)
			continue;
		if (simple ? simple_phrase_match(d, n) : match_node(d, n, SX_MASK_ALL, &m->s))
			out[k++] = c.v[i];
	}
	return (sxset){out, k, false, true};
}

static sxset eval(mctx *m, const sx_qnode *n, const sxset *hint, int mode)
{
	sxset none = {NULL, 0, false, true};
	switch (n->op) {
	case SX_Q_VAL: {
		if (n->lex == SX_NONE)
			return none;
		/* the list decoded: the set operations below gallop over
		 * plain arrays */
		const sx_plist *pl = sx_index_plist(m->ix, n->lex);
		uint32_t np = pl ? pl->n : 0;
		sx_slot *p = NULL;
		if (np) {
			p = alloc_slots(m, np);
			if (!p)
				return none;
			sx_plist_decode(pl, p, NULL);
		}
		sxset r = {p, np, false, sx_index_df(m->ix, n->lex) == np};
		if (n->weights && mode == EV_EXACT)
			return verify(m, n, r, hint);
		return r;
	}
	case SX_Q_NOT: {
		if (mode == EV_CAND)
			return (sxset){NULL, 0, true, true};
		sxset r = eval(m, n->left, hint, mode);
		r.neg = !r.neg;
		return r;
	}
	case SX_Q_AND:
		return eval_and(m, n, hint, mode);
	case SX_Q_OR:
		return eval_or(m, n, hint, mode);
	case SX_Q_PHRASE: {
		if (mode == EV_CAND)
			return eval_and(m, n, hint, mode);
		sxset c = eval(m, n, hint, EV_CAND);
		if (m->failed)
			return none;
		return verify(m, n, c, hint);
	}
	}
	return none;
}

int sx_tsq_match_all(arena *a, const sx_index *ix, const sx_tsq *q, sx_slot **out,
                     uint32_t *n)
{
	*out = NULL;
	*n = 0;
	if (!q->root)
		return SOUK_OK;
	mctx m = {.a = a, .ix = ix};
	sx_scratch_init(&m.s);
	sxset r = eval(&m, q->root, NULL, EV_EXACT);
	if (!m.failed && r.neg)
		r = complement(&m, r.v, r.n);
	sx_scratch_done(&m.s);
	if (m.failed)
		return SOUK_ERR;
	sx_slot *res = alloc_slots(&m, r.n);
	if (!res)
		return SOUK_ERR;
	uint32_t k = 0;
	if (r.live) {
		if (r.n)
			memcpy(res, r.v, sizeof(sx_slot) * r.n);
		k = r.n;
	} else {
		for (uint32_t i = 0; i < r.n; i++) {
			const sx_doc *d = sx_index_doc(ix, r.v[i]);
			if (d && d->live)
				res[k++] = r.v[i];
		}
	}
	*out = k ? res : NULL;
	*n = k;
	return SOUK_OK;
}
