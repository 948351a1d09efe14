import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '@app/platform';
import { bearer, tokenFor, USER_AGENTS } from '../support/accounts';
import { buildConsole, byTest, describeInBrowser, launchChromium, screenshot, waitForCount } from '../support/browser';
import { totp } from '../support/rfc6238';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { request, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

const FIRST_PASSWORD = 'violet harbour lantern 1987';
const SECOND_PASSWORD = 'quiet orchard bicycle thunder';

describeInBrowser('account security pages in Chromium', () => {
  const clock = new ManualClock(new Date());
  let smtp: SmtpCapture;
  let api: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = uniqueEmail('self-service');
  let password = FIRST_PASSWORD;
  let secret = '';
  let recoveryCodes: string[] = [];

  /** The 6-digit code of the first mail with a code to the user after `seen` messages (notices have none). */
  async function nextMailedCode(seen: number): Promise<string> {
    const mail = await smtp.waitFor(
      (m) => smtp.messages.indexOf(m) >= seen && m.to.includes(email) && /\b\d{6}\b/.test(m.text),
      10_000,
    );
    const match = /\b(\d{6})\b/.exec(mail.text);
    if (!match) throw new Error(`no code in mail ${JSON.stringify(mail.subject)}`);
    return match[1];
  }

  /** A fresh app code: each is accepted once, so time moves on a step first. */
  function appCode(): string {
    clock.advance(30_000);
    return totp(secret, clock.now());
  }

  async function signInWithPassword(): Promise<void> {
    await page.goto(`${api.url}/account/sign-in`);
    await page.fill(byTest('sign-in-email'), email);
    await page.fill(byTest('sign-in-password'), password);
    await page.click(byTest('sign-in-submit'));
  }

  async function signOut(): Promise<void> {
    await page.click(byTest('account-sign-out'));
    await page.waitForSelector(byTest('sign-in-form'));
  }

  beforeAll(async () => {
    await buildConsole();
    smtp = await startSmtpCapture();
    api = await startTestApp({ clock, env: { SMTP_URL: smtp.url, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close({ removeData: true });
    await smtp?.close();
  });

  it('registers with a live strength meter and the policy reasons, confirms the mailed code, then signs in to /account', async () => {
    await page.goto(`${api.url}/account/register`);
    await page.fill(byTest('register-email'), email);
    await page.fill(byTest('register-password'), 'short');
    expect(await page.getAttribute(byTest('strength-meter'), 'data-score')).toBe('0');
    await page.fill(byTest('register-password'), 'passwordpassword');
    await page.click(byTest('register-submit'));
    await page.waitForSelector(byTest('register-error'));
    expect(await page.textContent(byTest('register-error'))).toContain('That password is not accepted.');
    expect(await page.locator(byTest('error-reason')).count()).toBeGreaterThan(0);
    await screenshot(page, 'account-01-register-refused');

    await page.fill(byTest('register-password'), password);
    expect(Number(await page.getAttribute(byTest('strength-meter'), 'data-score'))).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'account-02-register-strong');
    const seen = smtp.messages.length;
    await page.click(byTest('register-submit'));
    // The account exists only once the code mailed to the address is entered.
    await page.getByLabel('6-digit code').waitFor();
    expect(await page.textContent(byTest('register-code-sent'))).toContain(email);
    expect(await page.isDisabled(byTest('register-resend'))).toBe(true); // the 60-second resend countdown
    await screenshot(page, 'account-02b-register-code');
    await page.getByLabel('6-digit code').fill(await nextMailedCode(seen));
    await page.getByRole('button', { name: 'Confirm and create account' }).click();
    await page.waitForSelector(byTest('sign-in-registered'));

    await page.fill(byTest('sign-in-email'), email);
    await page.fill(byTest('sign-in-password'), password);
    await page.click(byTest('sign-in-submit'));
    await page.waitForSelector(byTest('password-card'));
    expect(new URL(page.url()).pathname).toBe('/account/security');
    expect(await page.textContent(byTest('account-user'))).toContain(email);
    await page.waitForSelector(byTest('mfa-none-warning'));
    await screenshot(page, 'account-03-security');
  }, 60_000);

  it('changes the password and signs out the other devices', async () => {
    const other = await tokenFor(api.url, { userId: '', email, password }, USER_AGENTS.firefoxLinux);
    await page.click(byTest('password-change'));
    await page.waitForSelector(byTest('password-dialog'));
    await page.fill(byTest('password-current'), password);
    await page.fill(byTest('password-new'), SECOND_PASSWORD);
    await page.fill(byTest('password-repeat'), SECOND_PASSWORD);
    await screenshot(page, 'account-04-change-password');
    await page.click(byTest('password-submit'));
    await page.waitForSelector(byTest('password-changed-notice'));
    password = SECOND_PASSWORD;
    expect((await request(`${api.url}/v1/me`, { headers: bearer(other) })).status).toBe(401);
    await screenshot(page, 'account-05-password-changed');
  }, 60_000);

  it('turns on email codes with the code from the mail, showing the countdown', async () => {
    await page.click(byTest('email-mfa-enable'));
    await page.waitForSelector(byTest('email-mfa-dialog'));
    await page.fill(byTest('reauth-password'), password);
    const seen = smtp.messages.length;
    await page.click(byTest('reauth-submit'));
    await page.waitForSelector(byTest('email-mfa-sent'));
    expect(await page.textContent(byTest('email-mfa-countdown'))).toMatch(/\d+ s/);
    expect(await page.isDisabled(byTest('email-mfa-resend'))).toBe(true);
    await screenshot(page, 'account-06-email-code-sent');
    await page.fill(byTest('email-mfa-code'), await nextMailedCode(seen));
    await page.click(byTest('email-mfa-confirm'));
    await page.waitForSelector(byTest('email-mfa-disable'));
    expect(await page.textContent(byTest('email-mfa-status'))).toContain('On');
    expect(await page.textContent(byTest('email-mfa-address'))).toContain(email);
    await screenshot(page, 'account-07-email-on');
  }, 60_000);

  it('turns on the authenticator app in four steps and downloads the recovery codes', async () => {
    await page.click(byTest('totp-enable'));
    await page.waitForSelector(byTest('totp-step-reauth'));
    // Email codes are on, so the password alone is not enough: confirm with an emailed code.
    const seen = smtp.messages.length;
    await page.click(byTest('reauth-send-code'));
    await page.waitForSelector(byTest('reauth-countdown'));
    await page.fill(byTest('reauth-code'), await nextMailedCode(seen));
    await screenshot(page, 'account-08-totp-reauth');
    await page.click(byTest('reauth-submit'));

    await page.waitForSelector(byTest('totp-qr'));
    expect(await page.getAttribute(byTest('totp-qr'), 'src')).toMatch(/^data:image\/png;base64,/);
    secret = ((await page.textContent(byTest('totp-secret'))) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    await screenshot(page, 'account-09-totp-qr');
    await page.click(byTest('totp-next'));

    await page.fill(byTest('totp-code'), totp(secret, clock.now()));
    await screenshot(page, 'account-10-totp-code');
    await page.click(byTest('totp-confirm'));
    await page.waitForSelector(byTest('totp-step-codes'));
    expect(await page.locator(byTest('recovery-code')).count()).toBe(10);
    await screenshot(page, 'account-11-recovery-codes');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(byTest('recovery-codes-download')),
    ]);
    expect(download.suggestedFilename()).toBe('recovery-codes.txt');
    const text = readFileSync((await download.path())!, 'utf8');
    recoveryCodes = text.split('\n').filter(Boolean);
    expect(recoveryCodes).toHaveLength(10);
    const shown = await page.locator(byTest('recovery-code')).allTextContents();
    expect(recoveryCodes).toEqual(shown.map((code) => code.trim()));

    await page.click(byTest('totp-done'));
    await page.waitForSelector(byTest('totp-dialog'), { state: 'detached' });
    await page.waitForSelector(byTest('totp-disable'));
    // Both methods on: side by side.
    const emailBox = await page.locator(byTest('email-mfa-card')).boundingBox();
    const totpBox = await page.locator(byTest('totp-card')).boundingBox();
    expect(Math.abs(emailBox!.y - totpBox!.y)).toBeLessThan(5);
    await screenshot(page, 'account-12-both-on');
  }, 60_000);

  it('signs out and back in with the app, an email code and a recovery code', async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForSelector(byTest('mfa-form'));
    await page.click(byTest('mfa-method-totp'));
    await page.fill(byTest('mfa-code-input'), appCode());
    await page.click(byTest('mfa-submit'));
    await page.waitForSelector(byTest('password-card'));
    await screenshot(page, 'account-13-signed-in-with-app');

    await signOut();
    await signInWithPassword();
    await page.waitForSelector(byTest('mfa-form'));
    await page.click(byTest('mfa-method-email'));
    const seen = smtp.messages.length;
    await page.click(byTest('mfa-send-email-code'));
    await page.waitForSelector(byTest('mfa-resend-countdown'));
    await page.fill(byTest('mfa-code-input'), await nextMailedCode(seen));
    await screenshot(page, 'account-14-sign-in-email-code');
    await page.click(byTest('mfa-submit'));
    await page.waitForSelector(byTest('password-card'));

    await signOut();
    await signInWithPassword();
    await page.waitForSelector(byTest('mfa-form'));
    await page.click(byTest('mfa-method-recovery_code'));
    await page.fill(byTest('mfa-code-input'), recoveryCodes[0]);
    await page.click(byTest('mfa-submit'));
    await page.waitForSelector(byTest('password-card'));
    expect(await page.textContent(byTest('recovery-codes-remaining'))).toContain('9');
    await screenshot(page, 'account-15-signed-in-with-recovery-code');
  }, 90_000);

  it('lists the sessions and signs out another device', async () => {
    // Another device (Firefox on Linux) signs in with the password and the app.
    const challenge = await request(`${api.url}/v1/sessions`, {
      method: 'POST',
      json: { email, password },
      headers: { 'user-agent': USER_AGENTS.firefoxLinux },
    });
    const answer = await request(`${api.url}/v1/sessions/challenges/${challenge.body.challengeId}`, {
      method: 'POST',
      json: { method: 'totp', code: appCode() },
      headers: { 'user-agent': USER_AGENTS.firefoxLinux },
    });
    const otherToken: string = answer.body.token;
    expect(answer.status).toBe(201);
    await page.click(byTest('account-nav-sessions'));
    await page.waitForSelector(byTest('own-session-current'));
    await page.waitForSelector(byTest('own-session-revoke'));
    await screenshot(page, 'account-16-sessions');
    const rows = page.locator(`${byTest('own-session-row')}[data-current="false"]`);
    const before = await rows.count();
    await rows.filter({ hasText: 'Firefox' }).first().locator(byTest('own-session-revoke')).click();
    await page.waitForSelector(byTest('revoke-session-dialog'));
    await screenshot(page, 'account-17-revoke-confirm');
    await page.click(byTest('revoke-session-confirm'));
    await page.waitForSelector(byTest('own-sessions-notice'));
    await waitForCount(rows, before - 1); // the list is read again after the notice shows
    expect((await request(`${api.url}/v1/me`, { headers: bearer(otherToken) })).status).toBe(401);
    await screenshot(page, 'account-18-session-revoked');
  }, 60_000);

  it('views and regenerates the recovery codes with an app code', async () => {
    await page.click(byTest('account-nav-security'));
    await page.click(byTest('recovery-codes-view'));
    await page.fill(byTest('app-code-input'), appCode());
    await page.click(byTest('app-code-submit'));
    await page.waitForSelector(byTest('recovery-code'));
    const viewed = (await page.locator(byTest('recovery-code')).allTextContents()).map((code) => code.trim());
    expect(viewed).toHaveLength(9);
    expect(viewed).not.toContain(recoveryCodes[0]);
    await screenshot(page, 'account-19-view-recovery-codes');
    await page.click(byTest('app-code-close'));
    // The closing dialog still shows the old codes while it fades out: they must not be read as new.
    await page.waitForSelector(byTest('app-code-dialog'), { state: 'detached' });

    await page.click(byTest('recovery-codes-regenerate'));
    await page.fill(byTest('app-code-input'), appCode());
    await page.click(byTest('app-code-submit'));
    await waitForCount(page.locator(byTest('recovery-code')), 10);
    const fresh = (await page.locator(byTest('recovery-code')).allTextContents()).map((code) => code.trim());
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toHaveLength(0);
    await screenshot(page, 'account-20-regenerated');
    await page.click(byTest('app-code-close'));
    await page.waitForSelector(byTest('app-code-dialog'), { state: 'detached' });
  }, 60_000);

  it('turns off both methods, warning before the last one', async () => {
    const seen = smtp.messages.length;
    await page.click(byTest('email-mfa-disable'));
    await page.waitForSelector(byTest('email-disable-sent'));
    expect(await page.locator(byTest('last-method-warning')).count()).toBe(0);
    await page.fill(byTest('email-disable-code'), await nextMailedCode(seen));
    await screenshot(page, 'account-21-disable-email');
    await page.click(byTest('email-disable-submit'));
    await page.waitForSelector(byTest('email-mfa-enable'));

    await page.click(byTest('totp-disable'));
    await page.waitForSelector(byTest('app-code-warning'));
    expect(await page.textContent(byTest('app-code-warning'))).toContain('password alone');
    await page.fill(byTest('app-code-input'), appCode());
    await screenshot(page, 'account-22-disable-app-last-method');
    await page.click(byTest('app-code-submit'));
    await page.waitForSelector(byTest('totp-enable'));
    await page.waitForSelector(byTest('mfa-none-warning'));
    await screenshot(page, 'account-23-all-off');
  }, 60_000);

  it('shows the activity, with load more, and fits a phone', async () => {
    await page.click(byTest('account-nav-activity'));
    await page.waitForSelector(byTest('activity-row'));
    expect(await page.locator(`${byTest('activity-row')}[data-event-type="TotpDisabled"]`).count()).toBe(1);
    await screenshot(page, 'account-24-activity');
    // Newest first: the password change is further back, behind "Load more".
    const changed = page.locator(`${byTest('activity-row')}[data-event-type="PasswordChanged"]`);
    for (let pages = 0; (await changed.count()) === 0 && pages < 20; pages++) {
      const rows = await page.locator(byTest('activity-row')).count();
      await page.click(byTest('activity-load-more'));
      // A function, not a string: the page's CSP forbids eval (the service tsconfig has no DOM types).
      await page.waitForFunction(
        (n: number) =>
          (
            globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
          ).document.querySelectorAll('[data-test="activity-row"]').length > n,
        rows,
      );
    }
    expect(await changed.count()).toBe(1);
    await screenshot(page, 'account-25-activity-more');

    await page.setViewportSize({ width: 375, height: 800 });
    await page.click(byTest('account-nav-security'));
    await page.waitForSelector(byTest('password-card'));
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await screenshot(page, 'account-26-security-phone');
  }, 60_000);
});
