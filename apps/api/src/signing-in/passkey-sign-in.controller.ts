import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { Public } from '@app/http-edge';
import { type RequestContext } from '@app/platform';
import { PasskeySignIn } from '@app/identity/signing-in/passkey-sign-in.service';
import { Context } from '../http/request-context.decorator';

export class PasskeySignInDto {
  @ApiProperty({
    description: 'The answer of navigator.credentials.get() to the options (as @simplewebauthn/browser returns it)',
  })
  @IsObject()
  assertion!: Record<string, unknown>;
}

/** Sign-in with a passkey alone (a discoverable credential that verifies its user). */
@ApiTags('sign-up and sign-in')
@Controller('v1/sessions/passkey')
export class PasskeySignInController {
  constructor(private readonly passkeySignIn: PasskeySignIn) {}

  @Public()
  @Post('options')
  @HttpCode(200)
  options(@Context() context: RequestContext) {
    return this.passkeySignIn.options(context);
  }

  @Public()
  @Post()
  @HttpCode(201)
  signIn(@Body() body: PasskeySignInDto, @Context() context: RequestContext) {
    return this.passkeySignIn.signIn(body.assertion, context);
  }
}
