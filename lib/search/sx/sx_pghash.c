/* sx_pghash: PostgreSQL's hashtextextended(), computed client-side. */
#include "search/sx/sx_pghash.h"


#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sx_pghash follows a little-endian PostgreSQL server: port the word order first"
#endif

static uint32_t rotl(uint32_t x, unsigned k)
{
	return x << k | x >> (32 - k);
}

/* lookup3's reversible mix of three words */
static void mix(uint32_t *a, uint32_t *b, uint32_t *c)
{
	*a -= *c, *a ^= rotl(*c, 4), *c += *b;
	*b -= *a, *b ^= rotl(*a, 6), *a += *c;
	*c -= *b, *c ^= rotl(*b, 8), *b += *a;
	*a -= *c, *a ^= rotl(*c, 16), *c += *b;
	*b -= *a, *b ^= rotl(*a, 19), *a += *c;
	*c -= *b, *c ^= rotl(*b, 4), *b += *a;
}

/* lookup3's final avalanche into c (and b) */
static void final(uint32_t *a, uint32_t *b, uint32_t *c)
{
	*c ^= *b, *c -= rotl(*b, 14);
	*a ^= *c, *a -= rotl(*c, 11);
	*b ^= *a, *b -= rotl(*a, 25);
	*c ^= *b, *c -= rotl(*b, 16);
	*a ^= *c, *a -= rotl(*c, 4);
	*b ^= *a, *b -= rotl(*a, 14);
	*c ^= *b, *c -= rotl(*b, 24);
}

/* Up to four bytes as a little-endian word (what PostgreSQL's aligned
 * and unaligned paths both amount to on such a machine). */
static uint32_t le(const unsigned char *p, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

uint64_t sx_pg_hashtext(const char *s, size_t n, uint64_t seed)
{
	const unsigned char *k = (const unsigned char *)s;
	/* PostgreSQL takes the length as an int, then as a uint32 */
	uint32_t a, b, c;
	a = b = c = 0x9e3779b9u + (uint32_t)n + 3923095u;
	if (seed) {
		/* the seed as a 12-byte chunk of its own: high word, low word, 0 */
		a += (uint32_t)(seed >> 32);
		b += (uint32_t)seed;
		mix(&a, &b, &c);
	}
	while (n >= 12) {
		a += le(k, 4), b += le(k + 4, 4), c += le(k + 8, 4);
		mix(&a, &b, &c);
		k += 12, n -= 12;
	}
	/* the last 0..11 bytes; c's lowest byte stays for the length (in
	 * lookup3 it holds it; here, as in PostgreSQL, it is only skipped) */
	if (n > 8)
		c += le(k + 8, n - 8) << 8;
	if (n > 4)
		b += le(k + 4, n > 8 ? 4 : n - 4);
	if (n > 0)
		a += le(k, n > 4 ? 4 : n);
	final(&a, &b, &c);
	return (uint64_t)b << 32 | c;
}

/* v in decimal at the end of t; returns where it starts (a million rows
 * a load: snprintf's format parsing is not needed) */
static char *decimal(char *end, uint64_t v)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

uint64_t sx_pg_row_version(uint32_t xmin, uint64_t search_xid, int64_t id)
{
	char t[32], *end = t + sizeof(t);
	char *p = decimal(end, search_xid);
	*--p = '/';
	p = decimal(p, xmin);
	return sx_pg_hashtext(p, (size_t)(end - p), (uint64_t)id);
}
