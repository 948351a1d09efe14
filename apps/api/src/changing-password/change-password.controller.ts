import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError, type RequestContext } from '@app/platform';
import { Context } from '../http/request-context.decorator';
import { CurrentPrincipal } from '../http/principal.decorator';
import type { Principal } from '@app/identity/sessions/principal';
import { ChangePasswordCommand } from '@app/identity/changing-password/change-password.command';
import { ChangePasswordHandler } from '@app/identity/changing-password/change-password.handler';
import { ChangePasswordDto } from './change-password.dto';

@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me/password')
export class ChangePasswordController {
  constructor(private readonly passwordChanges: ChangePasswordHandler) {}

  @Put()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is revoked' })
  @ApiBadRequestResponse({ description: 'password_policy (with reasons), current_password_invalid, validation_failed' })
  async change(
    @Body() body: ChangePasswordDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ): Promise<void> {
    if (body.newPassword !== body.newPasswordRepeat) {
      throw new ValidationFailedError([
        { field: 'newPasswordRepeat', message: 'newPasswordRepeat must equal newPassword' },
      ]);
    }
    await this.passwordChanges.execute(
      new ChangePasswordCommand(principal, body.currentPassword, body.newPassword, context),
    );
  }
}
