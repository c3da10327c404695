// 01-smoke: the home page renders in a real browser without errors.
import assert from 'node:assert/strict';

export default async function (t) {
  await t.check('home page renders cleanly (no JS/CSP errors, no broken assets)', async ({ page, problems }) => {
    const resp = await page.goto('/', { waitUntil: 'load' });
    assert.equal(resp.status(), 200, 'GET / status');
    assert.ok((await page.title()).trim().length > 0, 'the page has a <title>');
    assert.ok(await page.locator('body').isVisible(), 'the body is visible');
    problems.assertNone();
  });

  await t.check('unknown page shows a 404 page', async ({ page }) => {
    const resp = await page.goto('/no-such-page-browser-test', { waitUntil: 'load' });
    assert.equal(resp.status(), 404);
    assert.ok((await page.locator('body').innerText()).trim().length > 0, '404 page has text');
  });
}
