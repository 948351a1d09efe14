import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AuditChainer } from '@app/audit-trail';
import { ManualClock } from '@app/platform';
import { Account, bearer, register } from './support/accounts';
import { appWithBootstrapAdmin } from './support/mfa-session';
import { waitForMail } from './support/mailboxes';
import { quiesce } from './support/quiesce';
import { request, STRONG_PASSWORD, TestApp, uniqueEmail } from './support/test-app';

/** Every file under `dir`, however deep. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The acceptance of crypto-shredding (issue 15): a person with a history (sign-ins from a known
 * address and browser, a wrong password, a pending address change, mail in the outbox) is erased
 * by an administrator. Afterwards no file under DATA_DIR and no API answer holds their email
 * addresses, IP address or user agent, while the log still counts their events, the integrity
 * check still passes, and the address can be registered again.
 */
describe('erasing a person', () => {
  const clock = new ManualClock(new Date('2026-11-28T09:00:00.000Z'));
  const IP = '203.0.113.77';
  const USER_AGENT = 'ErasureProbe/7.3 (Unique Test Agent; rv:42)';
  let api: TestApp;
  let admin: string;
  let person: Account;
  let newAddress: string;

  const as = (token: string, extra: Record<string, string> = {}) => bearer(token, extra);
  const fromPerson = { 'x-forwarded-for': IP, 'user-agent': USER_AGENT };
  const adminGet = (path: string, headers: Record<string, string> = {}) =>
    request(`${api.url}${path}`, { headers: as(admin, headers) });
  const eventsOf = async (userId: string) => {
    const items: { id: string; type: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await adminGet(
        `/v1/admin/events?userId=${userId}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    const started = await appWithBootstrapAdmin(
      clock,
      { email: 'erasure.admin@example.com', password: 'erasure admin passphrase' },
      { TRUST_PROXY: '127.0.0.1' },
    );
    api = started.api;
    admin = started.sessions.withMfa;

    person = await register(api.url, uniqueEmail('erase.me'));
    const wrong = await request(`${api.url}/v1/sessions`, {
      json: { email: person.email, password: 'not the password at all' },
      headers: fromPerson,
    });
    expect(wrong.status).toBe(401);
    const signedIn = await request(`${api.url}/v1/sessions`, {
      json: { email: person.email, password: person.password },
      headers: fromPerson,
    });
    expect(signedIn.status).toBe(201);
    const token = signedIn.body.token;
    const reauth = await request(`${api.url}/v1/me/reauth`, {
      json: { password: person.password },
      headers: as(token, fromPerson),
    });
    expect(reauth.status).toBe(201);
    newAddress = uniqueEmail('erase.me.new');
    const change = await request(`${api.url}/v1/me/email`, {
      json: { newEmail: newAddress },
      headers: as(token, { ...fromPerson, 'x-reauth-token': reauth.body.reauthToken }),
    });
    expect(change.status).toBe(202);
    await waitForMail(api.url, newAddress, () => true); // the code to the new address, kept in the outbox
    await quiesce(api);
  });
  afterAll(() => api?.close({ removeData: true }));

  it('leaves no email, IP or user agent of theirs in any file or answer, and keeps the history whole', async () => {
    const secrets = [person.email, person.email.toLowerCase(), newAddress, IP, USER_AGENT];
    const found = (text: string) => secrets.filter((secret) => text.includes(secret));

    // Before: the read models and the outbox do hold them (the scan can find what it looks for).
    const before = filesUnder(api.dataDir)
      .map((file) => readFileSync(file).toString('latin1'))
      .join('\n');
    expect(found(before)).toEqual(expect.arrayContaining([person.email, newAddress, IP, USER_AGENT]));
    const countedBefore = (await eventsOf(person.userId)).length;

    const erased = await request(`${api.url}/v1/admin/users/${person.userId}/erase`, {
      json: { reason: 'GDPR erasure request #1042' },
      headers: as(admin),
    });
    expect(erased.status).toBe(204);
    await quiesce(api);
    await api.app.get(AuditChainer).sealNow();

    // Files: the event store, the read models, the key store, the outbox.
    const leaks = filesUnder(api.dataDir)
      .map((file) => ({ file, leaked: found(readFileSync(file).toString('latin1')) }))
      .filter(({ leaked }) => leaked.length > 0);
    expect(leaks).toEqual([]);

    // Answers: the account, its events (list, each raw event, CSV, signed export), the user search.
    const account = await adminGet(`/v1/admin/users/${person.userId}`);
    expect(account.status).toBe(200);
    expect(account.body.erasedAt).toEqual(expect.any(String));
    expect(account.body.email.address).toBeNull();
    const events = await eventsOf(person.userId);
    const raw = await Promise.all(events.map((e) => adminGet(`/v1/admin/events/${encodeURIComponent(e.id)}`)));
    expect(raw.map((r) => r.status)).toEqual(events.map(() => 200));
    const answers = [
      JSON.stringify(account.body),
      JSON.stringify(events),
      ...raw.map((r) => JSON.stringify(r.body)),
      (await adminGet(`/v1/admin/events?userId=${person.userId}`, { accept: 'text/csv' })).body,
      (await adminGet(`/v1/admin/events`, { accept: 'application/x-ndjson' })).body,
      JSON.stringify((await adminGet(`/v1/admin/users?q=erase.me`)).body),
      JSON.stringify((await adminGet(`/v1/admin/users/${person.userId}?asOf=${clock.now().toISOString()}`)).body),
    ];
    expect(answers.flatMap((answer) => found(String(answer)))).toEqual([]);

    // The history: every event still counted (and the erasure's own), the chain intact.
    expect(events.length).toBeGreaterThanOrEqual(countedBefore + 1);
    expect(events.map((e) => e.type)).toContain('PersonalDataErased');
    const integrity = await adminGet('/v1/admin/integrity');
    expect(integrity.status).toBe(200);
    expect(integrity.body.status).toBe('intact');
    expect(integrity.body.firstBroken).toBeNull();
  });

  it('ends their sessions and frees the address, which a new person can register', async () => {
    const again = await request(`${api.url}/v1/sessions`, { json: { email: person.email, password: person.password } });
    expect(again.status).toBe(401);
    const newcomer = await register(api.url, person.email, STRONG_PASSWORD);
    expect(newcomer.userId).not.toBe(person.userId);
    const theirs = await adminGet(`/v1/admin/users/${newcomer.userId}`);
    expect(theirs.body.email.address).toBe(person.email);
    expect((await adminGet(`/v1/admin/users/${person.userId}`)).body.erasedAt).toEqual(expect.any(String));
  });

  it('records a second erasure as nothing new', async () => {
    const before = (await eventsOf(person.userId)).filter((e) => e.type === 'PersonalDataErased').length;
    const twice = await request(`${api.url}/v1/admin/users/${person.userId}/erase`, {
      json: { reason: 'again' },
      headers: as(admin),
    });
    expect(twice.status).toBe(204);
    expect((await eventsOf(person.userId)).filter((e) => e.type === 'PersonalDataErased')).toHaveLength(before);
  });
});
