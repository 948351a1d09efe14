import { bearer, register, signIn } from './support/accounts';
import { PRODUCTION_ENV, request, startTestApp, TestApp } from './support/test-app';

/** Prometheus text: `name{labels} value` lines, comments skipped. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[4]) };
    });
}

const valueOf = (all: ReturnType<typeof samples>, name: string, labels: Record<string, string> = {}) =>
  all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('GET /metrics', () => {
  let api: TestApp | undefined;
  afterEach(async () => {
    await api?.close({ removeData: true });
    api = undefined;
  });

  it('shows each metric after sign-ins, in Prometheus format, on the embedded default', async () => {
    api = await startTestApp();
    const account = await register(api.url);
    expect((await signIn(api.url, account.email, 'not the password at all')).status).toBe(401);
    const signedIn = await signIn(api.url, account.email, account.password);
    expect(signedIn.status).toBe(201);
    expect((await request(`${api.url}/v1/me`, { headers: bearer(signedIn.body.token) })).status).toBe(200);

    const answer = await fetch(`${api.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    const all = samples(await answer.text());
    const route = { method: 'POST', route: '/v1/sessions' };
    expect(valueOf(all, 'http_requests_total', { ...route, status: '201' })).toBe(1);
    expect(valueOf(all, 'http_requests_total', { ...route, status: '401' })).toBe(1);
    expect(valueOf(all, 'http_requests_total', { method: 'GET', route: '/v1/me', status: '200' })).toBe(1);
    expect(valueOf(all, 'http_request_duration_seconds_count', { ...route, status: '201' })).toBe(1);
    expect(valueOf(all, 'signin_outcomes_total', { outcome: 'signed_in' })).toBe(1);
    expect(valueOf(all, 'signin_outcomes_total', { outcome: 'wrong_password' })).toBe(1);
    expect(valueOf(all, 'events_appended_total', { type: 'UserRegistered' })).toBe(1);
    expect(valueOf(all, 'event_store_append_duration_seconds_count')).toBeGreaterThan(3);
    expect(valueOf(all, 'mails_total', { result: 'sent' })).toBeGreaterThanOrEqual(1); // the sign-up code
    expect(valueOf(all, 'password_hash_queue_depth')).toBe(0);
    expect(valueOf(all, 'password_hash_refusals_total')).toBe(0);
    expect(valueOf(all, 'projector_lag_events')).toBeGreaterThanOrEqual(0);
    expect(valueOf(all, 'projector_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(all, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    // No series per user: routes are patterns, and no label holds an address or an id.
    expect(all.some((s) => Object.values(s.labels).some((v) => v.includes('@') || v.includes(account.userId)))).toBe(
      false,
    );
  });

  it('is not public in production: 404 without a token; with METRICS_TOKEN it wants that bearer token', async () => {
    const keys = PRODUCTION_ENV;
    api = await startTestApp({ env: keys });
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
    await api.close({ removeData: true });

    const token = 'a-metrics-token-of-at-least-32-characters';
    api = await startTestApp({ env: { ...keys, METRICS_TOKEN: token } });
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const scraped = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_requests_total');
  });
});
