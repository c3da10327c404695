// 02-browse: a shopper goes home -> a category -> a product and sees what
// the API says about it (title, Buy Box price, sellers, stock).
import assert from 'node:assert/strict';

const money = (cents) => `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
// Pages show a title without the size the source glued to its end (view_title).
const shown = (title) => title.replace(/,\s*(XXS|XS|S|M|L|XL|XXL|XXXL|2XL|3XL|4XL|Small|Medium|Large|X-Small|X-Large|XX-Large|XXX-Large|One Size)\s*$/i, '');

export default async function (t) {
  await t.check('home -> category -> product shows the product as the API has it', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    let resp = await page.goto('/', { waitUntil: 'load' });
    assert.equal(resp.status(), 200);
    const tiles = page.locator('#categories a.tile');
    assert.ok(await tiles.count() >= 5, 'home lists top categories');
    assert.ok(await page.locator('#best-sellers .card').count() >= 4, 'home lists best sellers');
    await t.shot(page, 'home');

    const tileName = (await tiles.first().locator('.tile-name').innerText()).trim();
    await Promise.all([page.waitForURL(/\/c\/\d+/), tiles.first().click()]);
    assert.equal((await page.locator('h1').first().innerText()).trim(), tileName, 'category heading');
    const cards = page.locator('.results .card');
    assert.ok(await cards.count() > 0, 'category shows products');
    await t.shot(page, 'category');

    // Sort by price, low to high, with the plain form (no JavaScript needed).
    await page.selectOption('form.sort select[name=sort]', 'price_asc');
    await Promise.all([page.waitForURL(/sort=price_asc/), page.click('form.sort button')]);
    const prices = await page.locator('.results .card .price').allInnerTexts();
    const nums = prices.map((p) => Number(p.replace(/[$,]/g, '')));
    assert.deepEqual(nums, [...nums].sort((a, b) => a - b), 'prices ascend');

    const first = cards.first();
    const title = (await first.locator('.card-title').innerText()).trim();
    await Promise.all([page.waitForURL(/\/products\/\d+/), first.locator('a.card-link').click()]);
    const id = Number(page.url().match(/\/products\/(\d+)/)[1]);
    assert.equal((await page.locator('h1.p-title').innerText()).trim(), title, 'product title');
    await t.shot(page, 'product');

    const api = await (await page.request.get(`/api/v1/products/${id}`)).json();
    assert.equal(shown(api.title), title);
    const v = api.variants.find((x) => x.offers.some((o) => o.in_stock)) || api.variants[0];
    const body = await page.locator('main').innerText();
    if (v.offers[0].in_stock) {
      assert.ok(body.includes(money(v.offers[0].price)), `Buy Box price ${money(v.offers[0].price)} shown`);
      assert.ok(body.includes(v.offers[0].seller.name), 'Buy Box seller shown');
    }
    assert.ok(body.includes('Other sellers'), 'other sellers section');
    // The Buy Box sells the featured offer when it is in stock.
    const buy = page.locator('aside.buybox button:has-text("Add to cart")');
    assert.equal(await buy.isDisabled(), !v.offers[0].in_stock, 'Add to cart enabled exactly when in stock');
    problems.assertNone();
  });

  await t.check('a sized product switches variant by link', async ({ page, problems }) => {
    // Find a product with several sizes through the API of its category.
    const cats = (await (await page.request.get('/api/v1/categories')).json()).categories;
    const apparel = cats.find((c) => c.parent_id === null && /Clothing/.test(c.name));
    assert.ok(apparel, 'a clothing department exists');
    const list = await (await page.request.get(`/api/v1/categories/${apparel.id}/products?per_page=50`)).json();
    let doc;
    for (const p of list.products) {
      const d = await (await page.request.get(`/api/v1/products/${p.id}`)).json();
      if (d.variants.length > 1 && d.variants.every((x) => x.offers.length)) { doc = d; break; }
    }
    assert.ok(doc, 'a product with sizes');
    await page.goto(`/products/${doc.id}`, { waitUntil: 'load' });
    const last = doc.variants[doc.variants.length - 1];
    await Promise.all([page.waitForURL(new RegExp(`variant=${last.id}`)),
      page.locator(`.opts a[href*="variant=${last.id}"]`).click()]);
    assert.equal(await page.locator(`.opts a[href*="variant=${last.id}"]`).getAttribute('aria-current'), 'true');
    assert.ok((await page.locator('main').innerText()).includes(last.sku), 'selected variant sku shown');
    await t.shot(page, 'variant');
    problems.assertNone();
  });

  await t.check('a phone-sized screen gets the one-column product page', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/products/1', { waitUntil: 'load' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'no horizontal scrolling');
    await t.shot(page, 'product-375');
    problems.assertNone();
  });
}
