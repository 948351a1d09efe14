import { Module } from '@nestjs/common';
import { AuditTrailModule } from '@app/audit-trail';
import { IdentityModule } from '@app/identity';
import { ChangePasswordController } from './changing-password/change-password.controller';
import { RegisterUserController } from './registering-user/register-user.controller';
import { CurrentSessionController } from './sessions/current-session.controller';
import { MySessionsController } from './sessions/my-sessions.controller';
import { SignInController } from './signing-in/sign-in.controller';
import { MeController } from './viewing-account/me.controller';
import { MfaController } from './mfa/mfa.controller';
import { SecondFactorController } from './second-factor/second-factor.controller';
import { AdminActionsController } from './administering/admin-actions.controller';
import { AdminQueriesController } from './administering/admin-queries.controller';
import { PasswordResetsController } from './resetting-password/password-resets.controller';
import { EmailChangesController } from './changing-email/email-changes.controller';
import { PasskeysController } from './passkeys/passkeys.controller';
import { PasskeySignInController } from './signing-in/passkey-sign-in.controller';
import { IntegrityController } from './checking-integrity/integrity.controller';

/** The HTTP edge of the identity use cases: controllers and DTOs, one folder per use case. */
@Module({
  imports: [IdentityModule, AuditTrailModule],
  controllers: [
    ChangePasswordController,
    RegisterUserController,
    CurrentSessionController,
    MySessionsController,
    SignInController,
    MeController,
    MfaController,
    SecondFactorController,
    AdminActionsController,
    AdminQueriesController,
    PasswordResetsController,
    EmailChangesController,
    PasskeysController,
    PasskeySignInController,
    IntegrityController,
  ],
})
export class IdentityHttpModule {}
