import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-http-bearer';
import { Principal, SessionAuthenticator } from '@app/identity';
import type { RequestContext } from '@app/platform';

/** `Authorization: Bearer <session token>` -> the signed-in principal, via the sessions read model. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly authenticator: SessionAuthenticator) {
    super({ passReqToCallback: true });
  }

  async validate(request: Request, token: string): Promise<Principal> {
    const principal = await this.authenticator.authenticate(token);
    if (!principal) throw new UnauthorizedException();
    const context = (request as Request & { context?: RequestContext }).context;
    if (context) context.actor = { type: 'user', id: principal.userId };
    return principal;
  }
}
