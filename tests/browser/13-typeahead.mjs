// 13-typeahead: search as you type in the header (two letters, arrow
// keys, Enter, Escape, the ARIA combobox state) and the autocorrected
// search page ("blutooth speker") with its "search instead" link, at
// 1280 px and 375 px.
import assert from 'node:assert/strict';

const BOX = '.search-box input[name=q]';

export default async function (t) {
  await t.check('typeahead: two letters, arrow down, Enter opens the chosen suggestion', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/', { waitUntil: 'load' });
    const box = page.locator(BOX);
    assert.equal(await box.getAttribute('role'), 'combobox', 'the script makes the box a combobox');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    await box.click();
    await box.pressSequentially('b', { delay: 30 });
    await page.waitForTimeout(400);
    assert.equal(await page.locator('#ta-list').isVisible(), false, 'one letter asks nothing');
    await box.pressSequentially('luetooth sp', { delay: 30 });
    await page.locator('#ta-list .ta-opt').first().waitFor({ state: 'visible' });
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    const api = await (await page.request.get('/api/v1/search/suggest?q=bluetooth%20sp')).json();
    const texts = await page.locator('#ta-list .ta-text').allInnerTexts();
    assert.deepEqual(texts.map((s) => s.trim()), api.suggestions.map((s) => s.text.trim()),
      'the list shows what the suggest endpoint answers, in its order');
    await t.shot(page, 'typeahead-open');

    // Down twice, up once: the first option is active (aria-activedescendant).
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    await box.press('ArrowUp');
    const first = page.locator('#ta-list .ta-opt').first();
    assert.equal(await first.getAttribute('aria-selected'), 'true', 'the first option is selected');
    assert.equal(await box.getAttribute('aria-activedescendant'), await first.getAttribute('id'));
    await t.shot(page, 'typeahead-active');
    const chosen = api.suggestions[0];
    const want = chosen.kind === 'title' ? `/products/${chosen.id}` : chosen.kind === 'category' ? `/c/${chosen.id}` : '/search?q=';
    await Promise.all([page.waitForURL((u) => u.pathname + u.search !== '/'), box.press('Enter')]);
    assert.ok(page.url().includes(want), `Enter opens the chosen suggestion (${want}, got ${page.url()})`);
    if (chosen.kind === 'title') {
      assert.ok((await page.locator('h1').first().innerText()).trim().length > 0, 'a product page');
    }
    problems.assertNone();
  });

  await t.check('typeahead: Escape closes; Enter without a choice submits the form', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/', { waitUntil: 'load' });
    const box = page.locator(BOX);
    await box.click();
    await box.pressSequentially('sof', { delay: 30 });
    await page.locator('#ta-list .ta-opt').first().waitFor({ state: 'visible' });
    await t.shot(page, 'typeahead-375');
    await box.press('Escape');
    assert.equal(await page.locator('#ta-list').isVisible(), false, 'Escape closes the list');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    await Promise.all([page.waitForURL(/\/search\?q=sof$/), box.press('Enter')]);
    assert.ok((await page.locator('h1').innerText()).includes('sof'), 'the plain search ran');
    problems.assertNone();
  });

  await t.check('typeahead: without JavaScript the box is a plain search form', async ({ context: withJs, base }) => {
    const context = await withJs.browser().newContext({ baseURL: base, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/', { waitUntil: 'load' });
    assert.equal(await page.locator(BOX).getAttribute('role'), null, 'no combobox without the script');
    await page.fill(BOX, 'bluetooth speaker');
    await Promise.all([page.waitForURL(/\/search\?q=bluetooth\+speaker$/), page.press(BOX, 'Enter')]);
    assert.ok((await page.locator('h1').innerText()).includes('bluetooth speaker'));
    await context.close();
  });

  for (const width of [1280, 375]) {
    await t.check(`autocorrected search page at ${width} px, and the way back to the words as typed`, async ({ page, problems }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto('/search?q=blutooth+speker', { waitUntil: 'load' });
      const api = await (await page.request.get('/api/v1/search?q=blutooth%20speker&per_page=1')).json();
      assert.equal(api.corrected_query, 'bluetooth speaker');
      const banner = page.locator('.notice.typo');
      assert.ok(await banner.isVisible(), 'the banner is in view');
      const text = (await banner.innerText()).replace(/\s+/g, ' ');
      assert.ok(text.includes('Showing results for bluetooth speaker. Search instead for blutooth speker'), text);
      assert.ok((await page.locator('h1').innerText()).includes('bluetooth speaker'), 'the heading names the corrected words');
      assert.ok(await page.locator('.results .card').count() > 1, 'the corrected results');
      assert.ok(!(await page.content()).includes('blu tooth'), 'no split suggestion');
      await t.shot(page, `autocorrect-${width}`);
      await Promise.all([page.waitForURL(/exact=1/), banner.locator('a', { hasText: 'blutooth speker' }).click()]);
      assert.equal(await page.locator('.notice.typo').count(), 0, 'the words as typed: no banner');
      assert.ok((await page.locator('h1').innerText()).includes('blutooth speker'));
      await t.shot(page, `autocorrect-original-${width}`);
      problems.assertNone();
    });
  }
}
