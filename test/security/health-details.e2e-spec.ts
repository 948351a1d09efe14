import { hostname } from 'node:os';
import { loadConfig } from '@app/platform';
import { bearer, tokenFor } from '../support/accounts';
import { PRODUCTION_ENV, startTestApp, TestApp } from '../support/test-app';

const PRODUCTION = PRODUCTION_ENV;
const TOKEN = 'an-operators-token-of-at-least-32-characters';
const SUMMARY = {
  status: 'ok',
  checks: { eventStore: { status: 'ok' }, readStore: { status: 'ok' }, projector: { status: 'ok' } },
};

/**
 * Attack: reading the service's insides from its public health probe. /health/ready must answer
 * every load balancer, so it is public; what it says beyond "ready" (the host name and process id
 * holding the background-work lease, log positions, a stalled projector's error text) is for those
 * who may read /metrics.
 */
describe('attack: reconnaissance through /health/ready', () => {
  let api: TestApp | undefined;
  afterEach(async () => {
    await api?.close({ removeData: true });
    api = undefined;
  });

  const ready = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${api!.url}/health/ready`, { headers });
    return { status: response.status, text: await response.text() };
  };

  it('in production tells a stranger only that each part is up: no host, process, position or lease', async () => {
    api = await startTestApp({ env: PRODUCTION });
    const askers: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}` },
      { authorization: 'Bearer guess' },
    ];
    for (const headers of askers) {
      const answer = await ready(headers);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual(SUMMARY);
      expect(answer.text).not.toContain(hostname());
      expect(answer.text).not.toContain(String(process.pid));
    }
  }, 60_000);

  it('with METRICS_TOKEN shows the details to its bearer only, and a wrong token still gets the status', async () => {
    api = await startTestApp({ env: { ...PRODUCTION, METRICS_TOKEN: TOKEN } });
    const operator = await ready({ authorization: `Bearer ${TOKEN}` });
    expect(operator.status).toBe(200);
    expect(JSON.parse(operator.text).checks.projector).toMatchObject({
      status: 'ok',
      role: 'active',
      lease: { holder: expect.stringContaining(hostname()) },
      head: expect.any(String),
      eventsProjected: expect.any(Number),
    });
    const strangers: Record<string, string>[] = [
      {},
      { authorization: 'Bearer guess' },
      { authorization: `bearer ${TOKEN}x` },
    ];
    for (const headers of strangers) {
      const stranger = await ready(headers);
      expect([stranger.status, JSON.parse(stranger.text)]).toEqual([200, SUMMARY]);
    }
  }, 60_000);

  it("a stolen session token, even an administrator's, opens neither the details nor /metrics", async () => {
    const admin = { email: 'health.admin@example.com', password: 'the health check administrator phrase' };
    const withAdmin = { BOOTSTRAP_ADMIN_EMAIL: admin.email, BOOTSTRAP_ADMIN_PASSWORD: admin.password };
    const setups: Record<string, string>[] = [
      { ...PRODUCTION, ...withAdmin },
      { ...PRODUCTION, ...withAdmin, METRICS_TOKEN: TOKEN },
    ];
    for (const env of setups) {
      api = await startTestApp({ env });
      const session = bearer(await tokenFor(api.url, { ...admin, userId: '' }));
      const answer = await ready(session);
      expect([answer.status, JSON.parse(answer.text)]).toEqual([200, SUMMARY]);
      // Without a token /metrics is closed (404); with one it wants that token, not a session's (401).
      expect((await fetch(`${api.url}/metrics`, { headers: session })).status).toBe(env.METRICS_TOKEN ? 401 : 404);
      await api.close({ removeData: true });
      api = undefined;
    }
  }, 60_000);

  it('cannot be opened by guessing: a METRICS_TOKEN shorter than 32 characters stops the start', () => {
    expect(() => loadConfig({ ...PRODUCTION, METRICS_TOKEN: 'short-guessable-token' })).toThrow(/at least 32/);
  });
});
