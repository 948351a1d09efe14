import { Module } from '@nestjs/common';
import { ChangePasswordHandler } from './changing-password/change-password.handler';
import { RegisterUserHandler } from './registering-user/register-user.handler';
import { SessionActivity } from './sessions/session-activity';
import { SessionAuthenticator } from './sessions/session-authenticator';
import { SessionRevoker } from './sessions/session-revoker';
import { AccountDirectory } from './shared/account-directory';
import { EmailIndex } from './shared/email-index';
import { EmailIndexMigration } from './shared/email-index-migration';
import { FailureBudget } from './shared/failure-budget';
import { WriteModelModule } from './shared/write-model.module';
import { ReadYourWrites } from './shared/read-your-writes';
import { SignInHandler } from './signing-in/sign-in.handler';
import { MfaCrypto } from './shared/mfa-crypto';
import { EmailCodeMethod } from './second-factors/email-code/email-code.method';
import { PasskeyMethod } from './second-factors/passkey/passkey.method';
import { PasskeySignIn } from './signing-in/passkey-sign-in.service';
import { RecoveryCodesMethod } from './second-factors/recovery-codes/recovery-codes.method';
import { SecondFactorRegistry } from './second-factors/second-factor-registry';
import { TotpMethod } from './second-factors/totp/totp.method';
import { StepUps } from './stepping-up/step-ups.service';
import { SecondFactorService } from './second-factor/second-factor.service';
import { SessionStarter } from './sessions/session-starter';
import { AdminService } from './administering/admin.service';
import { BootstrapAdmin } from './administering/bootstrap-admin';
import { PasswordResets } from './resetting-password/password-resets.service';
import { SignUps } from './registering-user/sign-ups.service';
import { EmailChanges } from './changing-email/email-changes.service';
import { AuditQueries } from './querying/audit-queries';
import { StatsQueries } from './querying/stats-queries';
import { UserQueries } from './querying/user-queries';
import { UserAsOfQueries } from './querying/user-as-of';
import { SessionQueries } from './querying/session-queries';
import { Erasures } from './erasing-personal-data/erasures.service';

/** What the HTTP edge (apps/api) calls: provided here and exported. */
const usedByTheEdge = [
  RegisterUserHandler,
  SignInHandler,
  ChangePasswordHandler,
  SessionAuthenticator,
  SessionActivity,
  SessionRevoker,
  ReadYourWrites,
  TotpMethod,
  EmailCodeMethod,
  RecoveryCodesMethod,
  PasskeyMethod,
  PasskeySignIn,
  SecondFactorRegistry,
  StepUps,
  SecondFactorService,
  AdminService,
  PasswordResets,
  SignUps,
  EmailChanges,
  Erasures,
  SessionQueries,
  EmailIndex,
  UserQueries,
  UserAsOfQueries,
  AuditQueries,
  StatsQueries,
];

/**
 * The identity use cases (domain, ports and their services); the HTTP edge is in apps/api.
 * Expects StorageModule and SecurityModule to be imported globally.
 */
@Module({
  imports: [WriteModelModule],
  providers: [
    EmailIndexMigration,
    AccountDirectory,
    FailureBudget,
    SessionStarter,
    MfaCrypto,
    BootstrapAdmin,
    ...usedByTheEdge,
  ],
  exports: [WriteModelModule, ...usedByTheEdge],
})
export class IdentityModule {}
