import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ServiceOverloadedError } from '@app/platform';
import type { HashingCapacity } from '@app/security';
import { Problem, problem } from './problem';
import { requestIdOf } from './request-context.middleware';

/** A route whose handler hashes or verifies a password (argon2id, the expensive part). */
export interface HashingRoute {
  method: string;
  /** The path, lower case (matched like Express routes: case-insensitive, trailing slash tolerated). */
  path: string;
  /** When only some bodies hash: decided after body parsing. */
  hashesWhen?: (body: unknown) => boolean;
}

export const HASHING_ROUTES: readonly HashingRoute[] = [
  { method: 'POST', path: '/v1/sessions' }, // sign-in: one verify (of a dummy hash for an unknown address)
  { method: 'POST', path: '/v1/users' }, // sign-up: one hash
  { method: 'PUT', path: '/v1/me/password' }, // change: two verifies and a hash
  {
    method: 'POST',
    path: '/v1/me/reauth', // step-up: one verify when by password; a code does not hash
    hashesWhen: (body) => typeof body === 'object' && body !== null && (body as { password?: unknown }).password !== undefined,
  },
];

export interface HashingAdmissionOptions {
  routes?: readonly HashingRoute[];
  /** Headers every refusal carries (the security headers, computed once: see `headersSetBy`). */
  headers?: Record<string, string>;
}

const OVERLOADED_DETAIL = new ServiceOverloadedError().message;

/**
 * Refuses a request that would hash a password while the hasher cannot take it, before anything
 * else is spent on it: 503 problem+json `overloaded` with Retry-After and the usual security
 * headers and X-Request-Id; no body parsing, validation, store lookup or event, and no sign-in
 * rate-limit or lockout count. An admitted request reserves its place in the hashing queue until
 * its response ends, so a burst is admitted only as far as the queue's expected-wait bound allows.
 * The hasher's own refusal stays the backstop.
 *
 * Two stages:
 * - `onRequest`, for routes that always hash, runs on the Node server ahead of Express (see
 *   `admitBeforeExpress`). Under a flood, refusals are nearly all the traffic and share the CPU
 *   with argon2: written there, in one go with precomputed headers, a refusal costs about a fifth
 *   of what it costs through Express (bench: ~35 µs instead of ~150 µs of server CPU).
 * - `afterBody`, an Express middleware right after the body parser, for routes where only some
 *   bodies hash (step-up by password, not by code).
 */
export function hashingAdmission(capacity: HashingCapacity, options: HashingAdmissionOptions = {}) {
  const routes = options.routes ?? HASHING_ROUTES;
  const fixedHeaders = { ...options.headers, 'Content-Type': 'application/problem+json; charset=utf-8' };
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  const routeOf = (method: string | undefined, url: string | undefined): HashingRoute | undefined => {
    if (method !== 'POST' && method !== 'PUT') return undefined; // the only methods that hash
    const raw = url ?? '/';
    const query = raw.indexOf('?');
    let path = (query === -1 ? raw : raw.slice(0, query)).toLowerCase();
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return byKey.get(`${method} ${path}`);
  };

  const refuse = (request: IncomingMessage, response: ServerResponse): void => {
    let requestId = response.getHeader('X-Request-Id');
    if (typeof requestId !== 'string') {
      requestId = requestIdOf(request.headers['x-request-id']);
      response.setHeader('X-Request-Id', requestId);
    }
    const body: Problem = problem(503, 'overloaded', OVERLOADED_DETAIL, { requestId });
    const text = JSON.stringify(body);
    response.writeHead(503, {
      ...fixedHeaders,
      'Retry-After': String(capacity.retryAfterSeconds()),
      'Content-Length': String(Buffer.byteLength(text)),
    });
    response.end(text);
  };

  /** Reserves a place in the hashing queue for the request's lifetime; false when refused (answered). */
  const admit = (request: IncomingMessage, response: ServerResponse): boolean => {
    const release = capacity.tryReserve();
    if (!release) {
      refuse(request, response);
      return false;
    }
    response.once('finish', release);
    response.once('close', release);
    return true;
  };

  return {
    /** True when the request was answered (refused) here. */
    onRequest(request: IncomingMessage, response: ServerResponse): boolean {
      const route = routeOf(request.method, request.url);
      if (!route || route.hashesWhen) return false;
      return !admit(request, response);
    },
    afterBody(request: Request, response: Response, next: NextFunction): void {
      const route = routeOf(request.method, request.url);
      if (!route?.hashesWhen || !route.hashesWhen(request.body)) return next();
      if (admit(request, response)) next();
    },
  };
}

/**
 * Runs `onRequest` on the Node HTTP server before its request listeners (Express, set up by Nest),
 * which then only see the requests it did not answer.
 */
export function admitBeforeExpress(server: Server, onRequest: (request: IncomingMessage, response: ServerResponse) => boolean): void {
  const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  if (listeners.length === 0) throw new Error('the HTTP server has no request listener yet');
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (onRequest(request, response)) return;
    for (const listener of listeners) listener.call(server, request, response);
  });
}

/** The headers a middleware that only sets static headers (helmet) sets: run once, at start-up. */
export function headersSetBy(middleware: (request: Request, response: Response, next: NextFunction) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
    getHeader: (name: string) => headers[name],
  };
  let done = false;
  middleware({ method: 'POST', url: '/', headers: {} } as Request, response as unknown as Response, () => (done = true));
  if (!done) throw new Error('the header middleware did not finish synchronously');
  return headers;
}
