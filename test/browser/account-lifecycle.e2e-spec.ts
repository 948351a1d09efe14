import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PasswordResets } from '@app/identity/resetting-password/password-resets.service';
import { ManualClock } from '@app/platform';
import { Account, codeIn, SIGN_UP_CODE_SUBJECT, signIn } from '../support/accounts';
import { buildConsole, describeInBrowser, expectNoAxeViolations, launchChromium, screenshot } from '../support/browser';
import { signInWithMfa } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { startTestApp, TestApp, uniqueEmail } from '../support/test-app';

const FIRST_PASSWORD = 'harbour violet lantern 1987';
const NEW_PASSWORD = 'lighthouse meadow copper violin';
const CONFIRMATION = (address: string) =>
  `If an account uses ${address}, we sent it a link to choose a new password. It works for 30 minutes.`;

/**
 * An account's life as its owner goes through it (issue 13): sign up and confirm the code from the
 * mail; (the authenticator app is turned on through the API); forgot password: the link on the
 * sign-in page, the emailed link, a new password and an app code; sign in with the second factor;
 * change the email address. Every screen is checked with axe-core (WCAG 2 A and AA); fields are
 * found by their visible labels, buttons by role and name.
 */
describeInBrowser('an account from sign-up to a new address, in Chromium', () => {
  const clock = new ManualClock(new Date());
  let smtp: SmtpCapture;
  let api: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let account: Account;
  let secret = '';
  let token = '';

  /** The text of the element the page shows its confirmation in, without layout whitespace. */
  async function textOf(locator: ReturnType<Page['getByRole']>): Promise<string> {
    return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  beforeAll(async () => {
    await buildConsole();
    smtp = await startSmtpCapture();
    // PUBLIC_URL is left alone: the app's address is known only once it listens, so the test reads
    // the token from the mail and opens the reset page on the app itself.
    api = await startTestApp({ clock, env: { SMTP_URL: smtp.url, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close({ removeData: true });
    await smtp?.close();
  });

  it('signs up in the browser: the account exists once the code from the mail is entered', async () => {
    account = { userId: '', email: uniqueEmail('lifecycle'), password: FIRST_PASSWORD };
    await page.goto(`${api.url}/account/register`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(FIRST_PASSWORD);
    await expectNoAxeViolations(page, 'sign-up');
    const seen = smtp.messages.length;
    await page.getByRole('button', { name: 'Create account' }).click();
    const code = page.getByLabel('6-digit code');
    await code.waitFor();
    expect(await page.getByRole('button', { name: /Request code/ }).isDisabled()).toBe(true);
    await expectNoAxeViolations(page, 'sign-up, code');
    await screenshot(page, 'lifecycle-01-sign-up-code');
    // Not yet an account: the password does not sign in until the code is back.
    expect((await signIn(api.url, account.email, FIRST_PASSWORD)).status).toBe(401);
    const mail = await smtp.waitFor(
      (m) => smtp.messages.indexOf(m) >= seen && m.to.includes(account.email) && m.subject === SIGN_UP_CODE_SUBJECT,
      10_000,
    );
    await code.fill(codeIn(mail.text));
    await page.getByRole('button', { name: 'Confirm and create account' }).click();
    await page.waitForURL((url) => url.pathname === '/account/sign-in');
    expect((await signIn(api.url, account.email, FIRST_PASSWORD)).status).toBe(201);
    // The owner turns on the authenticator app (the browser flow of that is in account.e2e-spec.ts).
    ({ secret } = await signInWithMfa(api.url, clock, account));
  }, 60_000);

  it('asks for a link from the sign-in page and says the same for any address', async () => {
    await page.goto(`${api.url}/account/sign-in`);
    const forgot = page.getByRole('link', { name: 'Forgot password?' });
    await forgot.waitFor();
    await expectNoAxeViolations(page, 'sign-in');
    await forgot.click();
    await page.waitForURL(`${api.url}/account/forgot-password`);
    expect(await page.title()).toBe('Forgot password · Your account');

    const email = page.getByLabel('Email');
    await email.fill(account.email);
    await expectNoAxeViolations(page, 'forgot password');
    await screenshot(page, 'password-reset-01-forgot');
    const seen = smtp.messages.length;
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await textOf(status)).toBe(CONFIRMATION(account.email));
    await expectNoAxeViolations(page, 'forgot password, sent');
    await screenshot(page, 'password-reset-02-sent');

    // An address without an account gets the same words, and no mail.
    const nobody = uniqueEmail('nobody');
    await page.getByRole('button', { name: 'ask again' }).click();
    await email.fill(nobody);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await status.waitFor();
    expect(await textOf(status)).toBe(CONFIRMATION(nobody));
    expect(await page.getByRole('link', { name: 'Back to sign in' }).count()).toBe(1);

    const mail = await smtp.waitFor(
      (m) => smtp.messages.indexOf(m) >= seen && m.to.includes(account.email) && m.subject === 'Reset your password',
      10_000,
    );
    token = /\/account\/reset#token=(\S+)/.exec(mail.text)?.[1] ?? '';
    expect(token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toContain('authenticator app');
    await api.app.get(PasswordResets).settled(); // both requests handled: a mail to `nobody` would be here by now
    expect(smtp.messages.some((m) => m.to.includes(nobody))).toBe(false);
  }, 60_000);

  it('opens the emailed link, takes the token out of the address bar, and asks for an app code', async () => {
    await page.goto(`${api.url}/account/reset#token=${token}`);
    const newPassword = page.getByLabel('New password', { exact: true });
    await newPassword.waitFor();
    expect(page.url()).toBe(`${api.url}/account/reset`);
    expect(await page.title()).toBe('Choose a new password · Your account');
    await expectNoAxeViolations(page, 'reset');

    await newPassword.fill(NEW_PASSWORD);
    const repeat = page.getByLabel('Repeat new password', { exact: true });
    await repeat.fill(`${NEW_PASSWORD} but different`);
    const submit = page.getByRole('button', { name: 'Set new password' });
    expect(await submit.isDisabled()).toBe(true);
    await page.getByText('The two passwords differ.').waitFor();
    await expectNoAxeViolations(page, 'reset, passwords differ');

    await repeat.fill(NEW_PASSWORD);
    await screenshot(page, 'password-reset-03-new-password');
    await submit.click();

    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    expect(await page.getByRole('radio', { name: 'Authenticator app' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Recovery code' }).count()).toBe(1);
    // Neither the address bar nor this entry's history state kept the token.
    expect(page.url()).toBe(`${api.url}/account/reset`);
    expect(
      await page.evaluate(() =>
        JSON.stringify((globalThis as unknown as { history: { state: unknown } }).history.state),
      ),
    ).not.toContain(token.split('.')[1]);
    await expectNoAxeViolations(page, 'reset, second factor');
    await screenshot(page, 'password-reset-04-app-code');

    // Nothing is changed before the code is in: the old password still opens a sign-in.
    expect((await signIn(api.url, account.email, account.password)).body.status).toBe('mfa_required');

    clock.advance(30_000);
    await code.fill(totp(secret, clock.now()));
    await page.getByRole('button', { name: 'Confirm' }).click();

    const changed = page.getByText('Your password was changed. Sign in with the new one.');
    await changed.waitFor();
    expect(page.url()).toBe(`${api.url}/account/sign-in`);
    await expectNoAxeViolations(page, 'sign-in after the reset');
    await screenshot(page, 'password-reset-05-changed');
  }, 60_000);

  it('signs in with the new password and reaches the second step', async () => {
    expect((await signIn(api.url, account.email, account.password)).status).toBe(401);

    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Your account uses two-step verification.').waitFor();
    // naive-ui keeps the radio inputs themselves invisible (their labels show): attached, not visible.
    await page.getByRole('radio', { name: 'Authenticator app' }).waitFor({ state: 'attached' });
    expect(new URL(page.url()).pathname).toBe('/account/sign-in');
    expect(await page.getByText('Your password was changed.').count()).toBe(0);
    await expectNoAxeViolations(page, 'sign-in, second step');
    await screenshot(page, 'password-reset-06-second-step');
  }, 60_000);

  it('finishes the sign-in with an app code, then moves the account to a new address', async () => {
    clock.advance(30_000);
    await page.getByLabel('6-digit code').fill(totp(secret, clock.now()));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/account/security');
    const change = page.getByRole('button', { name: 'Change email address' });
    await change.waitFor();
    await expectNoAxeViolations(page, 'security');
    await change.click();

    // A fresh proof first: the app's code, since the account has one.
    clock.advance(30_000);
    await page.getByLabel('6-digit code').fill(totp(secret, clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    const newAddress = page.getByLabel('New email address');
    await newAddress.waitFor();
    await expectNoAxeViolations(page, 'change email, new address');
    const moved = uniqueEmail('moved');
    const seen = smtp.messages.length;
    await newAddress.fill(moved);
    await page.getByRole('button', { name: 'Send code to the new address' }).click();
    const code = page.getByLabel('6-digit code');
    await code.waitFor();
    await expectNoAxeViolations(page, 'change email, code');
    await screenshot(page, 'lifecycle-08-change-email-code');
    const mail = await smtp.waitFor(
      (m) =>
        smtp.messages.indexOf(m) >= seen &&
        m.to.includes(moved) &&
        m.subject === 'Your code to confirm your new email address',
      10_000,
    );
    await code.fill(codeIn(mail.text));
    await page.getByRole('button', { name: 'Change address' }).click();

    await page.getByText(`You now sign in with ${moved}. We told your old address about the change.`).waitFor();
    await page.locator('[data-test="account-email"]', { hasText: moved }).waitFor();
    await expectNoAxeViolations(page, 'security, address changed');
    await screenshot(page, 'lifecycle-09-email-changed');
    await smtp.waitFor(
      (m) => m.to.includes(account.email) && m.subject === 'The email address of your account was changed',
      10_000,
    );
    expect((await signIn(api.url, account.email, NEW_PASSWORD)).status).toBe(401);
    expect((await signIn(api.url, moved, NEW_PASSWORD)).body.status).toBe('mfa_required');
  }, 60_000);
});
