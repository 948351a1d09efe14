import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { type RequestContext } from '@app/platform';
import { Public } from '@app/http-edge';
import { Context } from '../http/request-context.decorator';
import { SecondFactorService } from '@app/identity/second-factor/second-factor.service';

export class ChallengeAnswerDto {
  /** One of the challenge's `methods` (`totp`, `email`, `recovery_code`, ...). */
  @ApiProperty({ example: 'totp' })
  @IsString()
  @MaxLength(32)
  method!: string;

  @ApiProperty() @IsString() @MaxLength(64) code!: string;
}

/** Public: the challenge id itself, from the password step, is what identifies the sign-in. */
@ApiTags('sign-up and sign-in')
@Controller('v1/sessions/challenges')
export class SecondFactorController {
  constructor(private readonly secondFactor: SecondFactorService) {}

  @Public()
  @Post(':challengeId/email-code')
  @HttpCode(202)
  sendEmailCode(@Param('challengeId', new ParseUUIDPipe()) challengeId: string, @Context() context: RequestContext) {
    return this.secondFactor.sendEmailCode(challengeId, context);
  }

  @Public()
  @Post(':challengeId')
  @HttpCode(201)
  answer(
    @Param('challengeId', new ParseUUIDPipe()) challengeId: string,
    @Body() body: ChallengeAnswerDto,
    @Context() context: RequestContext,
  ) {
    return this.secondFactor.verify(challengeId, body.method, body.code, context);
  }
}
