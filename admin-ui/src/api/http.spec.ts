import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json, problem } from '../testing/fake-api';
import {
  ApiError,
  buildUrl,
  connectSession,
  NETWORK_ERROR,
  parseRetryAfter,
  requestJson,
  requestNothing,
} from './http';

function connect(token: string | null) {
  const hooks = { token: () => token, onUnauthorized: vi.fn(), onAccessDenied: vi.fn() };
  connectSession(hooks);
  return hooks;
}

afterEach(() => connect(null));

describe('http wrapper', () => {
  it('sends the session token as a bearer header and JSON bodies', async () => {
    connect('tok-123');
    const api = fakeApi({ 'POST /v1/thing': json({ ok: true }, 201) });

    await expect(requestJson('/v1/thing', { method: 'POST', body: { a: 1 } })).resolves.toEqual({ ok: true });

    const request = api.requests[0];
    expect(request.headers.Authorization).toBe('Bearer tok-123');
    expect(request.headers['Content-Type']).toBe('application/json');
    expect(request.headers.Accept).toBe('application/json');
    expect(request.body).toEqual({ a: 1 });
  });

  it('sends no token on anonymous calls, nor when there is none', async () => {
    connect('stale');
    const api = fakeApi({ 'POST /v1/sessions': json({}) });
    await requestJson('/v1/sessions', { method: 'POST', anonymous: true });
    connect(null);
    await requestJson('/v1/sessions', { method: 'POST' });

    expect(api.requests.map((r) => r.headers.Authorization)).toEqual([undefined, undefined]);
  });

  it('turns a problem+json answer into an ApiError with status, code, detail and reference', async () => {
    fakeApi({
      'POST /v1/sessions': new Response(
        JSON.stringify({
          type: '/problems/invalid_credentials',
          title: 'Unauthorized',
          status: 401,
          detail: 'Wrong.',
          code: 'invalid_credentials',
          requestId: 'req-9',
        }),
        { status: 401, headers: { 'Content-Type': 'application/problem+json' } },
      ),
    });

    const error = await requestJson('/v1/sessions', { method: 'POST', anonymous: true }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials', detail: 'Wrong.' });
    expect((error as ApiError).extras).toMatchObject({ title: 'Unauthorized', requestId: 'req-9' });
  });

  it('reads Retry-After on 429', async () => {
    fakeApi({ 'POST /v1/x': problem(429, 'rate_limited', 'Slow down.', { 'Retry-After': '42' }) });
    const error = (await requestNothing('/v1/x', { method: 'POST' }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('rate_limited');
    expect(error.extras.retryAfterSeconds).toBe(42);
  });

  it('still gives an ApiError when the error body is not JSON', async () => {
    fakeApi({ 'GET /v1/x': new Response('<html>Bad gateway</html>', { status: 502 }) });
    await expect(requestJson('/v1/x')).rejects.toMatchObject({ status: 502, code: 'http_502', detail: '' });
  });

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(requestJson('/v1/x')).rejects.toMatchObject({ status: 0, code: NETWORK_ERROR });
  });

  it('lets an abort through untouched', async () => {
    const abort = new DOMException('Aborted', 'AbortError');
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(abort));
    await expect(requestJson('/v1/x')).rejects.toBe(abort);
  });

  it('tells the session about a 401 only when the request carried a token', async () => {
    fakeApi({ 'GET /v1/x': problem(401, 'unauthorized') });
    const anonymous = connect(null);
    await requestJson('/v1/x').catch(() => undefined);
    expect(anonymous.onUnauthorized).not.toHaveBeenCalled();

    const signedIn = connect('tok');
    await requestJson('/v1/x').catch(() => undefined);
    expect(signedIn.onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('hands the session the reason a 401 gives for an ended session', async () => {
    const hooks = connect('tok');
    fakeApi({
      'GET /v1/x': new Response(
        JSON.stringify({ status: 401, code: 'unauthorized', detail: 'Ended.', reason: 'mfa_reset' }),
        { status: 401, headers: { 'Content-Type': 'application/problem+json' } },
      ),
    });
    const error = await requestJson('/v1/x').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', extras: { reason: 'mfa_reset' } });
    expect(hooks.onUnauthorized).toHaveBeenCalledWith(error);
  });

  it('tells the session about 403 forbidden / mfa_required on reads, not on commands', async () => {
    const hooks = connect('tok');
    fakeApi({
      'GET /v1/admin/users': problem(403, 'mfa_required'),
      'POST /v1/admin/users/u/lock': problem(403, 'forbidden'),
    });

    await requestJson('/v1/admin/users').catch(() => undefined);
    await requestNothing('/v1/admin/users/u/lock', { method: 'POST' }).catch(() => undefined);

    expect(hooks.onAccessDenied).toHaveBeenCalledTimes(1);
    expect(hooks.onAccessDenied).toHaveBeenCalledWith('mfa_required');
  });
});

describe('buildUrl', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(buildUrl('/v1/admin/users', { q: 'a+b@x', cursor: null, limit: 20, other: '' })).toBe(
      '/v1/admin/users?q=a%2Bb%40x&limit=20',
    );
    expect(buildUrl('/v1/admin/users', {})).toBe('/v1/admin/users');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:45 GMT', now)).toBe(45);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
