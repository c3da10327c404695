/* sx_reconcile: the index's per-range sums and their comparison with
 * PostgreSQL's (the database side is in sx_index_load.c). */
#include "search/sx/sx_index_int.h"

#include <stdlib.h>

typedef struct {
	int64_t range;
	uint64_t ver;
} range_ver;

static int by_range(const void *a, const void *b)
{
	int64_t x = ((const range_ver *)a)->range, y = ((const range_ver *)b)->range;
	return (x > y) - (x < y);
}

sx_range_sum *sx_data_range_sums(const sx_data *d, size_t *n)
{
	*n = 0;
	if (!d->nlive)
		return NULL;
	/* Sorting (range, version) pairs costs ~100 ms at a million
	 * products, once a reconciliation; no table sized by the id space,
	 * which may be sparse. */
	range_ver *rv = malloc((size_t)d->nlive * sizeof(*rv));
	sx_range_sum *out = malloc((size_t)d->nlive * sizeof(*out));
	if (!rv || !out)
		abort();
	size_t k = 0;
	for (uint32_t s = 0; s < d->nslots && k < d->nlive; s++)
		if (d->docs[s].live)
			rv[k++] = (range_ver){d->docs[s].id >> SX_RANGE_SHIFT, d->vers[s]};
	qsort(rv, k, sizeof(*rv), by_range);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (!m || out[m - 1].range != rv[i].range)
			out[m++] = (sx_range_sum){.range = rv[i].range};
		out[m - 1].n++;
		out[m - 1].x ^= rv[i].ver;
	}
	free(rv);
	*n = m;
	return out;
}

size_t sx_range_diff(const sx_range_sum *a, size_t na, const sx_range_sum *b, size_t nb,
                     int64_t *out)
{
	size_t i = 0, j = 0, k = 0;
	while (i < na || j < nb) {
		if (j == nb || (i < na && a[i].range < b[j].range)) {
			if (a[i].n || a[i].x)
				out[k++] = a[i].range;
			i++;
		} else if (i == na || b[j].range < a[i].range) {
			if (b[j].n || b[j].x)
				out[k++] = b[j].range;
			j++;
		} else {
			if (a[i].n != b[j].n || a[i].x != b[j].x)
				out[k++] = a[i].range;
			i++, j++;
		}
	}
	return k;
}
