import { ManualClock } from '@app/platform';
import { bearer, register, signIn } from '../support/accounts';
import { signInWithMfa } from '../support/mfa-session';
import { reactorSettled } from '../support/reactors';
import { totp } from '../support/rfc6238';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { request, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 12, attack 7: each replay of a used TOTP code sent a notice: ten replays, ten emails. The
 * notices anyone can trigger (a reused code, a lock from wrong guesses) are sent at most once per
 * user and kind per 10 minutes.
 */
describe('attack: flooding a mailbox with "code reused" notices', () => {
  const clock = new ManualClock(new Date('2026-09-01T12:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    api = await startTestApp({ clock, env: { SMTP_URL: smtp.url, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await api.close({ removeData: true });
    await smtp.close();
  });

  /** Waits until the notifications reactor has handled every event in the log (mail sent or skipped). */
  const noticesSettled = () => reactorSettled(api);

  it('7. sends at most one "code reused" mail per user per 10 minutes', async () => {
    const victim = await register(api.url);
    const { withMfa, secret } = await signInWithMfa(api.url, clock, victim);
    let used = totp(secret, clock.now()); // accepted by the sign-in just now
    const reusedMails = () =>
      smtp.messages.filter((m) => m.to.includes(victim.email) && /reused|used again/i.test(m.subject));
    const viewCodes = (code: string) =>
      request(`${api.url}/v1/me/recovery-codes`, { method: 'POST', json: { code }, headers: bearer(withMfa) });
    const replay = async () => expect((await viewCodes(used)).status).toBe(401);

    for (let i = 0; i < 3; i++) await replay(); // three replays (the failure budget allows five)
    await smtp.waitFor((m) => m.to.includes(victim.email) && /reused|used again/i.test(m.subject));
    await noticesSettled();
    expect(reusedMails()).toHaveLength(1);

    clock.advance(11 * 60_000); // ten minutes on, a code used now and replayed mails again
    used = totp(secret, clock.now());
    expect((await viewCodes(used)).status).toBe(200);
    await replay();
    await replay();
    await noticesSettled();
    expect(reusedMails()).toHaveLength(2);
  });

  it('7b. sends at most one "account locked" mail per user per 10 minutes, however often it is locked', async () => {
    const victim = await register(api.url);
    const lockedMails = () =>
      smtp.messages.filter((m) => m.to.includes(victim.email) && /temporarily locked/i.test(m.subject));
    const lockOnce = async () => {
      for (let i = 0; i < 5; i++) await signIn(api.url, victim.email, 'not the password at all');
      const refused = await signIn(api.url, victim.email, victim.password);
      expect(refused.status).toBe(401);
    };

    await lockOnce(); // the first lock: 1 minute
    await smtp.waitFor((m) => m.to.includes(victim.email) && /temporarily locked/i.test(m.subject));
    clock.advance(61_000);
    await lockOnce(); // the second: 4 minutes
    clock.advance(4 * 60_000 + 1000);
    await lockOnce(); // the third: 16 minutes
    await noticesSettled();
    expect(lockedMails()).toHaveLength(1);

    clock.advance(16 * 60_000 + 1000); // more than ten minutes after the first mail
    await lockOnce();
    await noticesSettled();
    expect(lockedMails()).toHaveLength(2);
  });
});
