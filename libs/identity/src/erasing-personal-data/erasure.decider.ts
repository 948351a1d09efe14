import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent } from '@app/identity-events';
import { Decider } from '../shared/decider';

export type EraseCommand = { by: 'self'; reason: null } | { by: 'admin'; adminId: string; reason: string };

export interface ErasableAccountState {
  userId: string | null;
  /** The address the account holds now (its claim is released on erasure). */
  emailNormalized: string | null;
  /** Every address the account held or asked for: mail to any of them is forgotten on erasure. */
  addresses: string[];
  erased: boolean;
}

const withAddress = (state: ErasableAccountState, address: string | null | undefined): string[] =>
  address && !state.addresses.includes(address) ? [...state.addresses, address] : state.addresses;

/** Whether an account's personal data may be erased, folded from user-{id}. */
export const erasureDecider: Decider<EraseCommand, ErasableAccountState, DomainEvent> = {
  initialState: () => ({ userId: null, emailNormalized: null, addresses: [], erased: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.UserRegistered:
        return {
          ...state,
          userId: event.data.userId,
          emailNormalized: event.data.emailNormalized,
          addresses: withAddress(state, event.data.emailNormalized),
        };
      case IdentityEvent.EmailChangeRequested:
        return { ...state, addresses: withAddress(state, event.data.newEmailNormalized) };
      case IdentityEvent.EmailChanged:
        return {
          ...state,
          emailNormalized: event.data.newEmailNormalized,
          addresses: withAddress(state, event.data.newEmailNormalized),
        };
      case IdentityEvent.PersonalDataErased:
        return { ...state, erased: true };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    const userId = state.userId;
    if (userId === null) throw new DomainError('not_found', 'No such user.');
    if (state.erased) return []; // erasing twice finishes what the first one started
    if (command.by === 'admin' && command.adminId === userId) {
      throw new DomainError('conflict', 'You cannot erase your own account here; use your account page.');
    }
    return [{ type: IdentityEvent.PersonalDataErased, data: { userId, by: command.by, reason: command.reason } }];
  },
};
