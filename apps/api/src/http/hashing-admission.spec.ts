import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HashingCapacity } from '@app/security';
import { hashingAdmission } from './hashing-admission';

/** A capacity that admits `free` more reservations. */
function capacity(free: number) {
  const state = { free, reserved: 0 };
  const port: HashingCapacity = {
    wouldAdmit: () => state.reserved < state.free,
    tryReserve: () => {
      if (state.reserved >= state.free) return null;
      state.reserved += 1;
      let released = false;
      return () => {
        if (!released) state.reserved -= 1;
        released = true;
      };
    },
    retryAfterSeconds: () => 2,
    queued: 0,
    refusals: 0,
  };
  return { port, state };
}

/** A Fastify reply as far as the hooks use it; `headers` are those set before (by earlier hooks). */
function fakeReply(headers: Record<string, string> = {}) {
  const raw = new EventEmitter();
  const set: Record<string, string> = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const sent: { status?: number; headers: Record<string, string>; body?: string } = { headers: set };
  const reply = {
    raw,
    getHeader: (name: string) => set[name.toLowerCase()],
    header(name: string, value: string) {
      set[name.toLowerCase()] = value;
      return reply;
    },
    code(status: number) {
      sent.status = status;
      return reply;
    },
    send(body: string) {
      sent.body = body;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, sent, raw };
}

const incoming = (method: string, url: string, headers: Record<string, string> = {}, body?: unknown) =>
  ({ method, url, headers, body }) as FastifyRequest;

describe('hashing admission (Fastify hooks)', () => {
  it('refuses the routes that hash, matched like our routes, with 503 problem+json and Retry-After, keeping the headers set before', () => {
    const { port } = capacity(0);
    const admission = hashingAdmission(port);
    for (const [method, url] of [
      ['POST', '/v1/sessions'],
      ['POST', '/v1/sessions/?x=1'],
      ['POST', '/V1/Sessions'],
      ['POST', '/v1/users'],
      ['PUT', '/v1/me/password'],
    ]) {
      const { reply, sent } = fakeReply({
        'X-Content-Type-Options': 'nosniff',
        'X-Request-Id': 'caller-id-123',
        'Cache-Control': 'no-store',
      });
      const done = jest.fn();
      admission.onRequest(incoming(method, url, { 'x-request-id': 'caller-id-123' }), reply, done);
      expect(done).not.toHaveBeenCalled(); // answered here: the body is never read
      expect(sent.status).toBe(503);
      expect(sent.headers).toMatchObject({
        'content-type': 'application/problem+json; charset=utf-8',
        'retry-after': '2',
        'x-content-type-options': 'nosniff',
        'x-request-id': 'caller-id-123',
        'cache-control': 'no-store',
      });
      expect(JSON.parse(sent.body!)).toEqual({
        type: '/problems/overloaded',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The service is busy; retry shortly.',
        code: 'overloaded',
        requestId: 'caller-id-123',
      });
    }
  });

  it('gives a refusal a request id when no hook gave one (a safe caller id is kept)', () => {
    const admission = hashingAdmission(capacity(0).port);
    const kept = fakeReply();
    admission.onRequest(incoming('POST', '/v1/sessions', { 'x-request-id': 'caller-id-456' }), kept.reply, jest.fn());
    expect(kept.sent.headers['x-request-id']).toBe('caller-id-456');
    const replaced = fakeReply();
    admission.onRequest(incoming('POST', '/v1/sessions', { 'x-request-id': '<script>' }), replaced.reply, jest.fn());
    expect(replaced.sent.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(replaced.sent.body!).requestId).toBe(replaced.sent.headers['x-request-id']);
  });

  it('lets everything else through untouched, even when the hasher is full', () => {
    const { port } = capacity(0);
    const admission = hashingAdmission(port);
    for (const [method, url] of [
      ['GET', '/v1/sessions/current'],
      ['POST', '/v1/sessions/challenges/abc'],
      ['DELETE', '/v1/sessions'],
      ['GET', '/v1/users'],
      ['POST', '/v1/me/reauth'], // decided after the body is parsed
      ['GET', '/health/live'],
    ]) {
      const { reply, sent } = fakeReply();
      const done = jest.fn();
      admission.onRequest(incoming(method, url), reply, done);
      expect(done).toHaveBeenCalledTimes(1);
      expect(sent.status).toBeUndefined();
    }
  });

  it('decides step-up after body parsing: by password it hashes, by code it does not', () => {
    const { port } = capacity(0);
    const admission = hashingAdmission(port);
    const done = jest.fn();
    const byCode = fakeReply();
    admission.afterBody(incoming('POST', '/v1/me/reauth', {}, { method: 'totp', code: '123456' }), byCode.reply, done);
    expect(done).toHaveBeenCalledTimes(1);
    expect(byCode.sent.status).toBeUndefined();

    const byPassword = fakeReply();
    admission.afterBody(incoming('POST', '/v1/me/reauth', {}, { password: 'x' }), byPassword.reply, done);
    expect(done).toHaveBeenCalledTimes(1);
    expect(byPassword.sent.status).toBe(503);
  });

  it('holds a reservation for an admitted request until its response ends or its connection closes', () => {
    const { port, state } = capacity(2);
    const admission = hashingAdmission(port);
    const first = fakeReply();
    const second = fakeReply();
    const third = fakeReply();
    const done = jest.fn();
    admission.onRequest(incoming('POST', '/v1/sessions'), first.reply, done);
    admission.onRequest(incoming('POST', '/v1/users'), second.reply, done);
    expect(done).toHaveBeenCalledTimes(2);
    expect(state.reserved).toBe(2);
    admission.onRequest(incoming('POST', '/v1/sessions'), third.reply, done);
    expect(done).toHaveBeenCalledTimes(2);
    expect(third.sent.status).toBe(503);

    first.raw.emit('finish');
    first.raw.emit('close');
    second.raw.emit('close'); // the client went away
    expect(state.reserved).toBe(0);
  });
});
