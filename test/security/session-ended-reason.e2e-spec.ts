import { randomBytes, randomUUID } from 'node:crypto';
import { ManualClock } from '@app/platform';
import { Account, bearer, register, signIn, tokenFor } from '../support/accounts';
import { signInWithMfa } from '../support/mfa-session';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { JsonResponse, request, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

const ADMIN = { email: uniqueEmail('reason-admin'), password: 'admin lantern harbour 2031' };
const SESSION_MAX_AGE_MS = 43_200 * 1000;

/**
 * A token whose session was revoked is answered 401 `unauthorized` with a `reason` (issue 17), so
 * the sign-in page can say why the person was signed out. What it could reveal: that a session id
 * exists or how it ended, to someone who does not hold its token. Each attempt below gets the
 * generic 401 of a request without a token, byte for byte apart from the request id.
 */
describe('the reason a session ended is told only to the holder of its token', () => {
  const clock = new ManualClock(new Date('2026-07-01T09:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;
  let adminToken = '';
  let generic: JsonResponse;

  const current = (token: string | null) =>
    request(`${api.url}/v1/sessions/current`, { headers: token === null ? {} : bearer(token) });

  /** The problem document without its request id (different on every answer). */
  const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

  async function expectGeneric(token: string): Promise<void> {
    const answer = await current(token);
    expect(answer.status).toBe(401);
    expect(answer.body).not.toHaveProperty('reason');
    expect(withoutRequestId(answer.body)).toEqual(withoutRequestId(generic.body));
    expect(answer.headers.get('www-authenticate')).toBe(generic.headers.get('www-authenticate'));
  }

  async function session(account: Account): Promise<{ token: string; id: string }> {
    const answer = await signIn(api.url, account.email, account.password);
    expect(answer.status).toBe(201);
    return { token: answer.body.token, id: answer.body.session.id };
  }

  const admin = (path: string, json: unknown = {}) =>
    request(`${api.url}/v1/admin/users/${path}`, { method: 'POST', json, headers: bearer(adminToken) });

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    api = await startTestApp({
      clock,
      env: {
        SMTP_URL: smtp.url,
        SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
        BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      },
    });
    adminToken = (await signInWithMfa(api.url, clock, { ...ADMIN, userId: '' })).withMfa;
    generic = await current(null);
  }, 60_000);

  afterAll(async () => {
    await api.close({ removeData: true });
    await smtp.close();
  });

  it('tells the holder of a session ended by an MFA reset why, with the generic code', async () => {
    expect(generic.status).toBe(401);
    expect(generic.body).toMatchObject({ code: 'unauthorized' });
    expect(generic.body).not.toHaveProperty('reason');

    const person = await register(api.url);
    const { withMfa } = await signInWithMfa(api.url, clock, person);
    expect((await admin(`${person.userId}/mfa/reset`, { reason: 'Lost phone; identity checked' })).status).toBe(204);

    const answer = await current(withMfa);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ status: 401, code: 'unauthorized', reason: 'mfa_reset' });
    // The admin's reason, written for the audit log, is not repeated to the token holder.
    expect(JSON.stringify(answer.body)).not.toContain('Lost phone');
    expect(answer.headers.get('www-authenticate')).toContain('Bearer');
  }, 60_000);

  it('names each way a session is ended, to its own token only', async () => {
    const person = await register(api.url);
    const [byLogout, byOtherDevice, byPasswordChange, keeper] = [
      await session(person),
      await session(person),
      await session(person),
      await session(person),
    ];
    expect(
      (await request(`${api.url}/v1/sessions/current`, { method: 'DELETE', headers: bearer(byLogout.token) })).status,
    ).toBe(204);
    expect(
      (
        await request(`${api.url}/v1/me/sessions/${byOtherDevice.id}`, {
          method: 'DELETE',
          headers: bearer(keeper.token),
        })
      ).status,
    ).toBe(204);
    const newPassword = 'violet harbour lantern 2032';
    expect(
      (
        await request(`${api.url}/v1/me/password`, {
          method: 'PUT',
          json: { currentPassword: person.password, newPassword, newPasswordRepeat: newPassword },
          headers: bearer(keeper.token),
        })
      ).status,
    ).toBe(204);
    expect((await current(byLogout.token)).body.reason).toBe('signed_out');
    expect((await current(byOtherDevice.token)).body.reason).toBe('signed_out_elsewhere');
    expect((await current(byPasswordChange.token)).body.reason).toBe('password_changed');

    const other = await register(api.url);
    const revokedByAdmin = await session(other);
    expect((await admin(`${other.userId}/sessions/revoke`)).status).toBe(204);
    expect((await current(revokedByAdmin.token)).body.reason).toBe('admin_revoked');
  }, 60_000);

  it('answers an unknown, a malformed or a forged token exactly as no token at all', async () => {
    const victim = await register(api.url);
    const attacker = await register(api.url);
    const revoked = await session(victim);
    expect((await admin(`${victim.userId}/mfa/reset`, { reason: 'support call' })).status).toBe(204);
    expect((await current(revoked.token)).body.reason).toBe('mfa_reset');

    // A well-formed token naming no session.
    await expectGeneric(`${randomUUID()}.${randomBytes(32).toString('base64url')}`);
    // Not a session token at all.
    await expectGeneric('not-a-token');
    // The victim's revoked session id (listed on the devices page, not secret) with a made-up secret,
    // and with the attacker's own valid secret: neither proves possession of the victim's token.
    await expectGeneric(`${revoked.id}.${randomBytes(32).toString('base64url')}`);
    const attackers = await session(attacker);
    await expectGeneric(`${revoked.id}.${attackers.token.split('.')[1]}`);
    // The revoked token with one character changed.
    const last = revoked.token.at(-1) === 'A' ? 'B' : 'A';
    await expectGeneric(`${revoked.token.slice(0, -1)}${last}`);
  }, 60_000);

  it('says nothing about a session that expired, or one revoked and then past its lifetime', async () => {
    const idle = await register(api.url);
    const person = await register(api.url);
    const expiring = await session(idle);
    const revoked = await session(person);
    expect((await admin(`${person.userId}/mfa/reset`, { reason: 'support call' })).status).toBe(204);
    expect((await current(revoked.token)).body.reason).toBe('mfa_reset');
    clock.advance(SESSION_MAX_AGE_MS + 1000);
    await expectGeneric(expiring.token);
    await expectGeneric(revoked.token);
    // The accounts themselves are fine: a new sign-in works.
    expect((await current(await tokenFor(api.url, person))).status).toBe(200);
    expect((await current(await tokenFor(api.url, idle))).status).toBe(200);
  }, 60_000);
});
