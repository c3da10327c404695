// 14-seller-photo: the demo seller creates a product, uploads a photo
// from the listing's page (a JPEG made here with libvips' command line),
// sees it on the product's photos page and, at once, as the product
// page's main picture (WebP, with a srcset); pages pass the CSP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function signIn(page) {
  await page.goto('/login?next=/seller/', { waitUntil: 'load' });
  await page.fill('#email', 'seller@souk.test');
  await page.fill('#password', 'seller-demo-1');
  await Promise.all([page.waitForURL((u) => u.pathname === '/seller/'), page.click('form button:has-text("Sign in")')]);
}

// An 800x450 JPEG: white words on blue, so the screenshots show which picture it is.
function photo() {
  const d = mkdtempSync(join(tmpdir(), 'souk-photo-'));
  const vips = (...args) => execFileSync('vips', args, { stdio: 'pipe' });
  vips('text', join(d, 't.png'), "<span foreground='#ffffff' background='#2e86de' size='36000'> Souk test photo </span>", '--dpi', '150', '--rgba');
  vips('flatten', join(d, 't.png'), join(d, 't.v'), '--background', '46 134 222');
  vips('embed', join(d, 't.v'), join(d, 'e.v'), '40', '120', '800', '450', '--extend', 'background', '--background', '46 134 222');
  vips('jpegsave', join(d, 'e.v'), join(d, 'photo.jpg'));
  return join(d, 'photo.jpg');
}

export default async function (t) {
  await t.check('a seller uploads a photo and sees it on the product page', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    const sku = `PH-${Date.now()}`;
    const title = `Photo test ${sku}`;
    await page.goto('/seller/products/new', { waitUntil: 'load' });
    await page.fill('#title', title);
    await page.fill('#brand', 'Souk Photo');
    await page.selectOption('#category_id', { index: 1 });
    await page.fill('#v1_sku', sku);
    await page.fill('#v1_price', '19.99');
    await page.fill('#v1_quantity', '4');
    await Promise.all([page.waitForURL(/\/seller\/listings\?q=/), page.click('button:has-text("Create the product")')]);
    await Promise.all([page.waitForURL(/\/seller\/listings\/\d+$/), page.locator('#offers tbody tr a[href^="/seller/listings/"]').first().click()]);

    // the listing's page offers the upload for the seller's own product
    const form = page.locator('#offer-photos form');
    assert.equal(await form.count(), 1, 'the photo form on the listing page');
    await form.locator('input[type="file"]').setInputFiles(photo());
    await Promise.all([page.waitForURL(/\/seller\/products\/\d+\/photos\?added=1$/), form.locator('button[type="submit"]').click()]);
    assert.match(await page.locator('.notice').innerText(), /Photo added/);
    const thumbs = page.locator('#photos li img');
    assert.equal(await thumbs.count(), 1, 'one photo');
    await page.waitForFunction(() => [...document.querySelectorAll('#photos li img')].every((i) => i.complete && i.naturalWidth > 0));
    assert.match(await thumbs.first().getAttribute('src'), /^\/img\/p\/\d+-u[0-9a-f]{16}-card\.webp$/, 'the card size of the upload');
    assert.match(await page.locator('#photos li').first().innerText(), /main picture/);
    await t.shot(page, 'photos-page');

    await Promise.all([page.waitForURL(/\/products\/\d+/), page.click('#product-link')]);
    const main = page.locator('#g-main');
    await page.waitForFunction(() => document.getElementById('g-main').complete && document.getElementById('g-main').naturalWidth > 0);
    const src = await main.getAttribute('src');
    assert.match(src, /^\/img\/p\/\d+-u[0-9a-f]{16}-page\.webp$/, 'the upload is the main picture');
    assert.equal(await main.getAttribute('srcset'), `${src.replace(/-page\.webp$/, '-card.webp')} 320w, ${src} 800w`);
    // with a srcset, natural sizes are scaled to the chosen candidate's density: check the file and the shape
    const [w, h, current] = await main.evaluate((i) => [i.naturalWidth, i.naturalHeight, new URL(i.currentSrc).pathname]);
    assert.equal(current, src, 'a 1280 px window takes the page size');
    assert.equal(Math.round((w / h) * 90), 160, `16:9 kept (${w}x${h})`);
    assert.match(await page.locator('h1').first().innerText(), new RegExp(sku));
    const r = await page.request.get(src);
    assert.equal(r.headers()['content-type'], 'image/webp');
    await t.shot(page, 'product-page');
    problems.assertNone();
  });

  await t.check('the photos page fits a phone (375 px)', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page);
    await page.goto('/seller/listings', { waitUntil: 'load' });
    const href = await page.locator('#offers tbody tr a[href^="/seller/listings/"]').first().getAttribute('href');
    await page.goto(href, { waitUntil: 'load' });
    // the newest listing: the product the check above created
    const link = page.locator('#photos-link');
    assert.equal(await link.count(), 1, 'the listing links to its photos');
    await Promise.all([page.waitForURL(/\/photos$/), link.click()]);
    assert.equal(await page.locator('#photos li img').count(), 1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scroll (overflow ${overflow}px)`);
    await t.shot(page, 'phone-photos');
    problems.assertNone();
  });
}
