import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { type RequestContext } from '@app/platform';
import type { Principal } from '@app/identity/sessions/principal';
import { UserQueries } from '@app/identity/querying/user-queries';
import { PasskeyMethod } from '@app/identity/second-factors/passkey/passkey.method';
import { StepUps } from '@app/identity/stepping-up/step-ups.service';
import { CurrentPrincipal } from '../http/principal.decorator';
import { Context } from '../http/request-context.decorator';

/** A name people give a passkey: printable, no line breaks. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
const NAME = /^[^\u0000-\u001f\u007f]+$/;

export class AddPasskeyDto {
  @ApiProperty({
    description: 'The answer of navigator.credentials.create() to the options (as @simplewebauthn/browser returns it)',
  })
  @IsObject()
  response!: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'MacBook Touch ID' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  @Matches(NAME)
  name?: string;
}

export class RenamePasskeyDto {
  @ApiProperty({ example: 'YubiKey 5C' }) @IsString() @MinLength(1) @MaxLength(60) @Matches(NAME) name!: string;
}

/** The signed-in user's passkeys: added with a fresh step-up, named, removed with a fresh step-up. */
@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me/passkeys')
export class PasskeysController {
  constructor(
    private readonly passkeys: PasskeyMethod,
    private readonly stepUps: StepUps,
    private readonly users: UserQueries,
  ) {}

  @Get()
  @ApiOkResponse({ description: '{items:[{id, name, createdAt, lastUsedAt, backedUp, deviceType}]}' })
  async list(@CurrentPrincipal() principal: Principal) {
    return { items: (await this.users.securitySummary(principal.userId)).passkeys };
  }

  /** Step 1: options for navigator.credentials.create(); needs X-Reauth-Token (POST /v1/me/reauth). */
  @Post('options')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  async options(
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.stepUps.require(principal, reauthToken, 'register_passkey', context);
    return this.passkeys.registrationOptions(principal, context);
  }

  /** Step 2: the browser's answer adds the passkey. */
  @Post()
  @HttpCode(201)
  add(@Body() body: AddPasskeyDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.passkeys.register(principal, body.response, body.name?.trim() || 'Passkey', context);
  }

  @Patch(':id')
  @HttpCode(204)
  async rename(
    @Param('id') id: string,
    @Body() body: RenamePasskeyDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.passkeys.rename(principal, id, body.name.trim(), context);
  }

  /** Removing a way in takes a fresh confirmation too (X-Reauth-Token). */
  @Delete(':id')
  @HttpCode(204)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  async remove(
    @Param('id') id: string,
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.stepUps.require(principal, reauthToken, 'remove_passkey', context);
    await this.passkeys.remove(principal, id, context);
  }
}
