import { register, tokenFor, bearer } from '../support/accounts';
import { request, startTestApp, TestApp } from '../support/test-app';

/** Issue 12, attack 6 (and the input rules around it): bodies that used to crash a route. */
describe('attack: hostile request bodies', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ env: { SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } })));
  afterAll(() => api.close({ removeData: true }));

  /** JSON text of arrays nested `depth` deep (built as text: stringifying it would overflow here too). */
  const nested = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;

  it('6. answers JSON nested 2,000 deep with 400 validation_failed, on public and signed-in routes', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    const attempts = [
      { method: 'POST', path: '/v1/sessions', body: `{"email":${nested(2000)},"password":"x"}`, headers: {} },
      { method: 'POST', path: '/v1/users', body: nested(2000), headers: {} },
      {
        method: 'PUT',
        path: '/v1/me/password',
        body: `{"currentPassword":${nested(2000)},"newPassword":"y","newPasswordRepeat":"y"}`,
        headers: bearer(token),
      },
      { method: 'POST', path: '/v1/me/reauth', body: `{"password":${nested(5000)}}`, headers: bearer(token) },
    ];
    for (const attempt of attempts) {
      const body = attempt.body;
      expect(body.length).toBeLessThan(16_384); // under the body limit: the depth is what is refused
      const response = await request(`${api.url}${attempt.path}`, {
        method: attempt.method,
        body,
        headers: { ...attempt.headers, 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('validation_failed');
    }
    // The service is still up and the account unchanged.
    expect((await request(`${api.url}/v1/me`, { headers: bearer(token) })).status).toBe(200);
  });

  it('still takes the shallow bodies every route needs', async () => {
    const account = await register(api.url);
    const response = await request(`${api.url}/v1/sessions`, {
      method: 'POST',
      json: { email: account.email, password: account.password },
    });
    expect(response.status).toBe(201);
    const post = (body: string) =>
      request(`${api.url}/v1/sessions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const tooDeep = await post(`{"email":${nested(32)},"password":"x"}`);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.detail).toContain('levels');
    const deepEnough = await post(`{"email":${nested(30)},"password":"x"}`);
    expect(deepEnough.status).toBe(400); // refused by the field's own validation, not by depth
    expect(deepEnough.body.detail).not.toContain('levels');
  });
});
