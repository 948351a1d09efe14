/**
 * Event types of the identity domain. Names are past tense and never renamed: they are the audit
 * trail. Payloads never hold a password, a code or a token in plaintext.
 */
export const IdentityEvent = {
  EmailClaimed: 'EmailClaimed',
  EmailReleased: 'EmailReleased',
  EmailChangeRequested: 'EmailChangeRequested',
  EmailChangeCodeFailed: 'EmailChangeCodeFailed',
  EmailChanged: 'EmailChanged',
  RegistrationRequested: 'RegistrationRequested',
  RegistrationCodeSent: 'RegistrationCodeSent',
  RegistrationCodeFailed: 'RegistrationCodeFailed',
  RegistrationConfirmed: 'RegistrationConfirmed',
  RegistrationExpired: 'RegistrationExpired',
  UserRegistered: 'UserRegistered',
  PasswordChanged: 'PasswordChanged',
  PasswordRehashed: 'PasswordRehashed',
  PasswordResetRequested: 'PasswordResetRequested',
  PasswordResetCompleted: 'PasswordResetCompleted',
  LoginSucceeded: 'LoginSucceeded',
  LoginFailed: 'LoginFailed',
  AccountLocked: 'AccountLocked',
  SessionStarted: 'SessionStarted',
  SessionRevoked: 'SessionRevoked',
  StepUpCompleted: 'StepUpCompleted',
  StepUpFailed: 'StepUpFailed',
  StepUpUsed: 'StepUpUsed',
  TotpEnrollmentStarted: 'TotpEnrollmentStarted',
  TotpEnrolled: 'TotpEnrolled',
  TotpCodeAccepted: 'TotpCodeAccepted',
  TotpCodeRejected: 'TotpCodeRejected',
  TotpReplayRejected: 'TotpReplayRejected',
  TotpDisabled: 'TotpDisabled',
  EmailCodeSent: 'EmailCodeSent',
  EmailCodeFailed: 'EmailCodeFailed',
  EmailMfaEnabled: 'EmailMfaEnabled',
  EmailMfaDisabled: 'EmailMfaDisabled',
  RecoveryCodesGenerated: 'RecoveryCodesGenerated',
  RecoveryCodesRegenerated: 'RecoveryCodesRegenerated',
  RecoveryCodesInvalidated: 'RecoveryCodesInvalidated',
  RecoveryCodeUsed: 'RecoveryCodeUsed',
  RecoveryCodeRejected: 'RecoveryCodeRejected',
  RecoveryCodesViewed: 'RecoveryCodesViewed',
  ChallengeIssued: 'ChallengeIssued',
  ChallengeEmailCodeSent: 'ChallengeEmailCodeSent',
  ChallengeFailed: 'ChallengeFailed',
  ChallengeCompleted: 'ChallengeCompleted',
  ChallengeClosed: 'ChallengeClosed',
  RolesChanged: 'RolesChanged',
  MfaResetByAdmin: 'MfaResetByAdmin',
  AccountLockedByAdmin: 'AccountLockedByAdmin',
  AccountUnlockedByAdmin: 'AccountUnlockedByAdmin',
  AccountUnlocked: 'AccountUnlocked',
  AuthenticationFailed: 'AuthenticationFailed',
  AuthenticationSucceeded: 'AuthenticationSucceeded',
  PasskeyChallengeIssued: 'PasskeyChallengeIssued',
  PasskeyChallengeUsed: 'PasskeyChallengeUsed',
  PasskeyRegistered: 'PasskeyRegistered',
  PasskeyRenamed: 'PasskeyRenamed',
  PasskeyRemoved: 'PasskeyRemoved',
  PasskeyAssertionAccepted: 'PasskeyAssertionAccepted',
  PasskeyAssertionRejected: 'PasskeyAssertionRejected',
  PersonalDataErased: 'PersonalDataErased',
} as const;

/** What was offered as proof of identity, counted against the account's one failure budget. */
export type ProofFactor = 'password' | 'totp' | 'email_code' | 'recovery_code' | 'passkey';
/** Where it was offered. */
export type ProofPurpose =
  | 'sign_in'
  | 'change_password'
  | 'step_up'
  | 'confirm_totp'
  | 'disable_totp'
  | 'enable_email_mfa'
  | 'disable_email_mfa'
  | 'view_recovery_codes'
  | 'regenerate_recovery_codes'
  | 'reset_password'
  | 'change_email';

/** A wrong proof other than the password at sign-in (that one is LoginFailed): spends the budget. */
export type AuthenticationFailedData = {
  userId: string;
  factor: ProofFactor;
  purpose: ProofPurpose;
};

/** A proof accepted after failures: the budget starts over (recorded only when there were failures). */
export type AuthenticationSucceededData = {
  userId: string;
  factor: ProofFactor;
  purpose: ProofPurpose;
};

export const ROLES = ['admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export type RolesChangedData = {
  userId: string;
  roles: Role[];
  previousRoles: string[];
};

/** An administrator removed every second factor and recovery code of the user. */
export type MfaResetByAdminData = {
  userId: string;
  reason: string;
};

export type AccountLockedByAdminData = {
  userId: string;
};

export type AccountUnlockedByAdminData = {
  userId: string;
};

/** Events that need to name only the account (TotpDisabled, AccountUnlocked, ...). */
export type UserRefData = {
  userId: string;
};

export type EmailClaimedData = {
  userId: string;
};

export type UserRegisteredData = {
  userId: string;
  /** As the user typed it (trimmed). */
  email: string;
  /** Lower-cased: what uniqueness and search use. */
  emailNormalized: string;
  /** argon2id PHC string; password events are the only events that carry it. */
  passwordHash: string;
  roles: string[];
  /** How the address was proved: a code mailed to it (`code`), or an operator (bootstrap, shell). Absent on older accounts. */
  emailVerifiedBy?: 'code' | 'operator';
};

/**
 * A sign-up waiting for its address to be proved. For an address that already has an account
 * nothing can be confirmed (`existingUserId` is set, no password hash is kept) and its owner is
 * told instead; seen from outside, both look the same.
 */
export type RegistrationRequestedData = {
  registrationId: string;
  email: string;
  emailNormalized: string;
  /** argon2id PHC string; absent when the address was taken. */
  passwordHash?: string;
  existingUserId: string | null;
  expiresAt: string;
};

export type RegistrationCodeSentData = {
  registrationId: string;
  codeId: string;
  /** Keyed hash of the mailed code; null when the address was taken (a notice went to its owner). */
  codeHash: string | null;
  expiresAt: string;
};

export type RegistrationCodeFailedData = {
  registrationId: string;
  codeId: string | null;
};

export type RegistrationExpiredData = {
  registrationId: string;
};

export type RegistrationConfirmedData = {
  registrationId: string;
  userId: string;
};

export type PasswordChangedData = {
  userId: string;
  passwordHash: string;
  /** The session that made the change: it stays signed in, every other one is revoked. */
  sessionId: string | null;
  /** Set when the change came from a "forgot password" link (no session made it). */
  via?: 'reset';
};

/** A code was mailed to the new address; the change happens when it comes back. */
export type EmailChangeRequestedData = {
  userId: string;
  newEmail: string;
  newEmailNormalized: string;
  codeId: string;
  /** Keyed hash of the mailed code. */
  codeHash: string;
  expiresAt: string;
};

export type EmailChangeCodeFailedData = {
  userId: string;
  codeId: string;
};

export type EmailChangedData = {
  userId: string;
  oldEmail: string;
  newEmail: string;
  newEmailNormalized: string;
};

/** A "forgot password" link was emailed: only the SHA-256 of its 256-bit token is kept. */
export type PasswordResetRequestedData = {
  userId: string;
  tokenHash: string;
  expiresAt: string;
};

export type PasswordResetCompletedData = {
  userId: string;
  /** The second factor the reset also took, when the account has one. */
  secondFactor: string | null;
};

/** The same password, hashed again with the current (stronger) parameters at sign-in. */
export type PasswordRehashedData = {
  userId: string;
  passwordHash: string;
};

export type LoginFailureReason = 'wrong_password' | 'unknown_account' | 'account_locked';

/** Sign-in attempts live in `signin-{index of the email}`: one stream per address, known or not. */
export type LoginFailedData = {
  userId: string | null;
  reason: LoginFailureReason;
};

export type LoginSucceededData = {
  userId: string;
  /** The session that starts now, or the MFA challenge that the password opened. */
  sessionId: string;
  secondFactorRequired?: boolean;
};

export type AccountLockedData = {
  userId: string;
  /** ISO time the automatic lock ends. */
  until: string;
  /** Failures that triggered it. */
  failures: number;
  /** 1 for the first lock in the lock memory window, growing after that. */
  lockNumber: number;
};

/**
 * RFC 8176 values: `hwk` a passkey (proof of possession of a key); `mfa` the passkey's own user
 * verification (PIN or biometric) made it two factors on its own.
 */
export type AuthenticationMethod = 'pwd' | 'otp' | 'email' | 'recovery_code' | 'hwk' | 'mfa';

export type SessionStartedData = {
  sessionId: string;
  userId: string;
  /** SHA-256 of the bearer token, hex: the token itself is never stored. */
  tokenHash: string;
  amr: AuthenticationMethod[];
  browser: string | null;
  os: string | null;
  ip: string | null;
  location: string | null;
  /** ISO time of the absolute expiry. */
  expiresAt: string;
  idleTimeoutSeconds: number;
};

export type SessionRevocationReason =
  | 'logout'
  | 'user'
  | 'password_changed'
  | 'password_reset'
  | 'admin'
  | 'expired'
  /** The account's personal data was erased: it has no sessions any more. */
  | 'erased';

/** Which administrator action ended a session (reason `admin`); absent on events older than issue 17. */
export type SessionRevokedByAdminAction = 'mfa_reset' | 'lock' | 'revoke_sessions';

export type SessionRevokedData = {
  sessionId: string;
  userId: string;
  reason: SessionRevocationReason;
  adminAction?: SessionRevokedByAdminAction;
};

export type MfaMethod = 'totp' | 'email';
export type EmailCodePurpose = 'sign_in' | 'enable_email_mfa' | 'disable_email_mfa' | 'reauthenticate';
/** `password`, or the id of a second factor method (`totp`, `email`, ...). */
export type StepUpMethod = string;

/** A fresh confirmation of identity; the reauth token (only its hash here) is bound to the session. */
export type StepUpCompletedData = {
  userId: string;
  sessionId: string;
  method: StepUpMethod;
  tokenHash: string;
  expiresAt: string;
  /** The mailed code it used up (method `email`). */
  codeId?: string;
};

/** What a step-up grant can be spent on. */
export type StepUpAction =
  'start_totp' | 'enable_email_mfa' | 'change_email' | 'register_passkey' | 'remove_passkey' | 'erase_account';

/** A step-up grant was bound to the action it serves (it serves no other, and dies when that completes). */
export type StepUpUsedData = {
  userId: string;
  sessionId: string;
  tokenHash: string;
  action: StepUpAction;
};

export type StepUpFailedData = {
  userId: string;
  method: StepUpMethod;
};

/** The TOTP seed, sealed with AES-256-GCM (SecretBox), never in plaintext. */
export type TotpEnrollmentStartedData = {
  userId: string;
  sealedSecret: string;
};

export type TotpEnrolledData = {
  userId: string;
  /** The time step of the confirming code: it cannot be used again. */
  timeStep: number;
};

export type TotpCodeData = {
  userId: string;
  timeStep: number;
  purpose: 'sign_in' | 'reauthenticate' | 'disable' | 'recovery_codes' | 'password_reset';
};

export type TotpCodeRejectedData = {
  userId: string;
  /** `enroll`: the code that was to confirm the app's set-up. */
  purpose: TotpCodeData['purpose'] | 'enroll';
};

export type EmailCodeSentData = {
  userId: string;
  purpose: EmailCodePurpose;
  codeId: string;
  /** HMAC-SHA256 of the code with a server key: an unkeyed hash of 6 digits is no protection. */
  codeHash: string;
  expiresAt: string;
};

export type EmailCodeFailedData = {
  userId: string;
  purpose: EmailCodePurpose;
  codeId: string;
};

export type EmailMfaEnabledData = {
  userId: string;
  address: string;
  codeId: string;
};

export type EmailMfaDisabledData = {
  userId: string;
  codeId: string;
};

export type RecoveryCodesData = {
  userId: string;
  /** HMAC-SHA256 of each code, to check one at sign-in. */
  codeHashes: string[];
  /** The codes sealed with AES-256-GCM, to show them again after a fresh TOTP code. */
  sealedCodes: string;
};

/** The codes stopped working: the authenticator app they backed was turned off. */
export type RecoveryCodesInvalidatedData = {
  userId: string;
  reason: 'totp_disabled';
};

export type RecoveryCodeUsedData = {
  userId: string;
  index: number;
  remaining: number;
};

export type ChallengeIssuedData = {
  challengeId: string;
  userId: string;
  /** Ids of the second factor methods it can be answered with (`totp`, `email`, `recovery_code`, ...). */
  methods: string[];
  expiresAt: string;
  /** The password and second factors as the password step saw them; any change since kills it. */
  accountVersion?: string;
};

/** A sign-in code was mailed for this challenge (only its keyed hash is kept). */
export type ChallengeEmailCodeSentData = {
  challengeId: string;
  userId: string;
  codeId: string;
  codeHash: string;
  expiresAt: string;
};

export type ChallengeFailedData = {
  challengeId: string;
  userId: string;
  method: string;
};

export type ChallengeCompletedData = {
  challengeId: string;
  userId: string;
  method: string;
  sessionId: string;
};

/** Why an open challenge was closed: the account changed after the password step. */
export type ChallengeClosedReason = 'account_locked' | 'mfa_reset' | 'password_changed';

export type ChallengeClosedData = {
  challengeId: string;
  userId: string;
  reason: ChallengeClosedReason;
};

/** What a WebAuthn challenge was issued for. */
export type PasskeyChallengePurpose = 'register' | 'sign_in' | 'step_up' | 'passwordless';

/**
 * A WebAuthn challenge, in its own stream named by its SHA-256 (`passkey-challenge-{hash}`): the
 * browser echoes the challenge in the signed client data, which names the stream to check it
 * against. Only the hash is kept. It serves once, for 5 minutes, for its purpose and user.
 */
export type PasskeyChallengeIssuedData = {
  challengeHash: string;
  purpose: PasskeyChallengePurpose;
  /** Null for a passwordless sign-in: the passkey names its account. */
  userId: string | null;
  expiresAt: string;
};

export type PasskeyChallengeUsedData = {
  challengeHash: string;
  userId: string | null;
};

/** A passkey was added. The public key (COSE, base64url) is not a secret. */
export type PasskeyRegisteredData = {
  userId: string;
  credentialId: string;
  publicKey: string;
  /** The authenticator's signature counter at registration (0 when it keeps none). */
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  /** Synced to a cloud account (backup state flag). */
  backedUp: boolean;
  name: string;
};

export type PasskeyRenamedData = {
  userId: string;
  credentialId: string;
  name: string;
};

export type PasskeyRemovedData = {
  userId: string;
  credentialId: string;
};

/** A passkey's signature was verified: the new counter and the backup state are recorded. */
export type PasskeyAssertionAcceptedData = {
  userId: string;
  credentialId: string;
  counter: number;
  backedUp: boolean;
  userVerified: boolean;
  purpose: PasskeyChallengePurpose;
};

export type PasskeyAssertionRejectedData = {
  userId: string;
  credentialId: string | null;
  /** `unknown_credential`, `invalid` (signature, origin, challenge), or `counter` (it went back: a cloned key?). */
  reason: 'unknown_credential' | 'invalid' | 'counter';
  purpose: PasskeyChallengePurpose;
};

/**
 * The person's data key was destroyed (crypto-shredding, docs/ERASURE.md): every personal value
 * sealed with it is unreadable from now on, while the events, their chain and their counts stay.
 * Holds no personal data itself.
 */
export type PersonalDataErasedData = {
  userId: string;
  /** `self`: the person closed their account (DELETE /v1/me); `admin`: an administrator erased it. */
  by: 'self' | 'admin';
  /** The administrator's reason, for the audit log; null when the person did it. */
  reason: string | null;
};

/** Event types whose payload carries a password hash (and nothing else may). */
export const PASSWORD_HASH_EVENTS: readonly string[] = [
  IdentityEvent.RegistrationRequested,
  IdentityEvent.UserRegistered,
  IdentityEvent.PasswordChanged,
  IdentityEvent.PasswordRehashed,
];

export const streams = {
  user: (userId: string) => `user-${userId}`,
  session: (sessionId: string) => `session-${sessionId}`,
  /** The uniqueness guard of an address, named by its keyed index (EmailIndex), never the email. */
  emailGuard: (emailIndex: string) => `email-${emailIndex}`,
  /**
   * Sign-in attempts against an address, whether or not an account has it; for an account, also
   * its one failure budget: every wrong proof of identity (password, codes) is counted here.
   */
  signInAttempts: (emailIndex: string) => `signin-${emailIndex}`,
  /** The second step of one sign-in. */
  challenge: (challengeId: string) => `challenge-${challengeId}`,
  /** A sign-up waiting for its address to be proved. */
  registration: (registrationId: string) => `registration-${registrationId}`,
  /** One WebAuthn challenge, by the SHA-256 of its value. */
  passkeyChallenge: (challengeHash: string) => `passkey-challenge-${challengeHash}`,
};
