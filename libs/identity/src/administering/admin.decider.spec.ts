import type { HistoryEvent } from '../shared/decider';
import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { adminDecider } from './admin.decider';

const registered: HistoryEvent = { type: IdentityEvent.UserRegistered, data: { userId: 'u1', email: 'a@x.io', emailNormalized: 'a@x.io', passwordHash: 'h', roles: [] } };

describe('administering an account', () => {
  it('changes roles, and changes nothing when they are the same', () => {
    given(adminDecider, [registered])
      .when({ kind: 'set_roles', roles: ['auditor', 'admin', 'admin'] })
      .then([{ type: IdentityEvent.RolesChanged, data: { userId: 'u1', roles: ['admin', 'auditor'], previousRoles: [] } }]);
    const changed: HistoryEvent = { type: IdentityEvent.RolesChanged, data: { userId: 'u1', roles: ['admin'], previousRoles: [] } };
    given(adminDecider, [registered, changed]).when({ kind: 'set_roles', roles: ['admin'] }).then([]);
  });

  it('resets MFA with the reason', () => {
    given(adminDecider, [registered])
      .when({ kind: 'reset_mfa', reason: 'lost phone, identity checked by video call' })
      .then([{ type: IdentityEvent.MfaResetByAdmin, data: { userId: 'u1', reason: 'lost phone, identity checked by video call' } }]);
  });

  it('locks and unlocks once each', () => {
    const locked: HistoryEvent = { type: IdentityEvent.AccountLockedByAdmin, data: { userId: 'u1' } };
    given(adminDecider, [registered]).when({ kind: 'lock' }).then([locked]);
    given(adminDecider, [registered, locked]).when({ kind: 'lock' }).then([]);
    given(adminDecider, [registered, locked]).when({ kind: 'unlock' }).then([{ type: IdentityEvent.AccountUnlockedByAdmin, data: { userId: 'u1' } }]);
    given(adminDecider, [registered]).when({ kind: 'unlock' }).then([]);
  });

  it('knows no user before registration', () => {
    given(adminDecider, []).when({ kind: 'lock' }).thenThrows(DomainError, 'not_found');
  });
});
