// 07-seller: the demo seller signs in, finds a product in the seller
// center, lists an offer on it (sku, price, FBM stock) and sees the offer
// with its name and price on the product page; the listing is in its
// list; seller pages pass the CSP and fit a phone.
import assert from 'node:assert/strict';

async function signIn(page) {
  await page.goto('/login?next=/seller/', { waitUntil: 'load' });
  await page.fill('#email', 'seller@souk.test');
  await page.fill('#password', 'seller-demo-1');
  await Promise.all([page.waitForURL((u) => u.pathname === '/seller/'), page.click('form button:has-text("Sign in")')]);
}

export default async function (t) {
  await t.check('a seller lists an offer and sees it on the product page', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    const name = (await page.locator('.seller-nav strong').innerText()).trim();
    assert.ok(name.length > 0, 'the nav names the seller');
    await t.shot(page, 'center');
    await page.click('.seller-nav a[href="/seller/listings/new"]');
    await page.fill('#q', 'sofa');
    await Promise.all([page.waitForLoadState('load'), page.click('form.filters button')]);
    const form = page.locator('.offer-variant form').first();
    assert.equal(await form.count(), 1, 'a variant the seller does not offer yet');
    const sku = `BR-${Date.now()}`;
    await form.locator('input[name="sku"]').fill(sku);
    await form.locator('input[name="price"]').fill('1.23');
    await form.locator('input[name="shipping"]').fill('0');
    await form.locator('input[name="quantity"]').fill('3');
    await t.shot(page, 'offer-form');
    await Promise.all([page.waitForURL(/\/seller\/listings\/\d+\?created=1/), form.locator('button[type="submit"]').click()]);
    assert.match(await page.locator('.notice').innerText(), /listed/);
    assert.equal((await page.locator('#sku').innerText()).trim(), sku);
    await t.shot(page, 'offer-created');

    await Promise.all([page.waitForURL(/\/products\/\d+/), page.click('a:has-text("product page")')]);
    const offers = page.locator('.block table tbody tr', { hasText: name });
    assert.ok(await offers.count() >= 1, `the product page lists ${name}'s offer`);
    assert.match(await offers.first().innerText(), /1\.23/);
    await t.shot(page, 'product-page');

    await page.goto(`/seller/listings?q=${sku}`, { waitUntil: 'load' });
    assert.equal(await page.locator('#offers tbody tr').count(), 1, 'the listing is in the list');
    problems.assertNone();
  });

  await t.check('seller pages fit a phone (375 px)', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page);
    for (const path of ['/seller/listings', '/seller/inventory-file', '/seller/keys']) {
      await page.goto(path, { waitUntil: 'load' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path}: no horizontal scroll (overflow ${overflow}px)`);
    }
    await t.shot(page, 'phone-listings');
    problems.assertNone();
  });
}
