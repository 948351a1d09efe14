import { DOCS_CSP } from '../app.factory';
import { securityHeaders } from './security-headers';

describe('security headers (asked of @fastify/helmet once)', () => {
  it("are helmet's defaults, and nothing a response sets anyway", async () => {
    const headers = await securityHeaders();
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    for (const name of ['content-type', 'content-length', 'date', 'connection', 'x-powered-by'])
      expect(headers).not.toHaveProperty(name);
  });

  it("take the API explorer's own policy", async () => {
    const headers = await securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } });
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});
