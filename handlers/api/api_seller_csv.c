/* api_seller_csv: POST /api/v1/seller/inventory-file — the CSV body
 * (sku,price,quantity[,warehouse]) applied row by row, answered with the
 * per-row report (JSON; text/csv when the client asks for it). */
#include "api_seller.h"

#include "core/js.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"
#include "shop/seller.h"
#include "shop/seller_csv.h"

int api_seller_inventory_file(ctx *c)
{
	seller_who who;
	scsv_file f;
	if (seller_api_guard(c, &who) < 0)
		return SOUK_ERR;
	if (who.suspended)
		return ctx_fail(c, 403, "suspended", "a suspended seller cannot change listings");
	if (scsv_parse(c, c->rq->body, &f) < 0 || scsv_apply(c, who.id, &f) < 0)
		return SOUK_ERR;
	const str *accept = req_header(c->rq, "accept");
	if (accept && memmem(accept->p, accept->len, "text/csv", 8)) {
		resp_csv(c->rs, NULL);
		str t = scsv_report_csv(c, &f);
		return buf_append(&c->rs->body, t.p, t.len) < 0 ? ctx_fail(c, 500, "internal", "too large")
		                                                : SOUK_OK;
	}
	json_object *o = js_obj(c), *rows = json_object_new_array();
	js_i64(o, "rows", f.n);
	js_i64(o, "applied", f.applied);
	js_i64(o, "rejected", f.rejected);
	for (int i = 0; i < f.n; i++) {
		json_object *r = json_object_new_object();
		js_i64(r, "line", f.rows[i].line);
		js_str(r, "sku", f.rows[i].sku ? f.rows[i].sku : "");
		js_str(r, "result", f.rows[i].applied ? "applied" : "rejected");
		if (!f.rows[i].applied)
			js_str(r, "reason", f.rows[i].reason);
		else
			js_i64(r, "sku_id", f.rows[i].sku_id);
		json_object_array_add(rows, r);
	}
	json_object_object_add(o, "report", rows);
	return resp_json(c, 200, o);
}
