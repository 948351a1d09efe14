import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, UserRegistered } from '@app/identity-events';
import { Decider } from '../shared/decider';

export interface RegisterUser {
  userId: string;
  email: string;
  emailNormalized: string;
  passwordHash: string;
  roles: string[];
  emailVerifiedBy: 'code' | 'operator';
}

export interface RegistrationState {
  registered: boolean;
}

/** The user stream's first decision: it can be made once. */
export const registrationDecider: Decider<RegisterUser, RegistrationState, UserRegistered> = {
  initialState: () => ({ registered: false }),
  evolve: (state, event: DomainEvent) => (event.type === IdentityEvent.UserRegistered ? { registered: true } : state),
  decide: (command, state) => {
    if (state.registered) throw new DomainError('conflict', 'This user already exists.');
    return [
      {
        type: IdentityEvent.UserRegistered,
        data: {
          userId: command.userId,
          email: command.email,
          emailNormalized: command.emailNormalized,
          passwordHash: command.passwordHash,
          roles: command.roles,
          emailVerifiedBy: command.emailVerifiedBy,
        },
      },
    ];
  },
};
