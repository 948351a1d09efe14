import type { RecordedEvent } from '@app/event-store';
import {
  IdentityEvent,
  type AccountLockedData,
  type RecoveryCodesData,
  type RecoveryCodeUsedData,
  type UserRegisteredData,
} from '@app/identity-events';
import type { ReadDocument } from '../read-store.port';
import { defineProjection, ProjectionHandler } from '../projector/projection';
import { occurredAt, userIdOf } from './event-fields';

/** One document per account: what lists, searches and the security page read. Never a password hash. */
export interface UserDocument extends ReadDocument {
  email: string;
  emailNormalized: string;
  /** How the address was proved: a mailed code, or an operator; null on accounts older than that rule. */
  emailVerifiedBy: 'code' | 'operator' | null;
  roles: string[];
  createdAt: string;
  passwordChangedAt: string;
  mfa: { totp: boolean; email: boolean };
  totpEnabledAt: string | null;
  emailMfaEnabledAt: string | null;
  recoveryCodes: { remaining: number; generatedAt: string | null };
  /** ISO time an automatic lock ends (may be in the past). */
  lockedUntil: string | null;
  /** Locked by an administrator (until unlocked). Automatic locks are `lockedUntil`. */
  locked: boolean;
  isAdmin: boolean;
  lastLoginAt: string | null;
}

/** A reducer that changes an existing user document; events about unknown users change nothing. */
function update(change: (document: UserDocument, event: RecordedEvent) => Partial<UserDocument>): ProjectionHandler<UserDocument> {
  return {
    documentIds: userIdOf,
    evolve: (document, event) => (document ? { ...document, ...change(document, event) } : null),
  };
}

function recoveryCodesFrom(event: RecordedEvent): Partial<UserDocument> {
  return { recoveryCodes: { remaining: (event.data as unknown as RecoveryCodesData).codeHashes.length, generatedAt: occurredAt(event) } };
}

export const usersProjection = defineProjection<UserDocument>({
  name: 'users',
  collection: 'users',
  indexes: [{ fields: ['emailNormalized'] }, { fields: ['createdAt'] }, { fields: ['isAdmin'] }],
  handlers: {
    [IdentityEvent.UserRegistered]: {
      documentIds: userIdOf,
      evolve: (_document, event, id) => {
        const data = event.data as unknown as UserRegisteredData;
        return {
          id,
          _position: event.position,
          email: data.email,
          emailNormalized: data.emailNormalized,
          emailVerifiedBy: data.emailVerifiedBy ?? null,
          roles: data.roles,
          createdAt: occurredAt(event),
          passwordChangedAt: occurredAt(event),
          mfa: { totp: false, email: false },
          totpEnabledAt: null,
          emailMfaEnabledAt: null,
          recoveryCodes: { remaining: 0, generatedAt: null },
          lockedUntil: null,
          locked: false,
          isAdmin: data.roles.includes('admin'),
          lastLoginAt: null,
        };
      },
    },
    [IdentityEvent.PasswordChanged]: update((_, event) => ({ passwordChangedAt: occurredAt(event) })),
    [IdentityEvent.EmailChanged]: update((_, event) => {
      const data = event.data as { newEmail: string; newEmailNormalized: string };
      return { email: data.newEmail, emailNormalized: data.newEmailNormalized };
    }),
    [IdentityEvent.LoginSucceeded]: update((_, event) => ({ lastLoginAt: occurredAt(event) })),
    [IdentityEvent.AccountLocked]: update((_, event) => ({ lockedUntil: (event.data as unknown as AccountLockedData).until })),
    [IdentityEvent.RolesChanged]: update((_, event) => {
      const roles = (event.data as unknown as { roles: string[] }).roles;
      return { roles, isAdmin: roles.includes('admin') };
    }),
    [IdentityEvent.AccountLockedByAdmin]: update(() => ({ locked: true })),
    [IdentityEvent.AccountUnlockedByAdmin]: update(() => ({ locked: false })),
    [IdentityEvent.AccountUnlocked]: update(() => ({ lockedUntil: null })),
    [IdentityEvent.MfaResetByAdmin]: update(() => ({
      mfa: { totp: false, email: false },
      totpEnabledAt: null,
      emailMfaEnabledAt: null,
      recoveryCodes: { remaining: 0, generatedAt: null },
    })),
    [IdentityEvent.TotpEnrolled]: update((user, event) => ({ mfa: { ...user.mfa, totp: true }, totpEnabledAt: occurredAt(event) })),
    [IdentityEvent.TotpDisabled]: update((user) => ({ mfa: { ...user.mfa, totp: false }, totpEnabledAt: null })),
    [IdentityEvent.EmailMfaEnabled]: update((user, event) => ({ mfa: { ...user.mfa, email: true }, emailMfaEnabledAt: occurredAt(event) })),
    [IdentityEvent.EmailMfaDisabled]: update((user) => ({ mfa: { ...user.mfa, email: false }, emailMfaEnabledAt: null })),
    [IdentityEvent.RecoveryCodesGenerated]: update((_, event) => recoveryCodesFrom(event)),
    [IdentityEvent.RecoveryCodesRegenerated]: update((_, event) => recoveryCodesFrom(event)),
    [IdentityEvent.RecoveryCodesInvalidated]: update(() => ({ recoveryCodes: { remaining: 0, generatedAt: null } })),
    [IdentityEvent.RecoveryCodeUsed]: update((user, event) => ({
      recoveryCodes: { ...user.recoveryCodes, remaining: (event.data as unknown as RecoveryCodeUsedData).remaining },
    })),
  },
});
