import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionAuthenticator, type SessionEndedReason } from '@app/identity';
import { IS_PUBLIC_KEY } from '@app/http-edge';
import { DomainError } from '@app/platform';

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
    const checked = token === null ? { refused: null } : await this.authenticator.check(token);
    if (!('principal' in checked)) {
      if (checked.refused === null) throw new UnauthorizedException();
      // Only the holder of this exact token learns why its session ended (see SessionAuthenticator.check).
      context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new DomainError('unauthorized', SESSION_ENDED_DETAIL[checked.refused], { reason: checked.refused });
    }
    const principal = checked.principal;
    request.user = principal;
    if (request.context) request.context.actor = { type: 'user', id: principal.userId };
    return true;
  }
}

/** The 401's detail for a revoked session, by its `reason`. */
const SESSION_ENDED_DETAIL: Record<SessionEndedReason, string> = {
  signed_out: 'This session was signed out. Sign in again.',
  signed_out_elsewhere: 'This session was signed out from another session of the account. Sign in again.',
  password_changed: "This session was ended when the account's password was changed. Sign in again.",
  password_reset: "This session was ended when the account's password was reset. Sign in again.",
  mfa_reset: "This session was ended when an administrator reset the account's two-step verification. Sign in again.",
  admin_revoked: 'This session was ended by an administrator. Sign in again.',
};

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return match ? match[1] : null;
}
