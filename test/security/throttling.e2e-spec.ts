import { STRONG_PASSWORD, request, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

/**
 * Issue 12, item 8 and "throttling shared by all API processes": sign-up had no throttle at all,
 * and the sign-in throttle lived in each process's memory (N replicas, N budgets).
 */
describe('attack: sign-ups and sign-ins in bulk, through several API processes', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    const [first, ...others] = apps.splice(0);
    for (const app of others) await app.close();
    await first?.close({ removeData: true });
  });

  const signUp = (api: TestApp, from?: string) =>
    request(`${api.url}/v1/users`, {
      method: 'POST',
      json: { email: uniqueEmail('bulk'), password: STRONG_PASSWORD },
      headers: from ? { 'x-forwarded-for': from } : {},
    });

  it('8g. throttles sign-ups per client address, with 429 and Retry-After', async () => {
    const api = await startTestApp({ env: { SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR: '3' } });
    apps.push(api);
    for (let i = 0; i < 3; i++) expect((await signUp(api)).status).toBe(202);
    const refused = await signUp(api);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000); // the hour's window
  });

  it('8h. counts an IPv6 client per /64: rotating addresses inside it gains nothing', async () => {
    const api = await startTestApp({ env: { SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR: '3', TRUST_PROXY: 'loopback' } });
    apps.push(api);
    const statuses = [];
    for (let i = 1; i <= 5; i++) statuses.push((await signUp(api, `2001:db8:77:1::${i.toString(16)}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect((await signUp(api, '2001:db8:77:2::1')).status).toBe(202); // another subscriber's /64
  });

  it('8i. shares the sign-in and sign-up budgets between two API processes on one store', async () => {
    const first = await startTestApp({
      env: { SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR: '4', SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '4' },
    });
    apps.push(first);
    const second = await startTestApp({
      dataDir: first.dataDir,
      env: {
        SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR: '4',
        SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '4',
        PROJECTOR_IN_PROCESS: 'false',
        READ_YOUR_WRITES_TIMEOUT_MS: '0',
      },
    });
    apps.push(second);

    expect((await signUp(first)).status).toBe(202);
    expect((await signUp(second)).status).toBe(202);
    expect((await signUp(first)).status).toBe(202);
    expect((await signUp(second)).status).toBe(202);
    expect((await signUp(first)).status).toBe(429);
    expect((await signUp(second)).status).toBe(429);

    const signIn = (api: TestApp) =>
      request(`${api.url}/v1/sessions`, {
        method: 'POST',
        json: { email: uniqueEmail('nobody'), password: 'wrong password here' },
      });
    const statuses = [];
    for (const api of [first, second, first, second, first, second]) statuses.push((await signIn(api)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
