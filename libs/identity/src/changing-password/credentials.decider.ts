import { DomainError } from '@app/platform';
import { IdentityEvent, PasswordChanged, PasswordRehashed } from '@app/identity-events';
import { Decider } from '../shared/decider';
import { secretFrom } from '../shared/write-model-snapshots';

export type CredentialsCommand =
  /** `verifiedHash`: the hash the current password was checked against. */
  | { kind: 'change'; verifiedHash: string; newPasswordHash: string; sessionId: string | null }
  | { kind: 'rehash'; expectedCurrentHash: string; newPasswordHash: string };

export interface CredentialsState {
  userId: string | null;
  email: string | null;
  passwordHash: string | null;
  /** Revision of the event that set the hash: a snapshot keeps this, never the hash. */
  passwordHashFrom: number | null;
  passwordChangedAt: string | null;
  /** 1 at sign-up, one more at each change (a rehash keeps it): what a proof of the password proved. */
  passwordVersion: number;
  roles: string[];
  lockedByAdmin: boolean;
}

/** The password write model: folds only what sets the password. */
export const credentialsDecider: Decider<CredentialsCommand, CredentialsState, PasswordChanged | PasswordRehashed> = {
  initialState: () => ({
    userId: null,
    email: null,
    passwordHash: null,
    passwordHashFrom: null,
    passwordChangedAt: null,
    passwordVersion: 0,
    roles: [],
    lockedByAdmin: false,
  }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.UserRegistered: {
        const data = event.data;
        return {
          ...state,
          userId: data.userId,
          email: data.email,
          passwordHash: data.passwordHash,
          passwordHashFrom: event.revision ?? null,
          passwordChangedAt: event.occurredAt ?? null,
          passwordVersion: 1,
          roles: data.roles,
        };
      }
      case IdentityEvent.PasswordChanged:
        return {
          ...state,
          passwordHash: event.data.passwordHash,
          passwordHashFrom: event.revision ?? null,
          passwordChangedAt: event.occurredAt ?? null,
          passwordVersion: state.passwordVersion + 1,
        };
      case IdentityEvent.PasswordRehashed:
        return { ...state, passwordHash: event.data.passwordHash, passwordHashFrom: event.revision ?? null };
      case IdentityEvent.RolesChanged:
        return { ...state, roles: event.data.roles };
      case IdentityEvent.EmailChanged:
        return { ...state, email: event.data.newEmail };
      case IdentityEvent.AccountLockedByAdmin:
        return { ...state, lockedByAdmin: true };
      case IdentityEvent.AccountUnlockedByAdmin:
        return { ...state, lockedByAdmin: false };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    if (state.userId === null) throw new DomainError('not_found', 'No such user.');
    if (command.kind === 'change') {
      // The proof was of the password as it was: if it changed since (a parallel change), it proves nothing now.
      if (state.passwordHash !== command.verifiedHash) {
        throw new DomainError('current_password_invalid', 'The current password is not correct.');
      }
      return [
        {
          type: IdentityEvent.PasswordChanged,
          data: { userId: state.userId, passwordHash: command.newPasswordHash, sessionId: command.sessionId },
        },
      ];
    }
    // A rehash decided on a stale read (the password changed meanwhile) must not undo the change.
    if (state.passwordHash !== command.expectedCurrentHash) return [];
    return [
      { type: IdentityEvent.PasswordRehashed, data: { userId: state.userId, passwordHash: command.newPasswordHash } },
    ];
  },
  // Read at every sign-in, on a stream that grows with each TOTP sign-in: the hash stays in its event.
  snapshot: {
    name: 'credentials-v1',
    every: 50,
    toJson: (state) =>
      state.passwordHash !== null && state.passwordHashFrom === null ? null : { ...state, passwordHash: null },
    secretsAt: (json) =>
      [(json as CredentialsState).passwordHashFrom].filter((revision): revision is number => revision !== null),
    fromJson: (json, events) => {
      const kept = json as CredentialsState;
      return { ...kept, passwordHash: secretFrom(events, kept.passwordHashFrom, 'passwordHash') };
    },
  },
};
