// 09-shopper: what a shopper meets: the cart clamping a quantity to the
// stock with a message, the order mail's one-time link opening the order
// in another browser (and refusing a second use), and on a 375 px phone
// the price and "Add to cart" in the first screen and the order total
// above "Place your order". Desktop and phone.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PHONE = { width: 375, height: 667 };
const DESK = { width: 1280, height: 900 };

/* A best seller on the home page whose featured offer has 3..60 units. */
async function stocked(page) {
  const home = await (await page.request.get('/')).text();
  const ids = [...new Set([...home.matchAll(/href="\/products\/(\d+)\//g)].map((m) => Number(m[1])))];
  for (const id of ids) {
    const doc = await (await page.request.get(`/api/v1/products/${id}`)).json();
    const v = doc.variants[0];
    const o = v && v.offers[0];
    if (o && o.in_stock && o.available >= 3 && o.available <= 60) return { id, available: o.available };
  }
  throw new Error('no best seller with 3..60 units');
}

async function addOne(page, id) {
  await page.goto(`/products/${id}`, { waitUntil: 'load' });
  await page.selectOption('form.add-cart select[name=qty]', '1');
  await Promise.all([page.waitForURL(/\/cart/), page.click('form.add-cart button:has-text("Add to cart")')]);
}

async function checkoutToReview(page, email) {
  await Promise.all([page.waitForURL(/\/checkout$/), page.click('a:has-text("Proceed to checkout")')]);
  await page.fill('#email', email);
  await page.fill('#name', 'Ada Mail');
  await page.fill('#line1', '12 Test Street');
  await page.fill('#city', 'Springfield');
  await page.fill('#postal_code', '12345');
  await page.selectOption('#country', 'US');
  await Promise.all([page.waitForURL(/\/checkout\/shipping/), page.click('button:has-text("Continue to shipping")')]);
  await Promise.all([page.waitForURL(/\/checkout\/payment/), page.click('button:has-text("Continue to payment")')]);
  await page.fill('#card_number', '4242 4242 4242 4242');
  await page.selectOption('#exp_month', '12');
  await page.selectOption('#exp_year', String(new Date().getFullYear() + 3));
  await page.fill('#cvc', '123');
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Review your order")')]);
}

async function inFirstScreen(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is shown`);
  const vh = page.viewportSize().height;
  assert.ok(box.y >= 0 && box.y + box.height <= vh, `${selector} within the first ${vh} px (top ${Math.round(box.y)}, bottom ${Math.round(box.y + box.height)})`);
}

/* The newest mail naming the order, its one-time link. */
async function mailLink(pid) {
  const dir = process.env.SOUK_MAIL_DIR;
  assert.ok(dir, 'SOUK_MAIL_DIR is set by bin/souk test');
  for (let i = 0; i < 150; i++) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.eml'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const m = text.match(new RegExp(`https?://\\S+/orders/${pid}/open\\?link_token=[0-9a-f.]+`));
      if (m) return new URL(m[0]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail with a link for ${pid}`);
}

export default async function (t) {
  for (const [label, vp] of [['desktop', DESK], ['phone', PHONE]]) {
    await t.check(`${label}: a quantity above the stock is clamped, with the message`, async ({ page, problems }) => {
      await page.setViewportSize(vp);
      const p = await stocked(page);
      await addOne(page, p.id);
      const line = page.locator('.cart-line').first();
      assert.match(await line.locator('.cl-avail').innerText(), /In stock|Only \d+ left/, 'availability per line');
      assert.match(await line.locator('.cl-seller').innerText(), /^Sold by \S/, 'who sells the line');
      assert.match(await line.locator('img.cl-img').getAttribute('src'), /^\/img\/p\/.+-thumb\.webp$/, 'a thumbnail');
      await line.locator('input[name=qty]').fill('99');
      await Promise.all([page.waitForLoadState('load'), line.locator('button:has-text("Update")').click()]);
      const alert = (await page.locator('.alert').innerText()).trim();
      assert.equal(alert, `Only ${p.available} left — we changed your quantity to ${p.available}`);
      assert.equal(await page.locator('.cart-line input[name=qty]').first().inputValue(), String(p.available));
      await t.shot(page, `clamped-${label}`);
      problems.assertNone();
    });
  }

  await t.check('phone: price and Add to cart in the first screen of a product page', async ({ page, problems }) => {
    await page.setViewportSize(PHONE);
    const p = await stocked(page);
    await page.goto(`/products/${p.id}`, { waitUntil: 'load' });
    await inFirstScreen(page, '.buybox .bb-price');
    await inFirstScreen(page, '.buybox button:has-text("Add to cart")');
    await t.shot(page, 'product-phone');
    problems.assertNone();
  });

  await t.check('the order mail link opens the order once, in another browser', async ({ page, context, problems }) => {
    await page.setViewportSize(PHONE);
    const p = await stocked(page);
    await addOne(page, p.id);
    await checkoutToReview(page, `mail-${Date.now()}@example.test`);
    // phone: the total stands above "Place your order"
    const total = (await page.locator('#place-total').innerText()).trim();
    assert.equal(total, (await page.locator('#sum-total').innerText()).trim(), 'the total beside the button is the summary total');
    const tBox = await page.locator('#place-total').boundingBox();
    const bBox = await page.locator('button:has-text("Place your order")').boundingBox();
    assert.ok(tBox.y + tBox.height <= bBox.y, 'the order total is above "Place your order"');
    await t.shot(page, 'review-phone');
    await Promise.all([page.waitForURL(/\/checkout\/done\//), page.click('button:has-text("Place your order")')]);
    const pid = (await page.locator('#order-id').innerText()).trim();
    const link = await mailLink(pid);

    const other = await context.browser().newContext({ baseURL: t.base, viewport: DESK });
    try {
      const p2 = await other.newPage();
      await p2.goto(link.pathname + link.search, { waitUntil: 'load' });
      assert.equal(new URL(p2.url()).pathname, `/orders/${pid}`, 'lands on the clean order URL');
      assert.equal(new URL(p2.url()).search, '', 'no token left in the address bar');
      assert.equal((await p2.locator('#order-status').innerText()).trim(), 'Confirmed');
      await t.shot(p2, 'mail-link-order');
      const p3 = await (await context.browser().newContext({ baseURL: t.base, viewport: PHONE })).newPage();
      const r = await p3.goto(link.pathname + link.search, { waitUntil: 'load' });
      assert.equal(r.status(), 410, 'a second use is refused');
      assert.match(await p3.locator('h1').innerText(), /already used/);
      assert.equal(await p3.locator(`a[href="/login?next=/orders/${pid}"]`).count(), 1, 'offers to sign in');
      await t.shot(p3, 'mail-link-used');
      await p3.context().close();
    } finally {
      await other.close();
    }
    problems.assertNone();
  });
}
