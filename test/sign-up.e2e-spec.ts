import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '@app/event-store';
import { ReadStore, UserDocument } from '@app/read-models';
import { EmailIndex } from '@app/identity';
import { IdentityEvent, streams } from '@app/identity-events';
import { codeIn, register, SIGN_UP_CODE_SUBJECT } from './support/accounts';
import { waitForMail } from './support/mailboxes';
import { request, startTestApp, STRONG_PASSWORD, TestApp, uniqueEmail } from './support/test-app';

describe('sign-up that proves the address, on the embedded default', () => {
  let api: TestApp;
  let events: EventStore;
  let readStore: ReadStore;
  const signUp = (json: unknown, headers: Record<string, string> = {}) =>
    request(`${api.url}/v1/users`, { method: 'POST', json, headers });

  beforeAll(async () => {
    api = await startTestApp();
    events = api.app.get(EventStore);
    readStore = api.app.get(ReadStore);
  });
  afterAll(() => api.close({ removeData: true }));

  /** The code of the latest sign-up mail to `email`, after `seen` of them. */
  const mailedCode = async (email: string, seen = 0) =>
    codeIn((await waitForMail(api.url, email, (m) => m.subject === SIGN_UP_CODE_SUBJECT, seen)).text);
  const confirm = (registrationId: string, code: string) =>
    request(`${api.url}/v1/users/registrations/${registrationId}`, { method: 'POST', json: { code } });

  it('creates the account only once the mailed code is confirmed: UserRegistered in user-{id}, read model at once', async () => {
    const email = uniqueEmail('Ada');
    const response = await signUp({ email, password: STRONG_PASSWORD }, { 'user-agent': 'e2e-test/1.0' });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      registrationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      expiresAt: expect.stringMatching(/Z$/),
      resendAvailableAt: expect.stringMatching(/Z$/),
    });
    const { registrationId } = response.body;
    expect(Date.parse(response.body.expiresAt) - Date.parse(response.body.resendAvailableAt)).toBe(9 * 60_000);
    // Not yet: no account, no claim on the address, no sign-in.
    expect(await events.readStream(api.app.get(EmailIndex).guardOf(email))).toEqual([]);
    expect(
      (await request(`${api.url}/v1/sessions`, { method: 'POST', json: { email, password: STRONG_PASSWORD } })).status,
    ).toBe(401);

    const confirmed = await confirm(registrationId, await mailedCode(email));
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toEqual({ userId: registrationId });
    const { userId } = confirmed.body;

    // Read-your-writes: no waiting here.
    const document = await readStore.get<UserDocument>('users', userId);
    expect(document).toMatchObject({
      id: userId,
      email,
      emailNormalized: email.toLowerCase(),
      emailVerifiedBy: 'code',
      roles: [],
      locked: false,
    });
    expect(JSON.stringify(document)).not.toContain('argon2');

    const [registered] = await events.readStream(streams.user(userId));
    expect(registered.type).toBe(IdentityEvent.UserRegistered);
    expect(registered.data).toMatchObject({ emailVerifiedBy: 'code' });
    expect(registered.data.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(registered.metadata).toMatchObject({
      actor: { type: 'user', id: userId },
      correlationId: confirmed.headers.get('x-request-id'),
      ip: expect.stringMatching(/127\.0\.0\.1/),
      schemaVersion: 1,
      occurredAt: expect.stringMatching(/Z$/),
    });
    const [requested] = await events.readStream(streams.registration(registrationId));
    expect(requested.metadata).toMatchObject({
      actor: { type: 'anonymous', id: null },
      userAgent: 'e2e-test/1.0',
      correlationId: response.headers.get('x-request-id'),
    });
    const guard = await events.readStream(api.app.get(EmailIndex).guardOf(email));
    expect(guard.map((e) => [e.type, e.data.userId])).toEqual([[IdentityEvent.EmailClaimed, userId]]);
    expect(
      (await request(`${api.url}/v1/sessions`, { method: 'POST', json: { email, password: STRONG_PASSWORD } })).status,
    ).toBe(201);
  });

  it('answers a taken address (in any letter case) as any other, creates nothing, and never confirms it', async () => {
    const owner = await register(api.url, uniqueEmail('grace'));
    const again = await signUp({ email: `  ${owner.email.toUpperCase()} `, password: 'someone else entirely 42' });
    expect(again.status).toBe(202);
    expect(Object.keys(again.body).sort()).toEqual(['expiresAt', 'registrationId', 'resendAvailableAt']);
    for (const code of ['000000', '123456']) expect((await confirm(again.body.registrationId, code)).status).toBe(401);
    expect(await readStore.count('users', { emailNormalized: { eq: owner.email.toLowerCase() } })).toBe(1);
    const guard = await events.readStream(api.app.get(EmailIndex).guardOf(owner.email));
    expect(guard.map((e) => e.data.userId)).toEqual([owner.userId]);
  });

  it('keeps the email unique when sign-ups of one address in different letter cases are confirmed at once', async () => {
    const email = uniqueEmail('race');
    const variants = Array.from({ length: 6 }, (_, i) =>
      [...email].map((c, j) => ((i >> (j % 3)) & 1 ? c.toUpperCase() : c)).join(''),
    );
    const pending: { registrationId: string; code: string }[] = [];
    for (const [i, variant] of variants.entries()) {
      const started = await signUp({ email: variant, password: STRONG_PASSWORD });
      expect(started.status).toBe(202);
      pending.push({ registrationId: started.body.registrationId, code: await mailedCode(email, i) });
    }
    const answers = await Promise.all(pending.map(({ registrationId, code }) => confirm(registrationId, code)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual(Array(5).fill('email_taken'));
    expect(await readStore.count('users', { emailNormalized: { eq: email.toLowerCase() } })).toBe(1);
  });

  describe('bad input gets a 4xx problem document with a stable code and changes nothing', () => {
    const cases: [string, () => Promise<{ status: number; headers: Headers; body: any }>, number, string][] = [
      ['missing email', () => signUp({ password: STRONG_PASSWORD }), 400, 'validation_failed'],
      ['missing password', () => signUp({ email: uniqueEmail() }), 400, 'validation_failed'],
      [
        'an extra field',
        () => signUp({ email: uniqueEmail(), password: STRONG_PASSWORD, roles: ['admin'] }),
        400,
        'validation_failed',
      ],
      ['a number as email', () => signUp({ email: 42, password: STRONG_PASSWORD }), 400, 'validation_failed'],
      [
        'an array as password',
        () => signUp({ email: uniqueEmail(), password: [STRONG_PASSWORD] }),
        400,
        'validation_failed',
      ],
      [
        'an object as password',
        () => signUp({ email: uniqueEmail(), password: { $gt: '' } }),
        400,
        'validation_failed',
      ],
      [
        'an invalid email',
        () => signUp({ email: 'not-an-email', password: STRONG_PASSWORD }),
        400,
        'validation_failed',
      ],
      [
        'an email with a display name',
        () => signUp({ email: 'Ada <ada@example.com>', password: STRONG_PASSWORD }),
        400,
        'validation_failed',
      ],
      [
        'an overlong email',
        () => signUp({ email: `${'a'.repeat(250)}@example.com`, password: STRONG_PASSWORD }),
        400,
        'validation_failed',
      ],
      [
        'a JSON array body',
        () => signUp([{ email: uniqueEmail(), password: STRONG_PASSWORD }]),
        400,
        'validation_failed',
      ],
      ['an empty body', () => request(`${api.url}/v1/users`, { method: 'POST' }), 400, 'validation_failed'],
      [
        'a JSON null body',
        () =>
          request(`${api.url}/v1/users`, {
            method: 'POST',
            body: 'null',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'malformed_json',
      ],
      [
        'malformed JSON',
        () =>
          request(`${api.url}/v1/users`, {
            method: 'POST',
            body: '{"email": "a@b.c",',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'malformed_json',
      ],
      [
        'a form-encoded body',
        () =>
          request(`${api.url}/v1/users`, {
            method: 'POST',
            body: 'email=a%40b.c',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        415,
        'unsupported_media_type',
      ],
      [
        'a 1 MB body',
        () => signUp({ email: uniqueEmail(), password: 'x'.repeat(1024 * 1024) }),
        413,
        'payload_too_large',
      ],
      [
        'an 11-character password',
        () => signUp({ email: uniqueEmail(), password: 'abcdefghijk' }),
        400,
        'password_policy',
      ],
      [
        'a 129-character password',
        () => signUp({ email: uniqueEmail(), password: 'p'.repeat(129) }),
        400,
        'password_policy',
      ],
      [
        'the email as password',
        () => signUp({ email: 'samesame@example.com', password: 'samesame@example.com' }),
        400,
        'password_policy',
      ],
    ];

    it.each(cases)('%s', async (_name, send, status, code) => {
      const headBefore = await events.headPosition();
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status,
        code,
        type: `/problems/${code}`,
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
      expect(await events.headPosition()).toBe(headBefore);
    });

    it('names the offending fields, and the policy reasons', async () => {
      const fields = await signUp({ email: 'nope', password: 7, isAdmin: true });
      expect(fields.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'email',
        'isAdmin',
        'password',
        'password',
      ]);
      const policy = await signUp({ email: uniqueEmail(), password: 'short' });
      expect(policy.body.reasons).toEqual([{ code: 'too_short', message: expect.stringContaining('12') }]);
    });
  });

  it('accepts any Unicode password of 12 to 128 characters unchanged', async () => {
    const longest = [...'🔐🦊🌵🎻🚲🧩🍋🛶🪐🧲🎈🦉 a walk by the river in spring, with 7 ducks and one heron! ']
      .join('')
      .padEnd(200, 'x');
    const exactly128 = [...longest].slice(0, 128).join('');
    expect([...exactly128]).toHaveLength(128);
    for (const password of [
      'Grüße-漢字-パスワード-2026',
      'a 64 character passphrase is fine: '.padEnd(64, '~'),
      exactly128,
    ]) {
      const account = await register(api.url, uniqueEmail(), password);
      expect(
        (await request(`${api.url}/v1/sessions`, { method: 'POST', json: { email: account.email, password } })).status,
      ).toBe(201);
    }
  });

  it('keeps a safe X-Request-Id and replaces an unsafe one', async () => {
    const kept = await signUp({}, { 'x-request-id': 'client-req-0001' });
    expect(kept.headers.get('x-request-id')).toBe('client-req-0001');
    const replaced = await signUp({}, { 'x-request-id': '<script>alert(1)</script>' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes and methods with a problem document', async () => {
    const missing = await request(`${api.url}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found' });
    const wrongMethod = await request(`${api.url}/v1/users`, { method: 'GET' });
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('never stores a password in plaintext', async () => {
    const password = `plaintext-canary-${Date.now()}`;
    await register(api.url, uniqueEmail(), password);
    for (const file of ['accounts.sqlite', 'accounts.sqlite-wal']) {
      let bytes: string;
      try {
        bytes = readFileSync(join(api.dataDir, file)).toString('latin1');
      } catch {
        continue;
      }
      expect(bytes.includes(password)).toBe(false);
    }
  });
});
