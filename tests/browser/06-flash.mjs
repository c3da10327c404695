// 06-flash: a flash sale in the browser. A shopper finds the deal on the
// product page, joins the pre-queue and sees the countdown, then (the line
// paused at the start) a place and an ETA, is admitted when it resumes,
// buys with the short form and sees the confirmation; meanwhile a second
// shopper waiting in line sees "Sold out" within a second, pushed, without
// a reload; a third finds the sale sold out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

function sql(q) {
  return execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' }).trim();
}

/* A fresh product with one offer and a paused sale of 1 unit starting in 14 s. */
function makeSale() {
  const tag = `br${Date.now()}`;
  const [pid, sku] = sql(`WITH p AS (INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank)
      VALUES ('T-${tag}', 'Flash sneaker ${tag}', 'Testbrand', (SELECT min(id) FROM categories), 1, 999999) RETURNING id),
    v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'TV-${tag}', 12900 FROM p RETURNING id, product_id),
    o AS (INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment) SELECT id, 1, 'TO-${tag}', 12900, 'FBA' FROM v RETURNING id),
    i AS (INSERT INTO inventory (sku_id, warehouse_id, quantity_available) SELECT id, 1, 0 FROM o)
    SELECT (SELECT product_id FROM v) || '|' || (SELECT id FROM o)`).split('|');
  const sale = sql(`INSERT INTO flash_sales (sku_id, units, price, prequeue_at, starts_at, ends_at, per_customer,
      max_active, admit_per_min, pass_minutes, state)
    VALUES (${sku}, 1, 4999, now(), now() + interval '14 seconds', now() + interval '1 hour', 1, 1, 600, 5, 'paused')
    RETURNING id`);
  return { pid, sku, sale };
}

export default async function (t) {
  let s;
  await t.check('join the pre-queue, wait, get in, buy', async ({ page, context, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    s = makeSale();
    await page.goto(`/products/${s.pid}`, { waitUntil: 'load' });
    await page.locator('#flash-deal').waitFor();
    assert.match(await page.locator('#flash-deal').innerText(), /\$49\.99/);
    assert.equal(await page.locator('form.add-cart').count(), 0, 'no Add to cart during the sale');
    await t.shot(page, 'product');
    await Promise.all([page.waitForURL(new RegExp(`/flash/${s.sale}$`)), page.click('#join-line')]);
    await Promise.all([page.waitForLoadState('load'), page.click('#join')]);
    await page.locator('#prequeue').waitFor();
    assert.match(await page.locator('#countdown').innerText(), /\d+ s/);
    await t.shot(page, 'prequeue');
    // at the start (the line is paused) flash.js reloads into the line
    await page.locator('#waiting').waitFor({ timeout: 25000 });
    assert.equal((await page.locator('#position').innerText()).trim(), '1');
    assert.equal((await page.locator('#ahead').innerText()).trim(), '0');
    assert.match(await page.locator('#eta').innerText(), /\d+ s/);
    assert.match(await page.locator('#waiting h2').innerText(), /paused/);
    await t.shot(page, 'line');
    sql(`UPDATE flash_sales SET state = 'scheduled' WHERE id = ${s.sale}`);
    await page.locator('#buy').waitFor({ timeout: 15000 });
    await t.shot(page, 'admitted');
    // a second shopper (another browser) waits behind the one pass
    const other = await context.browser().newContext({ baseURL: t.base });
    const line = await other.newPage();
    const lineProblems = [];
    line.on('pageerror', (e) => lineProblems.push(`page error: ${e.message}`));
    line.on('console', (m) => { if (m.type() === 'error') lineProblems.push(`console error: ${m.text()}`); });
    await line.goto(`/flash/${s.sale}`, { waitUntil: 'load' });
    await Promise.all([line.waitForLoadState('load'), line.click('#join')]);
    await line.locator('#waiting').waitFor();
    // a mark that a reload would wipe
    await line.evaluate(() => { window.soukNoReload = 1; });
    await page.selectOption('#qty', '1');
    await page.fill('#email', 'flash-browser@example.com');
    await page.fill('#name', 'Ada Browser');
    await page.fill('#line1', '12 Test Street');
    await page.fill('#city', 'Springfield');
    await page.fill('#postal_code', '12345');
    await page.fill('#card_number', '4242 4242 4242 4242');
    await page.fill('#exp_month', '12');
    await page.fill('#exp_year', String(new Date().getFullYear() + 3));
    await page.fill('#cvc', '123');
    await Promise.all([page.waitForLoadState('load'), page.click('#buy-now')]);
    await page.locator('#done').waitFor();
    const bought = Date.now();
    // the last unit went: the line hears it pushed (sold out is pushed when
    // the unit is taken, before the buyer's confirmation), not at a poll
    await line.locator('#sold-out').waitFor({ timeout: 1000 });
    const late = Date.now() - bought;
    assert.ok(late <= 1000, `sold out shown ${late} ms after the confirmation`);
    assert.equal(await line.evaluate(() => window.soukNoReload), 1, 'shown without a reload');
    assert.equal(await line.locator('#waiting').count(), 0, 'the place in line is gone');
    assert.equal((await line.locator('#units-left').innerText()).trim(), '0');
    await t.shot(line, 'sold-out-pushed');
    assert.deepEqual(lineProblems, []);
    await other.close();
    const id = (await page.locator('#order-id').innerText()).trim();
    assert.match(id, /^[0-9a-f]{20}$/);
    assert.match(await page.locator('#done').innerText(), /CONFIRMED/);
    assert.equal(sql(`SELECT units_sold FROM flash_sales WHERE id = ${s.sale}`), '1');
    await t.shot(page, 'confirmation');
    problems.assertNone();
  });

  await t.check('a second shopper finds it sold out', async ({ page, problems }) => {
    assert.ok(s, 'the first check made the sale');
    await page.setViewportSize({ width: 390, height: 844 });
    await new Promise((r) => setTimeout(r, 700)); // the pools' 500 ms sale cache
    await page.goto(`/flash/${s.sale}`, { waitUntil: 'load' });
    await page.locator('#sold-out').waitFor();
    assert.equal(await page.locator('#join').count(), 0, 'no Join the line when sold out');
    const r = await page.request.post(`/api/v1/flash/${s.sale}/tickets`);
    assert.equal(r.status(), 201);
    const st = await (await page.request.get(`/api/v1/flash/${s.sale}/status`)).json();
    assert.equal(st.state, 'sold_out');
    await t.shot(page, 'sold-out');
    problems.assertNone();
  });
}
