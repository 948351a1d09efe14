import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { PASSWORD_POLICY_MESSAGES } from '@app/security';
import { buildConsole, checkScreen, describeInBrowser, launchChromium } from '../support/browser';
import { startTestApp, STRONG_PASSWORD, TestApp, uniqueEmail } from '../support/test-app';

/** The lazy chunk with the policy's dictionaries (admin-ui/src/format/password-dictionaries.ts). */
const DICTIONARIES = /\/assets\/password-dictionaries-[^/]+\.js$/;

/**
 * The strength meter on the sign-up page runs the server's own policy (issue 17: "meter and server
 * agree"): it calls `Password1234!` a common password in the API's words, and the API refuses it for
 * that very reason; a passphrase the API accepts is rated "Strong". The dictionaries are fetched only
 * where a new password is typed, never on the sign-in page.
 */
describeInBrowser('the password strength meter agrees with the server, in Chromium', () => {
  let api: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];
  const email = uniqueEmail('meter');

  beforeAll(async () => {
    await buildConsole();
    api = await startTestApp();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('request', (request: Request) => requested.push(new URL(request.url()).pathname));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close({ removeData: true });
  });

  /** The meter as assistive technology reads it: its name and its value text. */
  const meter = () => page.getByRole('meter', { name: 'Password strength' });
  const meterSays = (valueText: string) =>
    page.locator(`[role="meter"][aria-label="Password strength"][aria-valuetext="${valueText}"]`).waitFor();

  it('does not download the dictionaries on the sign-in page', async () => {
    await page.goto(`${api.url}/account/sign-in`);
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(requested.filter((path) => path.startsWith('/admin/assets/')).length).toBeGreaterThan(0);
    expect(requested.filter((path) => DICTIONARIES.test(path))).toEqual([]);
  });

  it('calls Password1234! a common password, as the server does when it refuses it', async () => {
    const dictionaries = page.waitForResponse((response) => DICTIONARIES.test(new URL(response.url()).pathname));
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL((url) => url.pathname === '/account/register');
    // Fetched by the page with the new-password field, as the build's Brotli copy (about 740 kB, not 1.7 MB).
    const response = await dictionaries;
    expect(await response.headerValue('content-encoding')).toBe('br');
    expect(Number(await response.headerValue('content-length'))).toBeLessThan(900_000);
    await page.getByLabel('Email').fill(email);
    // The field's visible label is "Password" (admin-ui/src/views/account/register.vue).
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('Password1234!');

    await meterSays('Common password');
    expect(await page.locator('[data-test="strength-hint"]').textContent()).toBe(PASSWORD_POLICY_MESSAGES.common);
    expect(Number(await meter().getAttribute('aria-valuenow'))).toBeLessThan(3);

    // The server's verdict on the same password: refused, for the reason the meter gave.
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: PASSWORD_POLICY_MESSAGES.common }).waitFor();
    await checkScreen(page, 'password-meter-register-common');
  });

  it('refuses one built on the email, and rates a passphrase the server accepts as strong', async () => {
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('correct');
    await meterSays('Too short');
    // The page hands the meter the address typed above, as the server checks the password against it.
    await password.fill(`${email.split('@')[0]}!`);
    await meterSays('Built on your email address');
    expect(await page.locator('[data-test="strength-hint"]').textContent()).toBe(
      PASSWORD_POLICY_MESSAGES.contains_email,
    );
    await password.fill(STRONG_PASSWORD);
    await meterSays('Strong');
    expect(await meter().getAttribute('aria-valuenow')).toBe('4');
    expect(await page.locator('[data-test="strength-hint"]').count()).toBe(0);
    await checkScreen(page, 'password-meter-register-strong');

    // The server accepts it: the next step asks for the code mailed to the address.
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Code from the email').waitFor();
  });
});
