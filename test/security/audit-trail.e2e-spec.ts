import { AuditChainer } from '@app/audit-trail';
import { EventStore } from '@app/event-store';
import { isSecretStream, SECRET_FIELDS } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { bearer, register } from '../support/accounts';
import { appWithBootstrapAdmin, auditorWithMfa, signInWithMfa } from '../support/mfa-session';
import { TestApp } from '../support/test-app';

/**
 * Attacks on the audit routes of issue 15: reading the integrity report, a past state or the
 * signed export without the right, or through them reading a secret. (Tampering with the stored
 * log and chain: libs/audit-trail/src/audit-trail.int-spec.ts and test/audit-integrity.e2e-spec.ts.)
 */
describe('attack: the audit routes', () => {
  const clock = new ManualClock(new Date());
  let api: TestApp;
  let admin: string;
  let auditorPasswordOnly: string;
  let auditorToken: string;
  let someone: { userId: string; token: string };

  const get = (path: string, token?: string, accept = 'application/json') =>
    fetch(`${api.url}${path}`, { headers: { accept, ...(token ? bearer(token) : {}) } });

  beforeAll(async () => {
    const started = await appWithBootstrapAdmin(clock, {
      email: 'audit.routes.admin@example.com',
      password: 'audit routes admin passphrase',
    });
    api = started.api;
    admin = started.sessions.withMfa;
    const { sessions: auditorSessions } = await auditorWithMfa(api.url, clock, admin);
    auditorToken = auditorSessions.withMfa;
    // Signed in with the password alone (before the app was on): still an auditor, not two factors.
    auditorPasswordOnly = auditorSessions.passwordOnly;
    const account = await register(api.url);
    // Secrets of every kind in the log: a password hash, a TOTP seed, code hashes, session token hashes.
    someone = { userId: account.userId, token: (await signInWithMfa(api.url, clock, account)).withMfa };
    await api.app.get(AuditChainer).sealNow();
  }, 120_000);

  afterAll(() => api.close({ removeData: true }));

  it('A1. refuses the integrity report, a past state and the export to anyone but a two-factor auditor or admin', async () => {
    const routes: [string, string][] = [
      ['/v1/admin/integrity', 'application/json'],
      [
        `/v1/admin/users/${someone.userId}?asOf=${encodeURIComponent(new Date(clock.now().getTime() - 1000).toISOString())}`,
        'application/json',
      ],
      ['/v1/admin/events', 'application/x-ndjson'],
    ];
    for (const [path, accept] of routes) {
      expect((await get(path, undefined, accept)).status).toBe(401);
      expect((await get(path, someone.token, accept)).status).toBe(403);
      const passwordOnly = await get(path, auditorPasswordOnly, accept);
      expect(passwordOnly.status).toBe(403);
      expect(((await passwordOnly.json()) as { code: string }).code).toBe('mfa_required');
      expect((await get(path, auditorToken, accept)).status).toBe(200);
    }
  });

  it('A2. exports no secret: every value of a secret field in the log, and every challenge id, is absent from the JSON Lines', async () => {
    const secrets = new Set<string>();
    const collect = (value: unknown, secret = false): void => {
      if (typeof value === 'string' && secret && value.length >= 8) secrets.add(value);
      else if (Array.isArray(value)) value.forEach((item) => collect(item, secret));
      else if (value && typeof value === 'object')
        for (const [key, inner] of Object.entries(value)) collect(inner, secret || SECRET_FIELDS.has(key));
    };
    const events = await api.app.get(EventStore).readAll({ maxCount: 100_000 });
    for (const event of events) {
      collect(event.data);
      collect(event.metadata);
      if (isSecretStream(event.streamId)) secrets.add(event.streamId.slice('challenge-'.length));
    }
    const kinds = new Set(events.flatMap((event) => Object.keys(event.data).filter((key) => SECRET_FIELDS.has(key))));
    // The log really holds each kind this test looks for.
    for (const kind of ['passwordHash', 'sealedSecret', 'codeHash', 'tokenHash', 'challengeId'])
      expect(kinds).toContain(kind);

    const exported = await (await get('/v1/admin/events', auditorToken, 'application/x-ndjson')).text();
    expect(exported.split('\n').filter((line) => line.includes('"kind":"event"')).length).toBe(events.length);
    const leaked = [...secrets].filter((secret) => exported.includes(secret));
    expect(leaked).toEqual([]);
  });

  it('A4. hides from auditors the challenge a password opened, which LoginSucceeded names as its sessionId', async () => {
    const list = (await (await get('/v1/admin/events?type=LoginSucceeded&limit=100', auditorToken)).json()) as {
      items: { id: string }[];
    };
    const raw = await Promise.all(
      list.items.map(
        async (item) =>
          (await (await get(`/v1/admin/events/${item.id}`, auditorToken)).json()) as {
            data: Record<string, unknown>;
          },
      ),
    );
    const opened = raw.filter((entry) => entry.data.secondFactorRequired === true);
    expect(opened.length).toBeGreaterThan(0);
    for (const entry of opened) expect(entry.data.sessionId).toBe('[redacted]');
    // A session that the password alone started is not a secret: it is listed on the sessions page.
    const started = raw.filter((entry) => entry.data.secondFactorRequired !== true);
    expect(started.length).toBeGreaterThan(0);
    for (const entry of started) expect(entry.data.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('A3. reads a past state only from the account asked for: another account, an unknown one, or a time with no zone get nothing', async () => {
    const at = encodeURIComponent(clock.now().toISOString());
    const unknown = await get(`/v1/admin/users/00000000-0000-4000-8000-000000000000?asOf=${at}`, auditorToken);
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([404, 'not_found']);
    const notUuid = await get(`/v1/admin/users/..%2F..%2Fintegrity?asOf=${at}`, auditorToken);
    expect(notUuid.status).toBe(400);
    const own = (await (await get(`/v1/admin/users/${someone.userId}?asOf=${at}`, auditorToken)).json()) as {
      id: string;
    };
    expect(own.id).toBe(someone.userId);
    // No secret in the past state either.
    expect(JSON.stringify(own)).not.toMatch(/argon2|tokenHash|sealedSecret|codeHash/);
  });
});
