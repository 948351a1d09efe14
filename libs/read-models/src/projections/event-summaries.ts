import type { RecordedEvent } from '@app/event-store';
import {
  IdentityEvent,
  type AccountLockedData,
  type LoginFailedData,
  type SessionRevokedData,
  type SessionStartedData,
} from '@app/identity-events';

const revocationWords: Record<SessionRevokedData['reason'], string> = {
  logout: 'Signed out',
  user: 'Session ended from another device',
  password_changed: 'Signed out because the password was changed',
  password_reset: 'Signed out because the password was reset',
  admin: 'Session ended by an administrator',
  expired: 'Session expired',
};

const failureWords: Record<LoginFailedData['reason'], string> = {
  wrong_password: 'Failed sign-in: wrong password',
  unknown_account: 'Failed sign-in: no account with this address',
  account_locked: 'Sign-in refused: the account is temporarily locked',
};

const challengeClosedWords: Record<string, string> = {
  account_locked: 'the account was locked by an administrator',
  mfa_reset: 'two-step verification was reset by an administrator',
  password_changed: 'the password was changed',
};

const stepUpWords: Record<string, string> = {
  password: 'password',
  totp: 'authenticator app',
  email: 'email code',
  email_code: 'email code',
  recovery_code: 'recovery code',
};

const purposeWords: Record<string, string> = {
  sign_in: 'signing in',
  change_password: 'changing the password',
  step_up: 'confirming identity',
  confirm_totp: 'setting up the authenticator app',
  disable_totp: 'turning off the authenticator app',
  enable_email_mfa: 'turning on email codes',
  disable_email_mfa: 'turning off email codes',
  view_recovery_codes: 'viewing recovery codes',
  regenerate_recovery_codes: 'regenerating recovery codes',
  start_totp: 'setting up the authenticator app',
};

const proofWords = (data: Record<string, unknown>) =>
  `${stepUpWords[(data.factor as string) ?? ''] ?? 'proof'} while ${purposeWords[(data.purpose as string) ?? ''] ?? 'confirming identity'}`;

function device(data: { browser: string | null; os: string | null }): string {
  if (data.browser && data.os) return `${data.browser} on ${data.os}`;
  return data.browser ?? data.os ?? 'an unknown device';
}

/** What happened, in words an auditor or the user understands. Never a secret, never a hash. */
export function summarize(event: RecordedEvent): string {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return 'Account created';
    case IdentityEvent.EmailClaimed:
      return 'Email address reserved for a new account';
    case IdentityEvent.PasswordChanged:
      return data.via === 'reset' ? 'Password changed by a reset' : 'Password changed';
    case IdentityEvent.PasswordRehashed:
      return 'Password storage upgraded to stronger hashing parameters';
    case IdentityEvent.LoginSucceeded:
      return data.secondFactorRequired ? 'Password accepted' : 'Signed in with the password';
    case IdentityEvent.LoginFailed:
      return failureWords[(data as unknown as LoginFailedData).reason] ?? 'Failed sign-in';
    case IdentityEvent.AccountLocked: {
      const lock = data as unknown as AccountLockedData;
      return `Account locked until ${lock.until.slice(11, 16)} UTC after ${lock.failures} failed attempts`;
    }
    case IdentityEvent.SessionStarted: {
      const session = data as unknown as SessionStartedData;
      const where = session.location ? `, ${session.location}` : '';
      return `Session started on ${device(session)}${where}`;
    }
    case IdentityEvent.SessionRevoked:
      return revocationWords[(data as unknown as SessionRevokedData).reason] ?? 'Session ended';
    case IdentityEvent.StepUpCompleted:
      return `Identity confirmed (${stepUpWords[(data.method as string) ?? ''] ?? 'confirmation'})`;
    case IdentityEvent.StepUpFailed:
      return `Identity confirmation failed (${stepUpWords[(data.method as string) ?? ''] ?? 'confirmation'})`;
    case IdentityEvent.StepUpUsed:
      return `Identity confirmation used for ${purposeWords[(data.action as string) ?? ''] ?? 'an action'}`;
    case IdentityEvent.AuthenticationFailed:
      return `Wrong ${proofWords(data)}`;
    case IdentityEvent.AuthenticationSucceeded:
      return `Right ${proofWords(data)} after failed attempts`;
    case IdentityEvent.TotpEnrollmentStarted:
      return 'Authenticator app set-up started';
    case IdentityEvent.TotpEnrolled:
      return 'Authenticator app turned on';
    case IdentityEvent.TotpDisabled:
      return 'Authenticator app turned off';
    case IdentityEvent.TotpCodeAccepted:
      return 'Authenticator code accepted';
    case IdentityEvent.TotpCodeRejected:
      return 'Wrong authenticator code';
    case IdentityEvent.TotpReplayRejected:
      return 'Authenticator code refused: it had already been used';
    case IdentityEvent.EmailCodeSent:
      return 'Verification code sent by email';
    case IdentityEvent.EmailCodeFailed:
      return 'Wrong email verification code';
    case IdentityEvent.EmailMfaEnabled:
      return 'Email codes turned on';
    case IdentityEvent.EmailMfaDisabled:
      return 'Email codes turned off';
    case IdentityEvent.RecoveryCodesGenerated:
      return 'Recovery codes created';
    case IdentityEvent.RecoveryCodesRegenerated:
      return 'Recovery codes replaced; the old ones no longer work';
    case IdentityEvent.RecoveryCodesInvalidated:
      return 'Recovery codes invalidated';
    case IdentityEvent.RecoveryCodeUsed:
      return `Recovery code used (${data.remaining as number} left)`;
    case IdentityEvent.RecoveryCodeRejected:
      return 'Wrong recovery code';
    case IdentityEvent.RecoveryCodesViewed:
      return 'Recovery codes viewed';
    case IdentityEvent.ChallengeIssued:
      return 'Password accepted; second step requested';
    case IdentityEvent.ChallengeEmailCodeSent:
      return 'Sign-in code sent by email';
    case IdentityEvent.ChallengeFailed:
      return 'Failed second step of sign-in';
    case IdentityEvent.ChallengeCompleted:
      return `Second step of sign-in passed (${stepUpWords[(data.method as string) ?? ''] ?? 'code'})`;
    case IdentityEvent.RegistrationRequested:
      return data.existingUserId ? 'Someone tried to sign up with this address; no account was created' : 'Sign-up started; waiting for the emailed code';
    case IdentityEvent.RegistrationCodeSent:
      return data.codeHash === null ? 'Sign-up code not sent: the address already has an account' : 'Sign-up code emailed';
    case IdentityEvent.RegistrationCodeFailed:
      return 'Wrong sign-up code';
    case IdentityEvent.RegistrationConfirmed:
      return 'Email address confirmed; account created';
    case IdentityEvent.RegistrationExpired:
      return 'Sign-up expired before it was confirmed';
    case IdentityEvent.EmailChangeRequested:
      return 'Code sent to confirm a new email address';
    case IdentityEvent.EmailChangeCodeFailed:
      return 'Wrong code for the new email address';
    case IdentityEvent.EmailChanged:
      return `Email address changed from ${String(data.oldEmail ?? '')} to ${String(data.newEmail ?? '')}`;
    case IdentityEvent.EmailReleased:
      return 'Email address released: free to use for a new account';
    case IdentityEvent.PasswordResetRequested:
      return 'Password reset link emailed';
    case IdentityEvent.PasswordResetCompleted:
      return data.secondFactor ? `Password reset with the emailed link and ${stepUpWords[data.secondFactor as string] ?? 'a second factor'}` : 'Password reset with the emailed link';
    case IdentityEvent.ChallengeClosed:
      return `Unfinished sign-in ended: ${challengeClosedWords[(data.reason as string) ?? ''] ?? 'the account changed'}`;
    case IdentityEvent.RolesChanged:
      return `Roles changed to ${((data.roles as string[]) ?? []).join(', ') || 'none'}`;
    case IdentityEvent.MfaResetByAdmin:
      return `Two-step verification reset by an administrator: ${String(data.reason ?? '').slice(0, 200)}`;
    case IdentityEvent.AccountLockedByAdmin:
      return 'Account locked by an administrator';
    case IdentityEvent.AccountUnlockedByAdmin:
      return 'Account unlocked by an administrator';
    case IdentityEvent.AccountUnlocked:
      return 'Sign-in lock lifted';
    default:
      return event.type.replace(/([a-z])([A-Z])/g, '$1 $2');
  }
}
