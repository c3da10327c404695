// 03-search: a shopper searches "sofa", ticks a brand, sets a price range,
// sorts by price and opens a result; the page agrees with the JSON API.
import assert from 'node:assert/strict';

const dollars = (s) => Number(s.replace(/[$,]/g, ''));
const total = async (page) => {
  const m = (await page.locator('.results-head p').innerText()).match(/([\d,]+) results?/);
  return m ? Number(m[1].replace(/,/g, '')) : -1;
};

export default async function (t) {
  await t.check('search "sofa", tick a brand, set a price range, sort by price, open a result', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/', { waitUntil: 'load' });
    await page.fill('.search-box input[name=q]', 'sofa');
    await Promise.all([page.waitForURL(/\/search\?q=sofa$/), page.press('.search-box input[name=q]', 'Enter')]);
    assert.equal(await page.inputValue('.search-box input[name=q]'), 'sofa', 'the box keeps the words');
    const api = await (await page.request.get('/api/v1/search?q=sofa&per_page=1')).json();
    assert.ok(api.total > 0, 'the API finds sofas');
    assert.equal(await total(page), api.total, 'the page counts what the API counts');
    assert.ok(await page.locator('.results .card').count() > 0, 'result cards');
    await t.shot(page, 'search-sofa');

    // Tick the first brand: the script submits the form (the Apply button
    // does the same without JavaScript); the count is the facet's.
    const label = page.locator('.facet label.check:has(input[name=brand])').first();
    const box = label.locator('input');
    const brand = await box.getAttribute('value');
    const facetCount = Number((await label.locator('.count').innerText()).replace(/,/g, ''));
    await Promise.all([page.waitForURL(/brand=/), box.check()]);
    assert.ok(await page.locator('.facet input[name=brand][checked]').count() === 1, 'the brand stays ticked');
    assert.equal(await total(page), facetCount, `the result count is the brand's facet count (${brand})`);
    const cardBrands = await page.locator('.results .card .card-brand').allInnerTexts();
    assert.ok(cardBrands.every((b) => b.trim().toLowerCase() === brand.toLowerCase()), 'every card is that brand');
    assert.ok((await page.locator('.chips').innerText()).includes(brand), 'a chip names the brand');
    await t.shot(page, 'search-brand');

    // A price range in dollars, with the Apply button (no script involved).
    const prices = (await page.locator('.results .card .price').allInnerTexts()).map(dollars);
    const lo = Math.floor(Math.min(...prices)), hi = Math.ceil(Math.max(...prices));
    await page.fill('#f-min', String(lo));
    await page.fill('#f-max', String(hi));
    await Promise.all([page.waitForURL(/min=\d+&max=\d+/), page.click('.facets button.apply')]);
    assert.match(page.url(), new RegExp(`min=${lo}&max=${hi}`), 'clean URL with the dollar range');
    const inRange = (await page.locator('.results .card .price').allInnerTexts()).map(dollars);
    assert.ok(inRange.length > 0 && inRange.every((p) => p >= lo && p <= hi), 'prices within the range');
    await t.shot(page, 'search-price');

    // Sort by price, low to high.
    await Promise.all([page.waitForURL(/sort=price_asc/), page.selectOption('form.sort select[name=sort]', 'price_asc')]);
    const sorted = (await page.locator('.results .card .price').allInnerTexts()).map(dollars);
    assert.deepEqual(sorted, [...sorted].sort((a, b) => a - b), 'prices ascend');
    assert.match(page.url(), /brand=.*min=.*max=.*sort=price_asc/, 'sorting keeps the filters');
    await t.shot(page, 'search-sorted');

    // Open the first result.
    const first = page.locator('.results .card').first();
    const title = (await first.locator('.card-title').innerText()).trim();
    await Promise.all([page.waitForURL(/\/products\/\d+/), first.locator('a.card-link').click()]);
    assert.equal((await page.locator('h1.p-title').innerText()).trim(), title, 'the product page');
    await t.shot(page, 'search-product');
    problems.assertNone();
  });

  await t.check('the search page on a phone: no sideways scrolling, filters reachable', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/search?q=sofa', { waitUntil: 'load' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'no horizontal scrolling');
    assert.equal(await page.locator('.facet input[name=brand]').first().isVisible(), false, 'filters folded away');
    await t.shot(page, 'search-375');
    await page.click('label.filters-btn');
    assert.ok(await page.locator('.facet input[name=brand]').first().isVisible(), 'the Filters button shows them');
    await t.shot(page, 'search-375-filters');
    problems.assertNone();
  });

  await t.check('a typo still finds things, and bad input is a 400 page', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const api = await (await page.request.get('/api/v1/search?q=sofaa&per_page=1')).json();
    await page.goto('/search?q=sofaa', { waitUntil: 'load' });
    if (api.corrected_query) {
      assert.ok((await page.locator('.notice.typo').innerText()).includes(`Showing results for ${api.corrected_query}`),
        'the typo banner names the corrected words');
    }
    await t.shot(page, 'search-typo');
    problems.assertNone();
    const resp = await page.request.get('/search?q=sofa&min=cheap');
    assert.equal(resp.status(), 400);
    assert.ok((await resp.text()).includes('min must be a price in dollars'), 'the 400 page says why');
  });
}
