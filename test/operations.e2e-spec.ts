import { request, startTestApp, TestApp } from './support/test-app';

describe('operations endpoints', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close({ removeData: true }));

  it('answers liveness and readiness with the state of the stores and the projector', async () => {
    expect(await request(`${api.url}/health/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await request(`${api.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      checks: {
        eventStore: { status: 'ok' },
        readStore: { status: 'ok' },
        projector: { status: 'ok', mode: 'in-process', lastError: null },
      },
    });
  });

  it('serves the OpenAPI document and the explorer', async () => {
    const openapi = await request(`${api.url}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/users', '/health/ready']));
    const docs = await fetch(`${api.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('sends security headers and a request id on every response', async () => {
    const response = await fetch(`${api.url}/health/live`);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
