import { EventStore } from '@app/event-store';
import { IdentityEvent, streams } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { ReadStore } from '@app/read-models';
import { Account, bearer, register, signIn, tokenFor } from './support/accounts';
import { decodeQrDataUrl } from './support/qr-decode';
import { totp } from './support/rfc6238';
import { CapturedMail, SmtpCapture, startSmtpCapture } from './support/smtp-capture';
import { request, startTestApp, TestApp } from './support/test-app';

const codeIn = (mail: CapturedMail) => /\b(\d{6})\b/.exec(mail.text)![1];

/**
 * The MFA story over HTTP with a real SMTP server and a clock the test moves (TOTP codes are
 * computed with the test's own RFC 6238 function, and each code works once, so time must move).
 */
describe('MFA end to end', () => {
  const clock = new ManualClock(new Date('2026-06-01T08:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;
  let events: EventStore;
  const post = (path: string, token: string, json?: unknown, headers: Record<string, string> = {}) =>
    request(`${api.url}${path}`, { method: 'POST', json: json ?? {}, headers: bearer(token, headers) });
  const del = (path: string, token: string, json: unknown) =>
    request(`${api.url}${path}`, { method: 'DELETE', json, headers: bearer(token) });
  const security = async (token: string) =>
    (await request(`${api.url}/v1/me/security`, { headers: bearer(token) })).body;
  const nextMail = (to: string, subject: RegExp) =>
    smtp.waitFor((m) => m.to.includes(to) && subject.test(m.subject) && !seen.has(m));
  const seen = new Set<CapturedMail>();
  const take = async (to: string, subject: RegExp) => {
    const mail = await nextMail(to, subject);
    seen.add(mail);
    return mail;
  };
  /** A fresh TOTP step: each code is accepted once, so the next one must come from a later step. */
  const nextTotp = (secret: string) => {
    clock.advance(30_000);
    return totp(secret, clock.now());
  };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    api = await startTestApp({ clock, env: { SMTP_URL: smtp.url, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
    events = api.app.get(EventStore);
  });
  afterAll(async () => {
    await api.close({ removeData: true });
    await smtp.close();
  });

  it('walks the whole story: email codes, then the app, sign-ins with each method, recovery codes, and back to the password', async () => {
    const account: Account = await register(api.url);
    let token = await tokenFor(api.url, account);

    // 1. Email codes, confirmed by the password (no MFA yet).
    expect((await post('/v1/me/mfa/email', token)).body.code).toBe('reauth_required');
    const byPassword = await post('/v1/me/reauth', token, { password: account.password });
    expect(byPassword.status).toBe(201);
    expect(byPassword.body).toEqual({
      reauthToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: '2026-06-01T08:05:00.000Z',
    });
    const started = await post('/v1/me/mfa/email', token, {}, { 'x-reauth-token': byPassword.body.reauthToken });
    expect(started.status).toBe(202);
    expect(started.body.resendAvailableAt).toBe('2026-06-01T08:01:00.000Z');
    const tooSoon = await post('/v1/me/mfa/email', token, {}, { 'x-reauth-token': byPassword.body.reauthToken });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.headers.get('retry-after')).toBe('60');
    const enableMail = await take(account.email, /turn on email codes/i);
    expect(enableMail.subject).not.toMatch(/\d{6}/);
    expect(
      (await post('/v1/me/mfa/email/confirm', token, { code: '000000' === codeIn(enableMail) ? '111111' : '000000' }))
        .body.code,
    ).toBe('code_invalid');
    expect((await post('/v1/me/mfa/email/confirm', token, { code: codeIn(enableMail) })).status).toBe(200);
    expect((await security(token)).email).toMatchObject({
      enabled: true,
      address: account.email,
      enabledAt: expect.any(String),
    });
    await take(account.email, /turned on/i);

    // 2. The authenticator app; the password alone no longer confirms, an email code does.
    const refused = await post('/v1/me/reauth', token, { password: account.password });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('mfa_code_required');
    expect((await post('/v1/me/reauth/email-code', token)).status).toBe(202);
    const reauthMail = await take(account.email, /confirmation code/i);
    const byEmail = await post('/v1/me/reauth', token, { method: 'email', code: codeIn(reauthMail) });
    expect(byEmail.status).toBe(201);
    const enrollment = await post('/v1/me/mfa/totp', token, {}, { 'x-reauth-token': byEmail.body.reauthToken });
    expect(enrollment.status).toBe(201);
    const { secret, otpauthUri, qrCode } = enrollment.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
    expect(qrCode).toMatch(/^data:image\/png;base64,/);
    expect(decodeQrDataUrl(qrCode)).toBe(otpauthUri);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Account Security');
    expect(decodeURIComponent(uri.pathname)).toContain(account.email);
    const confirmed = await post('/v1/me/mfa/totp/confirm', token, { code: totp(secret, clock.now()) });
    expect(confirmed.status).toBe(200);
    const firstCodes: string[] = confirmed.body.recoveryCodes;
    expect(new Set(firstCodes).size).toBe(10);
    expect(await security(token)).toMatchObject({ totp: { enabled: true }, recoveryCodes: { remaining: 10 } });
    await take(account.email, /turned on/i);

    // 3. Sign in with each method.
    const challenge = async () => {
      const response = await signIn(api.url, account.email, account.password);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'mfa_required', methods: ['totp', 'email', 'recovery_code'] });
      return response.body.challengeId as string;
    };
    const answer = (challengeId: string, method: string, code: string) =>
      request(`${api.url}/v1/sessions/challenges/${challengeId}`, { method: 'POST', json: { method, code } });

    const usedTotp = nextTotp(secret);
    const withApp = await answer(await challenge(), 'totp', usedTotp);
    expect(withApp.status).toBe(201);
    token = withApp.body.token;
    expect((await request(`${api.url}/v1/sessions/current`, { headers: bearer(token) })).body.session.amr).toEqual([
      'pwd',
      'otp',
    ]);

    const replay = await answer(await challenge(), 'totp', usedTotp);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('code_invalid');
    const userEvents = await events.readStream(streams.user(account.userId));
    expect(userEvents.some((e) => e.type === IdentityEvent.TotpReplayRejected)).toBe(true);
    await take(account.email, /used (again|twice|a second time)|reused/i);

    const emailChallenge = await challenge();
    expect(
      (await request(`${api.url}/v1/sessions/challenges/${emailChallenge}/email-code`, { method: 'POST' })).status,
    ).toBe(202);
    const signInMail = await take(account.email, /sign-in code/i);
    const withEmail = await answer(emailChallenge, 'email', codeIn(signInMail));
    expect(withEmail.status).toBe(201);
    expect(
      (await request(`${api.url}/v1/sessions/current`, { headers: bearer(withEmail.body.token) })).body.session.amr,
    ).toEqual(['pwd', 'email']);

    // 4. Recovery codes: view, regenerate (the old set stops working), sign in with one once.
    const viewed = await post('/v1/me/recovery-codes', token, { code: nextTotp(secret) });
    expect(viewed.body.recoveryCodes).toEqual(firstCodes);
    const regenerated = await post('/v1/me/recovery-codes/regenerate', token, { code: nextTotp(secret) });
    const newCodes: string[] = regenerated.body.recoveryCodes;
    expect(newCodes).toHaveLength(10);
    expect(newCodes.filter((c) => firstCodes.includes(c))).toEqual([]);
    await take(account.email, /recovery codes/i);
    expect((await answer(await challenge(), 'recovery_code', firstCodes[0])).status).toBe(401);
    const withRecovery = await answer(await challenge(), 'recovery_code', newCodes[3].toUpperCase());
    expect(withRecovery.status).toBe(201);
    expect((await answer(await challenge(), 'recovery_code', newCodes[3])).status).toBe(401);
    expect((await security(token)).recoveryCodes.remaining).toBe(9);

    // 5. Turn email codes off (a code sent for it), then the app (a current app code).
    expect((await post('/v1/me/mfa/email/disable-code', token)).status).toBe(202);
    const disableMail = await take(account.email, /turn off email codes/i);
    expect((await del('/v1/me/mfa/email', token, { code: codeIn(disableMail) })).status).toBe(204);
    expect((await take(account.email, /turned off/i)).text).toMatch(/still protected/i);
    expect((await del('/v1/me/mfa/totp', token, { code: '123456' })).status).toBe(401);
    expect((await del('/v1/me/mfa/totp', token, { code: nextTotp(secret) })).status).toBe(204);
    expect(await security(token)).toMatchObject({
      totp: { enabled: false },
      email: { enabled: false },
      recoveryCodes: { remaining: 0 },
    });
    const lastOff = await take(account.email, /turned off/i);
    expect(lastOff.text).toMatch(/password alone/i);

    // 6. Back to the password alone.
    const passwordOnly = await signIn(api.url, account.email, account.password);
    expect(passwordOnly.status).toBe(201);
    expect(passwordOnly.body.status).toBe('authenticated');

    // No seed and no code in plain text anywhere in the log or the read models.
    const everything = JSON.stringify(await events.readAll({ maxCount: 100_000 }));
    const readModels = JSON.stringify(await api.app.get(ReadStore).find('users'));
    const leaked = [secret, ...firstCodes, ...newCodes, codeIn(enableMail), codeIn(signInMail)].filter(
      (value) => everything.includes(value) || readModels.includes(value),
    );
    expect(leaked).toEqual([]);
  }, 60_000);

  it('evaluates at most 5 of 50 parallel wrong codes on one challenge, then the challenge is dead', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const reauth = await post('/v1/me/reauth', token, { password: account.password });
    const { secret } = (await post('/v1/me/mfa/totp', token, {}, { 'x-reauth-token': reauth.body.reauthToken })).body;
    await post('/v1/me/mfa/totp/confirm', token, { code: totp(secret, clock.now()) });

    const { challengeId } = (await signIn(api.url, account.email, account.password)).body;
    const right = nextTotp(secret);
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(`${api.url}/v1/sessions/challenges/${challengeId}`, {
          method: 'POST',
          json: { method: 'totp', code: wrong(i) },
        }),
      ),
    );
    expect(answers.every((a) => a.status === 401 && a.body.code === 'code_invalid')).toBe(true);
    const late = await request(`${api.url}/v1/sessions/challenges/${challengeId}`, {
      method: 'POST',
      json: { method: 'totp', code: right },
    });
    expect(late.status).toBe(401);

    const challengeEvents = await events.readStream(streams.challenge(challengeId));
    expect(challengeEvents.filter((e) => e.type === IdentityEvent.ChallengeFailed)).toHaveLength(5);
    const rejected = (await events.readStream(streams.user(account.userId))).filter(
      (e) => e.type === IdentityEvent.TotpCodeRejected,
    );
    expect(rejected).toHaveLength(5);
  });

  it('lets a challenge expire after 5 minutes', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const reauth = await post('/v1/me/reauth', token, { password: account.password });
    const { secret } = (await post('/v1/me/mfa/totp', token, {}, { 'x-reauth-token': reauth.body.reauthToken })).body;
    await post('/v1/me/mfa/totp/confirm', token, { code: totp(secret, clock.now()) });
    const { challengeId } = (await signIn(api.url, account.email, account.password)).body;
    clock.advance(5 * 60_000 + 1000);
    const response = await request(`${api.url}/v1/sessions/challenges/${challengeId}`, {
      method: 'POST',
      json: { method: 'totp', code: totp(secret, clock.now()) },
    });
    expect(response.status).toBe(401);
  });

  it('refuses a reauth token of another session, and an expired one', async () => {
    const account = await register(api.url);
    const first = await tokenFor(api.url, account);
    const second = await tokenFor(api.url, account);
    const { reauthToken } = (await post('/v1/me/reauth', first, { password: account.password })).body;
    expect((await post('/v1/me/mfa/totp', second, {}, { 'x-reauth-token': reauthToken })).body.code).toBe(
      'reauth_required',
    );
    clock.advance(5 * 60_000 + 1000);
    expect((await post('/v1/me/mfa/totp', first, {}, { 'x-reauth-token': reauthToken })).body.code).toBe(
      'reauth_required',
    );
  });
});
