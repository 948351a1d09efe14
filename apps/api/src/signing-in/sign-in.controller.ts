import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type RequestContext } from '@app/platform';
import { Public } from '@app/http-edge';
import { Context } from '../http/request-context.decorator';
import { SignInCommand, SignInResult } from '@app/identity/signing-in/sign-in.command';
import { SignInHandler } from '@app/identity/signing-in/sign-in.handler';
import type { MfaRequired } from '@app/identity/second-factor/second-factor.service';
import { AuthenticatedDto, SignInDto } from './sign-in.dto';

@ApiTags('sign-up and sign-in')
@Controller('v1/sessions')
export class SignInController {
  constructor(private readonly signIns: SignInHandler) {}

  @Public()
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: AuthenticatedDto })
  @ApiUnauthorizedResponse({
    description: 'invalid_credentials: wrong password, unknown address or locked account alike',
  })
  @ApiTooManyRequestsResponse({ description: 'rate_limited, with Retry-After' })
  @ApiOkResponse({
    description:
      '{status:"mfa_required", challengeId, methods, expiresAt}: answer at POST /v1/sessions/challenges/{challengeId}',
  })
  async signIn(
    @Body() body: SignInDto,
    @Context() context: RequestContext,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<SignInResult | MfaRequired> {
    const result: SignInResult | MfaRequired = await this.signIns.execute(
      new SignInCommand(body.email, body.password, context),
    );
    if (result.status === 'mfa_required') response.status(200);
    return result;
  }
}
