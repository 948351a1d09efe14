import { Body, Controller, Delete, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError, type RequestContext } from '@app/platform';
import { Context } from '../http/request-context.decorator';
import { CurrentPrincipal } from '../http/principal.decorator';
import type { Principal } from '@app/identity/sessions/principal';
import { CodeDto, ReauthDto } from './mfa.dto';
import { MfaService } from '@app/identity/mfa/mfa.service';

/** Step-up, the authenticator app, email codes and recovery codes of the signed-in user. */
@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('reauth')
  @HttpCode(201)
  reauth(@Body() body: ReauthDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    const byPassword = body.password !== undefined;
    const byCode = body.method !== undefined && body.code !== undefined;
    if (byPassword === byCode) {
      throw new ValidationFailedError([{ field: '', message: 'Send either {password} or {method, code}.' }]);
    }
    return this.mfa.reauthenticate(principal, body, context);
  }

  @Post('reauth/email-code')
  @HttpCode(202)
  reauthEmailCode(@CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.mfa.sendEmailCode(principal, 'reauthenticate', context);
  }

  @Post('mfa/totp')
  @HttpCode(201)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  async startTotp(
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.mfa.requireStepUp(principal, reauthToken, 'start_totp', context);
    return this.mfa.startTotp(principal, context);
  }

  @Post('mfa/totp/confirm')
  @HttpCode(200)
  confirmTotp(@Body() body: CodeDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.mfa.confirmTotp(principal, body.code, context);
  }

  @Delete('mfa/totp')
  @HttpCode(204)
  async disableTotp(@Body() body: CodeDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    await this.mfa.disableTotp(principal, body.code, context);
  }

  @Post('mfa/email')
  @HttpCode(202)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  async startEmail(
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.mfa.requireStepUp(principal, reauthToken, 'enable_email_mfa', context);
    return this.mfa.sendEmailCode(principal, 'enable_email_mfa', context);
  }

  @Post('mfa/email/confirm')
  @HttpCode(200)
  async confirmEmail(@Body() body: CodeDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    await this.mfa.confirmEmail(principal, body.code, true, context);
    return { enabled: true };
  }

  @Post('mfa/email/disable-code')
  @HttpCode(202)
  disableEmailCode(@CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.mfa.sendEmailCode(principal, 'disable_email_mfa', context);
  }

  @Delete('mfa/email')
  @HttpCode(204)
  async disableEmail(@Body() body: CodeDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    await this.mfa.confirmEmail(principal, body.code, false, context);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  viewRecoveryCodes(@Body() body: CodeDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.mfa.viewRecoveryCodes(principal, body.code, context);
  }

  @Post('recovery-codes/regenerate')
  @HttpCode(200)
  regenerateRecoveryCodes(@Body() body: CodeDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.mfa.regenerateRecoveryCodes(principal, body.code, context);
  }
}
