/**
 * Event types of the identity domain. Names are past tense and never renamed: they are the audit
 * trail. Payloads never hold a password, a code or a token in plaintext.
 */
export const IdentityEvent = {
  EmailClaimed: 'EmailClaimed',
  UserRegistered: 'UserRegistered',
  PasswordChanged: 'PasswordChanged',
  PasswordRehashed: 'PasswordRehashed',
  LoginSucceeded: 'LoginSucceeded',
  LoginFailed: 'LoginFailed',
  AccountLocked: 'AccountLocked',
  SessionStarted: 'SessionStarted',
  SessionRevoked: 'SessionRevoked',
} as const;

export type IdentityEventType = (typeof IdentityEvent)[keyof typeof IdentityEvent];

export interface EmailClaimedData {
  userId: string;
}

export interface UserRegisteredData {
  userId: string;
  /** As the user typed it (trimmed). */
  email: string;
  /** Lower-cased: what uniqueness and search use. */
  emailNormalized: string;
  /** argon2id PHC string; password events are the only events that carry it. */
  passwordHash: string;
  roles: string[];
}

export interface PasswordChangedData {
  userId: string;
  passwordHash: string;
  /** The session that made the change: it stays signed in, every other one is revoked. */
  sessionId: string | null;
}

/** The same password, hashed again with the current (stronger) parameters at sign-in. */
export interface PasswordRehashedData {
  userId: string;
  passwordHash: string;
}

export type LoginFailureReason = 'wrong_password' | 'unknown_account' | 'account_locked';

/** Sign-in attempts live in `signin-{sha256(email)}`: one stream per address, known or not. */
export interface LoginFailedData {
  userId: string | null;
  reason: LoginFailureReason;
}

export interface LoginSucceededData {
  userId: string;
  sessionId: string;
}

export interface AccountLockedData {
  userId: string;
  /** ISO time the automatic lock ends. */
  until: string;
  /** Failures that triggered it. */
  failures: number;
  /** 1 for the first lock in the lock memory window, growing after that. */
  lockNumber: number;
}

export type AuthenticationMethod = 'pwd' | 'otp' | 'email' | 'recovery_code';

export interface SessionStartedData {
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
}

export type SessionRevocationReason = 'logout' | 'user' | 'password_changed' | 'admin' | 'expired';

export interface SessionRevokedData {
  sessionId: string;
  userId: string;
  reason: SessionRevocationReason;
}

/** Event types whose payload carries a password hash (and nothing else may). */
export const PASSWORD_HASH_EVENTS: readonly string[] = [
  IdentityEvent.UserRegistered,
  IdentityEvent.PasswordChanged,
  IdentityEvent.PasswordRehashed,
];

export interface DomainEvent<T extends string = string, D extends object = object> {
  type: T;
  data: D;
}

export type EmailClaimed = DomainEvent<typeof IdentityEvent.EmailClaimed, EmailClaimedData>;
export type UserRegistered = DomainEvent<typeof IdentityEvent.UserRegistered, UserRegisteredData>;
export type PasswordChanged = DomainEvent<typeof IdentityEvent.PasswordChanged, PasswordChangedData>;
export type PasswordRehashed = DomainEvent<typeof IdentityEvent.PasswordRehashed, PasswordRehashedData>;
export type LoginFailed = DomainEvent<typeof IdentityEvent.LoginFailed, LoginFailedData>;
export type LoginSucceeded = DomainEvent<typeof IdentityEvent.LoginSucceeded, LoginSucceededData>;
export type AccountLocked = DomainEvent<typeof IdentityEvent.AccountLocked, AccountLockedData>;
export type SessionStarted = DomainEvent<typeof IdentityEvent.SessionStarted, SessionStartedData>;
export type SessionRevoked = DomainEvent<typeof IdentityEvent.SessionRevoked, SessionRevokedData>;

export const streams = {
  user: (userId: string) => `user-${userId}`,
  session: (sessionId: string) => `session-${sessionId}`,
  /** The uniqueness guard of an address: the sha256 of the normalised email, never the email. */
  emailGuard: (emailSha256: string) => `email-${emailSha256}`,
  /** Sign-in attempts against an address, whether or not an account has it. */
  signInAttempts: (emailSha256: string) => `signin-${emailSha256}`,
};
