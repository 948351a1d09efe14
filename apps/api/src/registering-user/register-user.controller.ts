import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { type RequestContext } from '@app/platform';
import { Public } from '@app/http-edge';
import { CodeDto } from '../mfa/mfa.dto';
import { Context } from '../http/request-context.decorator';
import { RegisteredUserDto, RegisterUserDto, RegistrationStartedDto, ResendAvailableDto } from './register-user.dto';
import { SignUps } from '@app/identity/registering-user/sign-ups.service';

/** Sign-up that proves the address: a code by mail, then the account. */
@ApiTags('sign-up and sign-in')
@Controller('v1/users')
export class RegisterUserController {
  constructor(private readonly signUps: SignUps) {}

  @Public()
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: RegistrationStartedDto,
    description: 'The same for a taken address: nothing is created then, and its owner is emailed',
  })
  register(@Body() body: RegisterUserDto, @Context() context: RequestContext): Promise<RegistrationStartedDto> {
    return this.signUps.request(body.email, body.password, context);
  }

  @Public()
  @Post('registrations/:registrationId')
  @HttpCode(201)
  @ApiCreatedResponse({
    type: RegisteredUserDto,
    description: 'The address is verified and the account exists; 401 code_invalid',
  })
  confirm(
    @Param('registrationId', new ParseUUIDPipe()) registrationId: string,
    @Body() body: CodeDto,
    @Context() context: RequestContext,
  ): Promise<RegisteredUserDto> {
    return this.signUps.confirm(registrationId, body.code, context);
  }

  @Public()
  @Post('registrations/:registrationId/email-code')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: ResendAvailableDto,
    description: 'A new code (the old one stops working); 429 inside the 60 s cooldown',
  })
  resend(
    @Param('registrationId', new ParseUUIDPipe()) registrationId: string,
    @Context() context: RequestContext,
  ): Promise<ResendAvailableDto> {
    return this.signUps.resend(registrationId, context);
  }
}
