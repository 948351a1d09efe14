import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { credentialsDecider } from './credentials.decider';

const registered = {
  type: IdentityEvent.UserRegistered,
  data: { userId: 'u1', email: 'a@x.io', emailNormalized: 'a@x.io', passwordHash: 'old', roles: [] },
};

describe('credentials', () => {
  it('changes the password when the current one was given', () => {
    given(credentialsDecider, [registered])
      .when({ kind: 'change', verifiedHash: 'old', newPasswordHash: 'new', sessionId: 's1' })
      .then([{ type: IdentityEvent.PasswordChanged, data: { userId: 'u1', passwordHash: 'new', sessionId: 's1' } }]);
  });

  it('refuses a change proved by a password that is no longer the current one (a parallel change won)', () => {
    const changed = {
      type: IdentityEvent.PasswordChanged,
      data: { userId: 'u1', passwordHash: 'other', sessionId: null },
    };
    given(credentialsDecider, [registered, changed])
      .when({ kind: 'change', verifiedHash: 'old', newPasswordHash: 'new', sessionId: 's1' })
      .thenThrows(DomainError, 'current_password_invalid');
  });

  it('rehashes only the hash it read, never over a newer change', () => {
    given(credentialsDecider, [registered])
      .when({ kind: 'rehash', expectedCurrentHash: 'old', newPasswordHash: 'stronger' })
      .then([{ type: IdentityEvent.PasswordRehashed, data: { userId: 'u1', passwordHash: 'stronger' } }]);
    const changed = {
      type: IdentityEvent.PasswordChanged,
      data: { userId: 'u1', passwordHash: 'new', sessionId: null },
    };
    given(credentialsDecider, [registered, changed])
      .when({ kind: 'rehash', expectedCurrentHash: 'old', newPasswordHash: 'stronger' })
      .then([]);
  });

  it('knows no user before registration', () => {
    given(credentialsDecider, [])
      .when({ kind: 'change', verifiedHash: 'old', newPasswordHash: 'new', sessionId: null })
      .thenThrows(DomainError, 'not_found');
  });
});
