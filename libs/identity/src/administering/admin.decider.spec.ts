import type { HistoryEvent } from '../shared/decider';
import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { adminDecider } from './admin.decider';

const registered: HistoryEvent = {
  type: IdentityEvent.UserRegistered,
  data: { userId: 'u1', email: 'a@x.io', emailNormalized: 'a@x.io', passwordHash: 'h', roles: [] },
};

describe('administering an account', () => {
  it('changes roles, and changes nothing when they are the same', () => {
    given(adminDecider, [registered])
      .when({ kind: 'set_roles', roles: ['auditor', 'admin', 'admin'], by: 'a1' })
      .then([
        { type: IdentityEvent.RolesChanged, data: { userId: 'u1', roles: ['admin', 'auditor'], previousRoles: [] } },
      ]);
    const changed: HistoryEvent = {
      type: IdentityEvent.RolesChanged,
      data: { userId: 'u1', roles: ['admin'], previousRoles: [] },
    };
    given(adminDecider, [registered, changed])
      .when({ kind: 'set_roles', roles: ['admin'], by: 'a1' })
      .then([]);
  });

  it('resets MFA with the reason', () => {
    given(adminDecider, [registered])
      .when({ kind: 'reset_mfa', reason: 'lost phone, identity checked by video call', by: 'a1' })
      .then([
        {
          type: IdentityEvent.MfaResetByAdmin,
          data: { userId: 'u1', reason: 'lost phone, identity checked by video call' },
        },
      ]);
  });

  it('locks and unlocks once each', () => {
    const locked: HistoryEvent = { type: IdentityEvent.AccountLockedByAdmin, data: { userId: 'u1' } };
    given(adminDecider, [registered]).when({ kind: 'lock', by: 'a1' }).then([locked]);
    given(adminDecider, [registered, locked]).when({ kind: 'lock', by: 'a1' }).then([]);
    given(adminDecider, [registered, locked])
      .when({ kind: 'unlock', by: 'a1' })
      .then([{ type: IdentityEvent.AccountUnlockedByAdmin, data: { userId: 'u1' } }]);
    given(adminDecider, [registered]).when({ kind: 'unlock', by: 'a1' }).then([]);
  });

  it('does not let an administrator demote or lock themselves', () => {
    const admin: HistoryEvent = {
      type: IdentityEvent.UserRegistered,
      data: { userId: 'a1', email: 'root@x.io', emailNormalized: 'root@x.io', passwordHash: 'h', roles: ['admin'] },
    };
    given(adminDecider, [admin])
      .when({ kind: 'set_roles', roles: ['auditor'], by: 'a1' })
      .thenThrows(DomainError, 'conflict');
    given(adminDecider, [admin]).when({ kind: 'lock', by: 'a1' }).thenThrows(DomainError, 'conflict');
    given(adminDecider, [admin])
      .when({ kind: 'set_roles', roles: ['admin', 'auditor'], by: 'a1' })
      .then([
        {
          type: IdentityEvent.RolesChanged,
          data: { userId: 'a1', roles: ['admin', 'auditor'], previousRoles: ['admin'] },
        },
      ]);
  });

  it('knows no user before registration', () => {
    given(adminDecider, []).when({ kind: 'lock', by: 'a1' }).thenThrows(DomainError, 'not_found');
  });
});
