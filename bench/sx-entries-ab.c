/* sx-entries-ab: a document lookup in the bit-packed entries and
 * positions (lib/search/sx/sx_entries.h) against the same-run reference
 * of the layout before them (8-byte entries {lexeme, count, first} and
 * 16-bit positions), on the same synthetic catalog, in one process,
 * rounds alternating so that a busy machine slows both alike.
 *
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Ilib -o /tmp/sx-entries-ab \
 *       bench/sx-entries-ab.c lib/search/sx/sx_entries.c && /tmp/sx-entries-ab [DOCS] [ROUNDS]
 *
 * Documents shaped as the 1M catalog's (bench/gen-catalog.sql; souk-
 * searchd's load log): ~93 lexemes drawn from 38,157, ~1.6 positions
 * each, titles (weight A) first. Per round and layout, over every
 * document in slot order (the match loop's order) with the verify
 * loop's prefetch: "phrase" = two lookups and the positions' merge
 * (simple_phrase_match); "scan" = every entry and its positions' weights
 * (title_len, doc_sizes, a signature). Prints median ns per document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search/sx/sx_entries.h"

#define NLEX 38157u

typedef struct {
	uint32_t lex;
	uint16_t npos, first;
} old_entry;

typedef struct {
	const old_entry *e;
	const uint16_t *pos;
	uint32_t n;
} old_doc;

typedef struct {
	const uint8_t *b;
	uint32_t n;
} new_doc;

static uint64_t rs = 88172645463325252u;
static uint32_t rnd(uint32_t n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs % n);
}

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* the phrase check's lookup before (sx_tsq.c entry_of, branchless) */
static const old_entry *old_find(const old_doc *d, uint32_t l)
{
	const old_entry *base = d->e;
	uint32_t n = d->n;
	if (n == 0)
		return NULL;
	while (n > 1) {
		uint32_t half = n / 2;
		base = base[half].lex <= l ? base + half : base;
		n -= half;
	}
	return base->lex == l ? base : NULL;
}

static int old_phrase(const old_doc *d, uint32_t a, uint32_t b)
{
	const old_entry *l = old_find(d, a), *r = l ? old_find(d, b) : NULL;
	if (!r || !l->npos || !r->npos)
		return 0;
	const uint16_t *lp = d->pos + l->first, *rp = d->pos + r->first;
	unsigned i = 0, j = 0;
	while (i < l->npos && j < r->npos) {
		int x = (lp[i] & 0x3fff) + 1, y = rp[j] & 0x3fff;
		if (x < y)
			i++;
		else if (x > y)
			j++;
		else
			return 1;
	}
	return 0;
}

static int new_phrase(const new_doc *d, uint32_t a, uint32_t b)
{
	sx_entry l, r;
	if (!sx_ents_find(d->b, d->n, a, &l) || !sx_ents_find(d->b, d->n, b, &r) || !l.npos ||
	    !r.npos)
		return 0;
	unsigned i = 0, j = 0;
	while (i < l.npos && j < r.npos) {
		int x = (sx_ents_pos(d->b, d->n, l.first + i) & 0x3fff) + 1;
		int y = sx_ents_pos(d->b, d->n, r.first + j) & 0x3fff;
		if (x < y)
			i++;
		else if (x > y)
			j++;
		else
			return 1;
	}
	return 0;
}

/* title_len: lexemes with a position of weight A */
static int old_scan(const old_doc *d)
{
	int n = 0;
	for (uint32_t i = 0; i < d->n; i++)
		for (uint16_t k = 0; k < d->e[i].npos; k++)
			if (d->pos[d->e[i].first + k] >> 14 == 3) {
				n++;
				break;
			}
	return n;
}

static int new_scan(const new_doc *d)
{
	int n = 0;
	for (uint32_t i = 0, first = 0; i < d->n; i++) {
		uint32_t end = sx_ents_end(d->b, d->n, i);
		for (uint32_t j = first; j < end; j++)
			if (sx_ents_pos(d->b, d->n, j) >> 14 == 3) {
				n++;
				break;
			}
		first = end;
	}
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	uint32_t ndocs = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 300000;
	int rounds = argc > 2 ? atoi(argv[2]) : 7;
	old_doc *od = calloc(ndocs, sizeof(*od));
	new_doc *nd = calloc(ndocs, sizeof(*nd));
	size_t old_bytes = 0, new_bytes = 0;
	uint32_t lex[256], np[256];
	uint16_t pos[512];
	for (uint32_t s = 0; s < ndocs; s++) {
		uint32_t n = 60 + rnd(67), total = 0;
		/* common words have small ids (the lexicon grows in catalog order) */
		for (uint32_t i = 0; i < n; i++)
			lex[i] = rnd(4) ? rnd(NLEX) : rnd(2000);
		qsort(lex, n, sizeof(*lex), cmp_u32);
		uint32_t k = 0;
		for (uint32_t i = 0; i < n; i++)
			if (!k || lex[k - 1] != lex[i])
				lex[k++] = lex[i];
		n = k;
		for (uint32_t i = 0; i < n; i++)
			total += np[i] = rnd(5) < 3 ? 1 : 2;
		/* each position once, in 1..total, titles (A) the first 15 */
		for (uint32_t j = 0; j < total; j++)
			pos[j] = (uint16_t)(j + 1);
		for (uint32_t j = total - 1; j > 0; j--) {
			uint32_t r = rnd(j + 1);
			uint16_t t = pos[j];
			pos[j] = pos[r];
			pos[r] = t;
		}
		for (uint32_t i = 0, at = 0; i < n; at += np[i], i++) {
			if (np[i] == 2 && pos[at] > pos[at + 1]) {
				uint16_t t = pos[at];
				pos[at] = pos[at + 1];
				pos[at + 1] = t;
			}
			for (uint32_t j = at; j < at + np[i]; j++)
				pos[j] = (uint16_t)((pos[j] <= 15 ? 3u : 0u) << 14 | pos[j]);
		}
		old_entry *e = malloc(n * sizeof(*e));
		uint16_t *p = malloc(total * sizeof(*p));
		for (uint32_t i = 0, at = 0; i < n; at += np[i], i++)
			e[i] = (old_entry){lex[i], (uint16_t)np[i], (uint16_t)at};
		memcpy(p, pos, total * sizeof(*p));
		od[s] = (old_doc){e, p, n};
		old_bytes += n * sizeof(*e) + total * sizeof(*p);
		size_t sz = sx_ents_size(lex, np, n, pos);
		uint8_t *b = malloc(sz);
		sx_ents_pack(b, lex, np, n, pos);
		nd[s] = (new_doc){b, n};
		new_bytes += sz;
	}
	printf("%u documents: before %.1f MB (entries 8 B, positions 2 B), packed %.1f MB\n", ndocs,
	       old_bytes / 1e6, new_bytes / 1e6);
	double *t[4];
	for (int m = 0; m < 4; m++)
		t[m] = calloc((size_t)rounds, sizeof(double));
	long check[4] = {0};
	uint32_t *qa = malloc(ndocs * sizeof(*qa)), *qb = malloc(ndocs * sizeof(*qb));
	for (int r = 0; r < rounds; r++) {
		/* per document a pair of its own lexemes (the verify loop's
		 * candidates hold both words), the same for both layouts */
		for (uint32_t i = 0; i < ndocs; i++) {
			qa[i] = od[i].e[rnd(od[i].n)].lex;
			qb[i] = od[i].e[rnd(od[i].n)].lex;
		}
		for (int m = 0; m < 4; m++) {
			long hits = 0;
			double s = now_ns();
			for (uint32_t i = 0; i < ndocs; i++) {
				if (m == 0) {
					if (i + 8 < ndocs) {
						const char *e = (const char *)od[i + 8].e;
						for (size_t off = 0; off < od[i + 8].n * sizeof(old_entry); off += 64)
							__builtin_prefetch(e + off);
					}
					if (i + 4 < ndocs)
						for (size_t off = 0; off < 4 * od[i + 4].n && off < 512; off += 64)
							__builtin_prefetch((const char *)od[i + 4].pos + off);
					hits += old_phrase(&od[i], qa[i], qb[i]);
				} else if (m == 1) {
					if (i + 8 < ndocs)
						for (size_t off = 0; off < nd[i + 8].n * 5u + SX_ENTS_HEAD && off < 640;
						     off += 64)
							__builtin_prefetch(nd[i + 8].b + off);
					hits += new_phrase(&nd[i], qa[i], qb[i]);
				} else if (m == 2) {
					hits += old_scan(&od[i]);
				} else {
					hits += new_scan(&nd[i]);
				}
			}
			t[m][r] = (now_ns() - s) / ndocs;
			if (r == 0)
				check[m] = hits;
		}
	}
	const char *names[4] = {"phrase, before", "phrase, packed", "scan, before", "scan, packed"};
	for (int m = 0; m < 4; m++) {
		qsort(t[m], (size_t)rounds, sizeof(double), cmp_double);
		printf("%-15s median %6.1f ns/document (min %6.1f, max %6.1f) over %d rounds; round 1: %ld\n",
		       names[m], t[m][rounds / 2], t[m][0], t[m][rounds - 1], rounds, check[m]);
	}
	if (check[0] != check[1] || check[2] != check[3]) {
		printf("MISMATCH between the layouts\n");
		return 1;
	}
	return 0;
}
