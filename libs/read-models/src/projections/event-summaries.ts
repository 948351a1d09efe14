import type { RecordedEvent } from '@app/event-store';
import {
  IdentityEvent,
  isIdentityEvent,
  type LoginFailedData,
  type PasskeyAssertionRejectedData,
  type PasskeyChallengePurpose,
  type SessionRevokedData,
} from '@app/identity-events';

const revocationWords: Record<SessionRevokedData['reason'], string> = {
  logout: 'Signed out',
  user: 'Session ended from another device',
  password_changed: 'Signed out because the password was changed',
  password_reset: 'Signed out because the password was reset',
  admin: 'Session ended by an administrator',
  expired: 'Session expired',
  erased: 'Signed out because the account was erased',
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

const passkeyPurposeWords: Record<PasskeyChallengePurpose, string> = {
  register: 'adding a passkey',
  sign_in: 'signing in',
  step_up: 'confirming identity',
  passwordless: 'signing in',
};

const passkeyRejectionWords: Record<PasskeyAssertionRejectedData['reason'], string> = {
  unknown_credential: 'Passkey refused: not one of this account',
  invalid: 'Passkey refused: the signature did not verify',
  counter: 'Passkey refused: its counter went back (a copied key?)',
};

const stepUpWords: Record<string, string> = {
  password: 'password',
  totp: 'authenticator app',
  email: 'email code',
  email_code: 'email code',
  passkey: 'passkey',
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
  register_passkey: 'adding a passkey',
  remove_passkey: 'removing a passkey',
};

const proofWords = (proof: { factor: string; purpose: string }) =>
  `${stepUpWords[proof.factor] ?? 'proof'} while ${purposeWords[proof.purpose] ?? 'confirming identity'}`;

function device(session: { browser: string | null; os: string | null }): string {
  if (session.browser && session.os) return `${session.browser} on ${session.os}`;
  return session.browser ?? session.os ?? 'an unknown device';
}

/** What happened, in words an auditor or the user understands. Never a secret, never a hash. */
export function summarize(recorded: RecordedEvent): string {
  if (!isIdentityEvent(recorded)) return words(recorded.type);
  const event = recorded;
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return 'Account created';
    case IdentityEvent.EmailClaimed:
      return 'Email address reserved for a new account';
    case IdentityEvent.PasswordChanged:
      return event.data.via === 'reset' ? 'Password changed by a reset' : 'Password changed';
    case IdentityEvent.PasswordRehashed:
      return 'Password storage upgraded to stronger hashing parameters';
    case IdentityEvent.LoginSucceeded:
      return event.data.secondFactorRequired ? 'Password accepted' : 'Signed in with the password';
    case IdentityEvent.LoginFailed:
      return failureWords[event.data.reason] ?? 'Failed sign-in';
    case IdentityEvent.AccountLocked: {
      const lock = event.data;
      return `Account locked until ${lock.until.slice(11, 16)} UTC after ${lock.failures} failed attempts`;
    }
    case IdentityEvent.SessionStarted: {
      const session = event.data;
      const where = session.location ? `, ${session.location}` : '';
      return `Session started on ${device(session)}${where}`;
    }
    case IdentityEvent.SessionRevoked:
      return revocationWords[event.data.reason] ?? 'Session ended';
    case IdentityEvent.StepUpCompleted:
      return `Identity confirmed (${stepUpWords[event.data.method] ?? 'confirmation'})`;
    case IdentityEvent.StepUpFailed:
      return `Identity confirmation failed (${stepUpWords[event.data.method] ?? 'confirmation'})`;
    case IdentityEvent.StepUpUsed:
      return `Identity confirmation used for ${purposeWords[event.data.action] ?? 'an action'}`;
    case IdentityEvent.AuthenticationFailed:
      return `Wrong ${proofWords(event.data)}`;
    case IdentityEvent.AuthenticationSucceeded:
      return `Right ${proofWords(event.data)} after failed attempts`;
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
      return `Recovery code used (${event.data.remaining} left)`;
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
      return `Second step of sign-in passed (${stepUpWords[event.data.method] ?? 'code'})`;
    case IdentityEvent.RegistrationRequested:
      return event.data.existingUserId
        ? 'Someone tried to sign up with this address; no account was created'
        : 'Sign-up started; waiting for the emailed code';
    case IdentityEvent.RegistrationCodeSent:
      return event.data.codeHash === null
        ? 'Sign-up code not sent: the address already has an account'
        : 'Sign-up code emailed';
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
      return `Email address changed from ${event.data.oldEmail} to ${event.data.newEmail}`;
    case IdentityEvent.EmailReleased:
      return 'Email address released: free to use for a new account';
    case IdentityEvent.PasswordResetRequested:
      return 'Password reset link emailed';
    case IdentityEvent.PasswordResetCompleted:
      return event.data.secondFactor
        ? `Password reset with the emailed link and ${stepUpWords[event.data.secondFactor] ?? 'a second factor'}`
        : 'Password reset with the emailed link';
    case IdentityEvent.ChallengeClosed:
      return `Unfinished sign-in ended: ${challengeClosedWords[event.data.reason] ?? 'the account changed'}`;
    case IdentityEvent.RolesChanged:
      return `Roles changed to ${event.data.roles.join(', ') || 'none'}`;
    case IdentityEvent.MfaResetByAdmin:
      return `Two-step verification reset by an administrator: ${event.data.reason.slice(0, 200)}`;
    case IdentityEvent.AccountLockedByAdmin:
      return 'Account locked by an administrator';
    case IdentityEvent.AccountUnlockedByAdmin:
      return 'Account unlocked by an administrator';
    case IdentityEvent.AccountUnlocked:
      return 'Sign-in lock lifted';
    case IdentityEvent.PasskeyChallengeIssued:
      return event.data.purpose === 'register' ? 'Passkey set-up started' : 'Passkey requested';
    case IdentityEvent.PasskeyChallengeUsed:
      return 'Passkey challenge answered';
    case IdentityEvent.PasskeyRegistered:
      // The name is the owner's data: null once they were erased.
      return `Passkey added${event.data.name ? `: ${event.data.name}` : ''}${event.data.backedUp ? ' (synced)' : ''}`;
    case IdentityEvent.PasskeyRenamed:
      return event.data.name ? `Passkey renamed to ${event.data.name}` : 'Passkey renamed';
    case IdentityEvent.PasskeyRemoved:
      return 'Passkey removed';
    case IdentityEvent.PersonalDataErased:
      return event.data.by === 'self'
        ? 'Account closed: personal data erased'
        : `Personal data erased by an administrator (reason: ${event.data.reason ?? 'none given'})`;
    case IdentityEvent.PasskeyAssertionAccepted:
      return event.data.purpose === 'passwordless'
        ? 'Signed in with a passkey'
        : `Passkey accepted while ${passkeyPurposeWords[event.data.purpose]}`;
    case IdentityEvent.PasskeyAssertionRejected:
      return passkeyRejectionWords[event.data.reason];
    default:
      return words(recorded.type);
  }
}

/** An event this code has no sentence for, named by its type: `SomethingHappened` is "Something Happened". */
const words = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1 $2');

/**
 * What the account holder reads in their own activity. An administrator's reason is written for
 * the audit log (a ticket, a note on how the person was identified): it stays there for auditors,
 * and the person reads plainly what was done to their account.
 */
export function summaryForAccountHolder(entry: { type: string; summary: string }): string {
  switch (entry.type) {
    case IdentityEvent.MfaResetByAdmin:
      return 'An administrator reset your two-step verification';
    case IdentityEvent.PersonalDataErased:
      return entry.summary.startsWith('Account closed') ? entry.summary : 'An administrator erased your personal data';
    default:
      return entry.summary;
  }
}
