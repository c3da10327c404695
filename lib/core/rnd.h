/* rnd: unguessable identifiers from the kernel's CSPRNG. */
#ifndef SOUK_RND_H
#define SOUK_RND_H

#include <stddef.h>

#include "core/arena.h"

/* nbytes (1..64) random bytes as lower-case hex (2*nbytes chars) in the
 * arena; NULL when the kernel refuses (never in practice) or the arena is
 * full. */
char *rnd_hex(arena *a, size_t nbytes);

#endif
