// 05-checkout: browse -> product -> add to cart -> checkout with the
// approve card -> confirmation -> order page; then the decline card, the
// reason shown, and a retry that succeeds. Desktop, then a phone.
import assert from 'node:assert/strict';

/* A best seller whose featured offer has at least 3 units. */
async function stockedProduct(page) {
  const home = await (await page.request.get('/')).text();
  const ids = [...new Set([...home.matchAll(/href="\/products\/(\d+)\//g)].map((m) => Number(m[1])))];
  for (const id of ids) {
    const doc = await (await page.request.get(`/api/v1/products/${id}`)).json();
    const v = doc.variants.find((x) => x.offers.length && x.offers[0].in_stock && x.offers[0].available >= 3);
    // the title as pages show it: without a size glued to its end (view_title)
    const title = doc.title.replace(/,\s*(XXS|XS|S|M|L|XL|XXL|XXXL|2XL|3XL|4XL|Small|Medium|Large|X-Small|X-Large|XX-Large|XXX-Large|One Size)\s*$/i, '');
    if (v && doc.variants[0] === v) return { id, title, price: v.offers[0].price };
  }
  throw new Error('no stocked best seller on the home page');
}

async function addToCart(t, page, name) {
  await page.selectOption('form.add-cart select[name=qty]', '1');
  await Promise.all([page.waitForURL(/\/cart/), page.click('form.add-cart button:has-text("Add to cart")')]);
  assert.match(await page.locator('.notice').innerText(), /Added to your cart/);
  await t.shot(page, name);
}

async function address(t, page, email) {
  await Promise.all([page.waitForURL(/\/checkout$/), page.click('a:has-text("Proceed to checkout")')]);
  await page.fill('#email', email);
  await page.fill('#name', 'Ada Browser');
  await page.fill('#line1', '12 Test Street');
  await page.fill('#city', 'Springfield');
  await page.fill('#postal_code', '12345');
  await page.selectOption('#country', 'US');
  await t.shot(page, 'address');
  await Promise.all([page.waitForURL(/\/checkout\/shipping/), page.click('button:has-text("Continue to shipping")')]);
  await page.check('input[name=method][value=standard]');
  await t.shot(page, 'shipping');
  await Promise.all([page.waitForURL(/\/checkout\/payment/), page.click('button:has-text("Continue to payment")')]);
}

async function pay(t, page, card, name) {
  await page.fill('#card_number', card);
  await page.selectOption('#exp_month', '12');
  await page.selectOption('#exp_year', String(new Date().getFullYear() + 3));
  await page.fill('#cvc', '123');
  await t.shot(page, `payment-${name}`);
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Review your order")')]);
  assert.match(await page.locator('h1').innerText(), /Review your order/);
  await t.shot(page, `review-${name}`);
  const total = (await page.locator('#sum-total').innerText()).trim();
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Place your order")')]);
  return total;
}

export default async function (t) {
  await t.check('buy with the approve card, then see the order', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const p = await stockedProduct(page);
    await page.goto(`/products/${p.id}`, { waitUntil: 'load' });
    await t.shot(page, 'product');
    await addToCart(t, page, 'cart');
    assert.equal((await page.locator('#cart-count').innerText()).trim(), '1', 'header count 1');
    assert.ok((await page.locator('.cart-lines').innerText()).includes(p.title), 'the cart lists the product');
    await address(t, page, `buyer-${Date.now()}@example.test`);
    const total = await pay(t, page, '4242 4242 4242 4242', 'approve');
    await page.waitForURL(/\/checkout\/done\//);
    await t.shot(page, 'confirmation');
    const pid = (await page.locator('#order-id').innerText()).trim();
    assert.match(pid, /^[A-Za-z0-9_-]{8,}$/);
    assert.equal((await page.locator('#order-total').innerText()).trim(), total, 'confirmed total = reviewed total');
    assert.equal((await page.locator('#cart-count').innerText()).trim(), '0', 'cart emptied');
    await Promise.all([page.waitForURL(new RegExp(`/orders/${pid}`)), page.click('#order-link')]);
    assert.equal((await page.locator('#order-status').innerText()).trim(), 'Confirmed');
    const steps = await page.locator('.timeline .tl-status').allInnerTexts();
    assert.deepEqual(steps, ['Pending', 'Confirmed'], 'timeline');
    await t.shot(page, 'order');
    problems.assertNone();
  });

  await t.check('the admin finds the order and moves it to PROCESSING and SHIPPED', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/login?next=/admin/orders', { waitUntil: 'load' });
    await page.fill('#email', 'admin@souk.test');
    await page.fill('#password', 'admin-demo-1');
    await Promise.all([page.waitForURL(/\/admin\/orders$/), page.click('form button:has-text("Sign in")')]);
    await page.selectOption('#status', 'CONFIRMED');
    await page.fill('#email', 'buyer-');
    await Promise.all([page.waitForURL(/status=CONFIRMED/), page.click('.filters button')]);
    await t.shot(page, 'admin-list');
    const first = page.locator('.admin-list tbody a').first();
    const pid = (await first.innerText()).trim();
    await Promise.all([page.waitForURL(new RegExp(`/admin/orders/${pid}`)), first.click()]);
    await t.shot(page, 'admin-order');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Mark PROCESSING")')]);
    assert.equal((await page.locator('#order-status').innerText()).trim(), 'PROCESSING');
    await page.fill('#carrier', 'UPS');
    await page.fill('#tracking', '1Z999AA10123456784');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Mark SHIPPED")')]);
    assert.equal((await page.locator('#order-status').innerText()).trim(), 'SHIPPED');
    assert.ok((await page.locator('.tracking').innerText()).includes('1Z999AA10123456784'));
    await t.shot(page, 'admin-shipped');
    await page.setViewportSize({ width: 375, height: 760 });
    await page.goto('/admin/orders', { waitUntil: 'load' });
    await t.shot(page, 'admin-list-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `admin list: no horizontal scroll (${overflow}px)`);
    problems.assertNone();
  });

  await t.check('a declined card is explained and a retry works', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const p = await stockedProduct(page);
    await page.goto(`/products/${p.id}`, { waitUntil: 'load' });
    await addToCart(t, page, 'cart-2');
    await address(t, page, `decline-${Date.now()}@example.test`);
    await pay(t, page, '4000 0000 0000 0002', 'decline');
    await page.waitForURL(/\/checkout\/place/);
    const alert = (await page.locator('#pay-error').innerText()).trim();
    assert.match(alert, /declined/i);
    assert.match(alert, /try another card/);
    await t.shot(page, 'declined');
    assert.equal((await page.locator('#cart-count').innerText()).trim(), '1', 'the cart is kept');
    await pay(t, page, '4242424242424242', 'retry');
    await page.waitForURL(/\/checkout\/done\//);
    assert.match(await page.locator('.thanks').innerText(), /is Confirmed\./);
    await t.shot(page, 'retry-confirmed');
    // the decline answer is a 402 page: the only expected error
    assert.deepEqual(problems.list.filter((x) => !/402/.test(x)), []);
  });

  await t.check('cart and checkout on a phone (375 px)', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 760 });
    const p = await stockedProduct(page);
    await page.goto(`/products/${p.id}`, { waitUntil: 'load' });
    await t.shot(page, 'phone-product');
    await addToCart(t, page, 'phone-cart');
    const wide = async () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(await wide() <= 0, 'cart: no horizontal scroll');
    await address(t, page, `phone-${Date.now()}@example.test`);
    assert.ok(await wide() <= 0, 'payment: no horizontal scroll');
    await pay(t, page, '4242424242424242', 'phone');
    await page.waitForURL(/\/checkout\/done\//);
    assert.ok(await wide() <= 0, 'confirmation: no horizontal scroll');
    await t.shot(page, 'phone-confirmation');
    problems.assertNone();
  });
}
