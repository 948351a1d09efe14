import { EventStore } from '@app/event-store';
import { EmailIndex } from '@app/identity';
import { IdentityEvent } from '@app/identity-events';
import { EmailChanges } from '@app/identity/changing-email/email-changes.service';
import { ManualClock } from '@app/platform';
import { bearer, codeIn, register, signIn, tokenFor, type Account } from '../support/accounts';
import { startAppWithMail } from '../support/mail-app';
import type { SmtpCapture } from '../support/smtp-capture';
import { request, TestApp, uniqueEmail } from '../support/test-app';

const CODE_SUBJECT = 'Your code to confirm your new email address';

/**
 * Issue 13: changing the address of an account moves what every recovery path trusts, so it needs
 * a fresh proof of identity, a code from the new mailbox, and a notice to the old one.
 */
describe('changing the email address', () => {
  const clock = new ManualClock(new Date('2026-10-04T10:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ api, smtp, close } = await startAppWithMail({ clock, env: { SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } }));
  });
  afterAll(() => close());

  const grant = async (token: string, password: string) =>
    (await request(`${api.url}/v1/me/reauth`, { method: 'POST', json: { password }, headers: bearer(token) })).body
      .reauthToken as string;
  const ask = (token: string, newEmail: string, reauthToken?: string) =>
    request(`${api.url}/v1/me/email`, {
      method: 'POST',
      json: { newEmail },
      headers: bearer(token, reauthToken ? { 'x-reauth-token': reauthToken } : {}),
    });
  const confirm = (token: string, code: string) =>
    request(`${api.url}/v1/me/email/confirm`, { method: 'POST', json: { code }, headers: bearer(token) });
  /** The code in the next mail to `email` (addresses compared as mail systems do: any letter case). */
  async function codeSentTo(email: string): Promise<string> {
    const codeMails = () =>
      smtp.messages.filter(
        (m) => m.to.some((to) => to.toLowerCase() === email.toLowerCase()) && m.subject === CODE_SUBJECT,
      );
    const seen = codeMails().length;
    const mail = await smtp.waitFor((m) => codeMails().indexOf(m) >= seen);
    return codeIn(mail.text);
  }
  async function signedIn(): Promise<{ account: Account; token: string }> {
    const account = await register(api.url, uniqueEmail('mover'));
    return { account, token: await tokenFor(api.url, account) };
  }

  it('moves the account: the new address signs in, the old one does not and is free again, both are told', async () => {
    const { account, token } = await signedIn();
    const newEmail = uniqueEmail('moved');
    const asked = await ask(token, newEmail, await grant(token, account.password));
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ resendAvailableAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    expect((await confirm(token, await codeSentTo(newEmail))).status).toBe(204);

    expect((await request(`${api.url}/v1/me`, { headers: bearer(token) })).body.email).toBe(newEmail);
    expect((await signIn(api.url, newEmail, account.password)).status).toBe(201);
    expect((await signIn(api.url, account.email, account.password)).status).toBe(401);
    const notice = await smtp.waitFor(
      (m) => m.to.includes(account.email) && m.subject === 'The email address of your account was changed',
    );
    expect(notice.text).toContain(newEmail);
    // The claim moved: the old address is released, and a new account can be made with it.
    const events = api.app.get(EventStore);
    expect((await events.readStream(api.app.get(EmailIndex).guardOf(account.email))).map((e) => e.type)).toEqual([
      IdentityEvent.EmailClaimed,
      IdentityEvent.EmailReleased,
    ]);
    expect((await register(api.url, account.email)).userId).not.toBe(account.userId);
    const timeline = await request(`${api.url}/v1/me/events`, { headers: bearer(token) });
    expect(timeline.body.items.map((item: { summary: string }) => item.summary)).toContain(
      `Email address changed from ${account.email} to ${newEmail}`,
    );
  });

  it('E1. a stolen session alone cannot change the address: it needs a fresh proof, used once', async () => {
    const { account, token } = await signedIn();
    const without = await ask(token, uniqueEmail('thief'));
    expect(without.status).toBe(403);
    expect(without.body.code).toBe('reauth_required');
    const reauth = await grant(token, account.password);
    expect((await ask(token, uniqueEmail('one'), reauth)).status).toBe(202);
    const newEmail = uniqueEmail('two');
    clock.advance(61_000);
    expect((await ask(token, newEmail, reauth)).status).toBe(202); // the same action again (a resend), while unfinished
    expect((await confirm(token, await codeSentTo(newEmail))).status).toBe(204);
    clock.advance(61_000);
    expect((await ask(token, uniqueEmail('three'), reauth)).body.code).toBe('reauth_required'); // spent by the change
  });

  it('E2. cannot guess the code: wrong codes spend the account budget, then even the right code is refused', async () => {
    const { account, token } = await signedIn();
    const newEmail = uniqueEmail('guess');
    await ask(token, newEmail, await grant(token, account.password));
    const code = await codeSentTo(newEmail);
    const wrong = code === '000000' ? '111111' : '000000';
    // The step-up by password above counted as a success; four wrong codes leave one try before the lock.
    for (let i = 0; i < 4; i++) expect((await confirm(token, wrong)).body.code).toBe('code_invalid');
    expect((await confirm(token, wrong)).body.code).toBe('code_invalid');
    const locked = await confirm(token, code);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('account_locked');
    expect((await request(`${api.url}/v1/me`, { headers: bearer(token) })).body.email).toBe(account.email);
  });

  it('E3. cannot take the address of another account, even with its code: 409, nothing moves', async () => {
    const { account, token } = await signedIn();
    const other = await register(api.url, uniqueEmail('other'));
    const asked = await ask(token, other.email.toUpperCase(), await grant(token, account.password));
    expect(asked.status).toBe(202); // the same answer: the request tells nothing about the address
    const taken = await confirm(token, await codeSentTo(other.email.toUpperCase()));
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('email_taken');
    expect((await signIn(api.url, other.email, other.password)).status).toBe(201);
    expect((await signIn(api.url, account.email, account.password)).status).toBe(201);
  });

  it('E4. a change asked for before a password change cannot be finished after it by the old session, and a used code does not work twice', async () => {
    const { account, token: stolen } = await signedIn();
    const owner = await tokenFor(api.url, account);
    const attackerAddress = uniqueEmail('attacker');
    expect((await ask(stolen, attackerAddress, await grant(stolen, account.password))).status).toBe(202);
    const code = await codeSentTo(attackerAddress);
    const newPassword = 'the owner took it back 2026';
    const changed = await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: { currentPassword: account.password, newPassword, newPasswordRepeat: newPassword },
      headers: bearer(owner),
    });
    expect(changed.status).toBe(204);
    expect((await confirm(stolen, code)).status).toBe(401); // the stolen session ended with the change
    expect((await request(`${api.url}/v1/me`, { headers: bearer(owner) })).body.email).toBe(account.email);

    // The owner's own change: its code works once.
    const mine = uniqueEmail('mine');
    clock.advance(61_000);
    expect((await ask(owner, mine, await grant(owner, newPassword))).status).toBe(202);
    const myCode = await codeSentTo(mine);
    const [first, second] = await Promise.all([confirm(owner, myCode), confirm(owner, myCode)]);
    expect([first.status, second.status].sort()).toEqual([204, 401]);
    expect((await confirm(owner, myCode)).status).toBe(401);
  });

  it('refuses the current address and a malformed one with a clear error', async () => {
    const { account, token } = await signedIn();
    const reauth = await grant(token, account.password);
    const same = await ask(token, account.email.toUpperCase(), reauth);
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('conflict');
    const bad = await ask(token, 'not an address', reauth);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    await api.app.get(EmailChanges).settled();
  });
});
