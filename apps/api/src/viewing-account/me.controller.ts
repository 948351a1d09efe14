import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../http/principal.decorator';
import type { Principal } from '@app/identity/sessions/principal';
import { AuditQueries } from '@app/identity/querying/audit-queries';
import { UserQueries } from '@app/identity/querying/user-queries';

/** What the signed-in user can read about their own account. Reads only read models. */
@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly users: UserQueries,
    private readonly audit: AuditQueries,
  ) {}

  @Get()
  @ApiOkResponse({ description: '{id, email, roles, createdAt}' })
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.users.get(principal.userId);
    return { id: user.id, email: user.email, roles: user.roles, createdAt: user.createdAt };
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
  events(@CurrentPrincipal() principal: Principal, @Query('cursor') cursor?: string) {
    return this.audit.timeline(principal.userId, cursor);
  }
}
