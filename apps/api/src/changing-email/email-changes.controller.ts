import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiNoContentResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import type { RequestContext } from '@app/platform';
import { CodeDto } from '../mfa/mfa.dto';
import { IsDeliverableEmail } from '../registering-user/register-user.dto';
import type { Principal } from '@app/identity/sessions/principal';
import { CurrentPrincipal } from '../http/principal.decorator';
import { Context } from '../http/request-context.decorator';
import { EmailChanges } from '@app/identity/changing-email/email-changes.service';

export class ChangeEmailDto {
  @ApiProperty({ example: 'ada@new.example', maxLength: 254 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(254)
  @IsDeliverableEmail()
  newEmail!: string;
}

@ApiTags('self-service security')
@ApiBearerAuth()
@Controller('v1/me/email')
export class EmailChangesController {
  constructor(private readonly changes: EmailChanges) {}

  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'X-Reauth-Token', required: true })
  @ApiAcceptedResponse({ description: '{resendAvailableAt}: a code is sent to the new address (10 minutes)' })
  request(
    @Body() body: ChangeEmailDto,
    @Headers('x-reauth-token') reauthToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.changes.request(principal, reauthToken, body.newEmail, context);
  }

  @Post('confirm')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'The address is changed, the old one released and notified; 401 code_invalid; 409 email_taken',
  })
  async confirm(
    @Body() body: CodeDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ): Promise<void> {
    await this.changes.confirm(principal, body.code, context);
  }
}
