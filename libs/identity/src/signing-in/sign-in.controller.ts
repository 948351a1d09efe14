import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public, type RequestContext } from '@app/platform';
import { Context } from '../shared/request-context.decorator';
import { SignInCommand, SignInResult } from './sign-in.command';
import { AuthenticatedDto, SignInDto } from './sign-in.dto';

@ApiTags('sign-up and sign-in')
@Controller('v1/sessions')
export class SignInController {
  constructor(private readonly commands: CommandBus) {}

  @Public()
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: AuthenticatedDto })
  @ApiUnauthorizedResponse({ description: 'invalid_credentials: wrong password, unknown address or locked account alike' })
  @ApiTooManyRequestsResponse({ description: 'rate_limited, with Retry-After' })
  signIn(@Body() body: SignInDto, @Context() context: RequestContext): Promise<SignInResult> {
    return this.commands.execute(new SignInCommand(body.email, body.password, context));
  }
}
