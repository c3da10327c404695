/* arena: request-scoped allocation, freed whole, with deferred cleanups. */
#ifndef SOUK_ARENA_H
#define SOUK_ARENA_H

#include <stddef.h>

typedef struct arena arena;
typedef void (*arena_cleanup_fn)(void *p);

/* Creates an arena that refuses to grow past `cap` bytes (0 = no cap).
 * Aborts on out-of-memory, like Redis: call sites stay clean. */
arena *arena_new(size_t cap);

/* Runs the deferred cleanups (newest first) and frees every block. */
void arena_free(arena *a);

/* Runs the cleanups and frees all but the first block: ready for the next
 * request with no malloc on the hot path. */
void arena_reset(arena *a);

/* Memory owned by the arena, aligned for any type; NULL only when the
 * arena's cap would be exceeded. arena_zalloc zeroes it. */
void *arena_alloc(arena *a, size_t n);
void *arena_zalloc(arena *a, size_t n);

/* Copies of bytes/strings into the arena (always NUL-terminated). */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);

/* Registers fn(p) to run when the arena is reset or freed (never before:
 * the caller keeps using p). The small record is not counted against the
 * cap nor in arena_used; out-of-memory aborts, like every allocation
 * here. So it never fails: always 0, and p belongs to the arena. */
int arena_defer(arena *a, arena_cleanup_fn fn, void *p);

/* Bytes handed out since the last reset (for logs and tests). */
size_t arena_used(const arena *a);

#endif
