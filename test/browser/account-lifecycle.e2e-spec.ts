import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PasswordResets } from '@app/identity/resetting-password/password-resets.service';
import { ManualClock } from '@app/platform';
import { Account, bearer, codeIn, SIGN_UP_CODE_SUBJECT, signIn } from '../support/accounts';
import { buildConsole, checkScreen, describeInBrowser, launchChromium } from '../support/browser';
import { historyState, textOf, waitForFocus } from '../support/entry-pages';
import { signInWithMfa } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { request, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

const FIRST_PASSWORD = 'harbour violet lantern 1987';
const NEW_PASSWORD = 'lighthouse meadow copper violin';
const ADMIN = { email: uniqueEmail('lifecycle-admin'), password: 'admin copper meadow 2031' };
const CONFIRMATION = (address: string) =>
  `If an account uses ${address}, we sent it a link to choose a new password. It works for 30 minutes.`;

/**
 * An account's life as its owner goes through it (issues 13 and 17): sign up and confirm the code
 * from the mail, then sign in with the address already filled in; (the authenticator app and email
 * codes are turned on through the API); forgot password: the link on the sign-in page, the emailed
 * link, a new password and an app code; sign in with the second step (a wrong code, each method);
 * change the email address; signed out by an administrator's MFA reset and told why. Fields are
 * found by their visible labels, buttons by role and name; every screen is checked with axe-core
 * (WCAG 2.1 A and AA) and photographed at 1280 and 375 px (checkScreen).
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
  let adminToken = '';

  const button = (name: string | RegExp) =>
    page.getByRole('button', typeof name === 'string' ? { name, exact: true } : { name });

  /** A mail to `to` with `subject`, sent after the first `seen` messages. */
  const mailAfter = (seen: number, to: string, subject: string) =>
    smtp.waitFor((m) => smtp.messages.indexOf(m) >= seen && m.to.includes(to) && m.subject === subject, 10_000);

  /** Turns on email codes for the account through the API (the browser flow is in account.e2e-spec.ts). */
  async function turnOnEmailCodes(sessionToken: string): Promise<void> {
    clock.advance(30_000);
    const reauth = await request(`${api.url}/v1/me/reauth`, {
      method: 'POST',
      json: { method: 'totp', code: totp(secret, clock.now()) },
      headers: bearer(sessionToken),
    });
    expect(reauth.status).toBe(201);
    const seen = smtp.messages.length;
    const sent = await request(`${api.url}/v1/me/mfa/email`, {
      method: 'POST',
      json: {},
      headers: bearer(sessionToken, { 'x-reauth-token': reauth.body.reauthToken }),
    });
    expect(sent.status).toBe(202);
    const mail = await mailAfter(seen, account.email, 'Your code to turn on email codes');
    const confirmed = await request(`${api.url}/v1/me/mfa/email/confirm`, {
      method: 'POST',
      json: { code: codeIn(mail.text) },
      headers: bearer(sessionToken),
    });
    expect(confirmed.status).toBe(200);
  }

  beforeAll(async () => {
    await buildConsole();
    smtp = await startSmtpCapture();
    // PUBLIC_URL is left alone: the app's address is known only once it listens, so the test reads
    // the token from the mail and opens the reset page on the app itself.
    api = await startTestApp({
      clock,
      env: {
        SMTP_URL: smtp.url,
        SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
        BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      },
    });
    adminToken = (await signInWithMfa(api.url, clock, { ...ADMIN, userId: '' })).withMfa;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close({ removeData: true });
    await smtp?.close();
  });

  it('signs up in the browser: the account exists once the code from the mail is entered', async () => {
    account = { userId: '', email: uniqueEmail('lifecycle'), password: FIRST_PASSWORD };
    await page.goto(`${api.url}/account/register`);
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    await checkScreen(page, 'lifecycle-01-sign-up');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(FIRST_PASSWORD);
    await checkScreen(page, 'lifecycle-02-sign-up-filled');
    const seen = smtp.messages.length;
    await button('Create account').click();

    // The code step: its field has the focus, named by where the code comes from.
    const code = page.getByLabel('Code from the email');
    await waitForFocus(code);
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    expect(await button(/Request code/).isDisabled()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm your email address');
    await checkScreen(page, 'lifecycle-03-sign-up-code');
    // Not yet an account: the password does not sign in until the code is back.
    expect((await signIn(api.url, account.email, FIRST_PASSWORD)).status).toBe(401);
    const mailed = codeIn((await mailAfter(seen, account.email, SIGN_UP_CODE_SUBJECT)).text);
    // Pasted the way a mail app or a person groups it: "123 456".
    await code.fill(`${mailed.slice(0, 3)} ${mailed.slice(3)}`);
    expect(await code.inputValue()).toBe(mailed);
    await button('Confirm and create account').click();

    // On the sign-in page the address is filled in, the cursor waits in the password field, and
    // the address is neither in the URL nor in the history entry.
    await page.getByText('Account created. Sign in with your new password.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/sign-in');
    expect(page.url()).not.toContain(encodeURIComponent(account.email));
    expect(page.url()).not.toContain('registered');
    expect(await historyState(page)).not.toContain(account.email);
    expect(await page.getByLabel('Email').inputValue()).toBe(account.email);
    const password = page.getByLabel('Password', { exact: true });
    await waitForFocus(password);
    await checkScreen(page, 'lifecycle-04-sign-in-after-sign-up');

    await password.fill(FIRST_PASSWORD);
    await button('Sign in').click();
    await page.waitForURL((url) => url.pathname === '/account/security');
    await page.getByRole('button', { name: 'Sign out on this device' }).click();
    await page.getByLabel('Email').waitFor();
    expect(await page.getByText('Account created.').count()).toBe(0); // said once
    // The owner turns on the authenticator app (the browser flow of that is in account.e2e-spec.ts).
    ({ secret } = await signInWithMfa(api.url, clock, account));
  }, 150_000);

  it('asks for a link from the sign-in page and says the same for any address', async () => {
    await page.goto(`${api.url}/account/sign-in`);
    const forgot = page.getByRole('link', { name: 'Forgot password?' });
    await forgot.waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe('');
    await checkScreen(page, 'lifecycle-05-sign-in');
    await forgot.click();
    await page.waitForURL(`${api.url}/account/forgot-password`);
    expect(await page.title()).toBe('Forgot password · Your account');

    const email = page.getByLabel('Email');
    await email.fill(account.email);
    await checkScreen(page, 'password-reset-01-forgot');
    const seen = smtp.messages.length;
    await button('Send reset link').click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await textOf(status)).toBe(CONFIRMATION(account.email));
    await checkScreen(page, 'password-reset-02-sent');

    // An address without an account gets the same words, and no mail.
    const nobody = uniqueEmail('nobody');
    await button('ask for another link').click();
    await waitForFocus(email);
    await email.fill(nobody);
    await button('Send reset link').click();
    await status.waitFor();
    expect(await textOf(status)).toBe(CONFIRMATION(nobody));
    expect(await page.getByRole('link', { name: 'Back to sign in' }).count()).toBe(1);

    const mail = await mailAfter(seen, account.email, 'Reset your password');
    token = /\/account\/reset#token=(\S+)/.exec(mail.text)?.[1] ?? '';
    expect(token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toContain('authenticator app');
    await api.app.get(PasswordResets).settled(); // both requests handled: a mail to `nobody` would be here by now
    expect(smtp.messages.some((m) => m.to.includes(nobody))).toBe(false);
  }, 120_000);

  it('opens the emailed link, takes the token out of the address bar, and asks for an app code', async () => {
    await page.goto(`${api.url}/account/reset#token=${token}`);
    const newPassword = page.getByLabel('New password', { exact: true });
    await newPassword.waitFor();
    expect(page.url()).toBe(`${api.url}/account/reset`);
    expect(await page.title()).toBe('Choose a new password · Your account');
    await checkScreen(page, 'password-reset-03-new-password');

    await newPassword.fill(NEW_PASSWORD);
    const repeat = page.getByLabel('Repeat new password', { exact: true });
    await repeat.fill(`${NEW_PASSWORD} but different`);
    const submit = button('Set new password');
    expect(await submit.isDisabled()).toBe(true);
    await page.getByText('The two passwords differ.').waitFor();
    await checkScreen(page, 'password-reset-04-passwords-differ');

    await repeat.fill(NEW_PASSWORD);
    await submit.click();

    const code = page.getByLabel('Code from your authenticator app');
    await waitForFocus(code);
    expect(await page.getByRole('radio', { name: 'Authenticator app' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Recovery code' }).count()).toBe(1);
    // Neither the address bar nor this entry's history state kept the token.
    expect(page.url()).toBe(`${api.url}/account/reset`);
    expect(await historyState(page)).not.toContain(token.split('.')[1]);
    await checkScreen(page, 'password-reset-05-app-code');

    // Nothing is changed before the code is in: the old password still opens a sign-in.
    expect((await signIn(api.url, account.email, account.password)).body.status).toBe('mfa_required');

    clock.advance(30_000);
    const appCode = totp(secret, clock.now());
    await code.fill(`${appCode.slice(0, 3)}-${appCode.slice(3)}`);
    await button('Confirm and set the new password').click();

    const changed = page.getByText('Your password was changed. Sign in with the new one.');
    await changed.waitFor();
    expect(page.url()).toBe(`${api.url}/account/sign-in`);
    await checkScreen(page, 'password-reset-06-changed');
  }, 120_000);

  it('signs in with the new password; the second step starts in the code field and offers each method', async () => {
    expect((await signIn(api.url, account.email, account.password)).status).toBe(401);
    const sessionForSetup = await signIn(api.url, account.email, NEW_PASSWORD);
    expect(sessionForSetup.body.status).toBe('mfa_required');
    // Email codes too, so the second step offers every code method (a passkey's is in passkeys.e2e-spec.ts).
    clock.advance(30_000);
    const setup = await request(`${api.url}/v1/sessions/challenges/${sessionForSetup.body.challengeId}`, {
      method: 'POST',
      json: { method: 'totp', code: totp(secret, clock.now()) },
    });
    expect(setup.status).toBe(201);
    await turnOnEmailCodes(setup.body.token);

    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await button('Sign in').click();
    const appCode = page.getByLabel('Code from your authenticator app');
    await waitForFocus(appCode);
    expect(new URL(page.url()).pathname).toBe('/account/sign-in');
    expect(await page.getByText('Your password was changed.').count()).toBe(0);
    // naive-ui keeps the radio inputs themselves invisible (their labels show): checked, not clicked.
    expect(await page.getByRole('radio', { name: 'Authenticator app' }).isChecked()).toBe(true);
    await checkScreen(page, 'sign-in-01-second-step-app');

    // A wrong code: one plain sentence, no request id in sight, and the cursor back in the field.
    await appCode.fill('000000');
    await button('Verify and sign in').click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await textOf(alert.locator('[data-test="error-message"]'))).toBe(
      'That code is not right, was already used, or has expired. Check it and try again.',
    );
    expect(await page.getByText('Reference:').count()).toBe(0);
    expect(await page.getByText('Details for support').isVisible()).toBe(true);
    expect(await page.getByText('Request id:').isVisible()).toBe(false); // folded away
    await waitForFocus(appCode);
    await checkScreen(page, 'sign-in-02-second-step-wrong-code');

    // Picking another method leaves the focus on the picker (arrow keys keep moving through it).
    await page.getByText('Email code', { exact: true }).click();
    const sendCode = button('Send code');
    await sendCode.waitFor();
    await checkScreen(page, 'sign-in-03-second-step-email');
    const seen = smtp.messages.length;
    await sendCode.click();
    const emailCode = page.getByLabel('Code from the email');
    await waitForFocus(emailCode);
    expect(await button(/Request code \(\d+ s\)/).isDisabled()).toBe(true);
    await page.getByText(/You can ask for another code in \d+ s/).waitFor();
    await checkScreen(page, 'sign-in-04-second-step-email-sent');
    await mailAfter(seen, account.email, 'Your sign-in code');

    await page.getByText('Recovery code', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Recovery code' }).waitFor();
    await checkScreen(page, 'sign-in-05-second-step-recovery-code');

    await page.getByText('Authenticator app', { exact: true }).click();
    await appCode.waitFor();
  }, 150_000);

  it('finishes the sign-in with an app code, then moves the account to a new address', async () => {
    clock.advance(30_000);
    await page.getByLabel('Code from your authenticator app').fill(totp(secret, clock.now()));
    await button('Verify and sign in').click();
    await page.waitForURL((url) => url.pathname === '/account/security');
    const change = button('Change email address');
    await change.waitFor();
    await change.click();

    // A fresh proof first: the app's code, since the account has one.
    clock.advance(30_000);
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Code from your authenticator app').fill(totp(secret, clock.now()));
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const newAddress = dialog.getByLabel('New email address');
    await newAddress.waitFor();
    const moved = uniqueEmail('moved');
    const seen = smtp.messages.length;
    await newAddress.fill(moved);
    await dialog.getByRole('button', { name: 'Send code to the new address' }).click();
    const code = dialog.getByLabel('Code from the email');
    await code.waitFor();
    const mail = await mailAfter(seen, moved, 'Your code to confirm your new email address');
    await code.fill(codeIn(mail.text));
    await dialog.getByRole('button', { name: 'Change address' }).click();

    await page.getByText(`You now sign in with ${moved}. We told your old address about the change.`).waitFor();
    await page.locator('[data-test="account-email"]', { hasText: moved }).waitFor();
    await smtp.waitFor(
      (m) => m.to.includes(account.email) && m.subject === 'The email address of your account was changed',
      10_000,
    );
    expect((await signIn(api.url, account.email, NEW_PASSWORD)).status).toBe(401);
    expect((await signIn(api.url, moved, NEW_PASSWORD)).body.status).toBe('mfa_required');
    account = { ...account, email: moved, password: NEW_PASSWORD };
  }, 120_000);

  it("is told on the sign-in page that an administrator's MFA reset signed them out", async () => {
    const me = await signIn(api.url, account.email, account.password);
    expect(me.body.status).toBe('mfa_required');
    const userId = (
      await request(`${api.url}/v1/admin/users?q=${encodeURIComponent(account.email)}`, {
        headers: bearer(adminToken),
      })
    ).body.items[0].id;
    const reset = await request(`${api.url}/v1/admin/users/${userId}/mfa/reset`, {
      method: 'POST',
      json: { reason: 'Lost phone; identity checked on a call' },
      headers: bearer(adminToken),
    });
    expect(reset.status).toBe(204);

    // The page is still open; the next thing the person does meets the ended session.
    await page.getByRole('navigation', { name: 'Account pages' }).getByRole('link', { name: 'Devices' }).click();
    const notice = page.getByText(
      'You were signed out because an administrator reset your two-step verification. Sign in again and set it up.',
    );
    await notice.waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/sign-in');
    expect(await page.getByText('Lost phone').count()).toBe(0); // the reason was written for the audit log
    await checkScreen(page, 'lifecycle-06-signed-out-by-mfa-reset');

    // Signing in again works with the password alone now, and the notice is not said twice.
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await button('Sign in').click();
    await page.waitForURL((url) => url.pathname !== '/account/sign-in');
    await page.getByRole('button', { name: 'Sign out on this device' }).click();
    await page.getByLabel('Email').waitFor();
    expect(await notice.count()).toBe(0);
  }, 120_000);
});
