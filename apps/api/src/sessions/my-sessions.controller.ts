import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, type RequestContext } from '@app/platform';
import { Context } from '../http/request-context.decorator';
import { CurrentPrincipal } from '../http/principal.decorator';
import { ReadYourWrites } from '@app/identity/shared/read-your-writes';
import type { Principal } from '@app/identity/sessions/principal';
import { SessionQueries } from '@app/identity/querying/session-queries';
import { SessionRevoker } from '@app/identity/sessions/session-revoker';

/** The user's active sessions: listed with their device, and ended one by one. */
@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me/sessions')
export class MySessionsController {
  constructor(
    private readonly sessions: SessionQueries,
    private readonly revoker: SessionRevoker,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiOkResponse({ description: '{items:[{id, current, browser, os, ip, location, createdAt, lastActiveAt}]}' })
  async list(@CurrentPrincipal() principal: Principal) {
    const sessions = await this.sessions.active(principal.userId);
    return { items: sessions.map((session) => ({ ...session, current: session.id === principal.sessionId })) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'current_session: end the current session with DELETE /v1/sessions/current' })
  async revoke(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ): Promise<void> {
    if (id === principal.sessionId) {
      throw new DomainError('current_session', 'This is the session you are using; sign out instead.');
    }
    if (!(await this.sessions.ownNotRevoked(principal.userId, id)))
      throw new DomainError('not_found', 'No such session.');
    await this.readYourWrites.settle(await this.revoker.revoke([id], 'user', context));
  }
}
