import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ManualClock } from '@app/platform';
import { bearer, tokenFor, USER_AGENTS } from '../support/accounts';
import {
  buildConsole,
  byTest,
  checkScreen,
  describeInBrowser,
  launchChromium,
  screenshot,
  waitForCount,
} from '../support/browser';
import { waitForFocus } from '../support/focus';
import { totp } from '../support/rfc6238';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { request, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

const FIRST_PASSWORD = 'violet harbour lantern 1987';
const SECOND_PASSWORD = 'quiet orchard bicycle thunder';

/** YYYY-MM-DD of today in this machine's zone (the browser's, on the same machine). */
function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The account pages as a person uses them: every field found by its visible label, every button by
 * its role and name, and every screen and dialog step checked with axe-core at 1280 and 375 px.
 */
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
  /** Uncaught errors in the page: named when a screen does not come. */
  const pageErrors: string[] = [];

  const button = (name: string | RegExp, scope: Page | Locator = page) =>
    scope.getByRole('button', { name, exact: true });
  const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });

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
    // Signing out lands on the sign-in page already: no reload racing the app's own navigation.
    if (new URL(page.url()).pathname !== '/account/sign-in') await page.goto(`${api.url}/account/sign-in`);
    await screenshot(page, 'account-sign-in-again');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await button('Sign in').click();
  }

  /** Picks the second step of sign-in by its visible name (naive-ui's radio input itself is hidden). */
  async function chooseMethod(name: string): Promise<void> {
    await page
      .locator('label')
      .filter({ has: page.getByRole('radio', { name }) })
      .click();
    await waitForCount(page.getByRole('radio', { name, checked: true }), 1);
  }

  async function signOut(): Promise<void> {
    await button('Sign out on this device').click();
    await page.waitForURL(/\/account\/sign-in/);
    await button('Sign in').waitFor();
  }

  /** Opens a dialog with the page's button; focus lands inside it, on `firstField` when given. */
  async function openDialog(opener: Locator, name: string | RegExp, firstField?: string): Promise<Locator> {
    await opener.click();
    const opened = dialog(name);
    await opened.waitFor();
    await waitForFocus(firstField ? opened.getByLabel(firstField, { exact: true }) : opened.getByRole('heading'));
    return opened;
  }

  /** The dialog has gone and focus is back on the button that opened it. */
  async function closedBackTo(closed: Locator, opener: Locator): Promise<void> {
    await closed.waitFor({ state: 'detached' });
    await waitForFocus(opener);
  }

  async function notice(): Promise<string> {
    return (await page.locator(byTest('security-notice')).textContent()) ?? '';
  }

  beforeAll(async () => {
    await buildConsole();
    smtp = await startSmtpCapture();
    api = await startTestApp({ clock, env: { SMTP_URL: smtp.url, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 300_000); // the console build shares the machine with other runs

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close({ removeData: true });
    await smtp?.close();
  });

  it('registers with a live strength meter and the policy reasons, confirms the mailed code, then signs in to /account', async () => {
    await page.goto(`${api.url}/account/register`);
    // On a phone the card starts near the top of the screen, not centred below an empty band.
    await page.setViewportSize({ width: 375, height: 800 });
    const heading = await page.getByRole('heading', { level: 1, name: 'Create an account' }).boundingBox();
    expect(heading?.y).toBeLessThan(80);
    await page.setViewportSize({ width: 1280, height: 900 });
    const passwordField = page.getByLabel('Password', { exact: true });
    await page.getByLabel('Email', { exact: true }).fill(email);
    await passwordField.fill('short');
    expect(await page.getAttribute(byTest('strength-meter'), 'data-score')).toBe('0');
    await passwordField.fill('passwordpassword');
    await button('Create account').click();
    await page.waitForSelector(byTest('register-error'));
    expect(await page.textContent(byTest('register-error'))).toContain('That password is not accepted.');
    expect(await page.locator(byTest('error-reason')).count()).toBeGreaterThan(0);
    await screenshot(page, 'account-01-register-refused');

    await passwordField.fill(password);
    // The refusal was about the password sent: it goes once another is typed, so it never contradicts the meter.
    expect(await page.locator(byTest('register-error')).count()).toBe(0);
    expect(Number(await page.getAttribute(byTest('strength-meter'), 'data-score'))).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'account-02-register-strong');
    const seen = smtp.messages.length;
    await button('Create account').click();
    // The account exists only once the code mailed to the address is entered.
    await page.getByLabel('Code from the email').waitFor();
    expect(await page.textContent(byTest('register-code-sent'))).toContain(email);
    expect(await page.isDisabled(byTest('register-resend'))).toBe(true); // the 60-second resend countdown
    await screenshot(page, 'account-02b-register-code');
    await page.getByLabel('Code from the email').fill(await nextMailedCode(seen));
    await button('Confirm and create account').click();
    await page.waitForURL(/\/account\/sign-in/);

    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await button('Sign in').click();
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/security');
    expect(await page.textContent(byTest('account-user'))).toContain(email);
    await page.waitForSelector(byTest('mfa-none-warning'));
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await checkScreen(page, 'account-03-security');
  }, 90_000);

  it('changes the password and signs out the other devices; focus goes into the dialog and back', async () => {
    const other = await tokenFor(api.url, { userId: '', email, password }, USER_AGENTS.firefoxLinux);
    const opener = button('Change password');
    const changing = await openDialog(opener, 'Change password', 'Current password');
    await changing.getByLabel('Current password', { exact: true }).fill(password);
    await changing.getByLabel('New password', { exact: true }).fill(SECOND_PASSWORD);
    await changing.getByLabel('Repeat the new password', { exact: true }).fill(SECOND_PASSWORD);
    await checkScreen(page, 'account-04-change-password');
    await button('Change password', changing).click();
    await closedBackTo(changing, opener);
    await page.waitForSelector(byTest('security-notice'));
    expect(await notice()).toContain('Your password was changed');
    expect(await page.locator('[role="status"]').filter({ hasText: 'Your password was changed' }).count()).toBe(1);
    password = SECOND_PASSWORD;
    expect((await request(`${api.url}/v1/me`, { headers: bearer(other) })).status).toBe(401);
    await checkScreen(page, 'account-05-password-changed');
  }, 60_000);

  it('turns on email codes with the code from the mail, showing the countdown; one message at a time', async () => {
    const turningOn = await openDialog(button('Turn on email codes'), 'Turn on email codes', 'Your password');
    // Opening another change puts the last message away.
    expect(await page.locator(byTest('security-notice')).count()).toBe(0);
    await turningOn.getByLabel('Your password', { exact: true }).fill(password);
    await checkScreen(page, 'account-06a-email-codes-confirm');
    const seen = smtp.messages.length;
    await button('Continue', turningOn).click();
    await page.waitForSelector(byTest('email-mfa-sent'));
    await waitForFocus(turningOn.getByLabel('Code from the email'));
    expect(await page.textContent(byTest('email-mfa-countdown'))).toMatch(/\d+ s/);
    expect(await page.isDisabled(byTest('email-mfa-resend'))).toBe(true);
    await turningOn.getByLabel('Code from the email').fill(await nextMailedCode(seen));
    await checkScreen(page, 'account-06-email-code-sent');
    await button('Turn on email codes', turningOn).click();
    await turningOn.waitFor({ state: 'detached' });
    await button('Turn off email codes').waitFor();
    expect(await page.textContent(byTest('email-mfa-status'))).toContain('On');
    expect(await page.textContent(byTest('email-mfa-address'))).toContain(email);
    expect(await notice()).toContain('Email codes are on.');
    expect(await notice()).not.toContain('password');
    expect(await page.locator(byTest('security-notice')).count()).toBe(1);
    await checkScreen(page, 'account-07-email-on');
  }, 60_000);

  it('turns on the authenticator app in four steps and downloads recovery codes that say what they are for', async () => {
    const settingUp = await openDialog(
      button('Set up authenticator app'),
      'Set up an authenticator app',
      'Code from the email',
    );
    // Email codes are on, so the password alone is not enough: confirm with an emailed code.
    const seen = smtp.messages.length;
    await button('Send code', settingUp).click();
    await page.waitForSelector(byTest('reauth-countdown'));
    await settingUp.getByLabel('Code from the email').fill(await nextMailedCode(seen));
    await checkScreen(page, 'account-08-totp-reauth');
    await button('Continue', settingUp).click();

    const qr = settingUp.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    secret = ((await page.textContent(byTest('totp-secret'))) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    await checkScreen(page, 'account-09-totp-qr');
    await button('Next', settingUp).click();

    const code = settingUp.getByLabel('Code from your authenticator app');
    await waitForFocus(code);
    await code.fill(totp(secret, clock.now()));
    await checkScreen(page, 'account-10-totp-code');
    await button('Turn on the app', settingUp).click();
    await page.waitForSelector(byTest('totp-step-codes'));
    expect(await page.locator(byTest('recovery-code')).count()).toBe(10);
    await checkScreen(page, 'account-11-recovery-codes');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      button('Download codes as text file', settingUp).click(),
    ]);
    const host = new URL(api.url).host;
    const today = localToday();
    expect(download.suggestedFilename()).toBe(`recovery-codes-${host.replace(/[^a-z0-9.-]+/g, '-')}-${today}.txt`);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe(`Recovery codes for ${host}`);
    expect(text).toContain(`Account: ${email}`);
    expect(text).toContain(`(${today})`);
    expect(text).toContain('Each code works once');
    const shown = (await page.locator(byTest('recovery-code')).allTextContents()).map((c) => c.trim());
    recoveryCodes = text.split('\n').filter((line) => shown.includes(line));
    expect(recoveryCodes).toEqual(shown);
    expect(recoveryCodes).toHaveLength(10);

    await button('I have saved them', settingUp).click();
    await settingUp.waitFor({ state: 'detached' });
    await button('Turn off authenticator app').waitFor();
    // Both methods on: side by side.
    const emailBox = await page.locator(byTest('email-mfa-card')).boundingBox();
    const totpBox = await page.locator(byTest('totp-card')).boundingBox();
    expect(Math.abs(emailBox!.y - totpBox!.y)).toBeLessThan(5);
    await checkScreen(page, 'account-12-both-on');
  }, 90_000);

  it('signs out and back in with the app, an email code and a recovery code', async () => {
    await signOut();
    await signInWithPassword();
    await chooseMethod('Authenticator app');
    await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(appCode());
    await button('Verify and sign in').click();
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    await screenshot(page, 'account-13-signed-in-with-app');

    await signOut();
    await signInWithPassword();
    await chooseMethod('Email code');
    const seen = smtp.messages.length;
    await button('Send code').click();
    await page.waitForSelector(byTest('mfa-resend-countdown'));
    await page.getByRole('textbox', { name: 'Code from the email' }).fill(await nextMailedCode(seen));
    await screenshot(page, 'account-14-sign-in-email-code');
    await button('Verify and sign in').click();
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();

    await signOut();
    await signInWithPassword();
    await chooseMethod('Recovery code');
    await page.getByRole('textbox', { name: 'Recovery code' }).fill(recoveryCodes[0]);
    await button('Verify and sign in').click();
    await page.waitForSelector(byTest('recovery-codes-remaining'));
    expect(await page.textContent(byTest('recovery-codes-remaining'))).toContain('9');
    await screenshot(page, 'account-15-signed-in-with-recovery-code');
  }, 90_000);

  it('lists this device first, folds the ended sessions, and signs out another device by its name', async () => {
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
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { name: 'Devices and sessions', level: 1 }).waitFor();
    const rows = page.locator(byTest('own-session-row'));
    await waitForCount(rows, (count) => count >= 2);
    expect(await rows.first().getAttribute('data-current')).toBe('true');
    // "This device" is a small tag beside the name, not a bar across the row.
    const tag = await page.locator(byTest('own-session-current')).boundingBox();
    const row = await rows.first().boundingBox();
    expect(tag!.width).toBeLessThan(row!.width / 3);

    // The three sign-outs and the password change ended sessions: folded away.
    const ended = page.locator(byTest('ended-session-row'));
    const toggle = page.getByRole('button', { name: /^Show \d+ ended sessions?$/ });
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await ended.first().isVisible()).toBe(false);
    await checkScreen(page, 'account-16-sessions');
    const endedCount = Number(/\d+/.exec((await toggle.textContent()) ?? '')![0]);
    expect(endedCount).toBeGreaterThanOrEqual(4);
    await toggle.click();
    await ended.first().waitFor();
    expect(await ended.count()).toBe(endedCount);
    expect(await page.getByRole('button', { name: 'Hide ended sessions' }).getAttribute('aria-expanded')).toBe('true');
    await checkScreen(page, 'account-16b-sessions-ended-shown');

    const others = page.locator(`${byTest('own-session-row')}[data-current="false"]`);
    const before = await others.count();
    // The other device by its browser and system ("Firefox 133 on Linux"), distinct from this one's.
    const opener = button(/^Sign out Firefox [\d.]+ on Linux$/);
    const confirming = await openDialog(opener, /^Sign out Firefox [\d.]+ on Linux\?$/);
    await checkScreen(page, 'account-17-revoke-confirm');
    await button(/^Sign out Firefox [\d.]+ on Linux$/, confirming).click();
    await page.waitForSelector(byTest('own-sessions-notice'));
    expect(await page.textContent(byTest('own-sessions-notice'))).toMatch(/Signed out Firefox [\d.]+ on Linux\./);
    await waitForCount(others, before - 1); // the list is read again after the notice shows
    await waitForCount(ended, endedCount + 1);
    expect((await request(`${api.url}/v1/me`, { headers: bearer(otherToken) })).status).toBe(401);
    await checkScreen(page, 'account-18-session-revoked');
  }, 90_000);

  it('views and regenerates the recovery codes with an app code', async () => {
    await page.getByRole('link', { name: 'Security' }).click();
    const viewer = button('View recovery codes');
    const viewing = await openDialog(viewer, 'Your recovery codes', 'Code from your authenticator app');
    await viewing.getByLabel('Code from your authenticator app').fill(appCode());
    await checkScreen(page, 'account-19a-view-recovery-codes-code');
    await button('Show recovery codes', viewing).click();
    await page.waitForSelector(byTest('recovery-code'));
    const viewed = (await page.locator(byTest('recovery-code')).allTextContents()).map((code) => code.trim());
    expect(viewed).toHaveLength(9);
    expect(viewed).not.toContain(recoveryCodes[0]);
    await checkScreen(page, 'account-19-view-recovery-codes');
    await button('Done', viewing).click();
    // The closing dialog still shows the old codes while it fades out: they must not be read as new.
    await closedBackTo(viewing, viewer);

    const regenerating = await openDialog(
      button('Make new recovery codes'),
      'New recovery codes',
      'Code from your authenticator app',
    );
    await regenerating.getByLabel('Code from your authenticator app').fill(appCode());
    await checkScreen(page, 'account-20a-regenerate-code');
    await button('Make new recovery codes', regenerating).click();
    await waitForCount(page.locator(byTest('recovery-code')), 10);
    const fresh = (await page.locator(byTest('recovery-code')).allTextContents()).map((code) => code.trim());
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toHaveLength(0);
    await checkScreen(page, 'account-20-regenerated');
    await button('Done', regenerating).click();
    await regenerating.waitFor({ state: 'detached' });
  }, 60_000);

  it('turns off both methods, warning before the last one', async () => {
    const seen = smtp.messages.length;
    const turningOff = await openDialog(button('Turn off email codes'), 'Turn off email codes', 'Code from the email');
    await page.waitForSelector(byTest('email-disable-sent'));
    expect(await page.locator(byTest('last-method-warning')).count()).toBe(0);
    await turningOff.getByLabel('Code from the email').fill(await nextMailedCode(seen));
    await checkScreen(page, 'account-21-disable-email');
    await button('Turn off email codes', turningOff).click();
    await turningOff.waitFor({ state: 'detached' });
    await button('Turn on email codes').waitFor();

    const appOff = await openDialog(
      button('Turn off authenticator app'),
      'Turn off the authenticator app',
      'Code from your authenticator app',
    );
    expect(await page.textContent(byTest('app-code-warning'))).toContain('password alone');
    await appOff.getByLabel('Code from your authenticator app').fill(appCode());
    await checkScreen(page, 'account-22-disable-app-last-method');
    await button('Turn off authenticator app', appOff).click();
    await button('Set up authenticator app').waitFor();
    await page.waitForSelector(byTest('mfa-none-warning'));
    // One message: the last one replaced the one before.
    expect(await page.locator(byTest('security-notice')).count()).toBe(1);
    expect(await notice()).toContain('The authenticator app is off.');
    await checkScreen(page, 'account-23-all-off');
  }, 60_000);

  it('walks the change-email and close-account dialogs up to their confirmation; Escape and Cancel change nothing', async () => {
    const emailOpener = button('Change email address');
    const changing = await openDialog(emailOpener, 'Change email address', 'Your password');
    await changing.getByLabel('Your password', { exact: true }).fill(password);
    await checkScreen(page, 'account-27-change-email-confirm');
    await button('Continue', changing).click();
    const newAddress = changing.getByLabel('New email address');
    await waitForFocus(newAddress);
    await newAddress.fill(uniqueEmail('new-address'));
    await checkScreen(page, 'account-28-change-email-address');
    await page.keyboard.press('Escape');
    await closedBackTo(changing, emailOpener);
    expect(await page.textContent(byTest('account-email'))).toContain(email);

    const closeOpener = button('Close account');
    const closing = await openDialog(closeOpener, 'Close your account', 'Your password');
    await closing.getByLabel('Your password', { exact: true }).fill(password);
    await checkScreen(page, 'account-29-close-account-confirm-identity');
    await button('Continue', closing).click();
    const typedBack = closing.getByLabel(`Type ${email} to confirm`);
    await waitForFocus(typedBack);
    await typedBack.fill(email);
    expect(await button('Close account and erase my data', closing).isEnabled()).toBe(true);
    await checkScreen(page, 'account-30-close-account-type-address');
    await button('Keep my account', closing).click();
    await closedBackTo(closing, closeOpener);
    expect(
      (await request(`${api.url}/v1/me`, { headers: bearer(await tokenFor(api.url, { userId: '', email, password })) }))
        .status,
    ).toBe(200);
  }, 60_000);

  it('shows the activity, with load more, and fits a phone', async () => {
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Recent activity', level: 1 }).waitFor();
    // The first page, or the error that stopped it (named in the failure).
    await page.waitForSelector(`${byTest('activity-row')}, [role="alert"]`);
    const failed = page.getByRole('alert');
    if (await failed.count())
      throw new Error(`activity: ${await failed.first().textContent()}; ${pageErrors.join('; ')}`);
    expect(await page.locator(`${byTest('activity-row')}[data-event-type="TotpDisabled"]`).count()).toBe(1);
    // Times read as people say them, with the exact time on hover.
    const when = page.locator(`${byTest('activity-row')} time`).first();
    expect(await when.getAttribute('title')).toMatch(/UTC/);
    expect(await when.getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await checkScreen(page, 'account-24-activity');
    // Newest first: the password change is further back, behind "Load more".
    const changed = page.locator(`${byTest('activity-row')}[data-event-type="PasswordChanged"]`);
    const rows = page.locator(byTest('activity-row'));
    for (let pages = 0; (await changed.count()) === 0 && pages < 20; pages++) {
      const shown = await rows.count();
      await button('Load more').click();
      await waitForCount(rows, (count) => count > shown);
    }
    expect(await changed.count()).toBe(1);
    await screenshot(page, 'account-25-activity-more');

    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('link', { name: 'Security' }).click();
    await page.waitForSelector(byTest('password-card'));
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    // The phone header: who and "Sign out" on one row, the pages on the next.
    const header = await page.locator('header').boundingBox();
    const signOutBox = await button('Sign out on this device').boundingBox();
    const navBox = await page.getByRole('navigation', { name: 'Account pages' }).boundingBox();
    expect(navBox!.y).toBeGreaterThan(signOutBox!.y + signOutBox!.height - 1);
    expect(header!.height).toBeLessThan(signOutBox!.height * 2 + 40);
    await screenshot(page, 'account-26-security-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);
});
