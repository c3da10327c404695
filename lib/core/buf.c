/* buf: bounded, arena-backed strings. */
#include "core/buf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

str str_c(const char *s)
{
	return s ? (str){s, strlen(s)} : (str){"", 0};
}

bool str_eq(str a, str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool str_eq_c(str a, const char *s)
{
	return str_eq(a, str_c(s));
}

bool str_starts(str a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.len >= n && memcmp(a.p, prefix, n) == 0;
}

char *str_dup(arena *a, str s)
{
	return arena_strndup(a, s.p, s.len);
}

void buf_init(buf *b, arena *a, size_t max)
{
	b->a = a;
	b->p = (char *)"";
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->failed = false;
}

static int buf_reserve(buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (extra > SIZE_MAX - b->len - 1 || (b->max && b->len + extra > b->max)) {
		b->failed = true;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = arena_alloc(b->a, cap);
	if (!p) {
		b->failed = true;
		return -1;
	}
	memcpy(p, b->p, b->len + 1);
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_append(buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_puts(buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void buf_clear(buf *b)
{
	b->len = 0;
	if (b->cap)
		b->p[0] = '\0';
	b->failed = false;
}

int str_to_i64(str s, int64_t min, int64_t max, int64_t *out)
{
	if (s.len == 0 || s.len > 20)
		return -1;
	size_t i = 0;
	bool neg = false;
	if (s.p[0] == '-') {
		neg = true;
		i = 1;
		if (s.len == 1)
			return -1;
	}
	uint64_t v = 0;
	for (; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	int64_t r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -1;
		r = (int64_t)v;
	}
	if (r < min || r > max)
		return -1;
	*out = r;
	return 0;
}

int buf_money(buf *b, int64_t cents)
{
	uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	return buf_printf(b, "%s%llu.%02llu", cents < 0 ? "-" : "",
	                  (unsigned long long)(v / 100), (unsigned long long)(v % 100));
}

void money_display(char out[MONEY_MAX], int64_t cents)
{
	uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	char digits[24];
	int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)(v / 100));
	size_t o = 0;
	if (cents < 0)
		out[o++] = '-';
	for (int i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, MONEY_MAX - o, ".%02llu", (unsigned long long)(v % 100));
}
