import { DomainError } from '@app/platform';
import {
  IdentityEvent,
  PasswordChanged,
  PasswordRehashed,
  type PasswordChangedData,
  type PasswordRehashedData,
  type UserRegisteredData,
} from '../events/identity-events';
import { Decider } from '../shared/decider';

export type CredentialsCommand =
  | { kind: 'change'; currentPasswordValid: boolean; newPasswordHash: string; sessionId: string | null }
  | { kind: 'rehash'; expectedCurrentHash: string; newPasswordHash: string };

export interface CredentialsState {
  userId: string | null;
  email: string | null;
  passwordHash: string | null;
  passwordChangedAt: string | null;
  /** 1 at sign-up, one more at each change (a rehash keeps it): what a proof of the password proved. */
  passwordVersion: number;
  roles: string[];
  lockedByAdmin: boolean;
}

/** The password write model: folds only what sets the password. */
export const credentialsDecider: Decider<CredentialsCommand, CredentialsState, PasswordChanged | PasswordRehashed> = {
  initialState: () => ({ userId: null, email: null, passwordHash: null, passwordChangedAt: null, passwordVersion: 0, roles: [], lockedByAdmin: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.UserRegistered: {
        const data = event.data as UserRegisteredData;
        return {
          ...state,
          userId: data.userId,
          email: data.email,
          passwordHash: data.passwordHash,
          passwordChangedAt: event.occurredAt ?? null,
          passwordVersion: 1,
          roles: data.roles,
        };
      }
      case IdentityEvent.PasswordChanged:
        return {
          ...state,
          passwordHash: (event.data as PasswordChangedData).passwordHash,
          passwordChangedAt: event.occurredAt ?? null,
          passwordVersion: state.passwordVersion + 1,
        };
      case IdentityEvent.PasswordRehashed:
        return { ...state, passwordHash: (event.data as PasswordRehashedData).passwordHash };
      case IdentityEvent.RolesChanged:
        return { ...state, roles: (event.data as { roles: string[] }).roles };
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
      if (!command.currentPasswordValid) {
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
    return [{ type: IdentityEvent.PasswordRehashed, data: { userId: state.userId, passwordHash: command.newPasswordHash } }];
  },
};
