/* cache: the consumer group that drops cached product documents when a
 * catalog or inventory event says the product changed. */
#include <string.h>

#include "shop/catalog.h"
#include "worker.h"

/* The write path that emitted the event already invalidated its own
 * process's view; this covers every other writer (seller center, checkout
 * stock changes, other hosts) and any key re-cached between commit and
 * that first invalidation. Deleting twice is harmless. */
static int apply(ctx *c, const event *ev)
{
	int64_t pid;
	int rc = event_id_field(ev, "product_id", &pid);
	if (rc == 1) {
		catalog_invalidate(c, pid);
		return SOUK_OK;
	}
	if (strncmp(ev->type, "catalog.", 8) == 0 || strcmp(ev->type, "inventory.changed") == 0)
		return ctx_fail(c, 400, "bad_event", "%s without a product_id", ev->type);
	return SOUK_OK; /* an event type this group does not care about */
}

static const char *const topics[] = {"catalog", "inventory", NULL};
const consumer_def cache_consumer = {.group = "cache", .topics = topics, .apply = apply};
