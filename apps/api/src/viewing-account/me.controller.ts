import { Controller, Delete, Get, Headers, HttpCode, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Clock, type RequestContext } from '@app/platform';
import { Erasures } from '@app/identity/erasing-personal-data/erasures.service';
import { Context } from '../http/request-context.decorator';
import { CurrentPrincipal } from '../http/principal.decorator';
import type { Principal } from '@app/identity/sessions/principal';
import { AuditQueries } from '@app/identity/querying/audit-queries';
import { UserQueries } from '@app/identity/querying/user-queries';
import { ReadStore, summaryForAccountHolder } from '@app/read-models';
import { endedSessions } from '@app/identity/querying/ended-sessions';
import { SessionActivity } from '@app/identity/sessions/session-activity';

/** What the signed-in user can read about their own account. Reads only read models. */
@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly users: UserQueries,
    private readonly audit: AuditQueries,
    private readonly erasures: Erasures,
    private readonly readStore: ReadStore,
    private readonly activity: SessionActivity,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ description: '{id, email, roles, createdAt}' })
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.users.get(principal.userId);
    return { id: user.id, email: user.email, roles: user.roles, createdAt: user.createdAt };
  }

  /**
   * Closes the account and erases the person's data (docs/ERASURE.md), with a fresh step-up grant:
   * a stolen session token alone cannot do it. The address can be registered again afterwards.
   */
  @Delete()
  @HttpCode(204)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  @ApiNoContentResponse({ description: 'Erased; every session of the account has ended. 403 reauth_required' })
  async erase(
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ): Promise<void> {
    await this.erasures.eraseOwnAccount(principal, reauthToken, context);
  }

  @Get('security')
  @ApiOkResponse({
    description:
      '{password:{changedAt}, totp:{enabled, enabledAt}, email:{enabled, enabledAt, address}, recoveryCodes:{remaining, generatedAt}}',
  })
  security(@CurrentPrincipal() principal: Principal) {
    return this.users.securitySummary(principal.userId);
  }

  /** The user's own security timeline, newest first; `cursor` is the `nextCursor` of the previous page. */
  @Get('events')
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ description: '{items:[{id, type, occurredAt, ip, userAgent, summary}], nextCursor}' })
  async events(@CurrentPrincipal() principal: Principal, @Query('cursor') cursor?: string) {
    const page = await this.audit.timeline(principal.userId, cursor);
    return { ...page, items: page.items.map((item) => ({ ...item, summary: summaryForAccountHolder(item) })) };
  }

  /**
   * The user's sessions that ended in the last 30 days (revoked, expired or idle), most recently
   * ended first: what the devices page folds under the active ones. Only the caller's own, with
   * what their activity already tells them (device, place, times); never a token.
   */
  @Get('sessions/ended')
  @ApiOkResponse({
    description: '{items:[{id, browser, os, ip, location, createdAt, lastActiveAt, endedAt, endReason}]}',
  })
  async endedSessions(@CurrentPrincipal() principal: Principal) {
    return { items: await endedSessions(this.readStore, this.activity, this.clock, principal.userId) };
  }
}
