/* buf: borrowed string views (str) and an arena-backed growable buffer. */
#ifndef SOUK_BUF_H
#define SOUK_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* A borrowed view: p is not necessarily NUL-terminated. */
typedef struct str {
	const char *p;
	size_t len;
} str;

#define STR(lit) ((str){(lit), sizeof(lit) - 1})
str str_c(const char *s);               /* view of a C string (NULL -> empty) */
bool str_eq(str a, str b);
bool str_eq_c(str a, const char *s);
bool str_starts(str a, const char *prefix);
char *str_dup(arena *a, str s);         /* NUL-terminated copy in the arena */

/* A growable buffer whose bytes live in an arena and are always
 * NUL-terminated. After a failed append (arena cap) the buffer is marked
 * `failed`, keeps its old contents, and further appends are no-ops. */
typedef struct buf {
	arena *a;
	char *p;
	size_t len, cap, max; /* max: refuse to grow past this (0 = none) */
	bool failed;
} buf;

void buf_init(buf *b, arena *a, size_t max);
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_clear(buf *b);
static inline str buf_str(const buf *b) { return (str){b->p, b->len}; }

/* Checked number parsing: the whole view must be a decimal integer within
 * [min, max]; no sign games, no trailing bytes. 0 on success, -1 otherwise. */
int str_to_i64(str s, int64_t min, int64_t max, int64_t *out);

/* Money in minor units formatted as "12.34" (negative as "-12.34"). */
int buf_money(buf *b, int64_t cents);
/* Money as people read it: "10,548.45", "-1,000.00" (thousands
 * separated), into out (MONEY_MAX bytes, NUL-terminated). The one
 * formatter of every amount shown on a page or in a mail (tmpl_set_money);
 * buf_money stays the plain form for machines. */
#define MONEY_MAX 32
void money_display(char out[MONEY_MAX], int64_t cents);

/* Never use the unbounded libc string functions in Souk code. The system
 * headers that declare them are included first so only our uses trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef SOUK_ALLOW_UNSAFE
#pragma GCC poison strcpy strcat sprintf vsprintf gets atoi atol
#endif

#endif
