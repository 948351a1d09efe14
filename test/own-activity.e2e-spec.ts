import { IdentityEvent } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { bearer, register, tokenFor } from './support/accounts';
import { signInWithMfa } from './support/mfa-session';
import { SmtpCapture, startSmtpCapture } from './support/smtp-capture';
import { request, startTestApp, TestApp } from './support/test-app';

const ADMIN = { email: 'activity.admin@example.com', password: 'the first administrator passphrase' };
const REASON = 'Lost phone; identity checked by video call, ticket #5820';

/** The account holder's own activity says what was done to the account, in their words. */
describe('own activity after an administrator resets two-step verification', () => {
  const clock = new ManualClock(new Date('2026-07-01T09:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;

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
  }, 60_000);

  afterAll(async () => {
    await api.close({ removeData: true });
    await smtp.close();
  });

  it("shows the user a plain sentence and mails them without the admin's reason; the admin's timeline keeps the reason", async () => {
    const adminToken = (await signInWithMfa(api.url, clock, { ...ADMIN, userId: '' })).withMfa;
    const person = await register(api.url);
    await signInWithMfa(api.url, clock, person);
    const reset = await request(`${api.url}/v1/admin/users/${person.userId}/mfa/reset`, {
      method: 'POST',
      json: { reason: REASON },
      headers: bearer(adminToken),
    });
    expect(reset.status).toBe(204);

    const own = await request(`${api.url}/v1/me/events`, { headers: bearer(await tokenFor(api.url, person)) });
    expect(own.status).toBe(200);
    const ownReset = own.body.items.find((e: { type: string }) => e.type === IdentityEvent.MfaResetByAdmin);
    expect(ownReset.summary).toBe('An administrator reset your two-step verification');
    expect(JSON.stringify(own.body)).not.toContain('ticket #5820');
    expect(JSON.stringify(own.body)).not.toContain('video call');
    const mail = await smtp.waitFor((m) => m.to.includes(person.email) && /reset by an administrator/.test(m.subject));
    expect(mail.text).toContain(`Administrator: ${ADMIN.email}`);
    expect(mail.text + mail.html).not.toMatch(/ticket #5820|video call|Reason/);

    const audited = await request(`${api.url}/v1/admin/users/${person.userId}/events`, { headers: bearer(adminToken) });
    const auditedReset = audited.body.items.find((e: { type: string }) => e.type === IdentityEvent.MfaResetByAdmin);
    expect(auditedReset.summary).toContain(REASON);
    const log = await request(`${api.url}/v1/admin/events?type=${IdentityEvent.MfaResetByAdmin}`, {
      headers: bearer(adminToken),
    });
    expect(JSON.stringify(log.body.items)).toContain('ticket #5820');
  }, 60_000);
});
