// tests/browser/run.mjs: runs tests/browser/NN-*.mjs in the system Chromium via playwright-core.
//
// Started by `bin/souk test` against the throwaway stack (SOUK_URL). By hand:
//   cd tests/browser && npm ci && SOUK_URL=http://127.0.0.1:18080 node run.mjs [NN-name.mjs ...]
// A test file exports a default async function taking `t`; each
// `await t.check(name, async ({ page, context, base, problems }) => { ... })`
// gets a fresh browser context and page and prints "ok - ..." or
// "not ok - ...". `problems` collects page errors, console errors (CSP
// violations included) and failed same-origin requests; call
// `problems.assertNone()` to require a clean page. The last line is
// "browser: N passed, N failed". Never downloads a browser: set
// SOUK_CHROMIUM to use another binary.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.env.SOUK_URL || 'http://127.0.0.1:18080').replace(/\/$/, '');
const artifacts = process.env.SOUK_ARTIFACTS || '';
const testTimeout = Number(process.env.SOUK_BROWSER_TIMEOUT || 60000);

function findChromium() {
  const candidates = [process.env.SOUK_CHROMIUM, '/usr/bin/chromium',
    '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error('no Chromium found (apt-get install chromium, or set SOUK_CHROMIUM)');
  return found;
}

function watch(page) {
  const list = [];
  page.on('pageerror', (e) => list.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') list.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    // a push stream (the flash waiting page's EventSource) is cut by every
    // navigation away from its page: that is no failure
    if (r.resourceType() === 'eventsource' && /ERR_ABORTED/.test(r.failure()?.errorText || '')) return;
    if (r.url().startsWith(base)) list.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.url().startsWith(base) && r.status() >= 400 && r.request().resourceType() !== 'document') {
      list.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
    }
  });
  return {
    list,
    assertNone() {
      assert.deepEqual(list, [], `page problems:\n  ${list.join('\n  ')}`);
    },
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => /^\d\d-.*\.mjs$/.test(f))
  .filter((f) => wanted.length === 0 || wanted.includes(f))
  .sort();

let passed = 0;
let failed = 0;
let browser;
try {
  browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    // playwright gives every launch a fresh, empty --user-data-dir; the
    // flags keep Chromium off the (closed) network.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
} catch (e) {
  console.log(`not ok - launch Chromium\n# ${String(e.message || e).split('\n').join('\n# ')}`);
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}

for (const file of files) {
  const label = file.replace(/\.mjs$/, '');
  const t = {
    base,
    /* Keeps a full-page screenshot of what the test saw (SOUK_ARTIFACTS). */
    async shot(page, name) {
      if (!artifacts) return;
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `${label}-${name}.png`), fullPage: true });
    },
    async check(name, fn) {
      const context = await browser.newContext({ baseURL: base });
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      const problems = watch(page);
      const t0 = Date.now();
      /* each check's seconds: where the browser tests' minutes go */
      const took = () => `(${((Date.now() - t0) / 1000).toFixed(1)} s)`;
      try {
        await withTimeout(fn({ page, context, base, problems }), testTimeout, name);
        passed++;
        console.log(`ok - ${label}: ${name} ${took()}`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${label}: ${name} ${took()}`);
        console.log(`# ${String(e.stack || e).split('\n').slice(0, 12).join('\n# ')}`);
        if (artifacts) {
          mkdirSync(artifacts, { recursive: true });
          const shot = join(artifacts, `${label}-${name.replace(/[^a-z0-9]+/gi, '_')}.png`);
          await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
          console.log(`# screenshot: ${shot}`);
        }
      } finally {
        await context.close().catch(() => {});
      }
    },
  };
  try {
    const mod = await import(pathToFileURL(join(here, file)).href);
    await mod.default(t);
  } catch (e) {
    failed++;
    console.log(`not ok - ${label}: crashed\n# ${String(e.stack || e).split('\n').join('\n# ')}`);
  }
}

await browser.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
