/* snapshot: when souk-searchd reads and writes its index's snapshot
 * (lib/search/sx/sx_snap.c): read once at start instead of loading from
 * PostgreSQL; written after every load from PostgreSQL, every
 * SOUK_SEARCHD_SNAPSHOT_S seconds (300) while the index changes, and at
 * a clean stop when it changed since. SOUK_SEARCHD_SNAPSHOT names the file (default
 * $SOUK_VAR/searchd/index.snap; "off": none). */
#ifndef SOUK_SEARCHD_SNAPSHOT_H
#define SOUK_SEARCHD_SNAPSHOT_H

#include <stdbool.h>

#include "core/ctx.h"
#include "search/sx/sx_index.h"

/* Reads the settings; false when snapshots are off. */
bool snapshot_configure(void);
/* At start: reads the snapshot into ix and applies what was stamped
 * since, so the first search served is as fresh as after a load.
 * UNUSED (logged why) when there is none to use: load from PostgreSQL;
 * RELOADED when more changed since than a refresh reads, so the
 * refresh loaded the catalog from PostgreSQL after all. */
typedef enum { SNAPSHOT_UNUSED, SNAPSHOT_USED, SNAPSHOT_RELOADED } snapshot_use;
snapshot_use snapshot_load(sx_index *ix, ctx *c);
/* Called by the index's writer after each refresh or repair (applied:
 * products changed): writes when due, in a child process (fork: it
 * writes from its copy-on-write image while the refresh goes on).
 * stopping: the last call, from the only thread left: waits for a
 * child still writing, then writes here whatever changed since. */
void snapshot_tick(sx_index *ix, ctx *c, int applied, bool stopping);

#endif
