import { Body, Controller, Delete, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError, type RequestContext } from '@app/platform';
import { Context } from '../http/request-context.decorator';
import { CurrentPrincipal } from '../http/principal.decorator';
import type { Principal } from '@app/identity/sessions/principal';
import { CodeDto, ReauthDto } from './mfa.dto';
import { EmailCodeMethod } from '@app/identity/second-factors/email-code/email-code.method';
import { RecoveryCodesMethod } from '@app/identity/second-factors/recovery-codes/recovery-codes.method';
import { TotpMethod } from '@app/identity/second-factors/totp/totp.method';
import { StepUps } from '@app/identity/stepping-up/step-ups.service';

/** Step-up, the authenticator app, email codes and recovery codes of the signed-in user. */
@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me')
export class MfaController {
  constructor(
    private readonly stepUps: StepUps,
    private readonly totp: TotpMethod,
    private readonly email: EmailCodeMethod,
    private readonly recoveryCodes: RecoveryCodesMethod,
  ) {}

  @Post('reauth')
  @HttpCode(201)
  reauth(@Body() body: ReauthDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    const byPassword = body.password !== undefined;
    const byCode = body.method !== undefined && (body.code !== undefined) !== (body.assertion !== undefined);
    if (byPassword === byCode) {
      throw new ValidationFailedError([{ field: '', message: 'Send either {password} or {method, code}.' }]);
    }
    return this.stepUps.reauthenticate(principal, body, context);
  }

  @Post('reauth/passkey-options')
  @HttpCode(200)
  reauthPasskeyOptions(@CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.stepUps.startAnswer(principal, 'passkey', context);
  }

  @Post('reauth/email-code')
  @HttpCode(202)
  reauthEmailCode(@CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.email.send(principal, 'reauthenticate', context);
  }

  @Post('mfa/totp')
  @HttpCode(201)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  async startTotp(
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.stepUps.require(principal, reauthToken, 'start_totp', context);
    return this.totp.start(principal, context);
  }

  @Post('mfa/totp/confirm')
  @HttpCode(200)
  confirmTotp(@Body() body: CodeDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.totp.confirm(principal, body.code, context);
  }

  @Delete('mfa/totp')
  @HttpCode(204)
  async disableTotp(
    @Body() body: CodeDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.totp.disable(principal, body.code, context);
  }

  @Post('mfa/email')
  @HttpCode(202)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  async startEmail(
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.stepUps.require(principal, reauthToken, 'enable_email_mfa', context);
    return this.email.send(principal, 'enable_email_mfa', context);
  }

  @Post('mfa/email/confirm')
  @HttpCode(200)
  async confirmEmail(
    @Body() body: CodeDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.email.confirm(principal, body.code, true, context);
    return { enabled: true };
  }

  @Post('mfa/email/disable-code')
  @HttpCode(202)
  disableEmailCode(@CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.email.send(principal, 'disable_email_mfa', context);
  }

  @Delete('mfa/email')
  @HttpCode(204)
  async disableEmail(
    @Body() body: CodeDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    await this.email.confirm(principal, body.code, false, context);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  viewRecoveryCodes(
    @Body() body: CodeDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.recoveryCodes.view(principal, body.code, context);
  }

  @Post('recovery-codes/regenerate')
  @HttpCode(200)
  regenerateRecoveryCodes(
    @Body() body: CodeDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.recoveryCodes.regenerate(principal, body.code, context);
  }
}
