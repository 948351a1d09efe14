/**
 * Event types of the identity domain. Names are past tense and never renamed: they are the audit
 * trail. Payloads never hold a password, a code or a token in plaintext.
 */
export const IdentityEvent = {
  EmailClaimed: 'EmailClaimed',
  UserRegistered: 'UserRegistered',
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

/** Event types whose payload carries a password hash (and nothing else may). */
export const PASSWORD_HASH_EVENTS: readonly string[] = [IdentityEvent.UserRegistered];

export interface DomainEvent<T extends string = string, D extends object = object> {
  type: T;
  data: D;
}

export type EmailClaimed = DomainEvent<typeof IdentityEvent.EmailClaimed, EmailClaimedData>;
export type UserRegistered = DomainEvent<typeof IdentityEvent.UserRegistered, UserRegisteredData>;

export const streams = {
  user: (userId: string) => `user-${userId}`,
  /** The uniqueness guard of an address: the sha256 of the normalised email, never the email. */
  emailGuard: (emailSha256: string) => `email-${emailSha256}`,
};
