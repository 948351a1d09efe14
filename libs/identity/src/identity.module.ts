import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RegisterUserController } from './registering-user/register-user.controller';
import { RegisterUserHandler } from './registering-user/register-user.handler';
import { CommandExecutor } from './shared/command-executor';
import { ReadYourWrites } from './shared/read-your-writes';

const commandHandlers = [RegisterUserHandler];
const controllers = [RegisterUserController];

/** The identity use cases. Expects StorageModule and SecurityModule to be imported globally. */
@Module({
  imports: [CqrsModule],
  controllers,
  providers: [CommandExecutor, ReadYourWrites, ...commandHandlers],
})
export class IdentityModule {}
