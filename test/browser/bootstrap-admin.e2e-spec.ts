import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '@app/platform';
import { buildConsole, byTest, checkScreen, describeInBrowser, launchChromium } from '../support/browser';
import { consoleSignOut, signInToConsoleByLabel, submitPassword } from '../support/console-pages';
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
  }, 300_000); // the console build may wait for another run's build on a busy machine

  afterAll(async () => {
    await browser?.close();
    await api?.close({ removeData: true });
  });

  it('enables TOTP on the account page, then signs in to the admin console with it', async () => {
    const button = (name: string, scope: Page | ReturnType<Page['locator']> = page) =>
      scope.getByRole('button', { name, exact: true });
    const APP_ON =
      'Your account now has two-step verification. Sign out and sign in again with your authenticator app to open the console.';

    // Without a second factor the console refuses, says why, and links to where the app is turned on.
    await submitPassword(page, api.url, ADMIN);
    await page.getByRole('heading', { level: 1, name: 'Second factor needed' }).waitFor();
    expect(await page.locator(byTest('forbidden-message')).textContent()).toContain('Turn on the authenticator app');
    await checkScreen(page, 'bootstrap-01-console-needs-mfa');
    await page.getByRole('link', { name: 'Turn on two-step verification on your account page' }).click();
    await page.waitForURL('**/account/security');

    // The account page's four steps: the password, the key, a code, the recovery codes.
    await button('Set up authenticator app').click();
    const settingUp = page.getByRole('dialog', { name: 'Set up an authenticator app' });
    await settingUp.getByLabel('Your password').fill(ADMIN.password);
    await button('Continue', settingUp).click();
    await settingUp.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = ((await page.textContent(byTest('totp-secret'))) ?? '').replace(/\s/g, '');
    await button('Next', settingUp).click();
    await settingUp.getByRole('textbox', { name: /code/i }).fill(totp(secret, clock.now()));
    await button('Turn on the app', settingUp).click();
    await page.waitForSelector(byTest('totp-step-codes'));
    await settingUp.getByRole('button', { name: /saved/i }).click();
    await settingUp.waitFor({ state: 'detached' });

    // Back to the console: this sign-in still did not use the app, and the page now says what to do.
    await page.goto(`${api.url}/admin`);
    await page.getByRole('heading', { level: 1, name: 'Second factor needed' }).waitFor();
    await page.getByText(APP_ON).waitFor();
    expect(await page.getByRole('link', { name: /Turn on two-step verification/ }).count()).toBe(0);
    await checkScreen(page, 'bootstrap-02-console-after-app-on');
    // "Check again" does not repeat the first text either.
    await button('Check again').click();
    await page.getByText(APP_ON).waitFor();
    expect(await page.locator(byTest('forbidden-message')).textContent()).toBe(APP_ON);
    await page.getByRole('button', { name: `Sign out ${ADMIN.email}` }).click();
    await page.waitForURL('**/admin/sign-in**');

    await signInToConsoleByLabel(page, api.url, ADMIN, () => {
      clock.advance(30_000);
      return totp(secret, clock.now());
    });
    await page.waitForSelector(byTest('stat-sign-ins'));
    expect(await page.textContent(byTest('current-user'))).toContain(ADMIN.email);
    await checkScreen(page, 'bootstrap-03-console');
    await consoleSignOut(page).click();
    await page.waitForURL('**/admin/sign-in**');
    // The console's own sign-in page, as a signed-out admin sees it.
    await page.getByRole('heading', { level: 1, name: 'Sign in to the admin console' }).waitFor();
    await checkScreen(page, 'bootstrap-04-console-sign-in');
  }, 90_000);
});
