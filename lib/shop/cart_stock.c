/* cart_stock: clamps cart lines to the stock available (at add, update and every checkout step). */
#include "shop/cart_stock.h"

#include <string.h>

int cart_fit_stock(ctx *c, const char *cart_id, const cart *k, cart_fit *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < k->nlines; i++) {
		const cart_line *l = &k->lines[i];
		if (!l->active || l->available >= l->qty)
			continue;
		int keep = l->available > 0 ? (int)l->available : 0;
		if ((keep ? cart_set(c, cart_id, l->sku_id, keep) : cart_remove(c, cart_id, l->sku_id)) < 0)
			return SOUK_ERR;
		f->changed++;
		f->sku_id = l->sku_id;
		f->asked = l->qty;
		f->kept = keep;
	}
	return SOUK_OK;
}

const char *cart_fit_message(ctx *c, const cart_fit *f)
{
	buf b;
	buf_init(&b, c->a, 256);
	if (f->changed == 0)
		return NULL;
	if (f->changed > 1)
		buf_puts(&b, "Some items have fewer left than you asked for — we changed your cart to what is "
		             "in stock. Check it before you continue.");
	else if (f->kept > 0)
		buf_printf(&b, "Only %d left — we changed your quantity to %d", f->kept, f->kept);
	else
		buf_puts(&b, "That item just sold out — we removed it from your cart");
	return b.failed ? NULL : b.p;
}
