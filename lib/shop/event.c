/* event: parsing the stream entries the outbox relay writes. */
#include "shop/event.h"

#include <string.h>

#include "core/js.h"

int event_parse(ctx *c, const str *fields, size_t n, event *ev)
{
	memset(ev, 0, sizeof(*ev));
	str id = {NULL, 0}, type = {NULL, 0}, key = {NULL, 0}, payload = {NULL, 0};
	for (size_t i = 0; i + 1 < n; i += 2) {
		if (str_eq_c(fields[i], "id"))
			id = fields[i + 1];
		else if (str_eq_c(fields[i], "type"))
			type = fields[i + 1];
		else if (str_eq_c(fields[i], "key"))
			key = fields[i + 1];
		else if (str_eq_c(fields[i], "payload"))
			payload = fields[i + 1];
	}
	if (!id.p || !type.p || !key.p || !payload.p || type.len == 0)
		return -1;
	if (str_to_i64(id, 1, INT64_MAX, &ev->id) < 0)
		return -1;
	ev->type = str_dup(c->a, type);
	ev->key = str_dup(c->a, key);
	ev->payload = js_parse(c, payload);
	const char *ptype = NULL;
	if (!ev->type || !ev->key || !ev->payload ||
	    !json_object_is_type(ev->payload, json_type_object) ||
	    js_get_str(ev->payload, "type", &ptype) != 1 || strcmp(ptype, ev->type) != 0)
		return -1;
	return 0;
}

int event_id_field(const event *ev, const char *key, int64_t *out)
{
	int64_t v;
	int rc = js_get_i64(ev->payload, key, &v);
	if (rc == 1 && v <= 0)
		return -1;
	if (rc == 1)
		*out = v;
	return rc;
}

const char *event_stream(ctx *c, const char *topic)
{
	buf b;
	buf_init(&b, c->a, 128);
	buf_printf(&b, "souk:%s", topic);
	return b.failed ? NULL : b.p;
}
