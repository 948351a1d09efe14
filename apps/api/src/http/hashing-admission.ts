import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ServiceOverloadedError } from '@app/platform';
import type { HashingCapacity } from '@app/security';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';
import { requestIdOf } from './request-context';

/** A route whose handler hashes or verifies a password (argon2id, the expensive part). */
export interface HashingRoute {
  method: string;
  /** The path, lower case (matched like our routes: case-insensitive, trailing slash tolerated). */
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
    hashesWhen: (body) =>
      typeof body === 'object' && body !== null && (body as { password?: unknown }).password !== undefined,
  },
];

export interface HashingAdmissionOptions {
  routes?: readonly HashingRoute[];
}

const OVERLOADED_DETAIL = new ServiceOverloadedError().message;

/**
 * Refuses a request that would hash a password while the hasher cannot take it, before anything
 * else is spent on it: 503 problem+json `overloaded` with Retry-After, and the headers the hooks
 * before it set (security headers, X-Request-Id, no-store); no body parsing, validation, store
 * lookup or event, and no sign-in rate-limit or lockout count. An admitted request reserves its
 * place in the hashing queue until its response ends, so a burst is admitted only as far as the
 * queue's expected-wait bound allows. The hasher's own refusal stays the backstop.
 *
 * Two Fastify hooks:
 * - `onRequest`, for routes that always hash: it runs before the body is read or parsed, so under
 *   a flood (refusals are then nearly all the traffic, sharing the CPU with argon2) a refusal costs
 *   routing, the request hooks and one small answer.
 * - `preValidation`, right after body parsing, for routes where only some bodies hash (step-up by
 *   password, not by code).
 */
export function hashingAdmission(capacity: HashingCapacity, options: HashingAdmissionOptions = {}) {
  const routes = options.routes ?? HASHING_ROUTES;
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  const routeOf = (method: string | undefined, url: string | undefined): HashingRoute | undefined => {
    if (method !== 'POST' && method !== 'PUT') return undefined; // the only methods that hash
    const raw = url ?? '/';
    const query = raw.indexOf('?');
    let path = (query === -1 ? raw : raw.slice(0, query)).toLowerCase();
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return byKey.get(`${method} ${path}`);
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply): void => {
    let requestId = reply.getHeader('X-Request-Id');
    if (typeof requestId !== 'string') {
      requestId = requestIdOf(request.headers['x-request-id']);
      reply.header('X-Request-Id', requestId);
    }
    const text = JSON.stringify(problem(503, 'overloaded', OVERLOADED_DETAIL, { requestId }));
    reply
      .code(503)
      .header('Content-Type', PROBLEM_CONTENT_TYPE)
      .header('Retry-After', String(capacity.retryAfterSeconds()))
      .send(text);
  };

  /** Reserves a place in the hashing queue for the request's lifetime; false when refused (answered). */
  const admit = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const release = capacity.tryReserve();
    if (!release) {
      refuse(request, reply);
      return false;
    }
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
    return true;
  };

  return {
    /** `onRequest` hook: routes that always hash, before the body is read. */
    onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
      const route = routeOf(request.method, request.url);
      if (!route || route.hashesWhen || admit(request, reply)) done();
    },
    /** `preValidation` hook: routes where the parsed body decides whether the request hashes. */
    afterBody(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
      const route = routeOf(request.method, request.url);
      if (!route?.hashesWhen || !route.hashesWhen(request.body) || admit(request, reply)) done();
    },
  };
}
