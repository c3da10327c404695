/* arena: a chain of blocks; allocation bumps a pointer, reset frees all. */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384
#define ARENA_ALIGN 16

typedef struct block {
	struct block *next;
	size_t size, used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
} block;

typedef struct cleanup {
	struct cleanup *next;
	arena_cleanup_fn fn;
	void *p;
} cleanup;

struct arena {
	block *head;     /* current block; the first block is the tail */
	cleanup *cleanups;
	size_t cap, total;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("souk: out of memory\n", stderr);
		abort();
	}
	return p;
}

static block *block_new(size_t size)
{
	block *b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena *arena_new(size_t cap)
{
	arena *a = xmalloc(sizeof(*a));
	a->head = block_new(ARENA_BLOCK);
	a->cleanups = NULL;
	a->cap = cap;
	a->total = 0;
	return a;
}

static void run_cleanups(arena *a)
{
	while (a->cleanups) {
		cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->p);
	}
}

void arena_reset(arena *a)
{
	run_cleanups(a);
	while (a->head->next) {
		block *b = a->head;
		a->head = b->next;
		free(b);
	}
	a->head->used = 0;
	a->total = 0;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->head);
	free(a);
}

/* need bytes (aligned, not overflowing) from the current block or a new
 * one; no cap, no accounting. */
static void *bump(arena *a, size_t need)
{
	block *b = a->head;
	if (b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = block_new(size);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	return p;
}

void *arena_alloc(arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n || need > SIZE_MAX - sizeof(block))
		return NULL; /* overflow, here or in block_new */
	if (a->cap && (need > a->cap || a->total > a->cap - need))
		return NULL;
	void *p = bump(a, need);
	a->total += need;
	return p;
}

void *arena_zalloc(arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

int arena_defer(arena *a, arena_cleanup_fn fn, void *p)
{
	/* Records are exempt from the cap and from arena_used: refusing one
	 * would leave an object the caller is about to use (js_obj,
	 * tmpl_dict_new, db_exec, ...) with no owner, and counting them
	 * would refuse the request's own bytes sooner. bump() cannot fail
	 * (out-of-memory aborts in block_new), so neither can this. */
	cleanup *c = bump(a, (sizeof(*c) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1));
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}

size_t arena_used(const arena *a)
{
	return a->total;
}
