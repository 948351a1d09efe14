import { EventStore } from '@app/event-store';
import { IdentityEvent, streams } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { Account, bearer, codeIn, register, signIn, tokenFor } from '../support/accounts';
import { countMail, waitForMail } from '../support/mailboxes';
import { appWithBootstrapAdmin, MfaSessions, signInWithMfa } from '../support/mfa-session';
import { eventually } from '../support/eventually';
import { totp } from '../support/rfc6238';
import { request, TestApp, uniqueEmail } from '../support/test-app';

const ADMIN = { email: 'stale.proofs.admin@example.com', password: 'stale proofs administrator phrase' };

/**
 * Issue 12, attack 5: proofs that outlive the account's state. A sign-in challenge opened before
 * an admin lock, an MFA reset or a password change must not complete afterwards; the session guard
 * refuses sessions of a locked account; a step-up grant serves one action.
 */
describe('attack: proofs that outlive the account state', () => {
  const clock = new ManualClock(new Date('2026-08-01T09:00:00.000Z'));
  let api: TestApp;
  let adminToken: string;

  const nextCode = (secret: string) => {
    clock.advance(30_000);
    return totp(secret, clock.now());
  };
  const answer = (challengeId: string, code: string) =>
    request(`${api.url}/v1/sessions/challenges/${challengeId}`, { method: 'POST', json: { method: 'totp', code } });
  const admin = (path: string, json: unknown = {}) =>
    request(`${api.url}/v1/admin/users${path}`, { method: 'POST', json, headers: bearer(adminToken) });

  /** The ChallengeClosed event of a challenge, once the reactor has written it. */
  const closing = (challengeId: string) =>
    eventually(async () => {
      const events = await api.app.get(EventStore).readStream(streams.challenge(challengeId));
      return events.find((event) => event.type === IdentityEvent.ChallengeClosed);
    }, `ChallengeClosed on ${challengeId}`);

  /** A user with the app on, and a challenge opened with the password (the attacker's half). */
  async function victimWithOpenChallenge(): Promise<{ victim: Account; mfa: MfaSessions; challengeId: string }> {
    const victim = await register(api.url, uniqueEmail('stale'));
    const mfa = await signInWithMfa(api.url, clock, victim);
    const challenge = await signIn(api.url, victim.email, victim.password);
    expect(challenge.body.status).toBe('mfa_required');
    return { victim, mfa, challengeId: challenge.body.challengeId };
  }

  beforeAll(async () => {
    const started = await appWithBootstrapAdmin(clock, ADMIN);
    api = started.api;
    adminToken = started.sessions.withMfa;
  });
  afterAll(() => api.close({ removeData: true }));

  it('5a. a challenge opened before an admin lock does not complete after it', async () => {
    const { victim, mfa, challengeId } = await victimWithOpenChallenge();
    expect((await admin(`/${victim.userId}/lock`)).status).toBe(204);
    const late = await answer(challengeId, nextCode(mfa.secret));
    expect(late.status).toBe(401);
    expect(late.body.token).toBeUndefined();
    // The lock closed it in the log too, as the admin's doing.
    const closed = await closing(challengeId);
    expect(closed.data).toEqual({ challengeId, userId: victim.userId, reason: 'account_locked' });
    expect((closed.metadata.actor as { type: string }).type).toBe('admin');
  });

  it('5b. a challenge opened before an MFA reset does not complete after it, even once the app is set up again', async () => {
    const { victim, mfa, challengeId } = await victimWithOpenChallenge();
    expect((await admin(`/${victim.userId}/mfa/reset`, { reason: 'lost phone' })).status).toBe(204);
    expect((await answer(challengeId, nextCode(mfa.secret))).status).toBe(401);
    expect((await closing(challengeId)).data).toMatchObject({ reason: 'mfa_reset' });
    // The owner sets the app up again (a new secret); the old challenge still does not complete.
    const again = await signInWithMfa(api.url, clock, victim);
    expect((await answer(challengeId, nextCode(again.secret))).status).toBe(401);
  });

  it('5c. a challenge opened before a password change does not complete after it', async () => {
    const { victim, mfa, challengeId } = await victimWithOpenChallenge();
    const changed = await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: {
        currentPassword: victim.password,
        newPassword: 'a brand new passphrase 2026',
        newPasswordRepeat: 'a brand new passphrase 2026',
      },
      headers: bearer(mfa.withMfa),
    });
    expect(changed.status).toBe(204);
    const late = await answer(challengeId, nextCode(mfa.secret));
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('code_invalid');
    expect((await closing(challengeId)).data).toMatchObject({ reason: 'password_changed' });
  });

  it('5d. the session guard refuses a session of a locked account', async () => {
    const { victim, mfa } = await victimWithOpenChallenge();
    expect((await request(`${api.url}/v1/me`, { headers: bearer(mfa.withMfa) })).status).toBe(200);
    expect((await admin(`/${victim.userId}/lock`)).status).toBe(204);
    expect((await request(`${api.url}/v1/me`, { headers: bearer(mfa.withMfa) })).status).toBe(401);
    expect((await request(`${api.url}/v1/me`, { headers: bearer(mfa.passwordOnly) })).status).toBe(401);
  });

  it('5e. a step-up grant serves one action: it cannot be used for another one in its five minutes', async () => {
    const victim = await register(api.url, uniqueEmail('stepup'));
    const token = await tokenFor(api.url, victim);
    const grant = (
      await request(`${api.url}/v1/me/reauth`, {
        method: 'POST',
        json: { password: victim.password },
        headers: bearer(token),
      })
    ).body.reauthToken;
    const withGrant = bearer(token, { 'x-reauth-token': grant });
    const started = await request(`${api.url}/v1/me/mfa/totp`, { method: 'POST', json: {}, headers: withGrant });
    expect(started.status).toBe(201);
    // Starting the same set-up again is the same action (a new secret): allowed while unfinished.
    expect((await request(`${api.url}/v1/me/mfa/totp`, { method: 'POST', json: {}, headers: withGrant })).status).toBe(
      201,
    );
    // Another action with the same grant: refused.
    const other = await request(`${api.url}/v1/me/mfa/email`, { method: 'POST', json: {}, headers: withGrant });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('reauth_required');
  });

  it('5g. one step-up grant raced on two actions at once serves only one of them', async () => {
    const victim = await register(api.url, uniqueEmail('race'));
    const token = await tokenFor(api.url, victim);
    const grant = (
      await request(`${api.url}/v1/me/reauth`, {
        method: 'POST',
        json: { password: victim.password },
        headers: bearer(token),
      })
    ).body.reauthToken;
    const withGrant = bearer(token, { 'x-reauth-token': grant });
    const answers = await Promise.all([
      request(`${api.url}/v1/me/mfa/totp`, { method: 'POST', json: {}, headers: withGrant }),
      request(`${api.url}/v1/me/mfa/email`, { method: 'POST', json: {}, headers: withGrant }),
      request(`${api.url}/v1/me/mfa/totp`, { method: 'POST', json: {}, headers: withGrant }),
      request(`${api.url}/v1/me/mfa/email`, { method: 'POST', json: {}, headers: withGrant }),
    ]);
    const served = new Set(
      answers.flatMap((answer, i) => (answer.status < 300 ? [i % 2 === 0 ? 'totp' : 'email'] : [])),
    );
    expect(served.size).toBe(1); // one action, possibly twice (a retry of the same action)
    expect(answers.filter((a) => a.status === 403).every((a) => a.body.code === 'reauth_required')).toBe(true);
    expect(answers.some((a) => a.status === 403)).toBe(true);
  });

  it('5f. a step-up grant is spent when its action completes, and dies with a password change', async () => {
    const victim = await register(api.url, uniqueEmail('spent'));
    const token = await tokenFor(api.url, victim);
    const reauth = () =>
      request(`${api.url}/v1/me/reauth`, {
        method: 'POST',
        json: { password: victim.password },
        headers: bearer(token),
      });
    const grant = (await reauth()).body.reauthToken;
    const started = await request(`${api.url}/v1/me/mfa/totp`, {
      method: 'POST',
      json: {},
      headers: bearer(token, { 'x-reauth-token': grant }),
    });
    const confirmed = await request(`${api.url}/v1/me/mfa/totp/confirm`, {
      method: 'POST',
      json: { code: totp(started.body.secret, clock.now()) },
      headers: bearer(token),
    });
    expect(confirmed.status).toBe(200);
    // Done: the grant is spent, for this action and any other.
    const reused = await request(`${api.url}/v1/me/mfa/email`, {
      method: 'POST',
      json: {},
      headers: bearer(token, { 'x-reauth-token': grant }),
    });
    expect(reused.status).toBe(403);

    const other = await register(api.url, uniqueEmail('changed'));
    const otherToken = await tokenFor(api.url, other);
    const otherGrant = (
      await request(`${api.url}/v1/me/reauth`, {
        method: 'POST',
        json: { password: other.password },
        headers: bearer(otherToken),
      })
    ).body.reauthToken;
    const changed = await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: {
        currentPassword: other.password,
        newPassword: 'another fresh passphrase 99',
        newPasswordRepeat: 'another fresh passphrase 99',
      },
      headers: bearer(otherToken),
    });
    expect(changed.status).toBe(204);
    const afterChange = await request(`${api.url}/v1/me/mfa/totp`, {
      method: 'POST',
      json: {},
      headers: bearer(otherToken, { 'x-reauth-token': otherGrant }),
    });
    expect(afterChange.status).toBe(403);
  });

  it('5h. one emailed step-up code raced by parallel confirmations gives one grant', async () => {
    const victim = await register(api.url, uniqueEmail('emailrace'));
    const token = await tokenFor(api.url, victim);
    const post = (path: string, json: unknown = {}, headers: Record<string, string> = {}) =>
      request(`${api.url}${path}`, { method: 'POST', json, headers: bearer(token, headers) });
    // Codes come in mails whose subject says what they are for (never the code itself).
    const isCode = (mail: { subject: string }) =>
      mail.subject === 'Your code to turn on email codes' || mail.subject === 'Your confirmation code';
    const mailedCode = async (send: () => Promise<unknown>) => {
      const before = await countMail(api.url, victim.email, isCode);
      await send();
      return codeIn((await waitForMail(api.url, victim.email, isCode, before)).text);
    };
    // Email codes on (the password confirms it while no second factor is on).
    const grant = (await post('/v1/me/reauth', { password: victim.password })).body.reauthToken;
    const enableCode = await mailedCode(() => post('/v1/me/mfa/email', {}, { 'x-reauth-token': grant }));
    expect((await post('/v1/me/mfa/email/confirm', { code: enableCode })).status).toBe(200);
    // One step-up code, sent six times at once.
    const code = await mailedCode(() => post('/v1/me/reauth/email-code'));
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post('/v1/me/reauth', { method: 'email', code })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.body.code === 'code_invalid')).toBe(true);
    const grants = (await api.app.get(EventStore).readStream(streams.user(victim.userId))).filter(
      (e) => e.type === IdentityEvent.StepUpCompleted && e.data.method === 'email',
    );
    expect(grants).toHaveLength(1);
  });

  it('5i. two password changes raced with the same current password: one wins, the other is refused', async () => {
    const victim = await register(api.url, uniqueEmail('pwrace'));
    const token = await tokenFor(api.url, victim);
    const change = (newPassword: string) =>
      request(`${api.url}/v1/me/password`, {
        method: 'PUT',
        json: { currentPassword: victim.password, newPassword, newPasswordRepeat: newPassword },
        headers: bearer(token),
      });
    const [first, second] = await Promise.all([
      change('first parallel passphrase 11'),
      change('second parallel passphrase 22'),
    ]);
    expect([first.status, second.status].sort()).toEqual([204, 400]);
    expect([first, second].find((a) => a.status === 400)!.body.code).toBe('current_password_invalid');
    const winner = first.status === 204 ? 'first parallel passphrase 11' : 'second parallel passphrase 22';
    const loser = first.status === 204 ? 'second parallel passphrase 22' : 'first parallel passphrase 11';
    expect((await signIn(api.url, victim.email, winner)).status).toBe(201);
    expect((await signIn(api.url, victim.email, loser)).status).toBe(401);
    const changes = (await api.app.get(EventStore).readStream(streams.user(victim.userId))).filter(
      (e) => e.type === IdentityEvent.PasswordChanged,
    );
    expect(changes).toHaveLength(1);
  });

  it("5j. a stolen session cannot see or end another account's session: it reads as missing and stays alive", async () => {
    const attacker = await register(api.url, uniqueEmail('thief'));
    const victim = await register(api.url, uniqueEmail('owner'));
    const attackerToken = await tokenFor(api.url, attacker);
    const victimToken = await tokenFor(api.url, victim);
    const victimSession = (await request(`${api.url}/v1/sessions/current`, { headers: bearer(victimToken) })).body
      .session.id;
    const ended = await request(`${api.url}/v1/me/sessions/${victimSession}`, {
      method: 'DELETE',
      headers: bearer(attackerToken),
    });
    expect(ended.status).toBe(404);
    expect(ended.body.code).toBe('not_found');
    const listed = await request(`${api.url}/v1/me/sessions`, { headers: bearer(attackerToken) });
    expect(listed.body.items.map((item: { id: string }) => item.id)).not.toContain(victimSession);
    expect((await request(`${api.url}/v1/sessions/current`, { headers: bearer(victimToken) })).status).toBe(200);
  });
});
