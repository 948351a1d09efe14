import { EventStore } from '@app/event-store';
import { IdentityEvent, streams } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { Account, bearer, register, signIn, tokenFor } from '../support/accounts';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { request, startTestApp, TestApp } from '../support/test-app';

const ORIGIN = 'http://localhost:5173';
const ENV = {
  WEBAUTHN_RP_ID: 'localhost',
  WEBAUTHN_ORIGINS: ORIGIN,
  SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
  LOCKOUT_THRESHOLD: '100',
};

/**
 * Attacks on passkeys: what a copied answer, a phishing site, a cloned key, a stolen challenge or
 * an authenticator that skips user verification can still get. Each must get nothing.
 */
describe('attack: passkeys', () => {
  const clock = new ManualClock(new Date('2026-06-01T08:00:00.000Z'));
  let api: TestApp;
  const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    request(`${api.url}${path}`, { method: 'POST', json, headers });

  /** An account with one passkey on `device`, and an open password sign-in asking for it. */
  async function withPasskey(
    device = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' }),
  ): Promise<{ account: Account; device: SoftAuthenticator; token: string }> {
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
  const answer = (challengeId: string, assertion: unknown) =>
    post(`/v1/sessions/challenges/${challengeId}`, { method: 'passkey', assertion });
  const rejections = async (userId: string) =>
    (await api.app.get(EventStore).readStream(streams.user(userId)))
      .filter((e) => e.type === IdentityEvent.PasskeyAssertionRejected)
      .map((e) => e.data.reason);

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
    expect(
      (
        await post('/v1/sessions/passkey', {
          assertion: device.get(passwordless.body, { origin: 'https://login-example.evil' }),
        })
      ).status,
    ).toBe(401);
    const token = await tokenFor(api.url, account).catch(() => null);
    expect(token).toBeNull(); // the account has a second factor: a password alone gives no session
  });

  it('P3. a registration answered from another origin adds nothing', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const grant = (await post('/v1/me/reauth', { password: account.password }, bearer(token))).body.reauthToken;
    const options = await post('/v1/me/passkeys/options', {}, bearer(token, { 'x-reauth-token': grant }));
    const device = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
    const added = await post(
      '/v1/me/passkeys',
      { response: device.create(options.body, { origin: 'https://login-example.evil' }) },
      bearer(token),
    );
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
    const { account, device } = await withPasskey(
      new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost', userVerification: false }),
    );
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
    const admin = {
      userId: '00000000-0000-4000-8000-000000000001',
      sessionId: 's',
      email: 'admin@example.com',
      roles: ['admin'],
      amr: ['pwd', 'otp'],
      sessionCreatedAt: '',
      sessionExpiresAt: '',
    };
    await api.app.get(AdminService).resetMfa(admin, account.userId, 'lost the laptop, identity checked', {
      requestId: 'r',
      correlationId: 'c',
      ip: null,
      userAgent: null,
      actor: { type: 'admin', id: admin.userId },
    });
    const options = await post('/v1/sessions/passkey/options', {});
    expect((await post('/v1/sessions/passkey', { assertion: device.get(options.body) })).status).toBe(401);
    expect((await signIn(api.url, account.email, account.password)).body.token).toEqual(expect.any(String));
  });

  it('P8. cannot fill the log by asking for passkey options without end: asking is throttled per client address', async () => {
    const small = await startTestApp({ env: { ...ENV, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await request(`${small.url}/v1/sessions/passkey/options`, { method: 'POST', json: {} })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const challenges = (await small.app.get(EventStore).readAll({ maxCount: 1000 })).filter(
        (e) => e.type === IdentityEvent.PasskeyChallengeIssued,
      );
      expect(challenges).toHaveLength(3);
    } finally {
      await small.close({ removeData: true });
    }
  });

  it('P9. a stolen session alone cannot add or remove a passkey; one answer raced twice adds one; a grant dies with a password change', async () => {
    const { account, device, token } = await withPasskey();
    const passkeyId = (await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) })).body.items[0].id;
    // The thief holds the token, not the password or the passkey.
    expect((await post('/v1/me/passkeys/options', {}, bearer(token))).body.code).toBe('reauth_required');
    expect(
      (await request(`${api.url}/v1/me/passkeys/${passkeyId}`, { method: 'DELETE', headers: bearer(token) })).body.code,
    ).toBe('reauth_required');
    expect((await post('/v1/me/reauth', { password: account.password }, bearer(token))).body.code).toBe(
      'mfa_code_required',
    );
    // The owner adds a second passkey; the same answer sent twice at once adds it once.
    const stepUp = await post('/v1/me/reauth/passkey-options', {}, bearer(token));
    const grant = (
      await post('/v1/me/reauth', { method: 'passkey', assertion: device.get(stepUp.body) }, bearer(token))
    ).body.reauthToken;
    const options = await post('/v1/me/passkeys/options', {}, bearer(token, { 'x-reauth-token': grant }));
    const answer = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' }).create(options.body);
    const [a, b] = await Promise.all([
      post('/v1/me/passkeys', { response: answer }, bearer(token)),
      post('/v1/me/passkeys', { response: answer }, bearer(token)),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 401]);
    expect((await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) })).body.items).toHaveLength(2);
    // A grant for adding a passkey does not outlive a password change.
    const stepUp2 = await post('/v1/me/reauth/passkey-options', {}, bearer(token));
    const grant2 = (
      await post('/v1/me/reauth', { method: 'passkey', assertion: device.get(stepUp2.body) }, bearer(token))
    ).body.reauthToken;
    const newPassword = 'a changed passphrase for p9';
    const changed = await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: { currentPassword: account.password, newPassword, newPasswordRepeat: newPassword },
      headers: bearer(token),
    });
    expect(changed.status).toBe(204);
    expect((await post('/v1/me/passkeys/options', {}, bearer(token, { 'x-reauth-token': grant2 }))).body.code).toBe(
      'reauth_required',
    );
  });

  it('P10. a sign-in challenge opened before its passkey was removed cannot be answered with it', async () => {
    const { account, device, token } = await withPasskey();
    const second = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
    const grant = async () => {
      const options = await post('/v1/me/reauth/passkey-options', {}, bearer(token));
      return (await post('/v1/me/reauth', { method: 'passkey', assertion: device.get(options.body) }, bearer(token)))
        .body.reauthToken as string;
    };
    const addOptions = await post('/v1/me/passkeys/options', {}, bearer(token, { 'x-reauth-token': await grant() }));
    expect((await post('/v1/me/passkeys', { response: second.create(addOptions.body) }, bearer(token))).status).toBe(
      201,
    );
    // The attacker, who has the password and the second passkey, opens a sign-in...
    const open = await secondStep(account);
    // ...then the owner removes that passkey.
    const secondId = (await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) })).body.items.find(
      (p: { id: string }) => p.id !== device.credentials[0].id.toString('base64url'),
    ).id;
    const removed = await request(`${api.url}/v1/me/passkeys/${secondId}`, {
      method: 'DELETE',
      headers: bearer(token, { 'x-reauth-token': await grant() }),
    });
    expect(removed.status).toBe(204);
    const refused = await answer(open.challengeId, second.get(open.options));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('code_invalid');
  });

  it('P11. a passwordless answer tells nothing about whether an account exists', async () => {
    const { device } = await withPasskey();
    const unknown = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
    unknown.create({
      challenge: 'x',
      user: { id: Buffer.from('00000000-0000-4000-8000-00000000dead').toString('base64url') },
    });
    const forger = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
    // A key of its own under the known account's handle: the signature cannot verify.
    forger.create({ challenge: 'x', user: { id: device.credentials[0].userHandle } });
    const forged = { ...forger.credentials[0], id: device.credentials[0].id };
    const options = async () => (await post('/v1/sessions/passkey/options', {})).body;
    const noAccount = await post('/v1/sessions/passkey', { assertion: unknown.get(await options()) });
    const badSignature = await post('/v1/sessions/passkey', {
      assertion: forger.get(await options(), { credential: forged }),
    });
    expect([noAccount.status, badSignature.status]).toEqual([401, 401]);
    expect(noAccount.body.code).toBe(badSignature.body.code);
    expect(Object.keys(noAccount.body).sort()).toEqual(Object.keys(badSignature.body).sort());
    expect(noAccount.body.detail).toBe(badSignature.body.detail);
  });

  it("P12. passwordless answers cannot be guessed without limit: forged ones spend the account's budget, then even its own passkey waits", async () => {
    const small = await startTestApp({ clock, env: { ...ENV, LOCKOUT_THRESHOLD: '3' } });
    try {
      const account = await register(small.url);
      const token = await tokenFor(small.url, account);
      const at = (path: string, json: unknown, headers: Record<string, string> = {}) =>
        request(`${small.url}${path}`, { method: 'POST', json, headers });
      const grant = (await at('/v1/me/reauth', { password: account.password }, bearer(token))).body.reauthToken;
      const device = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
      const options = await at('/v1/me/passkeys/options', {}, bearer(token, { 'x-reauth-token': grant }));
      expect((await at('/v1/me/passkeys', { response: device.create(options.body) }, bearer(token))).status).toBe(201);
      const forger = new SoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
      forger.create({ challenge: 'x', user: { id: device.credentials[0].userHandle } });
      const forged = { ...forger.credentials[0], id: device.credentials[0].id };
      for (let i = 0; i < 3; i++) {
        const o = (await at('/v1/sessions/passkey/options', {})).body;
        expect((await at('/v1/sessions/passkey', { assertion: forger.get(o, { credential: forged }) })).status).toBe(
          401,
        );
      }
      const o = (await at('/v1/sessions/passkey/options', {})).body;
      const locked = await at('/v1/sessions/passkey', { assertion: device.get(o) });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('account_locked');
    } finally {
      await small.close({ removeData: true });
    }
  });

  it('P13. admin routes: a session from a passkey alone counts its two factors, a password-only one does not; an admin still cannot lock or demote themselves', async () => {
    const { account, device } = await withPasskey();
    const { BootstrapAdmin } = await import('@app/identity/administering/bootstrap-admin');
    await api.app.get(BootstrapAdmin).grantAdmin(account.userId);
    const options = (await post('/v1/sessions/passkey/options', {})).body;
    const passkeyAlone = (await post('/v1/sessions/passkey', { assertion: device.get(options) })).body.token as string;
    expect((await request(`${api.url}/v1/admin/users`, { headers: bearer(passkeyAlone) })).status).toBe(200);
    const self = (path: string, json: unknown, method = 'POST') =>
      request(`${api.url}/v1/admin/users/${account.userId}${path}`, { method, json, headers: bearer(passkeyAlone) });
    expect((await self('/lock', {})).body.code).toBe('conflict');
    expect((await self('/roles', { roles: ['auditor'] }, 'PUT')).body.code).toBe('conflict');
    // An admin without a second factor in the session: refused.
    const other = await register(api.url);
    await api.app.get(BootstrapAdmin).grantAdmin(other.userId);
    const passwordOnly = await tokenFor(api.url, other);
    const refused = await request(`${api.url}/v1/admin/users`, { headers: bearer(passwordOnly) });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('mfa_required');
  });
});
