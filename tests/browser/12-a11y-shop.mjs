// 12-a11y-shop: axe-core on every shopper page type (home, all categories,
// category, product, search, cart, the checkout steps with errors shown,
// review, confirmation, order, sign-in, register, a refused mail link,
// a 404): no serious or critical violation. Desktop, and the phone for
// the pages whose layout changes most.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

async function audit(page, what) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [],
    `${what}: serious or critical accessibility violations`);
}

async function stocked(page) {
  const home = await (await page.request.get('/')).text();
  const ids = [...new Set([...home.matchAll(/href="\/products\/(\d+)\//g)].map((m) => Number(m[1])))];
  for (const id of ids) {
    const doc = await (await page.request.get(`/api/v1/products/${id}`)).json();
    const o = doc.variants[0] && doc.variants[0].offers[0];
    if (o && o.in_stock && o.available >= 3) return id;
  }
  throw new Error('no stocked best seller');
}

/* Cart with one item, then the address form filled (errors first when asked). */
async function toAddress(page) {
  const id = await stocked(page);
  await page.goto(`/products/${id}`, { waitUntil: 'load' });
  await page.selectOption('form.add-cart select[name=qty]', '1');
  await Promise.all([page.waitForURL(/\/cart/), page.click('form.add-cart button:has-text("Add to cart")')]);
  await Promise.all([page.waitForURL(/\/checkout$/), page.click('a:has-text("Proceed to checkout")')]);
}

async function addressWithErrors(page) {
  await page.fill('#email', `a11y-${Date.now()}@example.test`);
  await page.fill('#line1', '1 Main St');
  await page.fill('#postal_code', '!!!!');
  await page.locator('#name').evaluate((e) => e.removeAttribute('required'));
  await page.locator('#city').evaluate((e) => e.removeAttribute('required'));
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue to shipping")')]);
  assert.equal(await page.locator('.field-error').count(), 3, 'every error at once');
}

async function addressOk(page) {
  await page.fill('#name', 'Ada');
  await page.fill('#city', 'Springfield');
  await page.fill('#postal_code', '12345');
  await Promise.all([page.waitForURL(/\/checkout\/shipping/), page.click('button:has-text("Continue to shipping")')]);
}

async function toReview(page) {
  await Promise.all([page.waitForURL(/\/checkout\/payment/), page.click('button:has-text("Continue to payment")')]);
}

async function card(page) {
  await page.fill('#card_number', '4242 4242 4242 4242');
  await page.selectOption('#exp_month', '12');
  await page.selectOption('#exp_year', String(new Date().getFullYear() + 3));
  await page.fill('#cvc', '123');
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Review your order")')]);
}

const DESK = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 667 };

export default async function (t) {
  // a check has 60 s: the pages are audited a few at a time
  await t.check('home, all categories, category, product', async ({ page }) => {
    await page.setViewportSize(DESK);
    const id = await stocked(page);
    await page.goto('/', { waitUntil: 'load' });
    await audit(page, 'home');
    await page.goto('/c/', { waitUntil: 'load' });
    await page.locator('details.cat-dept summary').first().click();
    await audit(page, 'all categories');
    await page.goto('/', { waitUntil: 'load' });
    await Promise.all([page.waitForURL(/\/c\/\d+/), page.locator('#categories a.tile').first().click()]);
    await audit(page, 'category');
    await page.goto(`/products/${id}`, { waitUntil: 'load' });
    await audit(page, 'product');
  });

  await t.check('search, no results, 404, sign-in, register, a refused mail link', async ({ page }) => {
    await page.setViewportSize(DESK);
    for (const [path, what] of [['/search?q=bluetooth+speaker', 'search'], ['/search?q=zzqxjw', 'search without results'],
      ['/no/such/page', '404'], ['/login', 'sign-in'], ['/register', 'register'],
      ['/orders/SK-NOPE/open?link_token=1.2.3', 'a refused mail link']]) {
      await page.goto(path, { waitUntil: 'load' });
      await audit(page, what);
    }
  });

  await t.check('desktop: cart, address step, its errors', async ({ page }) => {
    await page.setViewportSize(DESK);
    await page.goto('/cart', { waitUntil: 'load' });
    await audit(page, 'empty cart');
    const id = await stocked(page);
    await page.goto(`/products/${id}`, { waitUntil: 'load' });
    await page.selectOption('form.add-cart select[name=qty]', '1');
    await Promise.all([page.waitForURL(/\/cart/), page.click('form.add-cart button:has-text("Add to cart")')]);
    await audit(page, 'cart');
    await Promise.all([page.waitForURL(/\/checkout$/), page.click('a:has-text("Proceed to checkout")')]);
    await audit(page, 'address step');
    await addressWithErrors(page);
    await audit(page, 'address step with errors');
  });

  await t.check('desktop: shipping, payment, review, confirmation, order', async ({ page }) => {
    await page.setViewportSize(DESK);
    await toAddress(page);
    await addressWithErrors(page);
    await addressOk(page);
    await audit(page, 'shipping step');
    await toReview(page);
    await audit(page, 'payment step');
    await card(page);
    await audit(page, 'review');
    await Promise.all([page.waitForURL(/\/checkout\/done\//), page.click('button:has-text("Place your order")')]);
    await audit(page, 'confirmation');
    await Promise.all([page.waitForURL(/\/orders\//), page.click('#order-link')]);
    await audit(page, 'order');
  });

  await t.check('phone: product, cart, address errors, review', async ({ page }) => {
    await page.setViewportSize(PHONE);
    const id = await stocked(page);
    await page.goto(`/products/${id}`, { waitUntil: 'load' });
    await audit(page, 'product (phone)');
    await page.selectOption('form.add-cart select[name=qty]', '1');
    await Promise.all([page.waitForURL(/\/cart/), page.click('form.add-cart button:has-text("Add to cart")')]);
    await audit(page, 'cart (phone)');
    await Promise.all([page.waitForURL(/\/checkout$/), page.click('a:has-text("Proceed to checkout")')]);
    await addressWithErrors(page);
    await audit(page, 'address errors (phone)');
    await addressOk(page);
    await toReview(page);
    await card(page);
    await audit(page, 'review (phone)');
  });
}
