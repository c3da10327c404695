/* outbox: the transactional half of event publishing (DESIGN.md §4). */
#include "shop/outbox.h"

#include <stdbool.h>

#include "store/db.h"

static const db_stmt outbox_sql[] = {
	{"outbox_add", "INSERT INTO outbox (topic, key, payload) VALUES ($1, $2, $3::jsonb)"},
};

void outbox_register(void)
{
	db_register(outbox_sql, sizeof(outbox_sql) / sizeof(outbox_sql[0]));
}

int outbox_add(ctx *c, const char *topic, const char *key, json_object *payload)
{
	const char *text = json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN);
	const char *params[] = {topic, key, text};
	return db_exec(c, "outbox_add", 3, params) ? SOUK_OK : SOUK_ERR;
}
