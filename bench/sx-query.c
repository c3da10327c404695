/* sx-query: times sx_tsq_match_all over a loaded catalog (bench/sx-query.sh).
 *
 * Usage: souk-sx-query ROUNDS [DOCS] < queries. The index is loaded with
 * sx_index_load (SOUK_DATABASE_URL names the catalog), or, when a DOCS
 * file is given, from its "id<TAB>search_doc text" lines (a catalog
 * without 008_searchd.sql). Each query line is "label<TAB>tsquery text"
 * (PostgreSQL's output). Loads the index once, then for every query prints the number
 * of matches, the median and the slowest of ROUNDS runs of
 * sx_tsq_match_all, and, as the same-run reference, one run of the naive
 * way: sx_tsq_match on every live document; the two must agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/app.h"
#include "core/cfg.h"
#include "search/sx/sx_index.h"
#include "search/sx/sx_tsq.h"
#include "store/store.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 21;
	if (rounds < 1 || rounds > 1000)
		rounds = 21;
	ctx *c = store_ctx_new(cfg_load());
	sx_index *ix = sx_index_new();
	if (!c || !ix)
		return 1;
	double t0 = now_us();
	if (argc > 2) {
		FILE *f = fopen(argv[2], "r");
		char *l = NULL;
		size_t cap = 0;
		ssize_t len;
		while (f && (len = getline(&l, &cap, f)) > 0) {
			if (l[len - 1] == '\n')
				l[len - 1] = '\0';
			char *tab = strchr(l, '\t');
			if (!tab)
				continue;
			*tab = '\0';
			sx_doc d;
			memset(&d, 0, sizeof(d));
			d.id = strtoll(l, NULL, 10);
			d.price = -1;
			d.rating10 = -1;
			d.ref = d.title = d.image = "";
			if (sx_index_put_for_test(ix, &d, "", NULL, 0, NULL, 0, tab + 1) != SOUK_OK)
				fprintf(stderr, "sx-query: bad document %s\n", l);
		}
		free(l);
		if (!f) {
			perror(argv[2]);
			return 1;
		}
		fclose(f);
	} else if (sx_index_load(ix, c) != SOUK_OK) {
		fprintf(stderr, "sx-query: load failed: %s\n", c->err_msg ? c->err_msg : "?");
		return 1;
	}
	printf("loaded %u live products in %.1f s, %.0f MB\n", sx_index_nlive(ix),
	       (now_us() - t0) / 1e6, (double)sx_index_bytes(ix) / 1e6);
	printf("%-10s %9s %10s %10s %12s  %s\n", "query", "matches", "median_ms", "max_ms",
	       "naive_ms", "tsquery");

	char line[4096];
	double *t = malloc(sizeof(double) * (size_t)rounds);
	arena *a = arena_new(0);
	int bad = 0;
	while (t && a && fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		const char *label = line, *text = tab + 1;
		uint32_t n = 0;
		for (int r = 0; r < rounds; r++) {
			arena_reset(a);
			sx_tsq q;
			sx_slot *out;
			double s = now_us();
			if (sx_tsq_parse(a, ix, text, &q) != SOUK_OK ||
			    sx_tsq_match_all(a, ix, &q, &out, &n) != SOUK_OK) {
				printf("%-10s unsupported  %s\n", label, text);
				break;
			}
			t[r] = now_us() - s;
		}
		qsort(t, (size_t)rounds, sizeof(double), cmp_double);
		/* the reference: every live document one by one */
		arena_reset(a);
		sx_tsq q;
		if (sx_tsq_parse(a, ix, text, &q) != SOUK_OK)
			continue;
		double s = now_us();
		uint32_t naive = 0;
		for (sx_slot i = 0; i < sx_index_nslots(ix); i++) {
			const sx_doc *d = sx_index_doc(ix, i);
			naive += d && d->live && sx_tsq_match(d, &q, SX_MASK_ALL);
		}
		double tn = now_us() - s;
		if (naive != n)
			bad++;
		printf("%-10s %9u %10.2f %10.2f %12.1f  %s%s\n", label, n, t[rounds / 2] / 1e3,
		       t[rounds - 1] / 1e3, tn / 1e3, text, naive != n ? "  MISMATCH" : "");
	}
	arena_free(a);
	free(t);
	sx_index_free(ix);
	store_ctx_free(c);
	return bad ? 1 : 0;
}
