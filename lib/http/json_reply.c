/* json_reply: a handler's JSON answer, written into the request's response. */
#include "http/json_reply.h"

#include "http/req.h"
#include "http/resp.h"

int resp_json_text(ctx *c, int status, str text)
{
	c->rs->status = status;
	c->rs->content_type = "application/json";
	buf_clear(&c->rs->body);
	if (buf_append(&c->rs->body, text.p, text.len) < 0)
		return ctx_fail(c, 500, "internal", "response too large");
	return SOUK_OK;
}

int resp_json(ctx *c, int status, json_object *o)
{
	size_t n;
	const char *s = json_object_to_json_string_length(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	return resp_json_text(c, status, (str){s, n});
}

json_object *json_body_object(ctx *c)
{
	json_object *o = c->rq->json;
	if (!o && c->rq->body.len)
		o = js_parse(c, c->rq->body);
	if (!o && c->rq->body.len == 0)
		return ctx_fail(c, 400, "bad_request", "a JSON object body is required"), NULL;
	if (!o || !json_object_is_type(o, json_type_object))
		return ctx_fail(c, 400, "bad_request", "the body must be a JSON object"), NULL;
	return o;
}
