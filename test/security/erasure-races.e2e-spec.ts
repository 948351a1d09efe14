import { ManualClock } from '@app/platform';
import { bearer, register, signIn, tokenFor } from '../support/accounts';
import { appWithBootstrapAdmin, signInWithMfa } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { request, TestApp } from '../support/test-app';

/**
 * Erasure raced and replayed: two erasures of one account at once, an erasure against the
 * person's own password change or account closing, and a step-up proof made before an MFA reset.
 * Each attack must end with one erasure recorded, no 5xx, and nothing that signs in afterwards.
 */
describe('attacks on erasure: races and stale step-ups', () => {
  const clock = new ManualClock(new Date('2026-11-29T10:00:00.000Z'));
  let api: TestApp;
  let admin: string;

  const call = (method: string, path: string, token: string, json?: unknown, headers: Record<string, string> = {}) =>
    request(`${api.url}${path}`, { method, json, headers: bearer(token, headers) });
  const reauthOf = async (token: string, password: string) =>
    (await call('POST', '/v1/me/reauth', token, { password })).body.reauthToken as string;
  const erasuresOf = async (userId: string) => {
    const page = await call('GET', `/v1/admin/events?type=PersonalDataErased&userId=${userId}&limit=100`, admin);
    expect(page.status).toBe(200);
    return (page.body.items as unknown[]).length;
  };
  const expectClientRefusal = (status: number) => {
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  };

  beforeAll(async () => {
    const started = await appWithBootstrapAdmin(clock, {
      email: 'erasure.races@example.com',
      password: 'erasure races passphrase',
    });
    api = started.api;
    admin = started.sessions.withMfa;
  });
  afterAll(() => api?.close({ removeData: true }));

  // Erasing is idempotent (a second call finishes what the first started), so a raced second call
  // may answer 204 too; what matters is one erasure recorded and no server error.
  it('two erasures of one account raced: no error, one erasure recorded, nothing signs in', async () => {
    const person = await register(api.url);
    const answers = await Promise.all(
      ['request #1', 'request #2'].map((reason) =>
        call('POST', `/v1/admin/users/${person.userId}/erase`, admin, { reason }),
      ),
    );
    expect(answers.some((answer) => answer.status === 204)).toBe(true);
    for (const answer of answers) if (answer.status !== 204) expectClientRefusal(answer.status);
    expect(await erasuresOf(person.userId)).toBe(1);
    expect((await signIn(api.url, person.email, person.password)).status).toBe(401);
  });

  it("an admin's erasure raced with the person closing the account: one erasure, no error", async () => {
    const person = await register(api.url);
    const token = await tokenFor(api.url, person);
    const grant = await reauthOf(token, person.password);
    const answers = await Promise.all([
      call('DELETE', '/v1/me', token, undefined, { 'x-reauth-token': grant }),
      call('POST', `/v1/admin/users/${person.userId}/erase`, admin, { reason: 'request #3' }),
    ]);
    expect(answers.some((answer) => answer.status === 204)).toBe(true);
    for (const answer of answers) if (answer.status !== 204) expectClientRefusal(answer.status);
    expect(await erasuresOf(person.userId)).toBe(1);
    expect((await call('GET', '/v1/me', token)).status).toBe(401);
  });

  it('an erasure raced with a password change: neither password signs in afterwards', async () => {
    const person = await register(api.url);
    const token = await tokenFor(api.url, person);
    const newPassword = 'a brand new passphrase for the race';
    const [changed, erased] = await Promise.all([
      call('PUT', '/v1/me/password', token, {
        currentPassword: person.password,
        newPassword,
        newPasswordRepeat: newPassword,
      }),
      call('POST', `/v1/admin/users/${person.userId}/erase`, admin, { reason: 'request #4' }),
    ]);
    expect(erased.status).toBe(204);
    if (changed.status !== 204) expectClientRefusal(changed.status);
    expect(await erasuresOf(person.userId)).toBe(1);
    for (const password of [person.password, newPassword]) {
      const attempt = await signIn(api.url, person.email, password);
      expect(attempt.status).toBe(401);
      expect(attempt.body.token).toBeUndefined();
    }
  });

  it('a step-up grant made before an MFA reset does not close the account afterwards, on any session', async () => {
    const person = await register(api.url);
    const { withMfa, secret } = await signInWithMfa(api.url, clock, person);
    clock.advance(30_000);
    const stepUp = await call('POST', '/v1/me/reauth', withMfa, { method: 'totp', code: totp(secret, clock.now()) });
    expect(stepUp.status).toBe(201);
    const grant = stepUp.body.reauthToken as string;

    const reset = await call('POST', `/v1/admin/users/${person.userId}/mfa/reset`, admin, { reason: 'lost phone' });
    expect(reset.status).toBe(204);

    // The session that made the grant ended with the reset; a new session is not the grant's.
    const onOldSession = await call('DELETE', '/v1/me', withMfa, undefined, { 'x-reauth-token': grant });
    expect(onOldSession.status).toBe(401);
    const fresh = await tokenFor(api.url, person);
    const onNewSession = await call('DELETE', '/v1/me', fresh, undefined, { 'x-reauth-token': grant });
    expect(onNewSession.status).toBe(403);
    expect(onNewSession.body.code).toBe('reauth_required');
    expect(await erasuresOf(person.userId)).toBe(0);
    expect((await call('GET', '/v1/me', fresh)).status).toBe(200);
  });
});
