import { Controller, Delete, Get, HttpCode } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { RequestContext } from '@app/platform';
import { Context } from '../http/request-context.decorator';
import { CurrentPrincipal } from '../http/principal.decorator';
import { ReadYourWrites } from '@app/identity/shared/read-your-writes';
import type { Principal } from '@app/identity/sessions/principal';
import { SessionRevoker } from '@app/identity/sessions/session-revoker';

@ApiTags('sign-up and sign-in')
@ApiBearerAuth()
@Controller('v1/sessions/current')
export class CurrentSessionController {
  constructor(
    private readonly revoker: SessionRevoker,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /** Applications check a token here. */
  @Get()
  @ApiOkResponse({ description: '{session:{id, createdAt, expiresAt, amr}, user:{id, email, roles}}' })
  @ApiUnauthorizedResponse({
    description:
      'unauthorized; for the exact token of a revoked session, within its lifetime, also `reason`: signed_out, ' +
      'signed_out_elsewhere, password_changed, password_reset, mfa_reset or admin_revoked (the same on every route)',
  })
  current(@CurrentPrincipal() principal: Principal) {
    return {
      session: {
        id: principal.sessionId,
        createdAt: principal.sessionCreatedAt,
        expiresAt: principal.sessionExpiresAt,
        amr: principal.amr,
      },
      user: { id: principal.userId, email: principal.email, roles: principal.roles },
    };
  }

  /** Logout: the session ends on the server. */
  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal, @Context() context: RequestContext): Promise<void> {
    await this.readYourWrites.settle(await this.revoker.revoke([principal.sessionId], 'logout', context));
  }
}
