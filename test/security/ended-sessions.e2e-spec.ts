import { ManualClock } from '@app/platform';
import { bearer, register, signIn } from '../support/accounts';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { request, startTestApp, TestApp } from '../support/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * GET /v1/me/sessions/ended (issue 17) shows a person the sessions of their own account that ended
 * in the last 30 days. What it could leak: another account's sessions, a token (hash), or an
 * answer without a session. Each attempt fails.
 */
describe('ended sessions on the devices page', () => {
  const clock = new ManualClock(new Date('2026-07-01T09:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    api = await startTestApp({ clock, env: { SMTP_URL: smtp.url, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
  }, 60_000);

  afterAll(async () => {
    await api.close({ removeData: true });
    await smtp.close();
  });

  async function session(email: string, password: string): Promise<{ token: string; id: string }> {
    const answer = await signIn(api.url, email, password);
    expect(answer.status).toBe(201);
    return { token: answer.body.token, id: answer.body.session.id };
  }

  const ended = (token: string) => request(`${api.url}/v1/me/sessions/ended`, { headers: bearer(token) });

  it("lists only the caller's own ended sessions, without tokens, and none ended more than 30 days ago", async () => {
    const person = await register(api.url);
    const stranger = await register(api.url);
    const current = await session(person.email, person.password);
    const revoked = await session(person.email, person.password);
    const loggedOut = await session(person.email, person.password);
    const strangers = await session(stranger.email, stranger.password);
    expect(
      (await request(`${api.url}/v1/me/sessions/${revoked.id}`, { method: 'DELETE', headers: bearer(current.token) }))
        .status,
    ).toBe(204);
    expect(
      (await request(`${api.url}/v1/sessions/current`, { method: 'DELETE', headers: bearer(loggedOut.token) })).status,
    ).toBe(204);
    expect(
      (await request(`${api.url}/v1/sessions/current`, { method: 'DELETE', headers: bearer(strangers.token) })).status,
    ).toBe(204);

    expect((await request(`${api.url}/v1/me/sessions/ended`)).status).toBe(401);
    const list = await ended(current.token);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((item: { id: string }) => item.id);
    expect(ids).toEqual(expect.arrayContaining([revoked.id, loggedOut.id]));
    expect(ids).not.toContain(strangers.id);
    expect(ids).not.toContain(current.id);
    expect(list.body.items.find((item: { id: string }) => item.id === revoked.id)).toMatchObject({
      endReason: 'user',
      endedAt: expect.any(String),
    });
    const body = JSON.stringify(list.body);
    expect(body).not.toContain('tokenHash');
    expect(body).not.toContain(current.token);
    expect(body).not.toContain(revoked.token);

    // A month later: what ended then is no longer listed (the activity still has it).
    clock.advance(31 * DAY_MS);
    const later = await session(person.email, person.password);
    const afterAMonth = (await ended(later.token)).body.items.map((item: { id: string }) => item.id);
    expect(afterAMonth).not.toContain(revoked.id);
    expect(afterAMonth).not.toContain(loggedOut.id);
    expect(afterAMonth).not.toContain(current.id);
  }, 60_000);
});
