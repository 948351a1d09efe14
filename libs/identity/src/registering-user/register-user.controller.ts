import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public, type RequestContext } from '@app/platform';
import { Context } from '../shared/request-context.decorator';
import { RegisterUserCommand } from './register-user.command';
import { RegisteredUserDto, RegisterUserDto } from './register-user.dto';

@ApiTags('sign-up and sign-in')
@Controller('v1/users')
export class RegisterUserController {
  constructor(private readonly commands: CommandBus) {}

  @Public()
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: RegisteredUserDto })
  @ApiConflictResponse({ description: 'email_taken' })
  register(@Body() body: RegisterUserDto, @Context() context: RequestContext): Promise<RegisteredUserDto> {
    return this.commands.execute(new RegisterUserCommand(body.email, body.password, context));
  }
}
