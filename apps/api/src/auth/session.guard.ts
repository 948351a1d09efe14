import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { SessionAuthenticator } from '@app/identity';
import { IS_PUBLIC_KEY } from '@app/http-edge';

/**
 * Global: every route needs a valid session, unless marked @Public(). The token is taken from the
 * `Authorization: Bearer` header only (RFC 6750 section 2.1), never from the query string or the
 * body, where it would end up in URLs and logs. The principal goes on `request.user`.
 *
 * This replaces @nestjs/passport's bearer strategy (see the README's design notes): passport-http-
 * bearer also accepts `access_token` in the query and body, and passport's per-request strategy
 * set-up was about a tenth of a session check's cost.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]))
      return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = bearerToken(request.headers.authorization);
    const principal = token === null ? null : await this.authenticator.authenticate(token);
    if (!principal) throw new UnauthorizedException();
    request.user = principal;
    if (request.context) request.context.actor = { type: 'user', id: principal.userId };
    return true;
  }
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return match ? match[1] : null;
}
