import * as http from 'node:http';
import { EventStore } from '@app/event-store';
import { EmailIndex } from '@app/identity';
import { IdentityEvent } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { ConcurrencyLimiter } from '@app/security';
import { bearer, register, signIn, tokenFor } from './support/accounts';
import { JsonResponse, request, startTestApp, STRONG_PASSWORD, TestApp, uniqueEmail } from './support/test-app';

/**
 * Overload of password hashing. The server runs one hash at a time with no queue
 * (HASH_CONCURRENCY=1, HASH_QUEUE_LIMIT=0), and the test holds that one slot with a task of its own
 * in the app's hashing limiter: the server is saturated for exactly as long as the test says,
 * with no timing involved.
 */
const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

function expectOverloaded(response: JsonResponse) {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: '/problems/overloaded',
    title: 'Service Unavailable',
    status: 503,
    code: 'overloaded',
    requestId: response.headers.get('x-request-id'),
  });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff'); // the security headers too
  expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
}

/** Waits (event-loop turns, not time) until the in-process server has got that far. */
async function until(condition: () => boolean) {
  for (let turn = 0; !condition(); turn++) {
    if (turn > 100_000) throw new Error('condition never met');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A POST whose body is sent in two parts: the headers and a first part now, the rest on `finish()`. */
function postInTwoParts(url: string, json: unknown) {
  const body = JSON.stringify(json);
  const target = new URL(url);
  let resolveResponse!: (response: JsonResponse) => void;
  const response = new Promise<JsonResponse>((resolve) => (resolveResponse = resolve));
  const req = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (typeof value === 'string') headers.set(name, value);
        resolveResponse({ status: res.statusCode!, headers, body: text ? JSON.parse(text) : undefined });
      });
    },
  );
  req.on('error', () => undefined); // aborted by the test
  req.write(body.slice(0, 5));
  return { response, finish: () => req.end(body.slice(5)), abort: () => req.destroy() };
}

describe('password hashing overload', () => {
  let clock: ManualClock;
  let api: TestApp;
  let events: EventStore;
  let limiter: ConcurrencyLimiter;

  // A fresh server per test: the second one needs a server that has never hashed for an unknown address.
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-04-01T08:00:00.000Z'));
    api = await startTestApp({
      clock,
      env: {
        HASH_CONCURRENCY: '1',
        HASH_QUEUE_LIMIT: '0',
        SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '3',
        LOCKOUT_THRESHOLD: '3',
      },
    });
    events = api.app.get(EventStore);
    limiter = api.app.get(ConcurrencyLimiter);
  });
  afterEach(() => api.close({ removeData: true }));

  /** Holds the only hashing slot until the returned function is called. */
  function saturate() {
    const gate = deferred();
    const held = limiter.run(() => gate.promise);
    expect(limiter.active).toBe(1);
    return async () => {
      gate.resolve();
      await held;
    };
  }

  it('refuses every route that would hash with a 503 before reading the request, records nothing, and serves again once drained', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account); // per-IP sign-in attempt 1 of 3: 2 are left this minute
    clock.advance(60_000);
    const attemptsStream = api.app.get(EmailIndex).attemptsOf(account.email);
    const attemptsBefore = (await events.readStream(attemptsStream)).length;
    const head = await events.headPosition();

    const drain = saturate();
    const refused = [
      // Sign-in, right and (more than the lockout threshold) wrong passwords, and an unknown address.
      await signIn(api.url, account.email, account.password),
      ...(await Promise.all([1, 2, 3, 4, 5].map((i) => signIn(api.url, account.email, `wrong password ${i}`)))),
      await signIn(api.url, uniqueEmail('nobody'), 'whatever password'),
      // Not even parsed: a malformed body gets the 503, not a 400.
      await request(`${api.url}/v1/sessions`, {
        method: 'POST',
        body: '{"email":',
        headers: { 'content-type': 'application/json' },
      }),
      await request(`${api.url}/v1/sessions/`, {
        method: 'POST',
        json: { email: account.email, password: account.password },
      }),
      // Sign-up, password change and step-up by password.
      await request(`${api.url}/v1/users`, {
        method: 'POST',
        json: { email: uniqueEmail('late'), password: STRONG_PASSWORD },
      }),
      await request(`${api.url}/v1/me/password`, {
        method: 'PUT',
        json: {
          currentPassword: account.password,
          newPassword: 'a brand new passphrase',
          newPasswordRepeat: 'a brand new passphrase',
        },
        headers: bearer(token),
      }),
      await request(`${api.url}/v1/me/reauth`, {
        method: 'POST',
        json: { password: account.password },
        headers: bearer(token),
      }),
    ];
    for (const response of refused) expectOverloaded(response);

    // Nothing was appended for any of them: no LoginFailed, no lockout, no claim, no user.
    expect(await events.headPosition()).toBe(head);
    expect(await events.readStream(attemptsStream)).toHaveLength(attemptsBefore);

    // Routes that do not hash are served as usual.
    expect((await request(`${api.url}/v1/me`, { headers: bearer(token) })).status).toBe(200);
    const byCode = await request(`${api.url}/v1/me/reauth`, {
      method: 'POST',
      json: { method: 'email', code: '000000' },
      headers: bearer(token),
    });
    expect(byCode.status).not.toBe(503);

    await drain();
    expect(limiter.wouldAdmit()).toBe(true);
    // Served again, and none of the refusals counted: neither towards the per-IP limit (3 a minute,
    // 2 of them left) nor towards the lockout (3 wrong passwords), so the right password signs in.
    expect((await signIn(api.url, account.email, account.password)).status).toBe(201);
    expect((await signIn(api.url, uniqueEmail('nobody'), 'whatever password')).status).toBe(401);
    const signUp = await request(`${api.url}/v1/users`, {
      method: 'POST',
      json: { email: uniqueEmail('later'), password: STRONG_PASSWORD },
    });
    expect(signUp.status).toBe(202);
  });

  it('answers the same way when the hasher refuses a request that had been admitted (the backstop), recording nothing', async () => {
    const account = await register(api.url);
    const head = await events.headPosition();

    /** The request passes the admission check with its headers; the slot is taken before its body ends. */
    const refusedByTheHasher = async (json: unknown) => {
      const pending = postInTwoParts(`${api.url}/v1/sessions`, json);
      let drain: (() => Promise<void>) | undefined;
      try {
        await until(() => limiter.reserved === 1);
        drain = saturate();
        pending.finish();
        return await pending.response;
      } finally {
        pending.abort();
        await drain?.();
      }
    };
    // First an unknown address (the very first: its dummy hash is made, and refused, now), then the account.
    expectOverloaded(await refusedByTheHasher({ email: uniqueEmail('nobody'), password: 'whatever password' }));
    expectOverloaded(await refusedByTheHasher({ email: account.email, password: account.password }));
    expect(await events.headPosition()).toBe(head);

    // The refusals gave their per-IP attempts back (3 are left), and an unknown address works
    // again: the hash compared against for unknown addresses, first made by a refused request, is
    // not kept as a failure.
    expect((await signIn(api.url, uniqueEmail('nobody'), 'whatever password')).status).toBe(401);
    expect((await signIn(api.url, account.email, 'a wrong password')).status).toBe(401);
    expect((await signIn(api.url, account.email, account.password)).status).toBe(201);
    expect((await signIn(api.url, account.email, account.password)).status).toBe(429);
    const attempts = await events.readStream(api.app.get(EmailIndex).attemptsOf(account.email));
    expect(attempts.map((e) => e.type)).toEqual([IdentityEvent.LoginFailed, IdentityEvent.LoginSucceeded]);
    expect(limiter.reserved).toBe(0);
  });
});
