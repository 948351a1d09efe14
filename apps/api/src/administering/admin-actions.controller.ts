import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import type { RequestContext } from '@app/platform';
import { ROLES, type Role } from '@app/identity-events';
import { Context } from '../http/request-context.decorator';
import { CurrentPrincipal } from '../http/principal.decorator';
import { RequireRoles } from '@app/http-edge';
import type { Principal } from '@app/identity/sessions/principal';
import { AdminService } from '@app/identity/administering/admin.service';
import { Erasures } from '@app/identity/erasing-personal-data/erasures.service';

export class ResetMfaDto {
  @ApiProperty({ minLength: 1, maxLength: 500, description: 'Why: recorded in the audit trail and sent to the user' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class EraseUserDto {
  @ApiProperty({ minLength: 1, maxLength: 500, description: 'Why (a request reference, say): kept in the audit log' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMaxSize(2)
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

/** What only admins do; auditors get 403. Each action is an event with the admin as actor. */
@ApiTags('administration')
@ApiBearerAuth()
@RequireRoles('admin')
@Controller('v1/admin/users/:id')
export class AdminActionsController {
  constructor(
    private readonly admin: AdminService,
    private readonly erasures: Erasures,
  ) {}

  /** Crypto-shredding (docs/ERASURE.md): the events stay, nothing personal in them opens again. */
  @Post('erase')
  @HttpCode(204)
  async erase(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: EraseUserDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.erasures.eraseByAdmin(principal, id, body.reason, context);
  }

  @Post('mfa/reset')
  @HttpCode(204)
  async resetMfa(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResetMfaDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.admin.resetMfa(principal, id, body.reason, context);
  }

  @Post('sessions/revoke')
  @HttpCode(204)
  async revokeSessions(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.admin.revokeSessions(principal, id, context);
  }

  @Post('lock')
  @HttpCode(204)
  async lock(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.admin.lock(principal, id, context);
  }

  @Post('unlock')
  @HttpCode(204)
  async unlock(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.admin.unlock(principal, id, context);
  }

  @Put('roles')
  @HttpCode(204)
  async setRoles(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SetRolesDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.admin.setRoles(principal, id, body.roles, context);
  }
}
