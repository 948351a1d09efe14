import { EventStore } from '@app/event-store';
import { IdentityEvent } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { ReadStore, securityEventsProjection } from '@app/read-models';
import { Account, bearer, register, signIn, tokenFor } from './support/accounts';
import { MfaSessions, signInWithMfa } from './support/mfa-session';
import { SmtpCapture, startSmtpCapture } from './support/smtp-capture';
import { request, startTestApp, STRONG_PASSWORD, TestApp, uniqueEmail } from './support/test-app';

const ADMIN = { email: 'root.admin@example.com', password: 'the first administrator passphrase' };

describe('administration API', () => {
  const clock = new ManualClock(new Date('2026-07-01T09:00:00.000Z'));
  let smtp: SmtpCapture;
  let api: TestApp;
  let admin: Account & { userId: string };
  let adminSessions: MfaSessions;
  let auditor: Account;
  let auditorSessions: MfaSessions;
  let plainUserToken: string;
  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    request(`${api.url}${path}`, { headers: token ? bearer(token, headers) : headers });
  const send = (method: string, path: string, token: string | undefined, json: unknown = {}) =>
    request(`${api.url}${path}`, { method, json, headers: token ? bearer(token) : {} });

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
    const me = await get('/v1/me', await tokenFor(api.url, { ...ADMIN, userId: '' }));
    admin = { ...ADMIN, userId: me.body.id };
    expect(me.body.roles).toEqual(['admin']);
    adminSessions = await signInWithMfa(api.url, clock, admin);

    auditor = await register(api.url, uniqueEmail('auditor'));
    expect(
      (await send('PUT', `/v1/admin/users/${auditor.userId}/roles`, adminSessions.withMfa, { roles: ['auditor'] }))
        .status,
    ).toBe(204);
    auditorSessions = await signInWithMfa(api.url, clock, auditor);
    plainUserToken = (await signInWithMfa(api.url, clock, await register(api.url))).withMfa;
  }, 60_000);

  afterAll(async () => {
    await api.close({ removeData: true });
    await smtp.close();
  });

  it('enforces one authorization matrix: route x (anonymous, user, auditor, admin without MFA, admin with MFA)', async () => {
    const target = await register(api.url);
    const event = (await get(`/v1/admin/users/${target.userId}/events`, adminSessions.withMfa)).body.items[0];
    const reads: [string, string][] = [
      ['GET', '/v1/admin/users?q=a'],
      ['GET', `/v1/admin/users/${target.userId}`],
      ['GET', `/v1/admin/users/${target.userId}/events`],
      ['GET', '/v1/admin/events?limit=5'],
      ['GET', `/v1/admin/events/${event.id}`],
      ['GET', '/v1/admin/stats'],
    ];
    const actions: [string, string, unknown][] = [
      ['POST', `/v1/admin/users/${target.userId}/mfa/reset`, { reason: 'matrix test' }],
      ['POST', `/v1/admin/users/${target.userId}/sessions/revoke`, {}],
      ['POST', `/v1/admin/users/${target.userId}/lock`, {}],
      ['POST', `/v1/admin/users/${target.userId}/unlock`, {}],
      ['PUT', `/v1/admin/users/${target.userId}/roles`, { roles: [] }],
    ];
    const callers: [string, string | undefined, number, number][] = [
      // name, token, expected for reads, expected for actions
      ['anonymous', undefined, 401, 401],
      ['user with MFA', plainUserToken, 403, 403],
      ['auditor with MFA', auditorSessions.withMfa, 200, 403],
      ['admin without MFA', adminSessions.passwordOnly, 403, 403],
      ['admin with MFA', adminSessions.withMfa, 200, 204],
    ];
    const table: string[] = [];
    for (const [name, token, readStatus, actionStatus] of callers) {
      for (const [method, path] of reads) {
        const response = method === 'GET' ? await get(path, token) : await send(method, path, token);
        table.push(`${name} ${method} ${path.split('?')[0]} -> ${response.status}`);
        expect([name, path, response.status]).toEqual([name, path, readStatus]);
      }
      for (const [method, path, body] of actions) {
        const response = await send(method, path, token, body);
        table.push(`${name} ${method} ${path} -> ${response.status}`);
        expect([name, path, response.status]).toEqual([name, path, actionStatus]);
        if (response.status === 403) expect(['forbidden', 'mfa_required']).toContain(response.body.code);
      }
    }
    const adminWithoutMfa = await get('/v1/admin/stats', adminSessions.passwordOnly);
    expect(adminWithoutMfa.body.code).toBe('mfa_required');
    expect((await get('/v1/admin/stats', plainUserToken)).body.code).toBe('forbidden');
    expect(table).toHaveLength(callers.length * (reads.length + actions.length));
  });

  it('resets MFA with a reason: methods and codes gone, sessions ended, user emailed, timeline shows the admin', async () => {
    const victim = await register(api.url);
    const sessions = await signInWithMfa(api.url, clock, victim);
    expect((await send('POST', `/v1/admin/users/${victim.userId}/mfa/reset`, adminSessions.withMfa, {})).status).toBe(
      400,
    );
    const reason = 'Lost phone; identity checked by video call, ticket #4711';
    expect(
      (await send('POST', `/v1/admin/users/${victim.userId}/mfa/reset`, adminSessions.withMfa, { reason })).status,
    ).toBe(204);

    expect((await get('/v1/me', sessions.withMfa)).status).toBe(401);
    const detail = await get(`/v1/admin/users/${victim.userId}`, auditorSessions.withMfa);
    expect(detail.body).toMatchObject({
      totp: { enabled: false },
      email: { enabled: false, address: victim.email },
      recoveryCodes: { remaining: 0 },
      sessions: [],
    });
    const timeline = await get(`/v1/admin/users/${victim.userId}/events`, auditorSessions.withMfa);
    const reset = timeline.body.items.find((e: { type: string }) => e.type === IdentityEvent.MfaResetByAdmin);
    expect(reset).toMatchObject({
      actor: { type: 'admin', id: admin.userId },
      summary: expect.stringContaining('ticket #4711'),
    });
    const mail = await smtp.waitFor((m) => m.to.includes(victim.email) && /administrator/i.test(m.subject + m.text));
    // The reason is for the audit log (above), not the user's inbox.
    expect(mail.text).toContain('An administrator removed all two-step verification methods');
    expect(mail.text + mail.html).not.toContain('ticket #4711');
    const again = await signIn(api.url, victim.email, victim.password);
    expect(again.body.status).toBe('authenticated'); // the password alone, until MFA is set up again
  });

  it("names the actor of each event by the person's current address, and says when that person was erased", async () => {
    const target = await register(api.url, uniqueEmail('acted.on'));
    const helper = await register(api.url, uniqueEmail('second.admin'));
    expect(
      (await send('PUT', `/v1/admin/users/${helper.userId}/roles`, adminSessions.withMfa, { roles: ['admin'] })).status,
    ).toBe(204);
    const helperSessions = await signInWithMfa(api.url, clock, helper);
    expect((await send('POST', `/v1/admin/users/${target.userId}/lock`, adminSessions.withMfa)).status).toBe(204);
    expect((await send('POST', `/v1/admin/users/${target.userId}/unlock`, helperSessions.withMfa)).status).toBe(204);

    type Item = { type: string; actor: { type: string; id: string | null; email?: string | null } };
    const actors = async (path: string) => (await get(path, auditorSessions.withMfa)).body.items as Item[];
    const timeline = await actors(`/v1/admin/users/${target.userId}/events`);
    const actorOf = (items: Item[], type: string) => items.find((e) => e.type === type)?.actor;
    expect(actorOf(timeline, IdentityEvent.AccountLockedByAdmin)).toEqual({
      type: 'admin',
      id: admin.userId,
      email: admin.email,
    });
    expect(actorOf(timeline, IdentityEvent.AccountUnlockedByAdmin)).toEqual({
      type: 'admin',
      id: helper.userId,
      email: helper.email,
    });
    // The person's own sign-up: a user actor, named by their address too.
    expect(actorOf(timeline, IdentityEvent.UserRegistered)).toMatchObject({ id: target.userId });
    const own = timeline.filter((e) => e.actor.type === 'user' && e.actor.id === target.userId);
    expect(own.length).toBeGreaterThan(0);
    for (const e of own) expect(e.actor.email).toBe(target.email);
    // The global log says the same.
    const log = await actors(`/v1/admin/events?userId=${target.userId}`);
    expect(actorOf(log, IdentityEvent.AccountLockedByAdmin)?.email).toBe(admin.email);

    // Once the second admin's data is erased, their actions name no address: null, not a stale one.
    expect(
      (
        await send('POST', `/v1/admin/users/${helper.userId}/erase`, adminSessions.withMfa, {
          reason: 'left the company',
        })
      ).status,
    ).toBe(204);
    const after = await actors(`/v1/admin/users/${target.userId}/events`);
    expect(actorOf(after, IdentityEvent.AccountUnlockedByAdmin)).toEqual({
      type: 'admin',
      id: helper.userId,
      email: null,
    });
    // Someone not signed in has no address to show: the request that started the sign-up.
    const requested = actorOf(await actors('/v1/admin/events?type=RegistrationRequested'), 'RegistrationRequested');
    expect(requested).toEqual({ type: 'anonymous', id: null });
    // Whom each event is about is named the same way: the account's current address, null once erased.
    type Subject = { userId: string | null; userEmail?: string | null };
    const about = async (userId: string) =>
      (await get(`/v1/admin/events?userId=${userId}`, auditorSessions.withMfa)).body.items as Subject[];
    const targetLog = await about(target.userId);
    expect(targetLog.length).toBeGreaterThan(0);
    for (const e of targetLog) expect(e.userEmail).toBe(target.email);
    const helperLog = await about(helper.userId);
    expect(helperLog.length).toBeGreaterThan(0);
    for (const e of helperLog) expect(e.userEmail).toBeNull();
    expect(JSON.stringify(helperLog)).not.toContain(helper.email);
  });

  it('locks an account (sessions end, sign-in refused like a wrong password) and unlocks it', async () => {
    const victim = await register(api.url);
    const token = await tokenFor(api.url, victim);
    expect((await send('POST', `/v1/admin/users/${victim.userId}/lock`, adminSessions.withMfa)).status).toBe(204);
    expect((await get('/v1/me', token)).status).toBe(401);
    const refused = await signIn(api.url, victim.email, victim.password);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_credentials');
    const list = await get(`/v1/admin/users?q=${encodeURIComponent(victim.email)}`, auditorSessions.withMfa);
    expect(list.body.items).toEqual([expect.objectContaining({ id: victim.userId, locked: true })]);
    expect((await send('POST', `/v1/admin/users/${victim.userId}/unlock`, adminSessions.withMfa)).status).toBe(204);
    expect((await signIn(api.url, victim.email, victim.password)).status).toBe(201);
    expect((await send('POST', `/v1/admin/users/${admin.userId}/lock`, adminSessions.withMfa)).status).toBe(409);
    expect(
      (await send('PUT', `/v1/admin/users/${admin.userId}/roles`, adminSessions.withMfa, { roles: [] })).status,
    ).toBe(409);
    expect(
      (await send('PUT', `/v1/admin/users/${victim.userId}/roles`, adminSessions.withMfa, { roles: ['root'] })).status,
    ).toBe(400);
  });

  it('searches users by email prefix with cursor pages', async () => {
    const prefix = `pager${Date.now()}`;
    for (let i = 0; i < 7; i++) await register(api.url, `${prefix}.${i}@example.com`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { email: string }[]; nextCursor: string | null } } = await get(
        `/v1/admin/users?q=${prefix.toUpperCase()}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        auditorSessions.withMfa,
      );
      seen.push(...page.body.items.map((u) => u.email));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `${prefix}.${i}@example.com`));
  });

  it('pages the global log while events are appended: no duplicate, no gap', async () => {
    let writing = true;
    const writer = (async () => {
      while (writing) await register(api.url);
    })();
    const seen: { id: string; position: string }[] = [];
    let cursor: string | null = null;
    let first: number | undefined;
    do {
      const page: { body: { items: { id: string; position: string }[]; nextCursor: string | null } } = await get(
        `/v1/admin/events?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        auditorSessions.withMfa,
      );
      first ??= Number(page.body.items[0].position);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      await new Promise((resolve) => setImmediate(resolve));
    } while (cursor);
    writing = false;
    await writer;
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    // Positions are exact decimal strings (a JSON number would round KurrentDB's 40 digits).
    const positions = seen.map((e) => e.position);
    expect(positions).toEqual(Array.from({ length: first! }, (_, i) => String(first! - i))); // every one down to 1
    expect(seen.every((e) => e.id === e.position.padStart(20, '0'))).toBe(true);
  }, 60_000);

  it('filters the log by type, user and time, and exports the same as CSV', async () => {
    const account = await register(api.url);
    await signIn(api.url, account.email, 'not the password!!', '=Evil, "quoted" agent');
    const filters = `type=LoginFailed&userId=${account.userId}&from=2026-07-01&to=2026-07-01`;
    const json = await get(`/v1/admin/events?${filters}`, auditorSessions.withMfa);
    expect(json.body.items).toHaveLength(1);
    expect(json.body.items[0]).toMatchObject({
      type: 'LoginFailed',
      userId: account.userId,
      userAgent: '=Evil, "quoted" agent',
    });
    const csv = await fetch(`${api.url}/v1/admin/events?${filters}`, {
      headers: bearer(auditorSessions.withMfa, { accept: 'text/csv' }),
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with a byte-order mark, for spreadsheets
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('position,occurredAt,type,summary,actorType,actorId,userId,stream,ip,userAgent,eventId');
    expect(lines[1]).toContain(`"'=Evil, ""quoted"" agent"`); // quoted, and defused as a formula
    const bad = await get('/v1/admin/events?type=Nope&from=yesterday', auditorSessions.withMfa);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'type']);
  });

  it('streams a CSV of 10,000 events page by page', async () => {
    const events = api.app.get(EventStore);
    const userId = '00000000-0000-4000-8000-000000000010';
    for (let batch = 0; batch < 20; batch++) {
      await events.append(
        `signin-bulk-${batch}`,
        Array.from({ length: 500 }, (_, i) => ({
          type: IdentityEvent.LoginFailed,
          data: { userId, reason: 'wrong_password' },
          metadata: {
            occurredAt: clock.now().toISOString(),
            actor: { type: 'anonymous', id: null },
            ip: '203.0.113.9',
            userAgent: `bulk ${batch}-${i}, "x"`,
          },
        })),
        { expectedRevision: 'no_stream' },
      );
    }
    const readStore = api.app.get(ReadStore);
    const deadline = Date.now() + 20_000;
    while (
      (await readStore.count(securityEventsProjection.collection, { userId: { eq: userId } })) < 10_000 &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pageSizes: number[] = [];
    const find = readStore.find.bind(readStore);
    readStore.find = async (collection, query) => {
      if (collection === securityEventsProjection.collection) pageSizes.push(query?.limit ?? -1);
      return find(collection, query);
    };
    try {
      const response = await fetch(`${api.url}/v1/admin/events?userId=${userId}`, {
        headers: bearer(auditorSessions.withMfa, { accept: 'text/csv' }),
      });
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const body = await response.text();
      const rows = body.trimEnd().split('\r\n');
      expect(rows).toHaveLength(10_001);
      expect(new Set(rows.slice(1).map((r) => r.split(',')[0])).size).toBe(10_000);
    } finally {
      readStore.find = find;
    }
    expect(Math.max(...pageSizes)).toBe(500); // read 500 at a time, never the whole log
    expect(pageSizes.length).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it('shows the raw event, secrets redacted, and daily stats', async () => {
    const entry = (await get(`/v1/admin/users/${admin.userId}/events`, auditorSessions.withMfa)).body.items.find(
      (e: { type: string }) => e.type === IdentityEvent.UserRegistered,
    );
    const raw = await get(`/v1/admin/events/${entry.id}`, auditorSessions.withMfa);
    expect(raw.body).toMatchObject({
      id: entry.id,
      eventId: entry.eventId,
      type: 'UserRegistered',
      data: { passwordHash: '[redacted]', email: ADMIN.email },
    });
    expect(entry.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const unknown of ['99999999999', 'not-a-position', entry.eventId]) {
      const missing = await get(`/v1/admin/events/${unknown}`, auditorSessions.withMfa);
      expect([missing.status, missing.body.code]).toEqual([404, 'not_found']);
    }
    expect(JSON.stringify(raw.body)).not.toContain('$argon2');
    const stats = await get('/v1/admin/stats?from=2026-06-30&to=2026-07-01', auditorSessions.withMfa);
    expect(stats.body.days.map((d: { date: string }) => d.date)).toEqual(['2026-06-30', '2026-07-01']);
    expect(stats.body.days[1].signIns).toBeGreaterThan(3);
    expect(stats.body.days[1].failures).toBeGreaterThan(0);
    expect(stats.body.mfaAdoption.withMfa).toBeGreaterThanOrEqual(3);
    expect(stats.body.mfaAdoption.users).toBeGreaterThan(stats.body.mfaAdoption.withMfa);
    void STRONG_PASSWORD;
  });
});
