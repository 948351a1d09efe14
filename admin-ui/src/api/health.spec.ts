import { describe, expect, it, vi } from 'vitest';
import { fetchReadiness, HealthCheckError, parseReadinessReport } from './health';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

const readyBody = {
  status: 'ok',
  checks: {
    eventStore: { status: 'up' },
    readStore: { status: 'up' },
    projector: { status: 'up', lag: 0 },
  },
};

describe('fetchReadiness', () => {
  it('asks GET /health/ready for JSON and returns the parsed report', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(readyBody));
    vi.stubGlobal('fetch', fetchMock);

    const report = await fetchReadiness();

    expect(report).toEqual(readyBody);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/health/ready');
    expect(init.headers).toEqual({ Accept: 'application/json' });
  });

  it('rejects a non-200 answer with its HTTP status and keeps the report it carried', async () => {
    const notReady = { status: 'error', checks: { eventStore: { status: 'down' } } };
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse(notReady, 503)));

    const error = await fetchReadiness().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HealthCheckError);
    expect(error).toMatchObject({ status: 503, report: notReady });
    expect((error as HealthCheckError).message).toContain('503');
  });

  it('rejects a non-200 answer whose body is not a report', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('Bad gateway', { status: 502 })));

    const error = await fetchReadiness().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HealthCheckError);
    expect(error).toMatchObject({ status: 502, report: undefined });
  });

  it('rejects a network failure with a null status and the original cause', async () => {
    const cause = new TypeError('Failed to fetch');
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(cause));

    const error = await fetchReadiness().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HealthCheckError);
    expect(error).toMatchObject({ status: null });
    expect((error as HealthCheckError).cause).toBe(cause);
  });

  it('rejects a 200 answer that is not a readiness report', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse({ ok: true })));

    await expect(fetchReadiness()).rejects.toMatchObject({
      name: 'HealthCheckError',
      status: 200,
    });
  });
});

describe('parseReadinessReport', () => {
  it('treats a bare check value as its status', () => {
    expect(parseReadinessReport({ status: 'ok', checks: { mail: 'up', cache: true, other: null } })).toEqual({
      status: 'ok',
      checks: { mail: { status: 'up' }, cache: { status: 'true' }, other: { status: 'unknown' } },
    });
  });

  it.each([null, 'ok', [], { status: 1, checks: {} }, { status: 'ok' }, { status: 'ok', checks: [] }])(
    'returns null for %j',
    (body) => {
      expect(parseReadinessReport(body)).toBeNull();
    },
  );
});
