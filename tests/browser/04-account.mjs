// 04-account: a visitor creates an account ("check your e-mail"), signs
// in, signs out and signs in again;
// the header follows (Sign in / Orders + Sign out), wrong passwords are
// refused with one message. Desktop and phone widths.
import assert from 'node:assert/strict';

export default async function (t) {
  await t.check('register, sign out, sign in (desktop)', async ({ page, problems }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const email = `browser-${Date.now()}@example.test`;
    await page.goto('/', { waitUntil: 'load' });
    assert.equal(await page.locator('.acct a[href="/login"]').count(), 1, 'Sign in link');
    await Promise.all([page.waitForURL(/\/login/), page.click('.acct a[href="/login"]')]);
    await t.shot(page, 'login');
    await Promise.all([page.waitForURL(/\/register/), page.click('a:has-text("Create your account")')]);
    await page.fill('#email', email);
    await page.fill('#password', 'short');
    // the browser's own check (minlength) stops a short password first
    assert.equal(await page.locator('#password').evaluate((el) => el.validity.valid), false);
    await page.fill('#password', 'browser-password-1');
    await t.shot(page, 'register');
    await page.click('form button:has-text("Create account")');
    // the same answer for a new and a known address (the mail tells which):
    // nobody is signed in by registering
    await page.locator('h1:has-text("Check your e-mail")').waitFor();
    assert.equal(await page.locator('.acct a[href="/login"]').count(), 1, 'not signed in by registering');
    await t.shot(page, 'register-sent');
    await page.goto('/login', { waitUntil: 'load' });
    await page.fill('#email', email);
    await page.fill('#password', 'browser-password-1');
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('form button:has-text("Sign in")')]);
    assert.equal(await page.locator('.acct button:has-text("Sign out")').count(), 1, 'signed in: Sign out');
    assert.equal(await page.locator('.acct a[href="/orders"]').count(), 1, 'signed in: Orders');
    await t.shot(page, 'signed-in');

    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('.acct button:has-text("Sign out")')]);
    assert.equal(await page.locator('.acct a[href="/login"]').count(), 1, 'signed out again');

    await page.goto('/login', { waitUntil: 'load' });
    await page.fill('#email', email);
    await page.fill('#password', 'not-the-password');
    await Promise.all([page.waitForLoadState('load'), page.click('form button:has-text("Sign in")')]);
    const alert = (await page.locator('.alert').innerText()).trim();
    assert.match(alert, /e-mail address or password is not right/);
    assert.equal(await page.locator('#email').inputValue(), email, 'the address is kept');
    await t.shot(page, 'wrong-password');
    await page.fill('#password', 'browser-password-1');
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('form button:has-text("Sign in")')]);
    await page.goto('/orders', { waitUntil: 'load' });
    assert.ok((await page.locator('main').innerText()).includes(email), 'order history names the account');
    await t.shot(page, 'orders-empty');
    // the 401 of the wrong password is the only error the run should see
    assert.deepEqual(problems.list.filter((p) => !/401/.test(p)), []);
  });

  await t.check('the account pages fit a phone (375 px)', async ({ page, problems }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto('/login', { waitUntil: 'load' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scroll (overflow ${overflow}px)`);
    await t.shot(page, 'login-phone');
    problems.assertNone();
  });
}
