import { EventStore } from '@app/event-store';
import { IdentityEvent, streams } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { codeIn, register, SIGN_UP_CODE_SUBJECT } from '../support/accounts';
import { startAppWithMail } from '../support/mail-app';
import { quiesce } from '../support/quiesce';
import type { SmtpCapture } from '../support/smtp-capture';
import { request, STRONG_PASSWORD, TestApp, uniqueEmail } from '../support/test-app';

const NOTICE_SUBJECT = 'Someone tried to sign up with your address';

/**
 * Issue 13: sign-up was the way to learn which addresses have accounts (409 email_taken) and to
 * claim an address one does not own. Each attack is performed here and must fail.
 */
describe('attack: sign-up', () => {
  const clock = new ManualClock(new Date('2026-10-03T10:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ api, smtp, close } = await startAppWithMail({ clock }));
  });
  afterAll(() => close());

  const signUp = (email: string, password = STRONG_PASSWORD, target = api) =>
    request(`${target.url}/v1/users`, { method: 'POST', json: { email, password } });
  const confirm = (registrationId: string, code: string) =>
    request(`${api.url}/v1/users/registrations/${registrationId}`, { method: 'POST', json: { code } });
  const resend = (registrationId: string) =>
    request(`${api.url}/v1/users/registrations/${registrationId}/email-code`, { method: 'POST' });
  const codesTo = (email: string) =>
    smtp.messages.filter((m) => m.to.includes(email) && m.subject === SIGN_UP_CODE_SUBJECT);
  async function nextCode(email: string): Promise<string> {
    const seen = codesTo(email).length;
    const mail = await smtp.waitFor(
      (m) => m.to.includes(email) && m.subject === SIGN_UP_CODE_SUBJECT && codesTo(email).indexOf(m) >= seen,
    );
    return codeIn(mail.text);
  }

  it('S1. cannot tell a taken address from a free one: same status, body shape and headers, same time (median of 25 paired ratios within 20%)', async () => {
    const owner = await register(api.url, uniqueEmail('s1'));
    const time = async (email: string) => {
      await quiesce(api); // the mail of the previous sign-up leaves after its answer: not timed
      const started = process.hrtime.bigint();
      const response = await signUp(email);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(response.status).toBe(202);
      return { ms, body: Object.keys(response.body).sort(), headers: [...response.headers.keys()].sort() };
    };
    for (let i = 0; i < 3; i++) await Promise.all([time(owner.email), time(uniqueEmail('warm'))]);
    const ratios: number[] = [];
    for (let i = 0; i < 25; i++) {
      const free = uniqueEmail('free');
      let taken: Awaited<ReturnType<typeof time>>;
      let fresh: Awaited<ReturnType<typeof time>>;
      if (i % 2 === 0) {
        taken = await time(owner.email);
        fresh = await time(free);
      } else {
        fresh = await time(free);
        taken = await time(owner.email);
      }
      expect(taken.body).toEqual(['expiresAt', 'registrationId', 'resendAvailableAt']);
      expect(taken.body).toEqual(fresh.body);
      expect(taken.headers).toEqual(fresh.headers);
      ratios.push(taken.ms / fresh.ms);
    }
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
    console.log(
      `sign-up timing: median pair ratio (taken or known / free or unknown) ${median.toFixed(3)} over ${ratios.length} pairs`,
    );
    expect(median).toBeGreaterThan(0.8);
    expect(median).toBeLessThan(1.2);
    // The owner is told, once for the whole burst (at most one such notice per 10 minutes).
    await smtp.waitFor((m) => m.to.includes(owner.email) && m.subject === NOTICE_SUBJECT);
    expect(codesTo(owner.email)).toHaveLength(1); // the code of the owner's own sign-up, nothing since
  }, 90_000);

  it('S2. cannot create an account for an address without its mail: a taken one never confirms, a free one needs the code', async () => {
    const owner = await register(api.url, uniqueEmail('s2'));
    const hijack = await signUp(owner.email.toUpperCase(), 'the attacker chose this one');
    for (const code of ['000000', '123456', '999999'])
      expect((await confirm(hijack.body.registrationId, code)).body.code).toBe('code_invalid');
    expect(
      (
        await request(`${api.url}/v1/sessions`, {
          method: 'POST',
          json: { email: owner.email, password: 'the attacker chose this one' },
        })
      ).status,
    ).toBe(401);

    const victim = uniqueEmail('s2-free');
    const pending = await signUp(victim, 'the attacker chose this one');
    await nextCode(victim); // mailed to the victim, unseen by the attacker
    expect((await confirm(pending.body.registrationId, '000000')).status).toBe(401);
    expect(
      (
        await request(`${api.url}/v1/sessions`, {
          method: 'POST',
          json: { email: victim, password: 'the attacker chose this one' },
        })
      ).status,
    ).toBe(401);
    // And the unconfirmed sign-up blocks nobody: the owner of the mailbox signs up as usual.
    expect((await register(api.url, victim)).userId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('S3. cannot guess the code: five wrong answers kill a code, ten kill the sign-up, each one recorded', async () => {
    const email = uniqueEmail('s3');
    const started = await signUp(email);
    const first = await nextCode(email);
    const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
    for (let i = 0; i < 5; i++) expect((await confirm(started.body.registrationId, wrong(first))).status).toBe(401);
    expect((await confirm(started.body.registrationId, first)).body.code).toBe('code_invalid'); // dead after five

    clock.advance(61_000);
    expect((await resend(started.body.registrationId)).status).toBe(202);
    const second = await nextCode(email);
    for (let i = 0; i < 4; i++) expect((await confirm(started.body.registrationId, wrong(second))).status).toBe(401);
    const over = await confirm(started.body.registrationId, second);
    expect(over.status).toBe(400); // ten failures in all (the right code on the dead one counted too): the sign-up is over
    expect(over.body.code).toBe('registration_expired');

    const recorded = await api.app.get(EventStore).readStream(streams.registration(started.body.registrationId));
    expect(recorded.filter((e) => e.type === IdentityEvent.RegistrationCodeFailed)).toHaveLength(10);
    expect(recorded.filter((e) => e.type === IdentityEvent.RegistrationExpired)).toHaveLength(1);
  });

  it('S4. cannot flood a mailbox with codes: one resend a minute, and the new code replaces the old', async () => {
    const email = uniqueEmail('s4');
    const started = await signUp(email);
    const first = await nextCode(email);
    const early = await resend(started.body.registrationId);
    expect(early.status).toBe(429);
    expect(early.body.code).toBe('rate_limited');
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(60_000);
    const again = await resend(started.body.registrationId);
    expect(again.status).toBe(202);
    expect(Date.parse(again.body.resendAvailableAt) - clock.now().getTime()).toBe(60_000);
    const second = await nextCode(email);
    if (second !== first) expect((await confirm(started.body.registrationId, first)).status).toBe(401);
    expect((await confirm(started.body.registrationId, second)).status).toBe(201);
    expect(codesTo(email)).toHaveLength(2);
  });

  it('S5. a sign-up expires after 10 minutes, and says so once', async () => {
    const email = uniqueEmail('s5');
    const started = await signUp(email);
    const code = await nextCode(email);
    clock.advance(10 * 60_000 + 1000);
    const late = await confirm(started.body.registrationId, code);
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('registration_expired');
    expect((await resend(started.body.registrationId)).body.code).toBe('registration_expired');
    const recorded = await api.app.get(EventStore).readStream(streams.registration(started.body.registrationId));
    expect(recorded.map((e) => e.type)).toEqual([
      IdentityEvent.RegistrationRequested,
      IdentityEvent.RegistrationCodeSent,
      IdentityEvent.RegistrationExpired,
    ]);
  });

  it('S7. one code raced by six parallel confirmations creates one account, and a used code does not work again', async () => {
    const email = uniqueEmail('s7');
    const started = await signUp(email);
    const code = await nextCode(email);
    const answers = await Promise.all(Array.from({ length: 6 }, () => confirm(started.body.registrationId, code)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(
      answers.filter((a) => a.status !== 201).every((a) => a.status === 400 && a.body.code === 'registration_expired'),
    ).toBe(true);
    const recorded = await api.app.get(EventStore).readStream(streams.user(started.body.registrationId));
    expect(recorded.filter((e) => e.type === IdentityEvent.UserRegistered)).toHaveLength(1);
    expect((await confirm(started.body.registrationId, code)).body.code).toBe('registration_expired');
  });

  it('S6. keeps the sign-up throttle per client: the 21st sign-up in an hour is refused', async () => {
    const { api: strict, close: closeStrict } = await startAppWithMail({
      env: { SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR: '20' },
    });
    try {
      for (let i = 0; i < 20; i++) expect((await signUp(uniqueEmail('s6'), STRONG_PASSWORD, strict)).status).toBe(202);
      const refused = await signUp(uniqueEmail('s6'), STRONG_PASSWORD, strict);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('rate_limited');
    } finally {
      await closeStrict();
    }
  });
});
