/* seller_inventory: the inventory file page — upload a CSV
 * (multipart/form-data), see the per-row report, download it as CSV (kept
 * one hour in Redis under the seller's id, so only its seller can). */
#include "seller.h"

#include <string.h>

#include "core/rnd.h"
#include "http/req.h"
#include "http/resp.h"
#include "shop/seller_csv.h"
#include "store/rds.h"

#define REPORT_TTL 3600

static const char *report_key(ctx *c, int64_t seller_id, const char *rid)
{
	return view_fmt(c->a, "seller_report:%lld:%s", (long long)seller_id, rid);
}

static int upload_page(ctx *c, const seller_who *who, const char *error, int status)
{
	tmpl_dict *d = seller_page(c, who, "Inventory file");
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "MESSAGE", error);
	return shop_render(c, status, "seller_inventory.tpl", d);
}

int page_seller_inventory(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	return upload_page(c, &who, NULL, 200);
}

int post_seller_inventory(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_upload_guard(c, &who, &rc, "the file"))
		return rc;
	if (who.suspended)
		return upload_page(c, &who, "A suspended seller cannot change listings.", 403);
	const str *file = req_form(c->rq, "file");
	scsv_file f;
	if (!file || file->len == 0)
		return upload_page(c, &who, "Choose a CSV file to upload.", 400);
	if (scsv_parse(c, *file, &f) < 0 || scsv_apply(c, who.id, &f) < 0) {
		if (c->err_status != 400)
			return SOUK_ERR;
		int st;
		const char *msg = shop_take_failure(c, &st);
		return upload_page(c, &who, msg, st);
	}
	const char *rid = rnd_hex(c->a, 16);
	bool kept = rid && rds_setex(c, report_key(c, who.id, rid), REPORT_TTL, scsv_report_csv(c, &f)) == 0;
	tmpl_dict *d = seller_page(c, &who, "Inventory file report");
	tmpl_set_i64(d, "ROWS", f.n);
	tmpl_set_i64(d, "APPLIED", f.applied);
	tmpl_set_i64(d, "REJECTED", f.rejected);
	tmpl_set(d, "SECONDS", view_fmt(c->a, "%.2f", f.seconds));
	if (kept)
		tmpl_set(tmpl_section(d, "DOWNLOAD"), "RID", rid);
	for (int i = 0; i < f.n; i++) {
		tmpl_dict *r = tmpl_section(d, "ROW");
		tmpl_set_i64(r, "LINE", f.rows[i].line);
		tmpl_set(r, "SKU", f.rows[i].sku ? f.rows[i].sku : "");
		tmpl_set(r, "RESULT", f.rows[i].applied ? "applied" : "rejected");
		tmpl_set(r, "REASON", f.rows[i].applied ? "" : f.rows[i].reason);
		tmpl_set(r, "CLASS", f.rows[i].applied ? "st-done" : "st-off");
	}
	return shop_render(c, 200, "seller_inventory_report.tpl", d);
}

int page_seller_inventory_report(ctx *c)
{
	seller_who who;
	int rc;
	if (!seller_page_guard(c, &who, &rc))
		return rc;
	const str *rid = ctx_param(c, "rid");
	bool hex = rid && rid->len == 32;
	for (size_t i = 0; hex && i < rid->len; i++)
		hex = (rid->p[i] >= '0' && rid->p[i] <= '9') || (rid->p[i] >= 'a' && rid->p[i] <= 'f');
	str csv;
	int got = hex ? rds_get(c, report_key(c, who.id, str_dup(c->a, *rid)), &csv) : 0;
	if (got < 0)
		return ctx_fail(c, 503, "unavailable", "reports are unavailable right now; please try again");
	if (got == 0)
		return ctx_fail(c, 404, "not_found", "no such report (reports are kept one hour)");
	resp_csv(c->rs, "inventory-report.csv");
	return buf_append(&c->rs->body, csv.p, csv.len) < 0 ? ctx_fail(c, 500, "internal", "too large") : SOUK_OK;
}
