// 08-shipment: a shopper buys an FBM offer of the demo seller (Northwind
// Traders, seller 2); the seller signs in, finds the shipment in the
// seller center and confirms it with a carrier and tracking number; the
// shopper's order page then shows that tracking number.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const sql = (q) => execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', q],
  { encoding: 'utf8' }).trim();

/* A fresh FBM offer of seller 2 with 5 units in a warehouse of its own. */
function fbmOffer() {
  const tag = `b08-${Date.now()}`;
  return Number(sql(`WITH w AS (INSERT INTO warehouses (name, seller_id, region)
      VALUES ('b08', 2, 'US') RETURNING id),
    p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank)
      VALUES ('${tag}', 'Browser shipment item', (SELECT min(id) FROM categories), 2, 999999) RETURNING id),
    v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, '${tag}-v', 2400 FROM p RETURNING id),
    o AS (INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
      SELECT id, 2, '${tag}-o', 2400, 'FBM' FROM v RETURNING id),
    i AS (INSERT INTO inventory (sku_id, warehouse_id, quantity_available) SELECT o.id, w.id, 5 FROM o, w)
    SELECT id FROM o`).split('\n')[0]);
}

export default async function (t) {
  await t.check('a seller confirms a shipment and the shopper sees the tracking number', async ({ page, context, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const sku = fbmOffer();
    const cart = await (await page.request.post('/api/v1/carts')).json();
    const add = await page.request.post(`/api/v1/carts/${cart.cart_id}/items`, { data: { sku_id: sku, qty: 1 } });
    assert.equal(add.status(), 200, 'added to the cart');
    const res = await page.request.post('/api/v1/checkout', {
      headers: { 'Idempotency-Key': `b08-${Date.now()}` },
      data: { cart_id: cart.cart_id, email: 'b08@example.com', shipping_method: 'standard',
        shipping_address: { name: 'Ada Browser', line1: '1 Main St', city: 'Springfield', postal_code: '12345', country: 'US' },
        payment: { card_number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123' } },
    });
    assert.equal(res.status(), 201, 'order placed');
    const { order } = await res.json();
    const shipment = Number(sql(`SELECT s.id FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.public_id = '${order.public_id}'`));
    assert.ok(shipment > 0, 'one pending shipment');

    await page.goto('/login?next=/seller/orders', { waitUntil: 'load' });
    await page.fill('#email', 'seller@souk.test');
    await page.fill('#password', 'seller-demo-1');
    await Promise.all([page.waitForURL(/\/seller\/orders$/), page.click('form button:has-text("Sign in")')]);
    const row = page.locator(`#shipment-${shipment}`);
    assert.match(await row.innerText(), new RegExp(order.public_id));
    await t.shot(page, 'seller-orders');
    await row.locator('input[name=carrier]').fill('UPS');
    await row.locator('input[name=tracking]').fill('1ZBROWSER0808');
    await Promise.all([page.waitForURL(/\/seller\/orders$/), row.locator('button:has-text("Confirm shipment")').click()]);
    assert.match(await page.locator(`#shipment-${shipment}`).innerText(), /1ZBROWSER0808/);
    await t.shot(page, 'seller-shipped');
    await page.goto('/seller/dashboard', { waitUntil: 'load' });
    assert.match(await page.locator('#dashboard').innerText(), /Units waiting to ship/);
    await t.shot(page, 'seller-dashboard');
    problems.assertNone();

    const shopper = await context.browser().newContext({ baseURL: page.url().replace(/\/seller.*$/, '') });
    const sp = await shopper.newPage();
    await sp.goto(`/orders/${order.public_id}?token=${order.access_token}`, { waitUntil: 'load' });
    assert.match(await sp.locator('.tracking').innerText(), /1ZBROWSER0808/);
    assert.match(await sp.locator('body').innerText(), /Shipment 1 of 1/);
    await t.shot(sp, 'shopper-order');
    await shopper.close();
  });
}
