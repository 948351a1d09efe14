import { ManualClock } from '@app/platform';
import { bearer, register, signIn, tokenFor } from '../support/accounts';
import { appWithBootstrapAdmin, auditorWithMfa, signInWithMfa } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { request, TestApp } from '../support/test-app';

/**
 * Erasure attacked: who can erase whom, with what proof, and what an erasure still lets through.
 * Each test performs the attack and asserts it fails.
 */
describe('attacks on erasure', () => {
  const clock = new ManualClock(new Date('2026-11-28T10:00:00.000Z'));
  let api: TestApp;
  let admin: string;
  let adminId: string;

  const call = (method: string, path: string, token: string, json?: unknown, headers: Record<string, string> = {}) =>
    request(`${api.url}${path}`, { method, json, headers: bearer(token, headers) });
  const reauthOf = async (token: string, password: string) =>
    (await call('POST', '/v1/me/reauth', token, { password })).body.reauthToken as string;

  beforeAll(async () => {
    const started = await appWithBootstrapAdmin(clock, {
      email: 'erasure.guard@example.com',
      password: 'erasure guard passphrase',
    });
    api = started.api;
    admin = started.sessions.withMfa;
    adminId = started.admin.userId;
  });
  afterAll(() => api?.close({ removeData: true }));

  it('a stolen session token alone cannot close the account: DELETE /v1/me wants a fresh step-up of that session', async () => {
    const victim = await register(api.url);
    const stolen = await tokenFor(api.url, victim);
    const bare = await call('DELETE', '/v1/me', stolen);
    expect(bare.status).toBe(403);
    expect(bare.body.code).toBe('reauth_required');
    // A grant made on another session of the same account is not this session's.
    const otherSession = await tokenFor(api.url, victim);
    const foreign = await call('DELETE', '/v1/me', stolen, undefined, {
      'x-reauth-token': await reauthOf(otherSession, victim.password),
    });
    expect(foreign.status).toBe(403);
    expect((await signIn(api.url, victim.email, victim.password)).status).toBe(201); // still there
  });

  it('the person closes their own account with a step-up: every token dies, the address signs in no more', async () => {
    const person = await register(api.url);
    const token = await tokenFor(api.url, person);
    const other = await tokenFor(api.url, person);
    const closed = await call('DELETE', '/v1/me', token, undefined, {
      'x-reauth-token': await reauthOf(token, person.password),
    });
    expect(closed.status).toBe(204);
    for (const dead of [token, other]) expect((await call('GET', '/v1/me', dead)).status).toBe(401);
    const again = await signIn(api.url, person.email, person.password);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('invalid_credentials');
    const seen = await call('GET', `/v1/admin/users/${person.userId}`, admin);
    expect(seen.body.erasedAt).toEqual(expect.any(String));
  });

  it('only administrators erase others; an auditor or a user is refused, and an admin cannot erase themselves here', async () => {
    const target = await register(api.url);
    const { sessions: auditor } = await auditorWithMfa(api.url, clock, admin);
    const user = await tokenFor(api.url, await register(api.url));
    for (const token of [auditor.withMfa, user]) {
      const refused = await call('POST', `/v1/admin/users/${target.userId}/erase`, token, { reason: 'no' });
      expect(refused.status).toBe(403);
    }
    const self = await call('POST', `/v1/admin/users/${adminId}/erase`, admin, { reason: 'oops' });
    expect(self.status).toBe(409);
    const noReason = await call('POST', `/v1/admin/users/${target.userId}/erase`, admin, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect((await call('GET', `/v1/admin/users/${target.userId}`, admin)).body.erasedAt).toBeNull();
    expect((await signIn(api.url, target.email, target.password)).status).toBe(201);
  });

  it('a sign-in whose password was accepted before the erasure cannot finish after it', async () => {
    const person = await register(api.url);
    const { secret } = await signInWithMfa(api.url, clock, person);
    clock.advance(30_000);
    const started = await signIn(api.url, person.email, person.password);
    expect(started.status).toBe(200);
    const challengeId = started.body.challengeId;
    expect(challengeId).toEqual(expect.any(String));

    const erased = await call('POST', `/v1/admin/users/${person.userId}/erase`, admin, { reason: 'request #7' });
    expect(erased.status).toBe(204);

    clock.advance(30_000);
    const finish = await request(`${api.url}/v1/sessions/challenges/${challengeId}`, {
      method: 'POST',
      json: { method: 'totp', code: totp(secret, clock.now()) },
    });
    expect(finish.status).toBeGreaterThanOrEqual(400);
    expect(finish.status).toBeLessThan(500);
    expect(finish.body.token).toBeUndefined();
  });

  it('whoever registers the freed address gets a new account that shows nothing of the erased one', async () => {
    const first = await register(api.url);
    const firstToken = await tokenFor(api.url, first);
    expect(
      (
        await call('DELETE', '/v1/me', firstToken, undefined, {
          'x-reauth-token': await reauthOf(firstToken, first.password),
        })
      ).status,
    ).toBe(204);
    const second = await register(api.url, first.email, 'a different passphrase for the newcomer');
    expect(second.userId).not.toBe(first.userId);
    const token = await tokenFor(api.url, second);
    const history = await call('GET', '/v1/me/events', token);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).not.toContain(first.userId);
    // The old password does not open the new account.
    expect((await signIn(api.url, first.email, first.password)).status).toBe(401);
  });
});
