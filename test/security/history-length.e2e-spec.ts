import { EventStore } from '@app/event-store';
import { EmailIndex } from '@app/identity';
import { IdentityEvent, streams } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { register, signIn } from '../support/accounts';
import { signInWithMfa } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { request, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 12, item 8 (last): a sign-in folded the account's whole attempts stream, so it slowed with
 * the account's age, and anyone could slow one account down (and time it) by adding attempts.
 * Shown by what a sign-in reads, not by timing it (`npm run bench -- signin-history` times it).
 */
describe('attack: slowing down one account by growing its history', () => {
  let api: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => (api = await startTestApp({ clock, env: { SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } })));
  afterAll(() => api.close({ removeData: true }));

  it('8k. a sign-in reads a bounded part of an account attempts stream however long it is', async () => {
    const account = await register(api.url);
    const events = api.app.get(EventStore);
    const stream = api.app.get(EmailIndex).attemptsOf(account.email);
    for (let batch = 0; batch < 5; batch++) {
      const existing = await events.readStream(stream);
      await events.append(
        stream,
        Array.from({ length: 1000 }, (_, i) => ({
          type: IdentityEvent.LoginSucceeded,
          data: {
            userId: account.userId,
            sessionId: `00000000-0000-4000-8000-${String(batch * 1000 + i).padStart(12, '0')}`,
          },
          metadata: { occurredAt: new Date(Date.now() - 86_400_000).toISOString() },
        })),
        { expectedRevision: existing.length === 0 ? 'no_stream' : existing[existing.length - 1].revision },
      );
    }
    expect((await signIn(api.url, account.email, account.password)).status).toBe(201); // reads all, snapshots

    const read = jest.spyOn(events, 'readStream');
    try {
      for (let i = 0; i < 3; i++) expect((await signIn(api.url, account.email, account.password)).status).toBe(201);
      const attemptReads = read.mock.calls
        .map((call, index) => ({ call, result: read.mock.results[index] }))
        .filter(({ call }) => call[0] === stream);
      expect(attemptReads.length).toBeGreaterThan(0);
      for (const { result } of attemptReads) expect((await result.value).length).toBeLessThan(100);
    } finally {
      read.mockRestore();
    }
  });

  it('8l. a sign-in with the authenticator app reads a bounded part of the user stream however long it is', async () => {
    const account = await register(api.url);
    const { secret } = await signInWithMfa(api.url, clock, account);
    const events = api.app.get(EventStore);
    const stream = streams.user(account.userId);
    // Years of daily sign-ins with the app: one accepted code each (old time steps).
    for (let batch = 0; batch < 5; batch++) {
      const existing = await events.readStream(stream);
      await events.append(
        stream,
        Array.from({ length: 1000 }, (_, i) => ({
          type: IdentityEvent.TotpCodeAccepted,
          data: { userId: account.userId, timeStep: 1000 + batch * 1000 + i, purpose: 'sign_in' },
          metadata: { occurredAt: new Date(Date.now() - 86_400_000).toISOString() },
        })),
        { expectedRevision: existing[existing.length - 1].revision },
      );
    }
    const signInWithApp = async () => {
      clock.advance(30_000);
      const challenge = await signIn(api.url, account.email, account.password);
      expect(challenge.body.challengeId).toEqual(expect.any(String));
      const answer = await request(`${api.url}/v1/sessions/challenges/${challenge.body.challengeId}`, {
        method: 'POST',
        json: { method: 'totp', code: totp(secret, clock.now()) },
      });
      expect(answer.status).toBe(201);
    };
    await signInWithApp(); // reads all, snapshots

    const read = jest.spyOn(events, 'readStream');
    try {
      for (let i = 0; i < 3; i++) await signInWithApp();
      const userReads = read.mock.calls
        .map((call, index) => ({ call, result: read.mock.results[index] }))
        .filter(({ call }) => call[0] === stream);
      expect(userReads.length).toBeGreaterThan(0);
      for (const { result } of userReads) expect((await result.value).length).toBeLessThan(100);
    } finally {
      read.mockRestore();
    }
  });
});
