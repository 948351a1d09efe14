import { EventStore } from '@app/event-store';
import { IdentityEvent, streams } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { Account, bearer, register, signIn, tokenFor } from '../support/accounts';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { request, startTestApp, TestApp } from '../support/test-app';

const ORIGIN = 'http://localhost:5173';
const ENV = { WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: ORIGIN, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', LOCKOUT_THRESHOLD: '100' };

/**
 * Attacks on passkeys: what a copied answer, a phishing site, a cloned key, a stolen challenge or
 * an authenticator that skips user verification can still get. Each must get nothing.
 */
describe('attack: passkeys', () => {
  const clock = new ManualClock(new Date('2026-06-01T08:00:00.000Z'));
  let api: TestApp;
  const post = (path: string, json: unknown, headers: Record<string, string> = {}) => request(`${api.url}${path}`, { method: 'POST', json, headers });

  /** An account with one passkey on `device`, and an open password sign-in asking for it. */
  async function withPasskey(device = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' })): Promise<{ account: Account; device: SoftAuthenticator; token: string }> {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const grant = (await post('/v1/me/reauth', { password: account.password }, bearer(token))).body.reauthToken;
    const options = await post('/v1/me/passkeys/options', {}, bearer(token, { 'x-reauth-token': grant }));
    expect((await post('/v1/me/passkeys', { response: device.create(options.body) }, bearer(token))).status).toBe(201);
    return { account, device, token };
  }
  async function secondStep(account: Account) {
    const challenge = await signIn(api.url, account.email, account.password);
    const options = await post(`/v1/sessions/challenges/${challenge.body.challengeId}/passkey-options`, {});
    return { challengeId: challenge.body.challengeId as string, options: options.body };
  }
  const answer = (challengeId: string, assertion: unknown) => post(`/v1/sessions/challenges/${challengeId}`, { method: 'passkey', assertion });
  const rejections = async (userId: string) =>
    (await api.app.get(EventStore).readStream(streams.user(userId))).filter((e) => e.type === IdentityEvent.PasskeyAssertionRejected).map((e) => e.data.reason);

  beforeAll(async () => {
    api = await startTestApp({ clock, env: ENV });
  });
  afterAll(() => api.close({ removeData: true }));

  it('P1. a replayed answer (the same signed assertion sent again) is refused: its challenge served once', async () => {
    const { account, device } = await withPasskey();
    const { challengeId, options } = await secondStep(account);
    const assertion = device.get(options);
    const [first, second] = await Promise.all([answer(challengeId, assertion), answer(challengeId, assertion)]);
    expect([first.status, second.status].sort()).toEqual([201, 401]);
    // And on a new sign-in, where the old challenge was never issued for it.
    const again = await secondStep(account);
    expect((await answer(again.challengeId, assertion)).status).toBe(401);
    // Passwordless: the same answer twice.
    const passwordless = await post('/v1/sessions/passkey/options', {});
    const alone = device.get(passwordless.body);
    expect((await post('/v1/sessions/passkey', { assertion: alone })).status).toBe(201);
    const replayed = await post('/v1/sessions/passkey', { assertion: alone });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('passkey_invalid');
  });

  it('P2. an answer signed for another origin (a phishing site relaying the challenge) is refused and recorded', async () => {
    const { account, device } = await withPasskey();
    const { challengeId, options } = await secondStep(account);
    const phished = device.get(options, { origin: 'https://login-example.evil' });
    const refused = await answer(challengeId, phished);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('code_invalid');
    expect(await rejections(account.userId)).toEqual(['invalid']);
    // Passwordless too; and a registration made on another origin adds nothing.
    const passwordless = await post('/v1/sessions/passkey/options', {});
    expect((await post('/v1/sessions/passkey', { assertion: device.get(passwordless.body, { origin: 'https://login-example.evil' }) })).status).toBe(401);
    const token = await tokenFor(api.url, account).catch(() => null);
    expect(token).toBeNull(); // the account has a second factor: a password alone gives no session
  });

  it('P3. a registration answered from another origin adds nothing', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const grant = (await post('/v1/me/reauth', { password: account.password }, bearer(token))).body.reauthToken;
    const options = await post('/v1/me/passkeys/options', {}, bearer(token, { 'x-reauth-token': grant }));
    const device = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
    const added = await post('/v1/me/passkeys', { response: device.create(options.body, { origin: 'https://login-example.evil' }) }, bearer(token));
    expect(added.status).toBe(401);
    expect((await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) })).body.items).toEqual([]);
  });

  it("P4. a challenge serves only the account and the purpose it was issued for (another user's sign-in, a step-up)", async () => {
    const alice = await withPasskey();
    const mallory = await withPasskey();
    // Mallory opens Alice's second step? She cannot: she does not know Alice's password. But she
    // can ask for options on her own sign-in and try to answer Alice's with them.
    const hers = await secondStep(mallory.account);
    const alices = await secondStep(alice.account);
    expect((await answer(alices.challengeId, mallory.device.get(hers.options))).status).toBe(401);
    // A step-up challenge does not answer a sign-in.
    const stepUpOptions = await post('/v1/me/reauth/passkey-options', {}, bearer(alice.token));
    expect((await answer(alices.challengeId, alice.device.get(stepUpOptions.body))).status).toBe(401);
    // The right answer still works (the refusals did not use Alice's challenge).
    expect((await answer(alices.challengeId, alice.device.get(alices.options))).status).toBe(201);
  });

  it('P5. a cloned key (its counter goes back) is refused and recorded', async () => {
    const { account, device } = await withPasskey();
    const first = await secondStep(account);
    expect((await answer(first.challengeId, device.get(first.options))).status).toBe(201);
    const credential = device.credentials[0];
    credential.counter = 0; // the copy signs with an older counter
    const second = await secondStep(account);
    expect((await answer(second.challengeId, device.get(second.options))).status).toBe(401);
    expect(await rejections(account.userId)).toEqual(['counter']);
  });

  it('P6. alone, a passkey that did not verify its user is refused; an expired challenge is refused', async () => {
    const { account, device } = await withPasskey(new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost', userVerification: false }));
    const options = await post('/v1/sessions/passkey/options', {});
    expect((await post('/v1/sessions/passkey', { assertion: device.get(options.body) })).status).toBe(401);
    // As a second factor, possession is the factor: accepted without user verification, but not after 5 minutes.
    const late = await secondStep(account);
    clock.advance(5 * 60_000 + 1);
    expect((await answer(late.challengeId, device.get(late.options))).status).toBe(401);
  });

  it('P7. an MFA reset by an administrator removes the passkeys: they no longer sign in', async () => {
    const { account, device, token } = await withPasskey();
    const passkeys = await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) });
    expect(passkeys.body.items).toHaveLength(1);
    // The reset is an admin's decision; recorded here as the admin route records it.
    const { AdminService } = await import('@app/identity/administering/admin.service');
    const admin = { userId: '00000000-0000-4000-8000-000000000001', sessionId: 's', email: 'admin@example.com', roles: ['admin'], amr: ['pwd', 'otp'], sessionCreatedAt: '', sessionExpiresAt: '' };
    await api.app.get(AdminService).resetMfa(admin, account.userId, 'lost the laptop, identity checked', { requestId: 'r', correlationId: 'c', ip: null, userAgent: null, actor: { type: 'admin', id: admin.userId } });
    const options = await post('/v1/sessions/passkey/options', {});
    expect((await post('/v1/sessions/passkey', { assertion: device.get(options.body) })).status).toBe(401);
    expect((await signIn(api.url, account.email, account.password)).body.token).toEqual(expect.any(String));
  });

  it('P8. cannot fill the log by asking for passkey options without end: asking is throttled per client address', async () => {
    const small = await startTestApp({ env: { ...ENV, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await request(`${small.url}/v1/sessions/passkey/options`, { method: 'POST', json: {} })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const challenges = (await small.app.get(EventStore).readAll({ maxCount: 1000 })).filter((e) => e.type === IdentityEvent.PasskeyChallengeIssued);
      expect(challenges).toHaveLength(3);
    } finally {
      await small.close({ removeData: true });
    }
  });
});
