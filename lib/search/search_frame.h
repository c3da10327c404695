/* search_frame: souk-searchd's answer as a compact binary frame (the
 * pool decodes it straight into a search_result and renders once; JSON
 * made by the daemon and parsed again by the pool cost a third of the
 * CPU at 16 clients).
 *
 * Layout, version 1 (integers big-endian, no padding):
 *   "SXR" 0x01                       magic and version
 *   i64 total, u32 nhits, per hit:
 *     i64 id, s ref, s title, s brand, s image, i64 price, f64 rating,
 *     i64 rating_count, u8 in_stock, i64 sales_rank, f64 score
 *   4 bucket lists (brands, colours, categories, ratings): u32 n, per
 *     bucket: s value, i64 id, i64 count, u8 selected
 *   u32 nprices, per bucket: i64 from, i64 to, s key, i64 count
 *   s corrected_query, u32 nsuggestions + s each (never null), s engine
 * s = u32 length + bytes (no NUL inside), length 0xffffffff = NULL.
 * A frame must end exactly after the last field. JSON error replies
 * ({"ok":false,...}) are unchanged: the first byte tells them apart. */
#ifndef SOUK_SEARCH_FRAME_H
#define SOUK_SEARCH_FRAME_H

#include "search/search.h"

#define SEARCH_FRAME_MAGIC "SXR"
#define SEARCH_FRAME_VERSION 1

/* r as a frame (arena); {NULL, 0} when the arena is full. */
str search_result_to_frame(ctx *c, const search_result *r);
/* A frame into r (strings copied into c's arena, NUL-terminated).
 * SOUK_OK, or SOUK_ERR (nothing recorded in c) for bytes that are not a
 * whole version-1 frame. */
int search_result_from_frame(ctx *c, str frame, search_result *r);
/* Whether the payload claims to be a frame (of any version). */
bool search_is_frame(str payload);

#endif
