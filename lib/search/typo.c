/* typo: per-word typo budget, Damerau (OSA) distance, corrected-query ranking. */
#include "search/typo.h"

#include <stdlib.h>
#include <string.h>

/* UTF-8 into code points; -1 for bad UTF-8 or more than max points. */
static int decode(const char *s, uint32_t *out, int max)
{
	int n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		int len;
		if (*p < 0x80) {
			cp = *p;
			len = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			len = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			len = 3;
		} else if ((*p & 0xF8) == 0xF0) {
			cp = *p & 0x07;
			len = 4;
		} else {
			return -1;
		}
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if (n >= max)
			return -1;
		out[n++] = cp;
		p += len;
	}
	return n;
}

int typo_budget(const char *typed)
{
	uint32_t w[TYPO_MAX_WORD];
	int n = decode(typed, w, TYPO_MAX_WORD);
	return n < 5 ? 0 : n < 9 ? 1 : 2;
}

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;
	return m < c ? m : c;
}

static int osa(const uint32_t *a, int n, const uint32_t *b, int m)
{
	/* Three rows of the dynamic programme: i-2, i-1, i. */
	int r0[TYPO_MAX_WORD + 1], r1[TYPO_MAX_WORD + 1], r2[TYPO_MAX_WORD + 1];
	int *pp = r0, *p = r1, *cur = r2;
	for (int j = 0; j <= m; j++)
		p[j] = j;
	for (int i = 1; i <= n; i++) {
		cur[0] = i;
		for (int j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int d = min3(p[j] + 1, cur[j - 1] + 1, p[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
		}
		int *t = pp;
		pp = p;
		p = cur;
		cur = t;
	}
	return p[m];
}

int typo_osa(const char *a, const char *b)
{
	uint32_t x[TYPO_MAX_WORD], y[TYPO_MAX_WORD];
	int n = decode(a, x, TYPO_MAX_WORD), m = decode(b, y, TYPO_MAX_WORD);
	if (n < 0 || m < 0)
		return -1;
	return osa(x, n, y, m);
}

/* Each run of one repeated code point made one. */
static int squeeze(uint32_t *w, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		if (k == 0 || w[k - 1] != w[i])
			w[k++] = w[i];
	return k;
}

int typo_distance(const char *typed, const char *known)
{
	uint32_t x[TYPO_MAX_WORD], y[TYPO_MAX_WORD];
	int n = decode(typed, x, TYPO_MAX_WORD), m = decode(known, y, TYPO_MAX_WORD);
	if (n < 0 || m < 0)
		return -1;
	int d = osa(x, n, y, m);
	n = squeeze(x, n);
	m = squeeze(y, m);
	int s = osa(x, n, y, m);
	return s < d ? s : d;
}

bool typo_within(const char *typed, const char *known)
{
	if (strcmp(typed, known) == 0)
		return false;
	int d = typo_distance(typed, known);
	return d >= 0 && d <= typo_budget(typed);
}

/* total × TYPO_WEIGH^typos, saturating. */
static int64_t weigh(int64_t total, int typos)
{
	for (int i = 0; i < typos && total > 0; i++)
		total = total > INT64_MAX / TYPO_WEIGH ? INT64_MAX : total * TYPO_WEIGH;
	return total;
}

/* Better first: results weighed against typos (log(total) - typos ×
 * log(TYPO_WEIGH), compared exactly in integers), then fewer typos, then
 * more common words, then the text. */
static int cand_cmp(const void *pa, const void *pb)
{
	const typo_cand *a = pa, *b = pb;
	int64_t wa = weigh(a->total, a->distance < b->distance ? b->distance - a->distance : 0);
	int64_t wb = weigh(b->total, b->distance < a->distance ? a->distance - b->distance : 0);
	if (wa != wb)
		return wa > wb ? -1 : 1;
	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	if (a->ndoc != b->ndoc)
		return a->ndoc > b->ndoc ? -1 : 1;
	return strcmp(a->text, b->text);
}

int typo_rank(typo_cand *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cand_cmp);
	/* The best candidate without a split: a split must beat it. */
	int64_t joined = -1;
	for (int i = 0; i < n; i++)
		if (!v[i].split && v[i].total > joined)
			joined = v[i].total;
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (v[i].total <= 0 || (v[i].split && v[i].total <= joined))
			continue;
		bool seen = false;
		for (int j = 0; j < k && !seen; j++)
			seen = strcmp(v[j].text, v[i].text) == 0;
		if (!seen)
			v[k++] = v[i];
	}
	return k;
}

bool typo_much_more(int64_t alt, int64_t orig)
{
	if (orig <= 0)
		return alt > 0;
	return alt >= TYPO_MUCH * orig;
}
