import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ValidationFailedError, type RequestContext } from '@app/platform';
import { Public } from '@app/http-edge';
import { Context } from '../http/request-context.decorator';
import { ConfirmPasswordResetDto, RequestPasswordResetDto } from './password-resets.dto';
import { PasswordResets } from '@app/identity/resetting-password/password-resets.service';

@ApiTags('sign-up and sign-in')
@Controller('v1/password-resets')
export class PasswordResetsController {
  constructor(private readonly resets: PasswordResets) {}

  @Public()
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'The same for any address; a known one is emailed a link (30 minutes, single use)',
  })
  async request(
    @Body() body: RequestPasswordResetDto,
    @Context() context: RequestContext,
  ): Promise<Record<string, never>> {
    await this.resets.request(body.email, context);
    return {};
  }

  @Public()
  @Post('confirm')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The password is reset; every session of the account is ended' })
  @ApiBadRequestResponse({
    description: 'token_invalid (unknown, used or expired), password_policy, validation_failed',
  })
  @ApiForbiddenResponse({ description: 'mfa_required with `methods`: send secondFactor (the token is not spent)' })
  async confirm(@Body() body: ConfirmPasswordResetDto, @Context() context: RequestContext): Promise<void> {
    if (body.newPassword !== body.newPasswordRepeat) {
      throw new ValidationFailedError([
        { field: 'newPasswordRepeat', message: 'newPasswordRepeat must equal newPassword' },
      ]);
    }
    await this.resets.confirm(body.token, body.newPassword, body.secondFactor, context);
  }
}
