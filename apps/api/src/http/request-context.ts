import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Principal } from '@app/identity';
import type { RequestContext } from '@app/platform';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who asked, from where: set by `requestContextHook` on every request. */
    context: RequestContext | null;
    /** The principal of the session, set by the session guard on routes without @Public(). */
    user: Principal | null;
  }
}

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const MAX_USER_AGENT = 512;

/**
 * Fastify `onRequest` hook: gives every request an id (kept from X-Request-Id when it is safe, so
 * logs cannot be injected) and the context that ends up in event metadata. `request.ip` follows
 * the `trustProxy` setting of the Fastify instance.
 */
export function requestContextHook(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const requestId = requestIdOf(request.headers['x-request-id']);
  reply.header('X-Request-Id', requestId);
  const userAgent = request.headers['user-agent'];
  request.context = {
    requestId,
    correlationId: requestId,
    ip: request.ip ?? null,
    userAgent: userAgent ? stripControlCharacters(userAgent).slice(0, MAX_USER_AGENT) : null,
    actor: { type: 'anonymous', id: null },
  };
  done();
}

/** The caller's X-Request-Id when it is safe to log, else a new one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

function stripControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
