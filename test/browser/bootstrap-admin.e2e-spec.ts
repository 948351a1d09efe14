import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '@app/platform';
import {
  buildConsole,
  byTest,
  describeInBrowser,
  launchChromium,
  screenshot,
  signInToConsole,
} from '../support/browser';
import { totp } from '../support/rfc6238';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN = { email: 'first.admin@example.com', password: 'bootstrap administrator passphrase' };

/** Issue 7: the bootstrap admin turns on the app on the account page, then uses the console with it. */
describeInBrowser('bootstrap admin in Chromium', () => {
  const clock = new ManualClock(new Date());
  let api: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await buildConsole();
    api = await startTestApp({
      clock,
      env: {
        SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
        BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close({ removeData: true });
  });

  it('enables TOTP on the account page, then signs in to the admin console with it', async () => {
    // Without a second factor the console refuses, and says why.
    await page.goto(`${api.url}/admin/sign-in`);
    await page.fill(byTest('sign-in-email'), ADMIN.email);
    await page.fill(byTest('sign-in-password'), ADMIN.password);
    await page.click(byTest('sign-in-submit'));
    await page.waitForSelector(byTest('forbidden-mfa-required'));
    await screenshot(page, 'bootstrap-01-console-needs-mfa');

    await page.goto(`${api.url}/account/security`);
    await page.click(byTest('totp-enable'));
    await page.fill(byTest('reauth-password'), ADMIN.password);
    await page.click(byTest('reauth-submit'));
    await page.waitForSelector(byTest('totp-qr'));
    const secret = ((await page.textContent(byTest('totp-secret'))) ?? '').replace(/\s/g, '');
    await page.click(byTest('totp-next'));
    await page.fill(byTest('totp-code'), totp(secret, clock.now()));
    await page.click(byTest('totp-confirm'));
    await page.waitForSelector(byTest('totp-step-codes'));
    await page.click(byTest('totp-done'));
    await page.waitForSelector(byTest('totp-disable'));
    await screenshot(page, 'bootstrap-02-app-on');
    await page.click(byTest('account-sign-out'));
    await page.waitForSelector(byTest('sign-in-form'));

    await signInToConsole(page, api.url, ADMIN, () => {
      clock.advance(30_000);
      return totp(secret, clock.now());
    });
    await page.waitForSelector(byTest('stat-sign-ins'));
    expect(await page.textContent(byTest('current-user'))).toContain(ADMIN.email);
    await screenshot(page, 'bootstrap-03-console');
  }, 60_000);
});
