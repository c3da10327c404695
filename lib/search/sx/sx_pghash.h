/* sx_pghash: PostgreSQL's hashtextextended() computed here, so the load
 * need not ask the server to build and hash a string per row. */
#ifndef SOUK_SX_PGHASH_H
#define SOUK_SX_PGHASH_H

#include <stddef.h>
#include <stdint.h>

/* hashtextextended(s, seed) for a deterministic collation, as PostgreSQL
 * computes it on a little-endian server (hash_bytes_extended of
 * src/common/hashfn.c, Bob Jenkins' lookup3, 2006): the same bytes and
 * seed give the same 64 bits. Big-endian servers read the key's words
 * the other way round and give other values. */
uint64_t sx_pg_hashtext(const char *s, size_t n, uint64_t seed);

/* A product row's version as sx_index_load.c's SX_VER computes it in SQL:
 * hashtextextended(xmin::text || '/' || search_xid::text, id). */
uint64_t sx_pg_row_version(uint32_t xmin, uint64_t search_xid, int64_t id);

#endif
