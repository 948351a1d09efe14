import Fastify, { FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { adminConsole } from '../apps/api/src/admin-console';
import { request, startTestApp, TestApp } from './support/test-app';

/** The HTTP edge on Fastify (issue 14): what Express and body-parser used to do, and Fastify's own errors. */
describe('HTTP edge', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close({ removeData: true }));

  const post = (path: string, body: string, headers: Record<string, string>) =>
    request(`${api.url}${path}`, { method: 'POST', body, headers });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }, '{"email":"a@b.c"}', 415, 'unsupported_media_type'],
    ['no content type', { 'content-type': '' }, '{"email":"a@b.c"}', 415, 'unsupported_media_type'],
    [
      'a charset other than UTF-8',
      { 'content-type': 'application/json; charset=latin1' },
      '{}',
      415,
      'unsupported_media_type',
    ],
    [
      'a compressed body',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      '{}',
      415,
      'unsupported_media_type',
    ],
    ['a JSON string', { 'content-type': 'application/json' }, '"text"', 400, 'malformed_json'],
    ['an empty JSON body (read as {})', { 'content-type': 'application/json' }, '', 400, 'validation_failed'],
    [
      'a +json type',
      { 'content-type': 'application/merge-patch+json; charset=utf-8' },
      '{"unknown":1}',
      400,
      'validation_failed',
    ],
  ])('answers %s with a problem document', async (_name, headers, body, status, code) => {
    const response = await post('/v1/users', body, headers);
    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('says how large a body may be', async () => {
    const response = await post('/v1/users', JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }), {
      'content-type': 'application/json',
    });
    expect([response.status, response.body.code, response.body.detail]).toEqual([
      413,
      'payload_too_large',
      'The body is larger than 16384 bytes.',
    ]);
  });

  it('routes without regard to case or a trailing slash, as before', async () => {
    const response = await post('/V1/Users/', '{"unknown":1}', { 'content-type': 'application/json' });
    expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
    expect((await request(`${api.url}/HEALTH/live/`)).status).toBe(200);
  });

  it('answers a URL Fastify cannot decode with a problem document', async () => {
    const response = await request(`${api.url}/v1/me/sessions/%E0%A4%A`);
    expect([response.status, response.body.code]).toEqual([400, 'bad_request']);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe(response.body.requestId);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it("keeps Node's time limits for a slow request and an idle connection", () => {
    const server = api.app.getHttpServer();
    expect([server.requestTimeout, server.keepAliveTimeout]).toEqual([300_000, 5_000]);
  });

  it('answers HEAD like GET, without a body, and never says what serves it', async () => {
    const response = await fetch(`${api.url}/health/live`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('server')).toBeNull();
  });
});

describe('console plugin (admin-ui/dist under /admin and /account)', () => {
  let dist: string;
  let server: FastifyInstance;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
    server = Fastify({ routerOptions: { caseSensitive: false, ignoreTrailingSlash: true } });
    await server.register(adminConsole(dist), { prefix: '/admin' });
    await server.register(adminConsole(dist), { prefix: '/account' });
    await server.ready();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers 404 not_found while the console is not built', async () => {
    const response = await server.inject({ method: 'GET', url: '/admin/users' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ code: 'not_found', detail: expect.stringContaining('npm run build:ui') });
  });

  it('serves its files for an hour, and index.html (no-cache) for the app routes, once built', async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dist, '.env'), 'SECRET=1');

    const asset = await server.inject({ method: 'GET', url: '/admin/assets/app.js' });
    expect([asset.statusCode, asset.body]).toEqual([200, 'console.log(1)']);
    expect(asset.headers['cache-control']).toBe('public, max-age=3600');

    for (const url of [
      '/admin',
      '/admin/',
      '/admin/users/42',
      '/account/security',
      '/account/assets/missing.js',
      '/admin/.env',
    ]) {
      const page = await server.inject({ method: 'GET', url });
      expect([url, page.statusCode, page.body]).toEqual([url, 200, '<!doctype html><title>console</title>']);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    }
    const head = await server.inject({ method: 'HEAD', url: '/account/sign-in' });
    expect([head.statusCode, head.body]).toEqual([200, '']);

    const other = await server.inject({ method: 'POST', url: '/admin/users', payload: {} });
    expect([other.statusCode, other.json().code]).toEqual([404, 'not_found']);
    const traversal = await server.inject({ method: 'GET', url: '/admin/..%2f..%2fetc%2fpasswd' });
    expect(traversal.body).not.toContain('root:');
  });

  it("sends the build's Brotli or gzip copy that the browser accepts, and keeps hashed assets for a year", async () => {
    const script = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `word${i}`))};`;
    writeFileSync(join(dist, 'assets', 'words-Dfr0a4kj.js'), script);
    writeFileSync(join(dist, 'assets', 'words-Dfr0a4kj.js.br'), brotliCompressSync(script));
    writeFileSync(join(dist, 'assets', 'words-Dfr0a4kj.js.gz'), gzipSync(script));
    const fetchWith = (encoding?: string) =>
      server.inject({
        method: 'GET',
        url: '/account/assets/words-Dfr0a4kj.js',
        headers: encoding ? { 'accept-encoding': encoding } : {},
      });

    const brotli = await fetchWith('gzip, deflate, br');
    expect(brotli.headers).toMatchObject({
      'content-encoding': 'br',
      'content-type': expect.stringMatching(/^text\/javascript|^application\/javascript/),
      'cache-control': 'public, max-age=31536000, immutable',
      vary: expect.stringMatching(/accept-encoding/i),
    });
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(script);
    expect(brotli.rawPayload.length).toBeLessThan(script.length / 3);

    const gzip = await fetchWith('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(script);

    const plain = await fetchWith();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.body).toBe(script);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    // index.html is never kept: a new build's page must be fetched, whatever the encoding.
    writeFileSync(join(dist, 'index.html.br'), brotliCompressSync('<!doctype html><title>console</title>'));
    const page = await server.inject({ method: 'GET', url: '/admin/users', headers: { 'accept-encoding': 'br' } });
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(page.rawPayload).toString()).toBe('<!doctype html><title>console</title>');
  });
});
