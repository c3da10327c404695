/* notify: the consumer group that mails the shopper (order confirmed,
 * shipped, delivered; payment refunded, or declined after a deferred
 * authorization) as RFC 5322 .eml files in
 * SOUK_MAIL_DIR. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/db.h"
#include "core/js.h"
#include "core/log.h"
#include "shop/mail.h"
#include "shop/maillink.h"
#include "http/tmpl.h"
#include "worker.h"

static const db_stmt notify_sql[] = {
	{"notify_order",
	 "SELECT public_id, email, COALESCE(address->>'name', '') AS name, subtotal, shipping,"
	 " tax, total, currency, shipping_method FROM orders WHERE id = $1"},
	{"notify_items",
	 "SELECT title, variant, qty, unit_price, unit_price * qty AS line_total"
	 " FROM order_items WHERE order_id = $1 ORDER BY id"},
	{"notify_shipment",
	 "SELECT carrier, tracking FROM shipments WHERE order_id = $1 AND tracking IS NOT NULL"
	 " ORDER BY shipped_at DESC NULLS LAST, id DESC LIMIT 1"},
};

void notify_register(void)
{
	db_register(notify_sql, sizeof(notify_sql) / sizeof(notify_sql[0]));
	maillink_register();
}

/* URL/orders/{public_id}/open?link_token=VALUE */
static const char *order_link(ctx *c, const char *url, const char *pid, const char *value)
{
	buf b;
	buf_init(&b, c->a, 512);
	buf_printf(&b, "%s/orders/%s/open?%s=%s", url, pid, MAILLINK_PARAM, value);
	return b.p;
}

static const struct kind {
	const char *type, *tpl, *subject, *subject_end; /* the public id goes between */
} kinds[] = {
	{"order.confirmed", "mail/order_confirmed.tpl", "Your Souk order ", " is confirmed"},
	{"order.shipped", "mail/order_shipped.tpl", "Your Souk order ", " has shipped"},
	{"shipment.shipped", "mail/order_shipped.tpl", "Part of your Souk order ", " has shipped"},
	{"order.delivered", "mail/order_delivered.tpl", "Your Souk order ", " was delivered"},
	{"payment.refunded", "mail/order_refunded.tpl", "Refund for your Souk order ", ""},
	/* only a deferred authorization's decline: the checkout's own is on the page */
	{"payment.declined", "mail/payment_declined.tpl", "Your Souk order ", " was cancelled: payment declined"},
};

static const char *mail_dir(void)
{
	return cfg_env_str("SOUK_MAIL_DIR", "var/mail");
}

static int mkdirs(const char *path)
{
	char p[4096];
	if (snprintf(p, sizeof(p), "%s", path) >= (int)sizeof(p))
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int init(ctx *c)
{
	(void)c;
	if (mkdirs(mail_dir()) < 0) {
		log_msg(LOG_ERROR, NULL, "notifications: cannot create mail dir %s: %s", mail_dir(),
		        strerror(errno));
		return -1;
	}
	return 0;
}

/* Only [A-Za-z0-9-] of a public id go into the Message-ID. */
static const char *id_part(ctx *c, const char *s)
{
	buf b;
	buf_init(&b, c->a, 128);
	buf_puts(&b, "");
	for (; s && *s && b.len < 64; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    *s == '-')
			buf_putc(&b, *s);
	return b.p;
}

/* Fills the template dictionary; NULL (failure recorded) when the order
 * is gone or the database failed. */
static tmpl_dict *dict_for(ctx *c, const event *ev, int64_t order_id, db_res **order)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *o = db_exec(c, "notify_order", 1, p);
	if (!o)
		return NULL;
	if (db_rows(o) == 0)
		return ctx_fail(c, 404, "not_found", "no order %lld", (long long)order_id), NULL;
	db_res *items = db_exec(c, "notify_items", 1, p);
	db_res *ship = db_exec(c, "notify_shipment", 1, p);
	if (!items || !ship)
		return NULL;
	tmpl_dict *d = tmpl_dict_new(c->a);
	const char *name = db_val(o, 0, "name");
	tmpl_set(d, "NAME", name && *name ? name : "customer");
	tmpl_set(d, "PUBLIC_ID", db_val(o, 0, "public_id"));
	tmpl_set(d, "CURRENCY", db_val(o, 0, "currency"));
	tmpl_set_money(d, "SUBTOTAL", db_i64(o, 0, "subtotal"));
	tmpl_set_money(d, "SHIPPING", db_i64(o, 0, "shipping"));
	tmpl_set_money(d, "TAX", db_i64(o, 0, "tax"));
	tmpl_set_money(d, "TOTAL", db_i64(o, 0, "total"));
	tmpl_set(d, "SHIPPING_METHOD", db_val(o, 0, "shipping_method"));
	const char *url = cfg_env_str("SOUK_PUBLIC_URL", "http://127.0.0.1:8080");
	tmpl_set(d, "URL", url);
	/* the recipient's way in, guest or not: a one-time link, never the
	 * order's own token (docs/BUYING.md, "Order mails") */
	const char *pid = db_val(o, 0, "public_id");
	const char *link = maillink_make(c, pid, time(NULL));
	if (!link)
		return NULL;
	tmpl_set(d, "ORDER_LINK", order_link(c, url, pid, link));
	for (int i = 0; i < db_rows(items); i++) {
		tmpl_dict *it = tmpl_section(d, "ITEM");
		tmpl_set(it, "TITLE", db_val(items, i, "title"));
		const char *variant = db_val(items, i, "variant");
		if (variant && *variant) {
			tmpl_dict *v = tmpl_section(it, "VARIANT");
			tmpl_set(v, "TEXT", variant);
		}
		tmpl_set_i64(it, "QTY", db_i64(items, i, "qty"));
		tmpl_set_money(it, "LINE_TOTAL", db_i64(items, i, "line_total"));
	}
	if (db_rows(ship) > 0) {
		tmpl_dict *s = tmpl_section(d, "SHIPMENT");
		tmpl_set(s, "CARRIER", db_val(ship, 0, "carrier"));
		tmpl_set(s, "TRACKING", db_val(ship, 0, "tracking"));
	}
	int64_t amount;
	if (js_get_i64(ev->payload, "amount", &amount) == 1)
		tmpl_set_money(d, "AMOUNT", amount);
	*order = o;
	return d;
}

static int apply(ctx *c, const event *ev)
{
	const struct kind *k = NULL;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(ev->type, kinds[i].type) == 0)
			k = &kinds[i];
	if (!k)
		return SOUK_OK; /* no mail for this event */
	if (job_take_reload())
		tmpl_reload();
	int64_t order_id;
	if (event_id_field(ev, "order_id", &order_id) != 1)
		return ctx_fail(c, 400, "bad_event", "%s without an order_id", ev->type);
	db_res *o = NULL;
	tmpl_dict *d = dict_for(c, ev, order_id, &o);
	if (!d)
		return SOUK_ERR;
	buf body;
	buf_init(&body, c->a, 1 << 20);
	if (tmpl_render_text(k->tpl, d, &body) < 0)
		return ctx_fail(c, 500, "internal", "template %s failed", k->tpl);
	str text = buf_str(&body);
	while (text.len && (text.p[0] == '\n' || text.p[0] == '\r')) /* after the marker line */
		text.p++, text.len--;

	const char *from = cfg_env_str("SOUK_MAIL_FROM", "orders@souk.example");
	const char *public_id = db_val(o, 0, "public_id");
	buf subject, msgid, name, out;
	buf_init(&subject, c->a, 1024);
	buf_printf(&subject, "%s%s%s", k->subject, public_id, k->subject_end);
	const char *domain = strchr(from, '@');
	buf_init(&msgid, c->a, 512);
	buf_printf(&msgid, "event-%lld.%s%s", (long long)ev->id, id_part(c, public_id),
	           domain ? domain : "@souk.example");
	buf_init(&name, c->a, 128);
	buf_printf(&name, "event-%lld.eml", (long long)ev->id);
	mail m = {.from_name = cfg_env_str("SOUK_MAIL_FROM_NAME", "Souk"),
	          .from_addr = from,
	          .to_name = db_val(o, 0, "name"),
	          .to_addr = db_val(o, 0, "email"),
	          .subject = subject.p,
	          .message_id = msgid.p,
	          .date = time(NULL),
	          .body = text};
	buf_init(&out, c->a, 2 << 20);
	if (mail_render(&m, &out) < 0)
		return ctx_fail(c, 422, "bad_address", "cannot mail order %s: invalid address %s",
		                public_id, m.to_addr ? m.to_addr : "(none)");
	/* Named by the event: a redelivery replaces the file, never adds one. */
	if (mail_write_file(mail_dir(), name.p, buf_str(&out)) < 0)
		return ctx_fail(c, 500, "internal", "writing %s/%s: %s", mail_dir(), name.p,
		                strerror(errno));
	return SOUK_OK;
}

static const char *const topics[] = {"orders", "payments", NULL};
const consumer_def notify_consumer = {.group = "notifications", .topics = topics,
                                     .apply = apply, .init = init};
