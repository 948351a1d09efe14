import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ReadStore, SecurityEventDocument, securityEventsProjection, UserDocument, usersProjection } from '@app/read-models';
import { DomainError, ValidationFailedError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { CurrentPrincipal } from '../http/principal.decorator';
import type { Principal } from '@app/identity/sessions/principal';

const PAGE_SIZE = 20;
/** Internal bookkeeping that means nothing to the account holder. */
const HIDDEN_FROM_TIMELINE = [IdentityEvent.EmailClaimed];

/** What the signed-in user can read about their own account. Reads only read models. */
@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly readStore: ReadStore) {}

  @Get()
  @ApiOkResponse({ description: '{id, email, roles, createdAt}' })
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.user(principal.userId);
    return { id: user.id, email: user.email, roles: user.roles, createdAt: user.createdAt };
  }

  @Get('security')
  @ApiOkResponse({ description: '{password:{changedAt}, totp:{enabled, enabledAt}, email:{enabled, enabledAt, address}, recoveryCodes:{remaining, generatedAt}}' })
  async security(@CurrentPrincipal() principal: Principal) {
    const user = await this.user(principal.userId);
    return {
      password: { changedAt: user.passwordChangedAt },
      totp: { enabled: user.mfa.totp, enabledAt: user.totpEnabledAt },
      email: { enabled: user.mfa.email, enabledAt: user.emailMfaEnabledAt, address: user.email },
      recoveryCodes: user.recoveryCodes,
    };
  }

  /** The user's own security timeline, newest first; `cursor` is the `nextCursor` of the previous page. */
  @Get('events')
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ description: '{items:[{id, type, occurredAt, ip, userAgent, summary}], nextCursor}' })
  async events(@CurrentPrincipal() principal: Principal, @Query('cursor') cursor?: string) {
    if (cursor !== undefined && !/^\d{1,40}$/.test(cursor)) {
      throw new ValidationFailedError([{ field: 'cursor', message: 'cursor must be a nextCursor value' }]);
    }
    const page = await this.readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
      where: {
        userId: { eq: principal.userId },
        type: { in: Object.values(IdentityEvent).filter((t) => !HIDDEN_FROM_TIMELINE.includes(t as never)) },
        ...(cursor ? { id: { lt: cursor } } : {}),
      },
      orderBy: [{ field: 'id', direction: 'desc' }], // the audit log's id is the event's position
      limit: PAGE_SIZE + 1,
    });
    const items = page.slice(0, PAGE_SIZE);
    return {
      items: items.map((e) => ({ id: e.id, type: e.type, occurredAt: e.occurredAt, ip: e.ip, userAgent: e.userAgent, summary: e.summary })),
      nextCursor: page.length > PAGE_SIZE ? items[items.length - 1].position : null,
    };
  }

  private async user(userId: string): Promise<UserDocument> {
    const user = await this.readStore.get<UserDocument>(usersProjection.collection, userId);
    if (!user) throw new DomainError('not_found', 'No such user.');
    return user;
  }
}
