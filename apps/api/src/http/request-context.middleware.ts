import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@app/platform';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const MAX_USER_AGENT = 512;

/**
 * Gives every request an id (kept from X-Request-Id when it is safe, so logs cannot be injected)
 * and the context that ends up in event metadata.
 */
export function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  const requestId = requestIdOf(request.header('X-Request-Id'));
  response.setHeader('X-Request-Id', requestId);
  const userAgent = request.header('User-Agent');
  const context: RequestContext = {
    requestId,
    correlationId: requestId,
    ip: request.ip ?? null,
    userAgent: userAgent ? stripControlCharacters(userAgent).slice(0, MAX_USER_AGENT) : null,
    actor: { type: 'anonymous', id: null },
  };
  (request as Request & { context: RequestContext }).context = context;
  next();
}

/** The caller's X-Request-Id when it is safe to log, else a new one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

function stripControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
