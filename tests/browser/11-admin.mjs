// 11-admin: the admin's dashboard with its server-drawn SVG charts at
// 1280 and 375 px, a destructive action's <dialog> (no, then yes), the
// confirmation page without JavaScript, a notice after an action, and
// axe-core on every admin page type: no serious or critical violation.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

async function signIn(page) {
  await page.goto('/login', { waitUntil: 'load' });
  await page.fill('#email', 'admin@souk.test');
  await page.fill('#password', 'admin-demo-1');
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('form button:has-text("Sign in")')]);
}

async function axeClean(page, what) {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [],
    `${what}: serious or critical axe violations`);
}

// The first product in the admin's list and its id.
async function firstProduct(page) {
  await page.goto('/admin/products', { waitUntil: 'load' });
  const href = await page.locator('.admin-list tbody a').first().getAttribute('href');
  return href;
}

export default async function (t) {
  await t.check('dashboard with charts (1280 px)', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin'), page.click('.acct a:has-text("Admin")')]);
    assert.equal(await page.locator('h1').innerText(), 'Dashboard');
    assert.equal(await page.locator('#kpis tbody tr').count(), 3, 'today, 7 and 30 days');
    assert.equal(await page.locator('figure svg.chart').count(), 3, 'three SVG charts');
    assert.ok(await page.locator('#chart-orders rect.series').count() >= 30, 'a bar per day');
    const box = await page.locator('#chart-orders svg').boundingBox();
    assert.ok(box && box.width > 300 && box.height > 80, `the chart is drawn (${JSON.stringify(box)})`);
    assert.equal(await page.locator('.admin-nav a[aria-current="page"]').innerText(), 'Dashboard');
    await t.shot(page, 'dashboard-1280');
    problems.assertNone();
  });

  await t.check('dashboard fits a phone (375 px)', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page);
    await page.goto('/admin', { waitUntil: 'load' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scroll (overflow ${overflow}px)`);
    const box = await page.locator('#chart-revenue svg').boundingBox();
    assert.ok(box && box.width <= 375 && box.width > 250, `the chart fits the screen (${JSON.stringify(box)})`);
    await t.shot(page, 'dashboard-375');
    problems.assertNone();
  });

  await t.check('withdraw asks in a dialog; no keeps it, yes withdraws; a notice', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    const href = await firstProduct(page);
    await page.goto(href, { waitUntil: 'load' });
    assert.equal(await page.locator('#product-status').innerText(), 'active');
    await page.click('#withdraw');
    const dialog = page.locator('dialog.confirm-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /Withdraw product \d+ .*It leaves the shop and search/s);
    await t.shot(page, 'withdraw-dialog');
    await page.click('#confirm-dialog-no');
    await dialog.waitFor({ state: 'hidden' });
    await page.reload({ waitUntil: 'load' });
    assert.equal(await page.locator('#product-status').innerText(), 'active', 'No changed nothing');

    await page.click('#withdraw');
    await dialog.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL(/notice=withdrawn/), page.click('#confirm-dialog-yes')]);
    assert.equal(await page.locator('#product-status').innerText(), 'withdrawn');
    assert.match(await page.locator('#notice').innerText(), /Product withdrawn/);
    await t.shot(page, 'withdrawn-notice');
    await Promise.all([page.waitForURL(/notice=restored/), page.click('#restore')]);
    assert.equal(await page.locator('#product-status').innerText(), 'active', 'back on sale');
    assert.match(await page.locator('#notice').innerText(), /back on sale/);
    problems.assertNone();
  });

  await t.check('without JavaScript the server asks (confirmation page)', async ({ page }) => {
    await signIn(page);
    // the same session in a context without JavaScript
    const ctx = await page.context().browser().newContext({ baseURL: t.base, javaScriptEnabled: false });
    await ctx.addCookies(await page.context().cookies());
    const p = await ctx.newPage();
    p.setDefaultTimeout(10000);
    try {
      await p.setViewportSize({ width: 375, height: 740 });
      const href = await firstProduct(p);
      await p.goto(href, { waitUntil: 'load' });
      assert.equal(await p.locator('#product-status').innerText(), 'active');
      await Promise.all([p.waitForURL((u) => u.pathname.endsWith('/withdraw')), p.click('#withdraw')]);
      assert.equal(await p.locator('h1').innerText(), 'Please confirm');
      assert.match(await p.locator('#confirm-question').innerText(), /Withdraw product/);
      await t.shot(p, 'confirm-page-375');
      await Promise.all([p.waitForURL((u) => u.pathname === new URL(href, t.base).pathname),
        p.click('a:has-text("No, go back")')]);
      assert.equal(await p.locator('#product-status').innerText(), 'active', 'going back changed nothing');
    } catch (e) {
      await t.shot(p, 'confirm-page-failed');
      throw e;
    } finally {
      await ctx.close();
    }
  });

  // axe per page type, one check each (a check has 60 s; axe is slow on a busy machine)
  const axePage = (what, path) => t.check(`axe: ${what} has no serious or critical violation`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    const target = typeof path === 'function' ? await path(page) : path;
    const r = await page.goto(target, { waitUntil: 'load' });
    assert.equal(r.status(), 200, `${what}: 200`);
    await axeClean(page, what);
  });
  const firstLink = (list) => async (page) => {
    await page.goto(list, { waitUntil: 'load' });
    return page.locator('.admin-list tbody a').first().getAttribute('href');
  };
  await axePage('dashboard', '/admin');
  await axePage('orders', '/admin/orders?declined=1');
  await axePage('order', firstLink('/admin/orders?declined=1'));
  await axePage('returns', '/admin/returns');
  await axePage('products', '/admin/products');
  await axePage('product', firstProduct);
  await axePage('customers', '/admin/customers');
  await axePage('customer', firstLink('/admin/customers'));
  await axePage('warehouses', '/admin/warehouses');
  await axePage('warehouse stock', firstLink('/admin/warehouses'));
  await axePage('a page with a notice', '/admin/orders?notice=cancelled');
  await t.check('axe: the confirmation page has no serious or critical violation', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    await page.goto(await firstProduct(page), { waitUntil: 'load' });
    // what a browser without the dialog gets
    await page.locator('form[data-confirm]').evaluate((f) => f.removeAttribute('data-confirm'));
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/withdraw')), page.click('#withdraw')]);
    assert.equal(await page.locator('h1').innerText(), 'Please confirm');
    await axeClean(page, 'confirmation page');
  });
}
