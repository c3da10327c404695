/* fuzz_sx_tsq: souk-searchd's tsquery text parser (sx_tsq_parse) and
 * matcher (sx_tsq_match, sx_tsq_match_all, sx_rank) on a small index
 * built without PostgreSQL from the unit tests' documents. */
#include <math.h>
#include <string.h>

#include "../unit/sx_pg_cases.h"
#include "fuzz.h"
#include "search/sx/sx_rank.h"
#include "search/sx/sx_tsq.h"

static sx_index *ix;

static sx_index *index_once(void)
{
	if (ix)
		return ix;
	ix = sx_index_new();
	FUZZ_CHECK(ix != NULL);
	for (int i = 0; i < (int)(sizeof(sx_docs) / sizeof(sx_docs[0])); i++) {
		sx_doc d;
		memset(&d, 0, sizeof(d));
		d.id = i + 1;
		d.price = -1;
		d.rating10 = -1;
		d.ref = d.title = d.image = "";
		FUZZ_CHECK(sx_index_put_for_test(ix, &d, "", NULL, 0, NULL, 0, sx_docs[i]) == SOUK_OK);
	}
	return ix;
}

/* The tree back as tsquery text, fully parenthesised. */
static void print_node(buf *b, const sx_qnode *n)
{
	switch (n->op) {
	case SX_Q_VAL:
		buf_putc(b, '\'');
		for (const char *p = n->text; *p; p++) {
			if (*p == '\'' || *p == '\\')
				buf_putc(b, *p);
			buf_putc(b, *p);
		}
		buf_putc(b, '\'');
		if (n->weights || n->prefix) {
			buf_putc(b, ':');
			if (n->prefix)
				buf_putc(b, '*');
			for (int w = 3; w >= 0; w--)
				if (n->weights & (1u << w))
					buf_putc(b, "DCBA"[w]);
		}
		return;
	case SX_Q_NOT:
		buf_puts(b, "!( ");
		print_node(b, n->left);
		buf_puts(b, " )");
		return;
	default:
		buf_puts(b, "( ");
		print_node(b, n->left);
		if (n->op == SX_Q_AND)
			buf_puts(b, " & ");
		else if (n->op == SX_Q_OR)
			buf_puts(b, " | ");
		else if (n->distance == 1)
			buf_puts(b, " <-> ");
		else
			buf_printf(b, " <%u> ", (unsigned)n->distance);
		print_node(b, n->right);
		buf_puts(b, " )");
	}
}

static const char *print_tsq(ctx *c, const sx_tsq *q)
{
	buf b;
	buf_init(&b, c->a, 0);
	if (q->root)
		print_node(&b, q->root);
	FUZZ_CHECK(!b.failed);
	return b.p ? b.p : "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctx *c = fuzz_ctx();
	sx_index *x = index_once();
	fuzz_begin(c);
	const char *text = fuzz_cstr(c, data, size);
	sx_tsq q;
	if (sx_tsq_parse(c->a, x, text, &q) != SOUK_OK)
		return 0;
	FUZZ_CHECK(q.noperands >= 0 && (q.root || q.noperands == 0));
	for (int i = 0; i < q.noperands; i++)
		FUZZ_CHECK(q.operands[i] && q.operands[i]->op == SX_Q_VAL);

	/* the whole index by posting lists == every document one by one */
	sx_slot *all = NULL;
	uint32_t nall = 0;
	FUZZ_CHECK(sx_tsq_match_all(c->a, x, &q, &all, &nall) == SOUK_OK);
	uint32_t k = 0;
	for (sx_slot s = 0; s < sx_index_nslots(x); s++) {
		const sx_doc *d = sx_index_doc(x, s);
		bool m = sx_tsq_match(d, &q, SX_MASK_ALL);
		if (m) {
			FUZZ_CHECK(k < nall && all[k] == s);
			k++;
		}
		(void)sx_tsq_match(d, &q, SX_MASK_A);
		(void)sx_tsq_match(d, &q, SX_MASK_A | SX_MASK_B);
		float r = sx_rank(sx_w15, d, SX_MASK_A | SX_MASK_B, &q, 0);
		float cd = sx_rank_cd(sx_wb, d, &q, 1);
		FUZZ_CHECK(isfinite(r) && r >= 0 && isfinite(cd) && cd >= 0);
	}
	FUZZ_CHECK(k == nall);

	/* printed back and parsed again: the same tree, the same matches */
	const char *p1 = print_tsq(c, &q);
	sx_tsq q2;
	if (sx_tsq_parse(c->a, x, p1, &q2) != SOUK_OK) {
		fprintf(stderr, "reparse refused: %s\n", p1);
		FUZZ_CHECK(!"the printed tree parses");
	}
	const char *p2 = print_tsq(c, &q2);
	if (strcmp(p1, p2) != 0)
		fprintf(stderr, "reprint differs:\n  %s\n  %s\n", p1, p2);
	FUZZ_CHECK(strcmp(p1, p2) == 0);
	for (sx_slot s = 0; s < sx_index_nslots(x); s++) {
		const sx_doc *d = sx_index_doc(x, s);
		FUZZ_CHECK(sx_tsq_match(d, &q, SX_MASK_ALL) == sx_tsq_match(d, &q2, SX_MASK_ALL));
	}
	return 0;
}
