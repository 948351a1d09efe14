import { DomainError } from '@app/platform';

/**
 * One data key per person, kept outside the event log (a table or collection of its own), so that
 * destroying it makes everything sealed with it unreadable while the log itself stays whole
 * (crypto-shredding). Keys are stored wrapped (sealed with the service's key), never raw.
 * Every adapter passes `contract/personal-data-keys.contract.ts`.
 */
export abstract class PersonalDataKeys {
  /** The person's data key, made on first use (callers at the same time get the same key). */
  abstract keyFor(userId: string): Promise<Buffer>;

  /** The key, or null when it was erased or never made. */
  abstract find(userId: string): Promise<Buffer | null>;

  /** Destroys the key for good (idempotent). True when a key was destroyed by this call. */
  abstract erase(userId: string, at: Date): Promise<boolean>;

  /** When the key was erased, or null. */
  abstract erasedAt(userId: string): Promise<string | null>;

  abstract close(): Promise<void>;
}

/**
 * The key was erased: what it sealed is gone, and nothing new is sealed for that person. Reaching
 * a client, it means the account a request was about (a sign-in under way, say) no longer exists.
 */
export class PersonalDataErasedError extends DomainError {
  constructor(readonly userId: string) {
    super('account_erased', 'This account was closed and its personal data erased.');
    this.name = 'PersonalDataErasedError';
  }
}

/** Wraps and unwraps data keys with the service's key (SecretBox with SECRET_BOX_KEY in the service). */
export interface KeyWrapper {
  wrap(key: Buffer, userId: string): string;
  unwrap(wrapped: string, userId: string): Buffer;
}
