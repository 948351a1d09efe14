import { EventStore } from '@app/event-store';
import { EmailIndex } from '@app/identity';
import { IdentityEvent, streams } from '@app/identity-events';
import { Account, bearer, register, signIn, tokenFor, USER_AGENTS } from './support/accounts';
import { startSmtpCapture, SmtpCapture } from './support/smtp-capture';
import { request, startTestApp, TestApp } from './support/test-app';

const NEW_PASSWORD = 'a brand new passphrase, 2026 edition';

describe('accounts: sign-in, sessions and password change over HTTP (embedded stores, real SMTP)', () => {
  let smtp: SmtpCapture;
  let api: TestApp;
  let events: EventStore;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    api = await startTestApp({ env: { SMTP_URL: smtp.url, SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
    events = api.app.get(EventStore);
  });
  afterAll(async () => {
    await api.close({ removeData: true });
    await smtp.close();
  });

  it('signs in with a new session token each time, and applications can check it', async () => {
    const account = await register(api.url);
    const first = await signIn(api.url, account.email, account.password);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      status: 'authenticated',
      token: expect.stringMatching(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/), // <session id>.<256 random bits>
      session: { id: expect.any(String), expiresAt: expect.stringMatching(/Z$/) },
    });
    expect(first.body.token.split('.')[0]).toBe(first.body.session.id);
    const second = await signIn(api.url, account.email.toUpperCase(), account.password);
    expect(second.body.token).not.toBe(first.body.token);

    const current = await request(`${api.url}/v1/sessions/current`, { headers: bearer(first.body.token) });
    expect(current.status).toBe(200);
    expect(current.body).toEqual({
      session: {
        id: first.body.session.id,
        createdAt: expect.any(String),
        expiresAt: first.body.session.expiresAt,
        amr: ['pwd'],
      },
      user: { id: account.userId, email: account.email, roles: [] },
    });
  });

  it('refuses requests without a valid token with a problem document', async () => {
    const account = await register(api.url);
    const [sessionId, secret] = (await tokenFor(api.url, account)).split('.');
    const other = (await tokenFor(api.url, account)).split('.');
    const forged = [
      `${sessionId}.${'A'.repeat(43)}`, // the right session, a guessed secret
      `${sessionId}.${other[1]}`, // the right session, another session's secret
      `${other[0].slice(0, 35)}${other[0].endsWith('0') ? '1' : '0'}.${secret}`, // no such session
      `${sessionId.toUpperCase()}.${secret}`,
      `${sessionId}.${secret}x`,
    ];
    for (const headers of [
      {},
      bearer('not-a-token'),
      bearer('A'.repeat(43)),
      { authorization: 'Basic Zm9vOmJhcg==' },
      ...forged.map((token) => bearer(token)),
    ]) {
      const response = await request(`${api.url}/v1/me`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.body.code).toBe('unauthorized');
    }
  });

  it('takes the token from the Authorization header only, never from the query string or the body', async () => {
    const token = await tokenFor(api.url, await register(api.url));
    const inQuery = await request(`${api.url}/v1/me?access_token=${encodeURIComponent(token)}`);
    expect([inQuery.status, inQuery.body.code]).toEqual([401, 'unauthorized']);
    const inBody = await request(`${api.url}/v1/sessions/current`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: token }),
    });
    expect(inBody.status).toBe(401);
    for (const authorization of [`bearer ${token}`, `BEARER  ${token}`]) {
      expect((await request(`${api.url}/v1/me`, { headers: { authorization } })).status).toBe(200);
    }
    expect((await request(`${api.url}/v1/me`, { headers: bearer(token) })).status).toBe(200); // still signed in
  });

  it('changes the password: other devices are signed out at once, this one stays, the user is emailed', async () => {
    const account = await register(api.url);
    const onChrome = await tokenFor(api.url, account, USER_AGENTS.chromeWindows);
    const onFirefox = await tokenFor(api.url, account, USER_AGENTS.firefoxLinux);
    const before = await request(`${api.url}/v1/me/security`, { headers: bearer(onChrome) });

    const change = await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: { currentPassword: account.password, newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD },
      headers: bearer(onChrome, { 'user-agent': USER_AGENTS.chromeWindows, 'x-request-id': 'change-password-0001' }),
    });
    expect(change.status).toBe(204);
    expect((await request(`${api.url}/v1/me`, { headers: bearer(onFirefox) })).status).toBe(401);
    expect((await request(`${api.url}/v1/me`, { headers: bearer(onChrome) })).status).toBe(200);

    const after = await request(`${api.url}/v1/me/security`, { headers: bearer(onChrome) });
    expect(Date.parse(after.body.password.changedAt)).toBeGreaterThan(Date.parse(before.body.password.changedAt));
    expect(after.body).toMatchObject({
      totp: { enabled: false },
      email: { enabled: false, address: account.email },
      recoveryCodes: { remaining: 0 },
    });

    const mail = await smtp.waitFor((m) => m.to.includes(account.email) && /password was changed/i.test(m.subject));
    expect(mail.text).toContain('Chrome 131');
    expect(mail.text).toContain('Windows');
    expect(mail.text).toContain('127.0.0.1');
    for (const secret of [account.password, NEW_PASSWORD, onChrome, onFirefox, '$argon2']) {
      expect(mail.raw).not.toContain(secret);
    }

    expect((await signIn(api.url, account.email, account.password)).status).toBe(401);
    expect((await signIn(api.url, account.email, NEW_PASSWORD)).status).toBe(201);

    // The audit trail: PasswordChanged and SessionRevoked with who, from where, and the correlation id.
    const [changed] = (await events.readStream(streams.user(account.userId))).filter(
      (e) => e.type === IdentityEvent.PasswordChanged,
    );
    expect(changed.metadata).toMatchObject({
      actor: { type: 'user', id: account.userId },
      ip: expect.stringContaining('127.0.0.1'),
      userAgent: USER_AGENTS.chromeWindows,
      correlationId: 'change-password-0001',
    });
    const sessions = (await request(`${api.url}/v1/me/events`, { headers: bearer(onChrome) })).body.items;
    const revocation = sessions.find((e: { type: string }) => e.type === IdentityEvent.SessionRevoked);
    expect(revocation.summary).toBe('Signed out because the password was changed');
    const revokedStream = (await events.readAll({ maxCount: 100_000 })).find(
      (e) => e.type === IdentityEvent.SessionRevoked && e.metadata.correlationId === 'change-password-0001',
    );
    expect(revokedStream?.data).toMatchObject({ userId: account.userId, reason: 'password_changed' });
    expect(revokedStream?.metadata).toMatchObject({
      actor: { type: 'user', id: account.userId },
      userAgent: USER_AGENTS.chromeWindows,
    });
  });

  it('refuses a password change without the right current password or with mismatched repeat', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const wrongCurrent = await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: { currentPassword: 'not the current one!', newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD },
      headers: bearer(token),
    });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.code).toBe('current_password_invalid');
    const mismatch = await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: { currentPassword: account.password, newPassword: NEW_PASSWORD, newPasswordRepeat: `${NEW_PASSWORD}!` },
      headers: bearer(token),
    });
    expect(mismatch.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'newPasswordRepeat' }] });
  });

  describe('password policy on change', () => {
    let account: Account;
    let token: string;
    beforeAll(async () => {
      account = await register(api.url, `policy.${Date.now()}@example.com`);
      token = await tokenFor(api.url, account);
    });
    const change = (newPassword: string) =>
      request(`${api.url}/v1/me/password`, {
        method: 'PUT',
        json: { currentPassword: account.password, newPassword, newPasswordRepeat: newPassword },
        headers: bearer(token),
      });

    it.each([
      ['password1234', 'common'],
      ['aaaaaaaaaaaa', 'too_weak'],
      ['abcdefghijk', 'too_short'],
      ['the current password', 'same_as_current'],
      ['the email address', 'contains_email'],
    ])('refuses %s with password_policy and the reason', async (label, reason) => {
      const candidate =
        label === 'the current password' ? account.password : label === 'the email address' ? account.email : label;
      const response = await change(candidate);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('password_policy');
      expect(response.body.reasons.map((r: { code: string }) => r.code)).toContain(reason);
    });

    it('accepts a 64-character passphrase and Grüße-漢字-パスワード-2026 unchanged, and signs in with them', async () => {
      const passphrase = 'walking to the lighthouse at dawn, we counted forty-two gulls!!!';
      expect([...passphrase]).toHaveLength(64);
      expect((await change(passphrase)).status).toBe(204);
      account.password = passphrase;
      expect((await signIn(api.url, account.email, passphrase)).status).toBe(201);

      const unicode = 'Grüße-漢字-パスワード-2026';
      expect((await change(unicode)).status).toBe(204);
      account.password = unicode;
      expect((await signIn(api.url, account.email, unicode)).status).toBe(201);
    });
  });

  it('lists sessions with browser and OS, and revoking another one ends it on the very next request', async () => {
    const account = await register(api.url);
    const chrome = await tokenFor(api.url, account, USER_AGENTS.chromeWindows);
    const firefox = await tokenFor(api.url, account, USER_AGENTS.firefoxLinux);
    const safari = await tokenFor(api.url, account, USER_AGENTS.safariMac);

    const list = await request(`${api.url}/v1/me/sessions`, { headers: bearer(chrome) });
    expect(list.status).toBe(200);
    const byBrowser = Object.fromEntries(list.body.items.map((s: { browser: string }) => [s.browser, s]));
    expect(Object.keys(byBrowser).sort()).toEqual(['Chrome 131', 'Firefox 133', 'Safari 18.1']);
    expect(byBrowser['Chrome 131']).toMatchObject({
      os: 'Windows 10/11',
      current: true,
      location: 'Local network',
      ip: expect.stringContaining('127.0.0.1'),
    });
    expect(byBrowser['Firefox 133']).toMatchObject({ os: 'Linux', current: false });
    expect(byBrowser['Safari 18.1']).toMatchObject({ os: 'macOS 10.15.7', current: false });
    for (const item of list.body.items) {
      expect(Object.keys(item).sort()).toEqual([
        'browser',
        'createdAt',
        'current',
        'id',
        'ip',
        'lastActiveAt',
        'location',
        'os',
      ]);
    }

    const firefoxId = byBrowser['Firefox 133'].id;
    expect(
      (await request(`${api.url}/v1/me/sessions/${firefoxId}`, { method: 'DELETE', headers: bearer(chrome) })).status,
    ).toBe(204);
    expect((await request(`${api.url}/v1/sessions/current`, { headers: bearer(firefox) })).status).toBe(401);
    expect((await request(`${api.url}/v1/sessions/current`, { headers: bearer(safari) })).status).toBe(200);

    const own = await request(`${api.url}/v1/me/sessions/${byBrowser['Chrome 131'].id}`, {
      method: 'DELETE',
      headers: bearer(chrome),
    });
    expect(own.status).toBe(409);
    expect(own.body.code).toBe('current_session');

    const stranger = await register(api.url);
    const strangerToken = await tokenFor(api.url, stranger);
    const foreign = await request(`${api.url}/v1/me/sessions/${byBrowser['Safari 18.1'].id}`, {
      method: 'DELETE',
      headers: bearer(strangerToken),
    });
    expect(foreign.status).toBe(404);
    expect(
      (await request(`${api.url}/v1/me/sessions/not-a-uuid`, { method: 'DELETE', headers: bearer(chrome) })).status,
    ).toBe(400);
  });

  it('logs out: the token stops working, and the timeline says so', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const other = await tokenFor(api.url, account);
    expect((await request(`${api.url}/v1/sessions/current`, { method: 'DELETE', headers: bearer(token) })).status).toBe(
      204,
    );
    expect((await request(`${api.url}/v1/sessions/current`, { headers: bearer(token) })).status).toBe(401);
    const timeline = await request(`${api.url}/v1/me/events`, { headers: bearer(other) });
    expect(timeline.body.items.map((e: { summary: string }) => e.summary)).toContain('Signed out');
  });

  it('pages the security timeline newest first without gap or duplicate', async () => {
    const account = await register(api.url);
    let token = '';
    for (let i = 0; i < 12; i++) token = await tokenFor(api.url, account); // 2 events per sign-in
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string; occurredAt: string }[]; nextCursor: string | null } } = await request(
        `${api.url}/v1/me/events${cursor ? `?cursor=${cursor}` : ''}`,
        { headers: bearer(token) },
      );
      seen.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await events.readAll({ maxCount: 100_000 })).filter(
      (e) => (e.data as { userId?: string }).userId === account.userId && e.type !== IdentityEvent.EmailClaimed,
    );
    expect(seen).toEqual(all.map((e) => e.position).reverse()); // an entry's id is its position in the log
    const bad = await request(`${api.url}/v1/me/events?cursor=DROP%20TABLE`, { headers: bearer(token) });
    expect(bad.status).toBe(400);
  });

  it('answers GET /v1/me', async () => {
    const account = await register(api.url);
    const me = await request(`${api.url}/v1/me`, { headers: bearer(await tokenFor(api.url, account)) });
    expect(me.body).toEqual({
      id: account.userId,
      email: account.email,
      roles: [],
      createdAt: expect.stringMatching(/Z$/),
    });
  });

  it('records sign-in attempts in the stream of the address, known or not', async () => {
    const account = await register(api.url);
    await signIn(api.url, account.email, 'wrong password, sorry');
    await signIn(api.url, 'nobody.here@example.com', 'wrong password, sorry');
    const known = await events.readStream(api.app.get(EmailIndex).attemptsOf(account.email));
    expect(known.map((e) => [e.type, e.data.reason])).toEqual([[IdentityEvent.LoginFailed, 'wrong_password']]);
    const unknown = await events.readStream(api.app.get(EmailIndex).attemptsOf('nobody.here@example.com'));
    expect(unknown.map((e) => [e.type, e.data.reason, e.data.userId])).toEqual([
      [IdentityEvent.LoginFailed, 'unknown_account', null],
    ]);
  });
});
