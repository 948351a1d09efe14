import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, type Role } from '@app/identity-events';
import { Decider } from '../shared/decider';

/** `by`: the administrator deciding (an administrator cannot demote or lock themselves). */
export type AdminCommand =
  | { kind: 'set_roles'; roles: Role[]; by: string }
  | { kind: 'reset_mfa'; reason: string; by: string }
  | { kind: 'lock'; by: string }
  | { kind: 'unlock'; by: string };

export interface AdministeredUserState {
  userId: string | null;
  email: string | null;
  roles: string[];
  lockedByAdmin: boolean;
}

/** What administrators decide about an account, folded from user-{id}. */
export const adminDecider: Decider<AdminCommand, AdministeredUserState, DomainEvent> = {
  initialState: () => ({ userId: null, email: null, roles: [], lockedByAdmin: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.UserRegistered: {
        const data = event.data;
        return { ...state, userId: data.userId, email: data.email, roles: data.roles };
      }
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
  // Nothing secret in this state: it is kept as it is.
  snapshot: {
    name: 'administered-user-v1',
    every: 50,
    toJson: (state) => state,
    fromJson: (json) => json as AdministeredUserState,
  },
  decide: (command, state) => {
    const userId = state.userId;
    if (userId === null) throw new DomainError('not_found', 'No such user.');
    switch (command.kind) {
      case 'set_roles': {
        if (command.by === userId && !command.roles.includes('admin')) {
          throw new DomainError('conflict', 'You cannot take the admin role from yourself; ask another administrator.');
        }
        const roles = [...new Set(command.roles)].sort();
        if (roles.join() === [...state.roles].sort().join()) return [];
        return [{ type: IdentityEvent.RolesChanged, data: { userId, roles, previousRoles: state.roles } }];
      }
      case 'reset_mfa':
        return [{ type: IdentityEvent.MfaResetByAdmin, data: { userId, reason: command.reason } }];
      case 'lock':
        if (command.by === userId) throw new DomainError('conflict', 'You cannot lock your own account.');
        return state.lockedByAdmin ? [] : [{ type: IdentityEvent.AccountLockedByAdmin, data: { userId } }];
      case 'unlock':
        return state.lockedByAdmin ? [{ type: IdentityEvent.AccountUnlockedByAdmin, data: { userId } }] : [];
    }
  },
};
