import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChangePasswordController } from './changing-password/change-password.controller';
import { ChangePasswordHandler } from './changing-password/change-password.handler';
import { RegisterUserController } from './registering-user/register-user.controller';
import { RegisterUserHandler } from './registering-user/register-user.handler';
import { CurrentSessionController } from './sessions/current-session.controller';
import { MySessionsController } from './sessions/my-sessions.controller';
import { SessionActivity } from './sessions/session-activity';
import { SessionAuthenticator } from './sessions/session-authenticator';
import { SessionRevoker } from './sessions/session-revoker';
import { AccountDirectory } from './shared/account-directory';
import { FailureBudget } from './shared/failure-budget';
import { WriteModelModule } from './shared/write-model.module';
import { ReadYourWrites } from './shared/read-your-writes';
import { SignInController } from './signing-in/sign-in.controller';
import { SignInHandler } from './signing-in/sign-in.handler';
import { MeController } from './viewing-account/me.controller';
import { MfaController } from './mfa/mfa.controller';
import { MfaCrypto } from './mfa/mfa-crypto';
import { MfaService } from './mfa/mfa.service';
import { SecondFactorController } from './second-factor/second-factor.controller';
import { SecondFactorService } from './second-factor/second-factor.service';
import { SessionStarter } from './sessions/session-starter';
import { AdminActionsController } from './administering/admin-actions.controller';
import { AdminQueriesController } from './administering/admin-queries.controller';
import { AdminService } from './administering/admin.service';
import { BootstrapAdmin } from './administering/bootstrap-admin';
import { PasswordResetsController } from './resetting-password/password-resets.controller';
import { PasswordResets } from './resetting-password/password-resets.service';
import { SignUps } from './registering-user/sign-ups.service';
import { EmailChangesController } from './changing-email/email-changes.controller';
import { EmailChanges } from './changing-email/email-changes.service';

const commandHandlers = [RegisterUserHandler, SignInHandler, ChangePasswordHandler];
const controllers = [
  RegisterUserController,
  SignInController,
  CurrentSessionController,
  MeController,
  MySessionsController,
  ChangePasswordController,
  MfaController,
  SecondFactorController,
  AdminQueriesController,
  AdminActionsController,
  PasswordResetsController,
  EmailChangesController,
];

/** The identity use cases. Expects StorageModule and SecurityModule to be imported globally. */
@Module({
  imports: [CqrsModule, WriteModelModule],
  controllers,
  providers: [
    ReadYourWrites,
    AccountDirectory,
    FailureBudget,
    SessionActivity,
    SessionRevoker,
    SessionAuthenticator,
    SessionStarter,
    MfaCrypto,
    MfaService,
    SecondFactorService,
    AdminService,
    BootstrapAdmin,
    PasswordResets,
    SignUps,
    EmailChanges,
    ...commandHandlers,
  ],
  exports: [SessionAuthenticator],
})
export class IdentityModule {}
