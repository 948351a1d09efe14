import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { HashingCapacity } from '@app/security';
import { hashingAdmission, headersSetBy } from './hashing-admission';

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
  };
  return { port, state };
}

function fakeResponse() {
  const emitter = new EventEmitter();
  const headers: Record<string, string> = {};
  const written: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const response = Object.assign(emitter, {
    getHeader: (name: string) => headers[name],
    setHeader: (name: string, value: string) => (headers[name] = value),
    writeHead: (status: number, extra: Record<string, string>) => Object.assign(written, { status, headers: { ...headers, ...extra } }),
    end: (body: string) => (written.body = body),
  });
  return { response: response as unknown as ServerResponse & Response, written };
}

const incoming = (method: string, url: string, headers: Record<string, string> = {}) => ({ method, url, headers }) as IncomingMessage;

describe('hashing admission', () => {
  it('refuses the routes that hash, matched like Express routes, with 503 problem+json and Retry-After', () => {
    const { port } = capacity(0);
    const admission = hashingAdmission(port, { headers: { 'X-Content-Type-Options': 'nosniff' } });
    for (const [method, url] of [
      ['POST', '/v1/sessions'],
      ['POST', '/v1/sessions/?x=1'],
      ['POST', '/V1/Sessions'],
      ['POST', '/v1/users'],
      ['PUT', '/v1/me/password'],
    ]) {
      const { response, written } = fakeResponse();
      expect(admission.onRequest(incoming(method, url, { 'x-request-id': 'caller-id-123' }), response)).toBe(true);
      expect(written.status).toBe(503);
      expect(written.headers).toMatchObject({
        'Content-Type': 'application/problem+json; charset=utf-8',
        'Retry-After': '2',
        'X-Content-Type-Options': 'nosniff',
        'X-Request-Id': 'caller-id-123',
      });
      expect(JSON.parse(written.body!)).toEqual({
        type: '/problems/overloaded',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The service is busy; retry shortly.',
        code: 'overloaded',
        requestId: 'caller-id-123',
      });
      expect(written.headers!['Content-Length']).toBe(String(Buffer.byteLength(written.body!)));
    }
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
      const { response, written } = fakeResponse();
      expect(admission.onRequest(incoming(method, url), response)).toBe(false);
      expect(written.status).toBeUndefined();
    }
  });

  it('decides step-up after body parsing: by password it hashes, by code it does not', () => {
    const { port } = capacity(0);
    const admission = hashingAdmission(port);
    const next = jest.fn();
    const byCode = fakeResponse();
    const reauth = (body: unknown) => ({ method: 'POST', url: '/v1/me/reauth', body, headers: {} }) as Request;
    admission.afterBody(reauth({ method: 'totp', code: '123456' }), byCode.response, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(byCode.written.status).toBeUndefined();

    const byPassword = fakeResponse();
    admission.afterBody(reauth({ password: 'x' }), byPassword.response, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(byPassword.written.status).toBe(503);
  });

  it('holds a reservation for an admitted request until its response ends or its connection closes', () => {
    const { port, state } = capacity(2);
    const admission = hashingAdmission(port);
    const first = fakeResponse();
    const second = fakeResponse();
    const third = fakeResponse();
    expect(admission.onRequest(incoming('POST', '/v1/sessions'), first.response)).toBe(false);
    expect(admission.onRequest(incoming('POST', '/v1/users'), second.response)).toBe(false);
    expect(state.reserved).toBe(2);
    expect(admission.onRequest(incoming('POST', '/v1/sessions'), third.response)).toBe(true);

    first.response.emit('finish');
    first.response.emit('close');
    second.response.emit('close'); // the client went away
    expect(state.reserved).toBe(0);
  });

  it("captures helmet's static headers once", () => {
    const headers = headersSetBy((_request, response, next) => {
      response.setHeader('X-Frame-Options', 'SAMEORIGIN');
      response.setHeader('X-Powered-By', 'x');
      response.removeHeader('X-Powered-By');
      next();
    });
    expect(headers).toEqual({ 'X-Frame-Options': 'SAMEORIGIN' });
  });
});
