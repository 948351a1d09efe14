import { ManualClock } from '@app/platform';
import { Account, bearer, register } from './support/accounts';
import { appWithBootstrapAdmin, signInWithMfa } from './support/mfa-session';
import { request, TestApp } from './support/test-app';

/**
 * An account whose security state changed five times (authenticator app on, a role, an admin lock,
 * the unlock, an MFA reset), read as of a moment between each change: each answer is the state
 * then, folded from the log, and names the event that last changed each field.
 */
describe('an account as of a past moment', () => {
  const clock = new ManualClock(new Date('2026-11-28T09:00:00.000Z'));
  let api: TestApp;
  let admin: string;
  let user: Account;
  const moments: string[] = [];

  const post = (path: string, json: unknown = {}) =>
    request(`${api.url}${path}`, { method: 'POST', json, headers: bearer(admin) });
  const asOf = (at: string) =>
    request(`${api.url}/v1/admin/users/${user.userId}?asOf=${encodeURIComponent(at)}`, { headers: bearer(admin) });
  /** A moment after the change just made, before the next one. */
  const mark = () => {
    clock.advance(60_000);
    moments.push(clock.now().toISOString());
    clock.advance(60_000);
  };

  beforeAll(async () => {
    const started = await appWithBootstrapAdmin(clock, {
      email: 'history.admin@example.com',
      password: 'history admin passphrase',
    });
    api = started.api;
    admin = started.sessions.withMfa;

    user = await register(api.url);
    mark(); // 0: registered
    await signInWithMfa(api.url, clock, user);
    mark(); // 1: authenticator app on, recovery codes, sessions
    expect(
      (
        await request(`${api.url}/v1/admin/users/${user.userId}/roles`, {
          method: 'PUT',
          json: { roles: ['auditor'] },
          headers: bearer(admin),
        })
      ).status,
    ).toBe(204);
    mark(); // 2: auditor
    expect((await post(`/v1/admin/users/${user.userId}/lock`)).status).toBeLessThan(300);
    mark(); // 3: locked
    expect((await post(`/v1/admin/users/${user.userId}/unlock`)).status).toBeLessThan(300);
    mark(); // 4: unlocked
    expect(
      (await post(`/v1/admin/users/${user.userId}/mfa/reset`, { reason: 'Lost phone; identity checked' })).status,
    ).toBeLessThan(300);
    mark(); // 5: MFA reset
  }, 120_000);

  afterAll(() => api.close({ removeData: true }));

  it('shows the state between each change, and which event made it', async () => {
    const states = await Promise.all(moments.map(async (at) => (await asOf(at)).body));
    expect(states.map((s) => s.asOf)).toEqual(moments);

    expect(states[0]).toMatchObject({ id: user.userId, roles: [], locked: false, totp: { enabled: false } });
    expect(states[0].changedBy.roles.type).toBe('UserRegistered');
    expect(states[0].sessions).toEqual([]);

    expect(states[1]).toMatchObject({ roles: [], locked: false, totp: { enabled: true } });
    expect(states[1].recoveryCodes.remaining).toBeGreaterThan(0);
    expect(states[1].changedBy.mfa.type).toBe('TotpEnrolled');
    expect(states[1].sessions.length).toBeGreaterThan(0);
    expect(states[1].sessions[0]).toMatchObject({ lastActiveAt: null });

    expect(states[2]).toMatchObject({ roles: ['auditor'], locked: false, totp: { enabled: true } });
    expect(states[2].changedBy.roles.type).toBe('RolesChanged');

    expect(states[3]).toMatchObject({ roles: ['auditor'], locked: true });
    expect(states[3].changedBy.locked.type).toBe('AccountLockedByAdmin');
    // The lock ended every session: those revocations are the last events before that moment.
    expect(states[3].sessions).toEqual([]);
    expect(states[3].lastChange.type).toBe('SessionRevoked');
    expect(states[3].lastChange.occurredAt <= moments[3]).toBe(true);

    expect(states[4]).toMatchObject({ locked: false, totp: { enabled: true } });
    expect(states[4].changedBy.locked.type).toBe('AccountUnlockedByAdmin');

    expect(states[5]).toMatchObject({ locked: false, totp: { enabled: false }, recoveryCodes: { remaining: 0 } });
    expect(states[5].changedBy.mfa.type).toBe('MfaResetByAdmin');

    // Now (no asOf) agrees with the last moment on what protects the account.
    const now = (await request(`${api.url}/v1/admin/users/${user.userId}`, { headers: bearer(admin) })).body;
    expect(now).toMatchObject({ roles: states[5].roles, locked: states[5].locked, totp: states[5].totp });
  });

  it('says plainly when the account did not exist yet, and refuses a bad or future time', async () => {
    const before = await asOf('2026-11-28T08:00:00Z');
    expect(before.status).toBe(404);
    expect(before.body.code).toBe('not_found');
    for (const bad of ['yesterday', '2026-11-28', '2026-11-28T10:00:00', '2026-13-40T99:00:00Z']) {
      const answer = await asOf(bad);
      expect([answer.status, answer.body.code]).toEqual([400, 'validation_failed']);
    }
    const future = await asOf(new Date(clock.now().getTime() + 3_600_000).toISOString());
    expect([future.status, future.body.code]).toEqual([400, 'validation_failed']);
  });

  it('is for auditors and admins only', async () => {
    const stranger = await register(api.url);
    const token = (await signInWithMfa(api.url, clock, stranger)).withMfa;
    expect(
      (await request(`${api.url}/v1/admin/users/${user.userId}?asOf=${moments[0]}`, { headers: bearer(token) })).status,
    ).toBe(403);
  });
});
