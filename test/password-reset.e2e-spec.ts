import { ManualClock } from '@app/platform';
import { PasswordResets } from '@app/identity/resetting-password/password-resets.service';
import { bearer, register, signIn, tokenFor } from './support/accounts';
import { signInWithMfa } from './support/mfa-session';
import { totp } from './support/rfc6238';
import { resetTokenByMail, startAppWithMail } from './support/mail-app';
import type { SmtpCapture } from './support/smtp-capture';
import { request, TestApp, uniqueEmail } from './support/test-app';

const NEW_PASSWORD = 'a fresh passphrase after the reset';

/** "Forgot password": a link by email, single use, 30 minutes; a second factor when the account has one. */
describe('password reset', () => {
  const clock = new ManualClock(new Date('2026-10-01T10:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ api, smtp, close } = await startAppWithMail({
      clock,
      env: { PUBLIC_URL: 'https://accounts.example.com', SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' },
    }));
  });
  afterAll(() => close());

  const askForReset = (email: string) => request(`${api.url}/v1/password-resets`, { method: 'POST', json: { email } });
  const confirm = (json: Record<string, unknown>) =>
    request(`${api.url}/v1/password-resets/confirm`, { method: 'POST', json });
  async function resetToken(email: string): Promise<string> {
    const mail = await resetTokenByMail(api, smtp, email);
    expect(mail.text).toContain(`https://accounts.example.com/account/reset#token=${mail.token}`);
    expect(mail.html).toContain('https://accounts.example.com/account/reset#token=');
    return mail.token;
  }

  it('resets a password without a second factor: the new one works, the old one and every session do not', async () => {
    const account = await register(api.url, uniqueEmail('reset'));
    const session = await tokenFor(api.url, account);
    const token = await resetToken(account.email);

    const done = await confirm({ token, newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD });
    expect(done.status).toBe(204);
    expect((await signIn(api.url, account.email, account.password)).status).toBe(401);
    expect((await signIn(api.url, account.email, NEW_PASSWORD)).status).toBe(201);
    expect((await request(`${api.url}/v1/me`, { headers: bearer(session) })).status).toBe(401);
    await smtp.waitFor((m) => m.to.includes(account.email) && m.subject === 'Your password was changed');

    const timeline = await request(`${api.url}/v1/me/events`, {
      headers: bearer(await tokenFor(api.url, { ...account, password: NEW_PASSWORD })),
    });
    const summaries = timeline.body.items.map((item: { summary: string }) => item.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'Password reset link emailed',
        'Password reset with the emailed link',
        'Signed out because the password was reset',
      ]),
    );
  });

  it('answers the same for an address without an account, and mails nothing', async () => {
    const known = await register(api.url, uniqueEmail('known'));
    const unknown = uniqueEmail('nobody');
    const [a, b] = [await askForReset(known.email), await askForReset(unknown)];
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body).toEqual({});
    expect(b.body).toEqual({});
    expect([...a.headers.keys()].sort()).toEqual([...b.headers.keys()].sort());
    expect([...a.headers.keys()]).toContain('x-request-id');
    await api.app.get(PasswordResets).settled();
    expect(smtp.messages.some((m) => m.to.includes(unknown))).toBe(false);
    expect(smtp.messages.some((m) => m.to.includes(known.email) && m.subject === 'Reset your password')).toBe(true);
  });

  it('refuses a used link, an expired link, an older link once a new one was sent, and a made-up one', async () => {
    const account = await register(api.url, uniqueEmail('links'));
    const first = await resetToken(account.email);
    clock.advance(61_000);
    const second = await resetToken(account.email);
    const body = (token: string, password = NEW_PASSWORD) => ({
      token,
      newPassword: password,
      newPasswordRepeat: password,
    });

    expect((await confirm(body(first))).body.code).toBe('token_invalid'); // only the latest link works
    expect((await confirm(body(second))).status).toBe(204);
    const reused = await confirm(body(second, 'yet another passphrase here'));
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('token_invalid');

    clock.advance(61_000);
    const late = await resetToken(account.email);
    clock.advance(30 * 60_000 + 1000);
    expect((await confirm(body(late, 'a passphrase for the late link'))).body.code).toBe('token_invalid');
    expect((await confirm(body(`${account.userId}.${'A'.repeat(43)}`))).body.code).toBe('token_invalid');
    expect((await confirm(body('not a token'))).body.code).toBe('token_invalid');
  });

  it('keeps the link when the new password is refused by the policy', async () => {
    const account = await register(api.url, uniqueEmail('policy'));
    const token = await resetToken(account.email);
    const weak = await confirm({ token, newPassword: 'password1234', newPasswordRepeat: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('password_policy');
    expect((await confirm({ token, newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD })).status).toBe(204);
  });

  it('asks for the app or a recovery code when the account has them, without spending the link', async () => {
    const account = await register(api.url, uniqueEmail('mfa-reset'));
    const { secret, withMfa } = await signInWithMfa(api.url, clock, account);
    clock.advance(30_000);
    const codes = (
      await request(`${api.url}/v1/me/recovery-codes`, {
        method: 'POST',
        json: { code: totp(secret, clock.now()) },
        headers: bearer(withMfa),
      })
    ).body.recoveryCodes as string[];
    const token = await resetToken(account.email);
    const mail = smtp.messages
      .filter((m) => m.to.includes(account.email) && m.subject === 'Reset your password')
      .pop()!;
    expect(mail.text).toContain('You will also need a code from your authenticator app or one of your recovery codes.');

    const withoutCode = await confirm({ token, newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD });
    expect(withoutCode.status).toBe(403);
    expect(withoutCode.body.code).toBe('mfa_required');
    expect(withoutCode.body.methods).toEqual(['totp', 'recovery_code']);

    const withRecoveryCode = await confirm({
      token,
      newPassword: NEW_PASSWORD,
      newPasswordRepeat: NEW_PASSWORD,
      secondFactor: { method: 'recovery_code', code: codes[0] },
    });
    expect(withRecoveryCode.status).toBe(204);
    // The second factor stays: signing in with the new password still asks for it.
    const again = await signIn(api.url, account.email, NEW_PASSWORD);
    expect(again.body.status).toBe('mfa_required');
    expect((await request(`${api.url}/v1/me`, { headers: bearer(withMfa) })).status).toBe(401);
  });

  it('takes a code from the app', async () => {
    const account = await register(api.url, uniqueEmail('totp-reset'));
    const { secret } = await signInWithMfa(api.url, clock, account);
    const token = await resetToken(account.email);
    clock.advance(30_000);
    const done = await confirm({
      token,
      newPassword: NEW_PASSWORD,
      newPasswordRepeat: NEW_PASSWORD,
      secondFactor: { method: 'totp', code: totp(secret, clock.now()) },
    });
    expect(done.status).toBe(204);
  });

  it('sends an account with email codes only to an administrator: the emailed link cannot be both factors', async () => {
    const account = await register(api.url, uniqueEmail('email-only'));
    const session = await tokenFor(api.url, account);
    const reauth = await request(`${api.url}/v1/me/reauth`, {
      method: 'POST',
      json: { password: account.password },
      headers: bearer(session),
    });
    const before = smtp.messages.length;
    expect(
      (
        await request(`${api.url}/v1/me/mfa/email`, {
          method: 'POST',
          json: {},
          headers: bearer(session, { 'x-reauth-token': reauth.body.reauthToken }),
        })
      ).status,
    ).toBe(202);
    const codeMail = await smtp.waitFor(
      (m) => smtp.messages.indexOf(m) >= before && m.to.includes(account.email) && /code/i.test(m.subject),
    );
    const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
    expect(
      (
        await request(`${api.url}/v1/me/mfa/email/confirm`, {
          method: 'POST',
          json: { code },
          headers: bearer(session),
        })
      ).status,
    ).toBe(200);

    clock.advance(61_000);
    const mail = await resetTokenByMail(api, smtp, account.email);
    expect(mail.text).toContain('ask an administrator to reset two-step verification first.');
    const token = mail.token;
    const refused = await confirm({ token, newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('mfa_required');
    expect(refused.body.methods).toEqual([]);
    expect(refused.body.detail).toMatch(/administrator/);
  });

  it('refuses bad input with a clear error', async () => {
    expect((await askForReset('not an address')).body.code).toBe('validation_failed');
    const mismatch = await confirm({
      token: 'x',
      newPassword: NEW_PASSWORD,
      newPasswordRepeat: 'something else entirely',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe('validation_failed');
    const badFactor = await confirm({
      token: 'x',
      newPassword: NEW_PASSWORD,
      newPasswordRepeat: NEW_PASSWORD,
      secondFactor: { method: 'email', code: '123456' },
    });
    expect(badFactor.status).toBe(400);
    expect(badFactor.body.code).toBe('validation_failed');
  });
});
