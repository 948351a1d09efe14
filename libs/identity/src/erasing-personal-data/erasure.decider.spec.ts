import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import type { HistoryEvent } from '../shared/decider';
import { fold } from '../shared/decider';
import { given } from '../testing/given';
import { erasureDecider } from './erasure.decider';

const registered: HistoryEvent = {
  type: IdentityEvent.UserRegistered,
  data: { userId: 'u1', email: 'Ada@x.io', emailNormalized: 'ada@x.io', passwordHash: 'h', roles: [] },
};
const erased: HistoryEvent = {
  type: IdentityEvent.PersonalDataErased,
  data: { userId: 'u1', by: 'self', reason: null },
};

describe('erasing an account', () => {
  it('erases by the person, with no reason', () => {
    given(erasureDecider, [registered])
      .when({ by: 'self', reason: null })
      .then([{ type: IdentityEvent.PersonalDataErased, data: { userId: 'u1', by: 'self', reason: null } }]);
  });

  it('erases by an administrator, with the reason', () => {
    given(erasureDecider, [registered])
      .when({ by: 'admin', adminId: 'a1', reason: 'GDPR request #42' })
      .then([
        { type: IdentityEvent.PersonalDataErased, data: { userId: 'u1', by: 'admin', reason: 'GDPR request #42' } },
      ]);
  });

  it('records an erasure once: a second one finishes the first', () => {
    given(erasureDecider, [registered, erased]).when({ by: 'self', reason: null }).then([]);
  });

  it('refuses an unknown account, and an administrator erasing themselves', () => {
    given(erasureDecider, []).when({ by: 'self', reason: null }).thenThrows(DomainError, 'not_found');
    given(erasureDecider, [registered])
      .when({ by: 'admin', adminId: 'u1', reason: 'x' })
      .thenThrows(DomainError, 'conflict');
  });

  it('remembers every address the account held or asked for, and the one it holds now', () => {
    const state = fold(erasureDecider, [
      registered,
      {
        type: IdentityEvent.EmailChangeRequested,
        data: {
          userId: 'u1',
          newEmail: 'never@x.io',
          newEmailNormalized: 'never@x.io',
          codeId: 'c',
          codeHash: 'h',
          expiresAt: '',
        },
      },
      {
        type: IdentityEvent.EmailChanged,
        data: { userId: 'u1', oldEmail: 'Ada@x.io', newEmail: 'ada@y.io', newEmailNormalized: 'ada@y.io' },
      },
    ]);
    expect(state).toEqual({
      userId: 'u1',
      emailNormalized: 'ada@y.io',
      addresses: ['ada@x.io', 'never@x.io', 'ada@y.io'],
      erased: false,
    });
  });
});
