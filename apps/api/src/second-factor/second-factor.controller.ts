import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { ValidationFailedError, type RequestContext } from '@app/platform';
import { Public } from '@app/http-edge';
import { Context } from '../http/request-context.decorator';
import { SecondFactorService } from '@app/identity/second-factor/second-factor.service';

export class ChallengeAnswerDto {
  /** One of the challenge's `methods` (`totp`, `email`, `recovery_code`, ...). */
  @ApiProperty({ example: 'totp' })
  @IsString()
  @MaxLength(32)
  method!: string;

  @ApiPropertyOptional({ description: 'A code (app, email, recovery)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  code?: string;

  @ApiPropertyOptional({
    description: "A passkey's answer (navigator.credentials.get(), as @simplewebauthn/browser returns it)",
  })
  @IsOptional()
  @IsObject()
  assertion?: Record<string, unknown>;
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

  /** The options for navigator.credentials.get(), when the challenge offers `passkey`. */
  @Public()
  @Post(':challengeId/passkey-options')
  @HttpCode(200)
  passkeyOptions(@Param('challengeId', new ParseUUIDPipe()) challengeId: string, @Context() context: RequestContext) {
    return this.secondFactor.startAnswer(challengeId, 'passkey', context);
  }

  @Public()
  @Post(':challengeId')
  @HttpCode(201)
  answer(
    @Param('challengeId', new ParseUUIDPipe()) challengeId: string,
    @Body() body: ChallengeAnswerDto,
    @Context() context: RequestContext,
  ) {
    if ((body.code === undefined) === (body.assertion === undefined)) {
      throw new ValidationFailedError([{ field: '', message: 'Send either {method, code} or {method, assertion}.' }]);
    }
    return this.secondFactor.verify(challengeId, body.method, body, context);
  }
}
