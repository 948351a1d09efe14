import { IdentityEvent, type IdentityEventType, type RecordedIdentityEvent } from '@app/identity-events';
import type { ReadDocument } from '../read-store.port';
import { defineProjection, ProjectionHandler } from '../projector/projection';
import { occurredAt, userIdOf } from './event-fields';
import { on } from './identity-handlers';

/** One document per account: what lists, searches and the security page read. Never a password hash. */
export interface UserDocument extends ReadDocument {
  /** Null once the person's data was erased (and in a rebuild, wherever their key is gone). */
  email: string | null;
  emailNormalized: string | null;
  /** When the person's data was erased (docs/ERASURE.md); absent or null while it exists. */
  erasedAt?: string | null;
  /** How the address was proved: a mailed code, or an operator; null on accounts older than that rule. */
  emailVerifiedBy: 'code' | 'operator' | null;
  roles: string[];
  createdAt: string;
  passwordChangedAt: string;
  mfa: { totp: boolean; email: boolean; passkey?: boolean };
  /** Absent on documents projected before passkeys (a rebuild adds it). */
  passkeys?: PasskeySummary[];
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

/** A passkey as lists show it: no key material. */
export interface PasskeySummary {
  id: string;
  /** Null once the owner was erased. */
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  deviceType: string;
}

const withPasskeys = (user: UserDocument, passkeys: PasskeySummary[]): Partial<UserDocument> => ({
  passkeys,
  mfa: { ...user.mfa, passkey: passkeys.length > 0 },
});

/** A reducer that changes an existing user document; events about unknown users change nothing. */
function update<T extends IdentityEventType>(
  type: T,
  change: (document: UserDocument, event: RecordedIdentityEvent<T>) => Partial<UserDocument>,
): [T, ProjectionHandler<UserDocument>] {
  return on<UserDocument, T>(type, {
    documentIds: userIdOf,
    // `_position` set here spares the projector a second copy of the document (see `stamped`).
    evolve: (document, event) =>
      document ? { ...document, ...change(document, event), _position: event.position } : null,
  });
}

function recoveryCodesFrom(
  event: RecordedIdentityEvent<'RecoveryCodesGenerated' | 'RecoveryCodesRegenerated'>,
): Partial<UserDocument> {
  return { recoveryCodes: { remaining: event.data.codeHashes.length, generatedAt: occurredAt(event) } };
}

export const usersProjection = defineProjection<UserDocument>({
  name: 'users',
  collection: 'users',
  indexes: [{ fields: ['emailNormalized'] }, { fields: ['createdAt'] }, { fields: ['isAdmin'] }],
  handlers: Object.fromEntries([
    on<UserDocument, 'UserRegistered'>(IdentityEvent.UserRegistered, {
      documentIds: userIdOf,
      evolve: (_document, event, id) => {
        const data = event.data;
        return {
          id,
          _position: event.position,
          email: data.email,
          emailNormalized: data.emailNormalized,
          emailVerifiedBy: data.emailVerifiedBy ?? null,
          roles: data.roles,
          createdAt: occurredAt(event),
          passwordChangedAt: occurredAt(event),
          mfa: { totp: false, email: false, passkey: false },
          passkeys: [],
          totpEnabledAt: null,
          emailMfaEnabledAt: null,
          recoveryCodes: { remaining: 0, generatedAt: null },
          lockedUntil: null,
          locked: false,
          isAdmin: data.roles.includes('admin'),
          lastLoginAt: null,
        };
      },
    }),
    update(IdentityEvent.PasswordChanged, (_, event) => ({ passwordChangedAt: occurredAt(event) })),
    update(IdentityEvent.EmailChanged, (_, event) => {
      return { email: event.data.newEmail, emailNormalized: event.data.newEmailNormalized };
    }),
    update(IdentityEvent.LoginSucceeded, (_, event) => ({ lastLoginAt: occurredAt(event) })),
    update(IdentityEvent.AccountLocked, (_, event) => ({ lockedUntil: event.data.until })),
    update(IdentityEvent.RolesChanged, (_, event) => {
      const roles = event.data.roles;
      return { roles, isAdmin: roles.includes('admin') };
    }),
    update(IdentityEvent.AccountLockedByAdmin, () => ({ locked: true })),
    update(IdentityEvent.AccountUnlockedByAdmin, () => ({ locked: false })),
    update(IdentityEvent.AccountUnlocked, () => ({ lockedUntil: null })),
    update(IdentityEvent.MfaResetByAdmin, () => ({
      mfa: { totp: false, email: false, passkey: false },
      passkeys: [],
      totpEnabledAt: null,
      emailMfaEnabledAt: null,
      recoveryCodes: { remaining: 0, generatedAt: null },
    })),
    update(IdentityEvent.TotpEnrolled, (user, event) => ({
      mfa: { ...user.mfa, totp: true },
      totpEnabledAt: occurredAt(event),
    })),
    update(IdentityEvent.TotpDisabled, (user) => ({ mfa: { ...user.mfa, totp: false }, totpEnabledAt: null })),
    update(IdentityEvent.EmailMfaEnabled, (user, event) => ({
      mfa: { ...user.mfa, email: true },
      emailMfaEnabledAt: occurredAt(event),
    })),
    update(IdentityEvent.EmailMfaDisabled, (user) => ({ mfa: { ...user.mfa, email: false }, emailMfaEnabledAt: null })),
    update(IdentityEvent.RecoveryCodesGenerated, (_, event) => recoveryCodesFrom(event)),
    update(IdentityEvent.RecoveryCodesRegenerated, (_, event) => recoveryCodesFrom(event)),
    update(IdentityEvent.RecoveryCodesInvalidated, () => ({ recoveryCodes: { remaining: 0, generatedAt: null } })),
    update(IdentityEvent.RecoveryCodeUsed, (user, event) => ({
      recoveryCodes: { ...user.recoveryCodes, remaining: event.data.remaining },
    })),
    update(IdentityEvent.PasskeyRegistered, (user, event) =>
      withPasskeys(user, [
        ...(user.passkeys ?? []),
        {
          id: event.data.credentialId,
          name: event.data.name,
          createdAt: occurredAt(event),
          lastUsedAt: null,
          backedUp: event.data.backedUp,
          deviceType: event.data.deviceType,
        },
      ]),
    ),
    update(IdentityEvent.PasskeyRenamed, (user, event) => ({
      passkeys: (user.passkeys ?? []).map((p) =>
        p.id === event.data.credentialId ? { ...p, name: event.data.name } : p,
      ),
    })),
    update(IdentityEvent.PasskeyRemoved, (user, event) =>
      withPasskeys(
        user,
        (user.passkeys ?? []).filter((p) => p.id !== event.data.credentialId),
      ),
    ),
    // The document stays (counts, history) but says nothing about the person any more.
    update(IdentityEvent.PersonalDataErased, (user, event) => ({
      email: null,
      emailNormalized: null,
      erasedAt: occurredAt(event),
      roles: [],
      isAdmin: false,
      passkeys: (user.passkeys ?? []).map((p) => ({ ...p, name: null })),
    })),
    update(IdentityEvent.PasskeyAssertionAccepted, (user, event) => ({
      passkeys: (user.passkeys ?? []).map((p) =>
        p.id === event.data.credentialId ? { ...p, lastUsedAt: occurredAt(event), backedUp: event.data.backedUp } : p,
      ),
    })),
  ]),
});
