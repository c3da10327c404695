// 10-pictures: every product has drawn pictures: cards on a category page
// (distinct, loaded, WebP, cached a year as immutable), and the product
// page's gallery whose thumbnails swap the large picture; 1280 and 375 px.
import assert from 'node:assert/strict';

async function loaded(page, selector) {
  return page.locator(selector).evaluateAll((imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), w: i.naturalWidth })));
}

export default async function (t) {
  for (const [label, vp] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 375, height: 667 }]]) {
    await t.check(`${label}: category cards show distinct pictures`, async ({ page, problems }) => {
      await page.setViewportSize(vp);
      await page.goto('/', { waitUntil: 'load' });
      await Promise.all([page.waitForURL(/\/c\/\d+/), page.locator('#categories a.tile').first().click()]);
      // lazy images: bring each card into view so it loads
      const cards = page.locator('.results .card img');
      const n = Math.min(await cards.count(), 8);
      assert.ok(n >= 4, 'cards on the page');
      for (let i = 0; i < n; i++) await cards.nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction((k) => [...document.querySelectorAll('.results .card img')].slice(0, k).every((i) => i.complete && i.naturalWidth > 0), n);
      const imgs = (await loaded(page, '.results .card img')).slice(0, n);
      for (const i of imgs) {
        assert.match(i.src, /^\/img\/p\/\d+-0-[0-9a-f]+-card\.webp$/, 'a drawn card picture');
        assert.ok(i.w > 0 && i.w <= 320, `decoded, at most 320 px wide (${i.w})`);
      }
      assert.equal(new Set(imgs.map((i) => i.src)).size, imgs.length, 'no two cards share a picture');
      const r = await page.request.get(imgs[0].src);
      assert.equal(r.status(), 200);
      assert.equal(r.headers()['content-type'], 'image/webp');
      assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable');
      await page.evaluate(() => window.scrollTo(0, 0));
      await t.shot(page, `category-${label}`);
      problems.assertNone();
    });

    await t.check(`${label}: the product gallery swaps pictures by thumbnail`, async ({ page, problems }) => {
      await page.setViewportSize(vp);
      await page.goto('/', { waitUntil: 'load' });
      const href = await page.locator('#best-sellers .card a.card-link').first().getAttribute('href');
      await page.goto(href, { waitUntil: 'load' });
      const main = page.locator('#g-main');
      await page.waitForFunction(() => document.getElementById('g-main').naturalWidth > 0);
      assert.match(await main.getAttribute('src'), /-0-[0-9a-f]+-page\.webp$/, 'the first picture, large');
      assert.match(await main.getAttribute('alt'), /picture 1 of 3$/);
      const thumbs = page.locator('.g-thumbs a.g-thumb');
      assert.equal(await thumbs.count(), 3, 'three thumbnails');
      await thumbs.nth(1).scrollIntoViewIfNeeded();
      await thumbs.nth(1).click();
      await page.waitForFunction(() => /-1-[0-9a-f]+-page\.webp$/.test(document.getElementById('g-main').getAttribute('src')) && document.getElementById('g-main').complete && document.getElementById('g-main').naturalWidth > 0);
      assert.equal(await thumbs.nth(1).getAttribute('aria-current'), 'true', 'the chosen thumbnail is marked');
      assert.equal(await thumbs.nth(0).getAttribute('aria-current'), null);
      assert.match(page.url(), /\/products\/\d+/, 'the page stayed (the script swapped the picture)');
      await t.shot(page, `gallery-${label}`);
      problems.assertNone();
    });
  }
}
